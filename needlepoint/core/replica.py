"""Reports read a PostgreSQL replica; everything else reads the primary.

The router answers "replica" only while a view marked ``@reads_replica`` runs (reports,
exports, the audit log search, calendar feeds: docs/scaling.md's table), only outside a
transaction on the primary, and only while the replica is up and no further behind than
``REPLICA_MAX_LAG_SECONDS``. Availability, booking and every page shown after a change
never come here: they read the primary. Writes always go to the primary.

What the replica answered is remembered for a second per process, so a busy report page
costs one look at the replica's lag a second, not one a query.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import StreamingHttpResponse

PRIMARY = "default"
REPLICA = "replica"
CHECK_SECONDS = 1.0

# How far behind the replica is, in seconds: 0 when it has applied everything it has
# received; otherwise the age of the last change it applied.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
    ELSE coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9)
END
"""

logger = logging.getLogger(__name__)
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)
_lock = threading.Lock()


class _Seen:
    checked = float("-inf")  # time.monotonic() of the last look
    lag: float | None = None  # None: the replica did not answer


_last = _Seen()

P = ParamSpec("P")
R = TypeVar("R")  # a response, or what an API operation returns for its schema


def configured() -> bool:
    return REPLICA in settings.DATABASES


def forget() -> None:
    """Look at the replica again on the next read (tests, and after a failure)."""
    with _lock:
        _last.checked = float("-inf")


def lag_seconds() -> float | None:
    """The replica's lag as last seen (looked at again after CHECK_SECONDS); None when
    it is down or unreachable."""
    with _lock:
        if time.monotonic() - _last.checked < CHECK_SECONDS:
            return _last.lag
    lag: float | None
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            lag = float(cursor.fetchone()[0])
    except DatabaseError:
        logger.warning("The replica does not answer: reports read the primary.")
        _close_replica()
        lag = None
    with _lock:
        _last.checked, _last.lag = time.monotonic(), lag
    return lag


def replica_usable() -> bool:
    lag = lag_seconds()
    if lag is None:
        return False
    if lag > settings.REPLICA_MAX_LAG_SECONDS:
        logger.info("The replica is %.1f s behind: reports read the primary.", lag)
        return False
    return True


def _close_replica() -> None:
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()


class ReplicaRouter:
    """Django's database router (settings.DATABASE_ROUTERS)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if (
            _reading_replica.get()
            and configured()
            and not connections[PRIMARY].in_atomic_block  # reads a write depends on
            and replica_usable()
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return PRIMARY  # also for rows a report read from the replica

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside may come from the replica (when it is usable)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def _streamed(chunks: Iterable[Any]) -> Iterator[Any]:
    iterator = iter(chunks)
    while True:
        with replica_reads():
            chunk = next(iterator, StopIteration)
        if chunk is StopIteration:
            return
        yield chunk


def reads_replica(view: Callable[P, R]) -> Callable[P, R]:
    """Let a report, export, feed or API list read the replica. If the replica fails while the
    view runs, the view runs again on the primary, so the reader still gets an answer:
    such a view writes (its audit record) only after its reads. A streamed file reads
    the replica as it is sent; one cut off by a replica failing mid-way ends early, and
    the next download reads the primary."""

    @wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not configured():
            return view(*args, **kwargs)
        try:
            with replica_reads():
                response = view(*args, **kwargs)
        except DatabaseError:
            if not _replica_failed():
                raise
            logger.warning("The replica failed during a report: answering from the primary.")
            return view(*args, **kwargs)
        if isinstance(response, StreamingHttpResponse) and not response.is_async:
            response.streaming_content = _streamed(response.streaming_content)  # type: ignore[arg-type]
        return response

    return wrapped


def _replica_failed() -> bool:
    """After a database error in a replica view: was it the replica going away?"""
    replica = connections[REPLICA]
    if not replica.errors_occurred and replica.connection is None:
        return False  # the replica was not used
    _close_replica()
    forget()
    return lag_seconds() is None  # and so taken as down for the next CHECK_SECONDS


__all__ = ["ReplicaRouter", "configured", "forget", "lag_seconds", "reads_replica", "replica_reads"]
