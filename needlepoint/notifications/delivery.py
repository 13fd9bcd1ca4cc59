"""Sending due messages exactly once: claim, send with the key, mark sent.

1. **Claim** a batch of due rows in one short transaction: pending rows whose time has
   come, and rows another worker claimed but whose lease ran out (it crashed). On
   PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` lets workers claim side by side; on
   SQLite the IMMEDIATE transaction serialises claims. A claimed row is ``sending``,
   names its worker and holds a lease.
2. **Send** each with its idempotency key. A crash here leaves the row ``sending``; when
   the lease runs out it is claimed and sent again with the same key, which the far end
   recognises (the file backends keep one file per key), so it arrives once.
3. **Mark** it sent, only if this worker still holds it. A failure puts it back with a
   growing delay; after the last try it is ``failed`` with its reason, for the outbox
   page and the staff home to show.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from needlepoint.core.outbox import drain, due_ids
from needlepoint.notifications.channels import send_email, sms_backend
from needlepoint.notifications.choices import Channel, MessageStatus
from needlepoint.notifications.models import Message
from needlepoint.notifications.planner import GIVE_UP_AFTER, RETRY_DELAYS
from needlepoint.notifications.rendering import NothingToSend, render

logger = logging.getLogger(__name__)
BATCH = 50


def deliver_due(*, worker_id: str, now: datetime | None = None, limit: int | None = None) -> int:
    """Send every message due by ``now`` (or at most ``limit``); how many were handled."""
    return drain(
        lambda: claim(worker_id=worker_id, now=now or timezone.now(), batch=BATCH),
        lambda row: send_one(row, worker_id=worker_id),
        limit,
    )


def claim(*, worker_id: str, now: datetime, batch: int) -> list[Message]:
    lease = timedelta(seconds=settings.MESSAGE_LEASE_SECONDS)
    due = Q(status=MessageStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=MessageStatus.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        ids = due_ids(Message.objects.filter(due).order_by("next_attempt_at", "pk"), batch)
        if not ids:
            return []
        Message.objects.filter(pk__in=ids).update(
            status=MessageStatus.SENDING,
            claimed_by=worker_id,
            lease_until=now + lease,
            attempts=F("attempts") + 1,
        )
    return list(Message.objects.filter(pk__in=ids, claimed_by=worker_id).order_by("pk"))


def send_one(message: Message, *, worker_id: str) -> None:
    mine = Message.objects.filter(pk=message.pk, claimed_by=worker_id, status=MessageStatus.SENDING)
    try:
        rendered = render(message)
        if message.channel == Channel.SMS:
            sms_backend().send(message.recipient, rendered.text, message.idempotency_key)
        else:
            send_email(message.recipient, rendered, message.idempotency_key)
    except NothingToSend as gone:
        mine.update(status=MessageStatus.CANCELLED, last_error=str(gone))
    except Exception as error:  # noqa: BLE001 - any channel failure: retried, then shown as failed
        logger.warning("Message %s failed (attempt %s): %s", message.pk, message.attempts, error)
        reason = f"{type(error).__name__}: {error}"[:1000]
        if message.attempts >= GIVE_UP_AFTER:
            mine.update(status=MessageStatus.FAILED, last_error=reason)
        else:
            retry_at = timezone.now() + RETRY_DELAYS[message.attempts - 1]
            mine.update(status=MessageStatus.PENDING, next_attempt_at=retry_at, last_error=reason)
    else:
        mine.update(status=MessageStatus.SENT, sent_at=timezone.now(), last_error="")


def resend(message: Message) -> None:
    """Send a failed message again: a fresh set of tries, due now."""
    Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).update(
        status=MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
