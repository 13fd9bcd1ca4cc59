"""Sending due messages exactly once: claim one, record the try, send with the key, mark.

1. **Claim** one due row at a time, in its own short transaction: the first pending row
   whose time has come (or one stranded by a dead worker, below). On PostgreSQL
   ``SELECT … FOR UPDATE SKIP LOCKED`` lets workers claim side by side; on SQLite the
   IMMEDIATE transaction serialises claims; the update is conditional on the row being
   as it was read, too. The claim is the record of the try, committed before anything is
   sent: ``sending``, ``attempts`` + 1, the worker's id and a lease.
2. **Send** it with its key (channels.py): an email carries it as ``X-Idempotency-Key``
   and in its ``Message-ID``, the same on every try. While the send goes on, a keeper
   thread renews the lease every third of it, so however slow the mail server is, no
   other worker takes the message meanwhile; each SMTP step times out, so a send ends.
3. **Mark** it sent (or put back with a growing delay, or ``failed`` after the last try)
   only while this claim still holds it: the same worker and the same attempt. A lost
   database connection at this step is retried on a new one while the lease lasts, so
   a message already handed over is not sent again.

**After a crash.** A row still ``sending`` when its lease has run out was being sent
when its worker died, and whether it arrived is unknown. It is not sent as if new: it
is claimed again as the next attempt, noted on the row ("A worker stopped while sending
this…", shown on the outbox page, kept once sent) and in the log, and sent again with
the same ``Message-ID`` and key, so the far end, and the client's mail program, can
recognise a repeat. Only a message in flight at the crash can arrive twice. One that
has stopped its worker ``GIVE_UP_AFTER`` times is marked failed instead of looping.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from needlepoint.core.outbox import drop_connection, first_free, reconnecting
from needlepoint.notifications.channels import send_email, sms_backend
from needlepoint.notifications.choices import Channel, MessageStatus
from needlepoint.notifications.models import Message
from needlepoint.notifications.planner import GIVE_UP_AFTER, RETRY_DELAYS
from needlepoint.notifications.rendering import NothingToSend, render

logger = logging.getLogger(__name__)
STOPPED = "A worker stopped while sending this"


def deliver_due(*, worker_id: str, now: datetime | None = None, limit: int | None = None) -> int:
    """Send every message due by ``now`` (or at most ``limit``); how many were handled."""
    handled = 0
    while limit is None or handled < limit:
        message = claim(worker_id=worker_id, now=now or timezone.now())
        if message is None:
            break
        send_one(message, worker_id=worker_id)
        handled += 1
    return handled


def lease() -> timedelta:
    return timedelta(seconds=settings.MESSAGE_LEASE_SECONDS)


def claim(*, worker_id: str, now: datetime) -> Message | None:
    """Claim the next due message for this worker, committed before it is sent; None when
    nothing is due."""
    waiting = Q(status=MessageStatus.PENDING, next_attempt_at__lte=now)
    stranded = Q(status=MessageStatus.SENDING, lease_until__lt=now)
    due = Message.objects.filter(waiting | stranded).order_by("next_attempt_at", "pk")
    while True:
        with transaction.atomic():
            row = first_free(due)
            if row is None:
                return None
            as_read = Message.objects.filter(pk=row.pk, status=row.status, attempts=row.attempts)
            note = row.last_error
            if row.status == MessageStatus.SENDING:
                note = (
                    f"{STOPPED} (try {row.attempts}, {row.claimed_by}); it was sent again with"
                    " the same Message-ID, so if it arrived twice the repeat is recognisable."
                )
                logger.warning(
                    "Message %s: worker %s stopped while sending try %s; %s",
                    row.pk,
                    row.claimed_by,
                    row.attempts,
                    "giving up" if row.attempts >= GIVE_UP_AFTER else "sending it again",
                )
                if row.attempts >= GIVE_UP_AFTER:
                    gave_up = f"{STOPPED}, {row.attempts} times; it may have arrived."
                    as_read.update(
                        status=MessageStatus.FAILED, lease_until=None, last_error=gave_up
                    )
                    continue
            claimed = {
                "status": MessageStatus.SENDING,
                "claimed_by": worker_id,
                "lease_until": now + lease(),
                "attempts": row.attempts + 1,
                "last_error": note,
            }
            if not as_read.update(**claimed):
                continue  # changed since it was read (SQLite has no row locks): the next one
        for field, value in claimed.items():
            setattr(row, field, value)
        return row


def held_by(message: Message, worker_id: str) -> QuerySet[Message]:
    """The message, as long as this claim (worker and attempt) still holds it."""
    return Message.objects.filter(
        pk=message.pk,
        status=MessageStatus.SENDING,
        claimed_by=worker_id,
        attempts=message.attempts,
    )


def send_one(message: Message, *, worker_id: str) -> None:
    outcome: dict[str, Any]
    try:
        rendered = render(message)
        with lease_kept(message, worker_id):
            if message.channel == Channel.SMS:
                sms_backend().send(message.recipient, rendered.text, message.idempotency_key)
            else:
                send_email(message.recipient, rendered, message.idempotency_key)
    except NothingToSend as gone:
        outcome = {"status": MessageStatus.CANCELLED, "last_error": str(gone)}
    except Exception as error:  # noqa: BLE001 - any channel failure: retried, then shown as failed
        logger.warning("Message %s failed (attempt %s): %s", message.pk, message.attempts, error)
        reason = f"{type(error).__name__}: {error}"[:1000]
        if message.attempts >= GIVE_UP_AFTER:
            outcome = {"status": MessageStatus.FAILED, "last_error": reason}
        else:
            retry_at = timezone.now() + RETRY_DELAYS[message.attempts - 1]
            outcome = {"status": MessageStatus.PENDING, "next_attempt_at": retry_at}
            outcome["last_error"] = reason
    else:
        kept = message.last_error if message.last_error.startswith(STOPPED) else ""
        outcome = {"status": MessageStatus.SENT, "sent_at": timezone.now(), "last_error": kept}
    marked = reconnecting(
        lambda: held_by(message, worker_id).update(lease_until=None, **outcome),
        patience=lease().total_seconds(),
        what=f"marking message {message.pk} {outcome['status']}",
    )
    if not marked:
        logger.warning(
            "Message %s: this worker's claim ran out before it was marked %s; another worker"
            " has it, and sends it with the same Message-ID.",
            message.pk,
            outcome["status"],
        )


@contextmanager
def lease_kept(message: Message, worker_id: str) -> Iterator[None]:
    """Renew the claim's lease every third of it while the block runs (a slow send)."""
    every = lease().total_seconds() / 3
    done = threading.Event()

    def renew() -> None:
        try:
            while not done.wait(every):
                try:
                    until = timezone.now() + lease()
                    if not held_by(message, worker_id).update(lease_until=until):
                        logger.warning("Message %s: the lease was lost while sending", message.pk)
                        return
                except Exception:  # the next renewal tries on a new connection
                    logger.warning(
                        "Message %s: renewing its lease failed", message.pk, exc_info=True
                    )
                    drop_connection()
        finally:
            drop_connection()  # this thread's own connection, if it opened one

    keeper = threading.Thread(target=renew, name=f"lease-{message.pk}", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        done.set()
        keeper.join()


def resend(message: Message) -> None:
    """Send a failed message again: a fresh set of tries, due now."""
    Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
