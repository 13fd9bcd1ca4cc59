"""What the two outboxes (client messages, webhook deliveries) share: waking the worker,
claiming due rows, and carrying on when the database connection is lost."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Model, QuerySet
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

T = TypeVar("T")
M = TypeVar("M", bound=Model)
logger = logging.getLogger(__name__)

# What a lost, refused or timed-out database connection raises (psycopg and sqlite3).
CONNECTION_LOST = (OperationalError, InterfaceError)


def wake(task: Task[[], Any]) -> None:
    """Queue ``task`` for the worker, to run once the change being made is committed.

    The database queue (production) takes the task's row inside the change's own
    transaction: the worker sees the row together with what it is to send, or neither,
    and the change pays for one commit, not a second one after it. Any other queue (the
    tests run tasks at once) is given the task only after the commit.
    """
    if connection.in_atomic_block and isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue()
    else:
        transaction.on_commit(task.enqueue)


def due_ids(rows: QuerySet[Any], batch: int) -> list[int]:
    """Ids of up to ``batch`` of ``rows``, skipping those another worker has locked.

    Call inside the transaction that then leases them: PostgreSQL skips locked rows;
    SQLite serialises writers, so two claims never see the same rows free.
    """
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.values_list("pk", flat=True)[:batch])


def first_free(rows: QuerySet[M]) -> M | None:
    """The first of ``rows`` that no other worker has locked; as ``due_ids``, call it
    inside the transaction that then claims it."""
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return rows.first()


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


def drop_connection() -> None:
    """Close this thread's database connection (broken, say), so the next query opens a
    new one. Not inside a transaction: that must fail as a whole."""
    if connection.in_atomic_block:
        return
    try:
        connection.close()
    except Exception:  # closing a broken connection may complain; it is closed all the same
        logger.debug("Closing a broken database connection failed", exc_info=True)


def reconnecting(write: Callable[[], T], *, patience: float, what: str) -> T:
    """``write()``, tried again on a new connection while the database is unreachable, for
    up to ``patience`` seconds (waiting 0.5 s, 1 s, 2 s… between tries); then it raises."""
    deadline = time.monotonic() + patience
    delay = 0.5
    while True:
        try:
            return write()
        except CONNECTION_LOST as error:
            if connection.in_atomic_block or time.monotonic() + delay > deadline:
                raise
            logger.warning("Lost the database while %s (%s); trying again.", what, error)
            drop_connection()
            time.sleep(delay)
            delay = min(delay * 2, 10.0)
