"""Stripe's webhooks: each event verified, stored once, and processed once.

The endpoint (stripe_views.py) hands us the exact bytes Stripe posted. The organisation's
signing secret checks them (gateway.verified_event); a verified event is stored once by
its id, so Stripe's retries and replays store nothing new. The worker then processes each
stored event once, in one transaction that claims it (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; SQLite serialises writers), settles our records and marks it processed with
what came of it:

- ``payment_intent.succeeded``, ``payment_intent.payment_failed``,
  ``payment_intent.canceled``: our card payment for that intent (by its id, or by the
  ``needlepoint_key`` we put in its metadata when the answer never reached us) is
  settled as succeeded or failed, unless it already was. A declined card fails a fee
  (we charged it); a payment the client makes in the browser stays open for their next
  try;
- ``charge.refunded``, ``refund.created``, ``refund.updated``, ``refund.failed``: our
  card refunds, by refund id (or key), settled the same way;
- ``setup_intent.succeeded``: noted (the card step of online booking saves the card);
- anything else, or an intent or refund we don't know: "unmatched", kept for the
  reconciliation (queries.to_check).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.core.errors import DomainError
from needlepoint.core.outbox import CONNECTION_LOST, first_free, wake
from needlepoint.payments import gateway
from needlepoint.payments.choices import Method, PaymentKind, PaymentStatus, Purpose
from needlepoint.payments.keys import unseal
from needlepoint.payments.models import Billing, Payment, StripeEvent
from needlepoint.payments.services import OPEN_STATUSES, payment_settle

logger = logging.getLogger(__name__)

SETTLED = "settled"
ALREADY_SETTLED = "already settled"
NOTED = "noted"
UNMATCHED = "unmatched"
CHECK = "check"
"""Outcomes (the start of one). ``check`` (Stripe and our record disagree, or processing
failed) and ``unmatched`` (not ours: made in Stripe's dashboard, say) are for a person."""
TO_CHECK = (CHECK, UNMATCHED)

INTENT_STATUS = {
    "payment_intent.succeeded": PaymentStatus.SUCCEEDED,
    "payment_intent.payment_failed": PaymentStatus.FAILED,
    "payment_intent.canceled": PaymentStatus.FAILED,
}
FEES = (Purpose.NO_SHOW_FEE, Purpose.LATE_CANCEL_FEE)  # charged by us, off-session: once
REFUND_STATUS = {
    "succeeded": PaymentStatus.SUCCEEDED,
    "failed": PaymentStatus.FAILED,
    "canceled": PaymentStatus.FAILED,
}
REFUND_EVENTS = ("refund.created", "refund.updated", "refund.failed")


# ---- receiving --------------------------------------------------------------------------


@transaction.atomic
def stripe_event_receive(
    *, organisation_slug: str, payload: bytes, signature: str, now: datetime | None = None
) -> StripeEvent:
    """Store the event Stripe posted for the organisation, once. Raises ``not_verified``
    for an unknown organisation, one with no signing secret, or a bad signature; a
    replay returns the event stored the first time."""
    billing = Billing.objects.filter(organisation__slug=organisation_slug).first()
    secret = unseal(billing.stripe_webhook_secret) if billing is not None else ""
    try:
        event = gateway.verified_event(payload, signature, secret)
    except gateway.GatewayRefused as error:
        raise DomainError("not_verified", _("This is not a verified Stripe event.")) from error
    assert billing is not None  # a secret was found
    stored, created = StripeEvent.objects.get_or_create(
        organisation_id=billing.organisation_id,
        event_id=event["id"][:120],
        defaults={
            "type": str(event.get("type", ""))[:80],
            "payload": event,
            "received_at": now or timezone.now(),
        },
    )
    if created:
        wake_the_worker()
    return stored


def wake_the_worker() -> None:
    """Queue the processing task with the event's row (``outbox.wake``), so a payment
    settles within seconds."""
    from needlepoint.payments.tasks import process_stripe_events  # it settles: imported late

    wake(process_stripe_events)


# ---- processing -------------------------------------------------------------------------


def stripe_events_process(*, limit: int | None = None, now: datetime | None = None) -> int:
    """Process every stored event not processed yet (at most ``limit``), each once;
    returns how many were."""
    handled = 0
    while limit is None or handled < limit:
        if _process_next(now or timezone.now()) is None:
            break
        handled += 1
    return handled


@transaction.atomic
def _process_next(now: datetime) -> StripeEvent | None:
    event = first_free(StripeEvent.objects.filter(processed_at=None).order_by("received_at", "pk"))
    if event is None:
        return None
    try:
        with transaction.atomic():
            outcome = _apply(event)
    except CONNECTION_LOST:
        raise
    except Exception as error:  # a surprise in one event must not hold up the rest
        logger.exception("Processing Stripe event %s failed.", event.event_id)
        outcome = f"{CHECK}: {type(error).__name__}: {error}"
    event.processed_at = now
    event.outcome = outcome[:300]
    event.save(update_fields=["processed_at", "outcome"])
    return event


def _apply(event: StripeEvent) -> str:
    data = event.payload.get("data")
    found = data.get("object") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return UNMATCHED
    if event.type in INTENT_STATUS:
        return _intent_settled(event, found, INTENT_STATUS[event.type])
    if event.type == "charge.refunded":
        refunds = (found.get("refunds") or {}).get("data") or []
        if not refunds:  # newer API versions leave them out: refund.* events carry them
            return NOTED
        return _worst_first([_refund_settled(event, refund) for refund in refunds])
    if event.type in REFUND_EVENTS:
        return _refund_settled(event, found)
    if event.type == "setup_intent.succeeded":
        return NOTED
    return UNMATCHED


def _intent_settled(event: StripeEvent, intent: dict[str, Any], status: str) -> str:
    payment = _ours(event, intent, PaymentKind.PAYMENT)
    if payment is None:
        return UNMATCHED
    try_again = event.type == "payment_intent.payment_failed" and payment.purpose not in FEES
    if try_again and payment.status in OPEN_STATUSES:
        # the client, paying in the browser, may try another card on the same intent; one
        # never paid fails when the worker asks after services.WAIT_FOR_CLIENT
        return f"{NOTED}: declined, the client may try again"
    error = intent.get("last_payment_error") or {}
    note = error.get("message", "") if isinstance(error, dict) else ""
    return _settled(payment, status, str(intent["id"]), note or event.type)


def _refund_settled(event: StripeEvent, refund: dict[str, Any]) -> str:
    status = REFUND_STATUS.get(str(refund.get("status", "")))
    refund_row = _ours(event, refund, PaymentKind.REFUND)
    if refund_row is None:
        return UNMATCHED
    if status is None:  # pending at Stripe: its next event settles it
        return NOTED
    return _settled(refund_row, status, str(refund["id"]), str(refund.get("failure_reason", "")))


def _ours(event: StripeEvent, found: dict[str, Any], kind: str) -> Payment | None:
    """Our card payment or refund for the Stripe object: by its id, else by the key in its
    metadata (the answer to our call never reached us, so we never learnt the id). Locked,
    so what it was before this event is what another worker left."""
    rows = Payment.objects.select_for_update().filter(
        organisation_id=event.organisation_id, kind=kind, method=Method.CARD_ONLINE
    )
    stripe_id = found.get("id")
    if not isinstance(stripe_id, str) or not stripe_id:
        return None
    by_id = rows.filter(stripe_id=stripe_id).first()
    metadata = found.get("metadata")
    key = metadata.get("needlepoint_key") if isinstance(metadata, dict) else None
    if by_id is not None or not isinstance(key, str):
        return by_id
    return rows.filter(Q(stripe_id="") | Q(stripe_id=stripe_id), idempotency_key=key).first()


def _settled(payment: Payment, status: str, stripe_id: str, note: str) -> str:
    was = payment.status
    settled = payment_settle(payment=payment, status=status, stripe_id=stripe_id, note=note)
    what = f"{settled.get_kind_display().lower()} {settled.pk}"
    if was in OPEN_STATUSES:
        return f"{SETTLED}: {what} {status}"
    late_failure = settled.kind == PaymentKind.PAYMENT and status == PaymentStatus.FAILED
    if settled.status == status or late_failure:  # a failed try before the success, told late
        return ALREADY_SETTLED
    return f"{CHECK}: Stripe says {what} {status}, recorded as {settled.status}"


def _worst_first(outcomes: list[str]) -> str:
    order = (CHECK, UNMATCHED, SETTLED, ALREADY_SETTLED, NOTED)
    ranked = sorted(
        set(outcomes), key=lambda o: next(i for i, w in enumerate(order) if o.startswith(w))
    )
    return "; ".join(ranked)
