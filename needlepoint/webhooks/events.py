"""Telling subscribers what happened: one delivery row per subscribed URL, in the change's
own transaction, so a change and its webhooks are written together or not at all.

Payloads carry identifiers and the facts the event is about, never names, contact
details or medical answers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

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
            subscription_id=subscription_id,
            event=event,
            payload=data,
            next_attempt_at=now,
            created_at=now,
        )
        for subscription_id in wanted
    )
    transaction.on_commit(wake_the_worker)
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
    """Queue the delivery task now, so subscribers hear within seconds, not at the next tick."""
    from needlepoint.webhooks.tasks import deliver_due_webhooks  # it sends: imported late

    deliver_due_webhooks.enqueue()


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
