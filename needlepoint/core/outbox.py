"""What the two outboxes (client messages, webhook deliveries) share: claiming due rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import QuerySet

T = TypeVar("T")


def due_ids(rows: QuerySet[Any], batch: int) -> list[int]:
    """Ids of up to ``batch`` of ``rows``, skipping those another worker has locked.

    Call inside the transaction that then leases them: PostgreSQL skips locked rows;
    SQLite serialises writers, so two claims never see the same rows free.
    """
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.values_list("pk", flat=True)[:batch])


def drain(claim: Callable[[], Sequence[T]], send: Callable[[T], None], limit: int | None) -> int:
    """Claim and send batches until none is due (or ``limit`` are handled); how many were."""
    handled = 0
    while limit is None or handled < limit:
        claimed = claim()
        if not claimed:
            break
        for row in claimed:
            send(row)
        handled += len(claimed)
    return handled
