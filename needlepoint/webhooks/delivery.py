"""Posting due webhook deliveries exactly once in intent: claim, post with the key, mark.

As the message outbox does (notifications/delivery.py): a worker claims a small batch of
due rows in one short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's
IMMEDIATE transactions serialise claims), holding each for a lease. It posts each one
and records the answer only while it still holds it. A crash after posting means the
row is claimed again when the lease ends and posted again with the same
``X-Needlepoint-Delivery`` key, for the receiver to recognise.

2xx is success. Anything else (another status, a timeout, a refused connection) is
tried again after 1 minute, 5 minutes, 30 minutes, 2 hours and 6 hours, then failed;
staff may send a failed one again (services.delivery_resend). Each try is kept as a
``WebhookAttempt`` row.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from http.client import HTTPException

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from needlepoint.core.errors import DomainError
from needlepoint.core.outbox import drain, due_ids
from needlepoint.webhooks.events import utc
from needlepoint.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from needlepoint.webhooks.targets import post

logger = logging.getLogger(__name__)
BATCH = 10  # each post may take up to 10 s: a batch stays well inside the lease
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
GIVE_UP_AFTER = len(RETRY_DELAYS) + 1  # attempts


def deliver_due(*, worker_id: str, now: datetime | None = None, limit: int | None = None) -> int:
    """Post every delivery due by ``now`` (or at most ``limit``); how many were handled."""
    return drain(
        lambda: claim(worker_id=worker_id, now=now or timezone.now(), batch=BATCH),
        lambda row: send_one(row, worker_id=worker_id),
        limit,
    )


def claim(*, worker_id: str, now: datetime, batch: int) -> list[WebhookDelivery]:
    lease = timedelta(seconds=settings.MESSAGE_LEASE_SECONDS)
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) & (
        Q(leased_until__isnull=True) | Q(leased_until__lt=now)
    )
    with transaction.atomic():
        ids = due_ids(WebhookDelivery.objects.filter(due).order_by("next_attempt_at", "pk"), batch)
        if not ids:
            return []
        WebhookDelivery.objects.filter(pk__in=ids).update(
            claimed_by=worker_id, leased_until=now + lease, attempts=F("attempts") + 1
        )
    mine = WebhookDelivery.objects.filter(pk__in=ids, claimed_by=worker_id)
    return list(mine.select_related("subscription").order_by("pk"))


def body_of(delivery: WebhookDelivery) -> bytes:
    """The JSON posted: the same bytes on every try."""
    content = {
        "id": str(delivery.idempotency_key),
        "event": delivery.event,
        "created_at": utc(delivery.created_at),
        "data": delivery.payload,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":")).encode()


def signature(secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """``t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``, one ``v1`` per secret in
    force (the newest first), as docs/webhooks.md shows."""
    macs = (hmac.new(s.encode(), f"{timestamp}.".encode() + body, hashlib.sha256) for s in secrets)
    return ",".join([f"t={timestamp}", *(f"v1={mac.hexdigest()}" for mac in macs)])


def send_one(delivery: WebhookDelivery, *, worker_id: str) -> None:
    mine = WebhookDelivery.objects.filter(
        pk=delivery.pk, claimed_by=worker_id, status=DeliveryStatus.PENDING
    )
    subscription = delivery.subscription
    body = body_of(delivery)
    now = timezone.now()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Needlepoint-Webhooks/1",
        "X-Needlepoint-Event": delivery.event,
        "X-Needlepoint-Delivery": str(delivery.idempotency_key),
        "X-Needlepoint-Signature": signature(
            subscription.signing_secrets(now), int(now.timestamp()), body
        ),
    }
    code: int | None = None
    excerpt = error = ""
    started = time.monotonic()
    try:
        code, excerpt = post(subscription.url, body, headers)
    except (OSError, ValueError, HTTPException, DomainError) as failure:
        error = f"{type(failure).__name__}: {failure}"[:300]
    took = round((time.monotonic() - started) * 1000)
    answer = {"response_code": code, "response_excerpt": excerpt or error, "leased_until": None}
    with transaction.atomic():
        # Kept even if the lease ran out meanwhile: the post happened all the same.
        WebhookAttempt.objects.create(
            delivery=delivery,
            attempted_at=now,
            status_code=code,
            response_excerpt=excerpt,
            error=error,
            duration_ms=took,
        )
        if code is not None and 200 <= code < 300:
            mine.update(status=DeliveryStatus.SENT, delivered_at=timezone.now(), **answer)
            return
        logger.warning("Webhook %s failed (attempt %s): %s", delivery.pk, delivery.attempts, code)
        if delivery.attempts >= GIVE_UP_AFTER:
            mine.update(status=DeliveryStatus.FAILED, **answer)
        else:
            retry_at = timezone.now() + RETRY_DELAYS[delivery.attempts - 1]
            mine.update(next_attempt_at=retry_at, **answer)
