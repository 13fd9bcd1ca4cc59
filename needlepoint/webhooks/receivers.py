"""The deliveries written when something happens below (scheduling/signals.py and its
kind): connected in ``WebhooksConfig.ready``, run inside the sender's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from needlepoint.clients import signals as clients
from needlepoint.clients.models import Screening
from needlepoint.scheduling import signals as scheduling
from needlepoint.scheduling.models import Booking
from needlepoint.treatments import signals as treatments
from needlepoint.treatments.models import TreatmentSession
from needlepoint.webhooks import events


@receiver(scheduling.booking_created, dispatch_uid="webhooks.booking_created")
def _booked(sender: Any, booking: Booking, **kwargs: Any) -> None:
    events.booking_created(booking)


@receiver(scheduling.booking_moved, dispatch_uid="webhooks.booking_moved")
def _moved(sender: Any, booking: Booking, previous_starts_at: datetime, **kwargs: Any) -> None:
    events.booking_changed(
        booking, "rescheduled", previous_starts_at=events.utc(previous_starts_at)
    )


@receiver(scheduling.booking_cancelled, dispatch_uid="webhooks.booking_cancelled")
def _cancelled(sender: Any, booking: Booking, **kwargs: Any) -> None:
    events.booking_cancelled(booking)


@receiver(scheduling.booking_checked_in, dispatch_uid="webhooks.booking_checked_in")
def _checked_in(sender: Any, booking: Booking, **kwargs: Any) -> None:
    events.booking_changed(booking, "checked_in")


@receiver(scheduling.booking_no_show, dispatch_uid="webhooks.booking_no_show")
def _no_show(sender: Any, booking: Booking, **kwargs: Any) -> None:
    events.booking_changed(booking, "no_show")


@receiver(scheduling.booking_completed, dispatch_uid="webhooks.booking_completed")
def _completed(sender: Any, booking: Booking, **kwargs: Any) -> None:
    events.booking_changed(booking, "completed")


@receiver(treatments.session_completed, dispatch_uid="webhooks.session_completed")
def _session_completed(sender: Any, session: TreatmentSession, **kwargs: Any) -> None:
    events.session_completed(session)


@receiver(clients.client_screened, dispatch_uid="webhooks.client_screened")
def _screened(sender: Any, screening: Screening, **kwargs: Any) -> None:
    events.client_screened(screening)
