"""Telling subscribers what happened: one delivery row per subscribed URL, in the change's
own transaction, so a change and its webhooks are written together or not at all.

Payloads carry identifiers and the facts the event is about, never names, contact
details or medical answers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from django.utils import timezone

from needlepoint.core.money import Money, as_decimal
from needlepoint.core.outbox import wake
from needlepoint.core.plain_sql import from_json, rows
from needlepoint.core.setup_token import kept_under_token
from needlepoint.webhooks.models import Event, WebhookDelivery

Payload = Callable[[], dict[str, Any]]

if TYPE_CHECKING:
    from needlepoint.clients.models import Screening
    from needlepoint.scheduling.models import Booking
    from needlepoint.treatments.models import TreatmentSession


def emit(organisation_id: int, event: str, payload: Payload) -> int:
    """Queue ``event`` for each of the organisation's active subscriptions that want it.

    Call it inside the transaction of the change it reports; how many were queued.
    ``payload`` builds the body and is called only when someone is subscribed: changes
    are made far more often than anyone listens.
    """
    wanted = [
        subscription_id
        for subscription_id, events in subscriptions(organisation_id)
        if event in events
    ]
    if not wanted:
        return 0
    now = timezone.now()
    data = payload()
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            organisation_id=organisation_id,
            subscription_id=subscription_id,
            event=event,
            payload=data,
            next_attempt_at=now,
            created_at=now,
        )
        for subscription_id in wanted
    )
    wake_the_worker()
    return len(wanted)


@kept_under_token
def subscriptions(organisation_id: int) -> list[tuple[int, frozenset[str]]]:
    """The organisation's active subscriptions and the events each wants.

    Part of the set-up a booking keeps between requests (``core/setup_token.py``):
    every booking asks, and subscriptions rarely change.
    """
    found = rows(
        "SELECT id, events FROM webhooks_webhooksubscription"
        " WHERE organisation_id = %s AND active ORDER BY id",
        [organisation_id],
    )
    return [(pk, frozenset(from_json(events))) for pk, events in found]


def wake_the_worker() -> None:
    """Queue the delivery task with the change (``outbox.wake``), so subscribers hear
    within seconds, not at the next tick."""
    from needlepoint.webhooks.tasks import deliver_due_webhooks  # it sends: imported late

    wake(deliver_due_webhooks)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def booking_event(booking: Booking, event: Event, change: str = "", **extra: Any) -> int:
    """``booking.created``, ``booking.changed`` (with ``change``) or ``booking.cancelled``."""

    def payload() -> dict[str, Any]:
        location = booking.location
        data: dict[str, Any] = {
            "booking": str(booking.public_id),
            "client": str(booking.client.public_id),
            "starts_at": utc(booking.starts_at),
            "ends_at": utc(booking.ends_at),
            "service": {"id": str(booking.service.public_id), "name": booking.service.name},
            "location": {"id": str(location.public_id), "name": location.name},
            "status": booking.status,
        }
        if change:
            data["change"] = change
        return data | extra

    return emit(booking.location.organisation_id, event, payload)


def session_completed(session: TreatmentSession) -> int:
    performed_on: date = session.performed_on
    return emit(
        session.client.organisation_id,
        Event.SESSION_COMPLETED,
        lambda: {
            "session": str(session.public_id),
            "client": str(session.client.public_id),
            "performed_on": performed_on.isoformat(),
        },
    )


def client_screened(screening: Screening) -> int:
    return emit(
        screening.client.organisation_id,
        Event.CLIENT_SCREENED,
        lambda: {"client": str(screening.client.public_id), "outcome": screening.outcome},
    )


def booking_created(booking: Booking) -> int:
    return booking_event(booking, Event.BOOKING_CREATED)


def booking_changed(booking: Booking, change: str, **extra: Any) -> int:
    """``change``: rescheduled (with ``previous_starts_at``), checked_in, no_show, completed."""
    return booking_event(booking, Event.BOOKING_CHANGED, change, **extra)


def booking_cancelled(booking: Booking) -> int:
    return booking_event(booking, Event.BOOKING_CANCELLED)


# ---- money ------------------------------------------------------------------------------
# Payments sits above webhooks, so its records arrive here by their shape, not their class.


class Record(Protocol):
    @property
    def public_id(self) -> UUID: ...


class Place(Record, Protocol):
    @property
    def organisation_id(self) -> int: ...

    @property
    def name(self) -> str: ...


class PaymentLike(Record, Protocol):
    """A ``payments.Payment``: a payment, or a refund of one."""

    @property
    def client(self) -> Record: ...

    @property
    def location(self) -> Place: ...

    @property
    def invoice(self) -> Record | None: ...

    @property
    def booking(self) -> Record | None: ...

    @property
    def refund_of(self) -> Record | None: ...

    kind: str
    purpose: str
    method: str
    status: str
    amount_minor: int
    currency: str
    taken_at: datetime


class InvoiceLike(Record, Protocol):
    """A ``payments.Invoice``: an invoice or a credit note."""

    @property
    def client(self) -> Record: ...

    @property
    def location(self) -> Place: ...

    @property
    def booking(self) -> Record | None: ...

    @property
    def corrects(self) -> Record | None: ...

    kind: str
    reference: str
    currency: str
    net_minor: int
    tax_minor: int
    total_minor: int
    issued_at: datetime | None


class FeeLike(Protocol):
    """A ``payments.Fee``: one per booking, so the booking names it."""

    @property
    def booking(self) -> Booking: ...

    @property
    def invoice(self) -> Record | None: ...

    @property
    def payment(self) -> Record | None: ...

    kind: str
    status: str
    amount_minor: int
    currency: str
    decided_at: datetime | None


def amount(minor: int, currency: str, name: str = "amount") -> dict[str, Any]:
    """``{"amount": "85.50", "amount_minor": 8550, "currency": "GBP"}``, as the API gives
    a service's price."""
    return {
        name: str(as_decimal(Money(minor, currency))),
        f"{name}_minor": minor,
        "currency": currency,
    }


def _id(record: Record | None) -> str | None:
    return str(record.public_id) if record is not None else None


def _place(location: Place) -> dict[str, str]:
    return {"id": str(location.public_id), "name": location.name}


def payment_event(payment: PaymentLike) -> int:
    """``payment.succeeded`` for money in, ``payment.refunded`` for money given back; sent
    when it went through (a card payment or refund waits for Stripe's answer)."""
    refund = payment.kind == "refund"

    def payload() -> dict[str, Any]:
        data: dict[str, Any] = {
            "refund" if refund else "payment": str(payment.public_id),
            "client": str(payment.client.public_id),
            "location": _place(payment.location),
            "invoice": _id(payment.invoice),
            "booking": _id(payment.booking),
            "purpose": payment.purpose,
            "method": payment.method,
            **amount(payment.amount_minor, payment.currency),
            "taken_at": utc(payment.taken_at),
        }
        if refund:
            data["payment"] = _id(payment.refund_of)
            data["to_credit"] = payment.method == "credit"
        return data

    event = Event.PAYMENT_REFUNDED if refund else Event.PAYMENT_SUCCEEDED
    return emit(payment.location.organisation_id, event, payload)


def invoice_issued(invoice: InvoiceLike) -> int:
    def payload() -> dict[str, Any]:
        issued_at = invoice.issued_at
        assert issued_at is not None
        return {
            "invoice": str(invoice.public_id),
            "kind": invoice.kind,
            "reference": invoice.reference,
            "client": str(invoice.client.public_id),
            "location": _place(invoice.location),
            "booking": _id(invoice.booking),
            "corrects": _id(invoice.corrects),
            **amount(invoice.net_minor, invoice.currency, "net"),
            **amount(invoice.tax_minor, invoice.currency, "tax"),
            **amount(invoice.total_minor, invoice.currency, "total"),
            "issued_at": utc(issued_at),
        }

    return emit(invoice.location.organisation_id, Event.INVOICE_ISSUED, payload)


def fee_event(fee: FeeLike) -> int:
    """``fee.charged`` (status ``charged``, or ``due`` when there was nothing to charge it
    to and it is owed on its invoice) or ``fee.waived``; never the reason, which may be
    clinical."""
    booking = fee.booking
    waived = fee.status == "waived"

    def payload() -> dict[str, Any]:
        decided_at = fee.decided_at
        assert decided_at is not None
        data: dict[str, Any] = {
            "booking": str(booking.public_id),
            "client": str(booking.client.public_id),
            "location": _place(booking.location),
            "kind": fee.kind,
            "status": fee.status,
            **amount(fee.amount_minor, fee.currency),
            "decided_at": utc(decided_at),
        }
        if not waived:
            data |= {"invoice": _id(fee.invoice), "payment": _id(fee.payment)}
        return data

    event = Event.FEE_WAIVED if waived else Event.FEE_CHARGED
    return emit(booking.location.organisation_id, event, payload)
