"""The clinic's set-up, kept per process between requests under the database's token.

Set-up — staff and what they offer, rooms, devices, opening hours, closures, shifts,
time off, webhook subscriptions, the organisation and its clinical rules — changes
rarely and is read by every search and every booking. Database triggers give the single
``scheduling.SetupToken`` row a new random token on any insert, update or delete of those
tables (migrations scheduling 0009 to 0011). ``setup_snapshot()`` reads the token once;
reads marked ``@kept_under_token`` inside it reuse what this process read under the same
token. Random, not a counter: a rolled-back change must never bring back a token that
stood for other data.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from needlepoint.core import plain_sql

KEPT_READS = 4096  # set-up answers kept per process before starting afresh
Read = TypeVar("Read", bound=Callable[..., Any])
_snapshot = threading.local()
_kept: tuple[str | None, dict[tuple[Any, ...], Any]] = (None, {})


@contextmanager
def setup_snapshot() -> Iterator[None]:
    """Read the set-up token once; set-up reads inside reuse what was read under it."""
    outer = getattr(_snapshot, "token", None)
    if outer is None:
        found = plain_sql.rows("SELECT token FROM scheduling_setuptoken WHERE id = 1", [])
        _snapshot.token = found[0][0] if found else None
    try:
        yield
    finally:
        _snapshot.token = outer


def forget_kept_setup() -> None:
    """Drop what this process kept: the next search reads the set-up as after a change."""
    global _kept
    _kept = (None, {})


def kept_under_token(read: Read) -> Read:
    """Answer a set-up read from what this process read under the current token.

    Outside a snapshot, or with no token in the database, it reads as usual. Callers
    must not change what it returns: the same list serves later searches.
    """

    name = f"{read.__module__}.{read.__qualname__}"

    @functools.wraps(read)
    def kept(*args: Any) -> Any:
        global _kept
        token = getattr(_snapshot, "token", None)
        if token is None:
            return read(*args)
        kept_token, answers = _kept
        if kept_token != token or len(answers) >= KEPT_READS:
            answers = {}
            _kept = (token, answers)
        key = (name, *(tuple(arg) if isinstance(arg, list) else arg for arg in args))
        if key not in answers:
            answers[key] = read(*args)
        return answers[key]

    return kept  # type: ignore[return-value]
