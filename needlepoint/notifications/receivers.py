"""The messages planned when something happens below (scheduling/signals.py and its
kind): connected in ``NotificationsConfig.ready``, run inside the sender's transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from needlepoint.notifications import planner
from needlepoint.scheduling import signals as scheduling
from needlepoint.scheduling.models import Booking, WaitlistOffer
from needlepoint.treatments import signals as treatments
from needlepoint.treatments.models import TreatmentSession


@receiver(scheduling.booking_created, dispatch_uid="notifications.booking_created")
def _booked(sender: Any, booking: Booking, now: datetime, **kwargs: Any) -> None:
    planner.plan_booking(booking, now=now)


@receiver(scheduling.booking_moved, dispatch_uid="notifications.booking_moved")
def _moved(sender: Any, booking: Booking, now: datetime, **kwargs: Any) -> None:
    planner.plan_booking(booking, now=now, moved=True)


@receiver(scheduling.booking_cancelled, dispatch_uid="notifications.booking_cancelled")
def _cancelled(sender: Any, booking: Booking, now: datetime, **kwargs: Any) -> None:
    planner.plan_cancellation(booking, now=now)


@receiver(scheduling.booking_no_show, dispatch_uid="notifications.booking_no_show")
def _no_show(sender: Any, booking: Booking, **kwargs: Any) -> None:
    planner.cancel_pending(f"booking:{booking.public_id}")


@receiver(scheduling.waitlist_offered, dispatch_uid="notifications.waitlist_offered")
def _offered(sender: Any, offer: WaitlistOffer, now: datetime, **kwargs: Any) -> None:
    planner.plan_offer(offer, now=now)


@receiver(treatments.session_completed, dispatch_uid="notifications.session_completed")
def _session_completed(sender: Any, session: TreatmentSession, **kwargs: Any) -> None:
    planner.plan_aftercare(session)
