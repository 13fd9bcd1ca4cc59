"""What money does when something happens below: connected in ``PaymentsConfig.ready``,
run inside the sender's transaction. Anything for Stripe is written as a pending row here
and carried out by the worker after the commit (services.send_due)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from needlepoint.clients import signals as clients
from needlepoint.clients.choices import ScreeningOutcome
from needlepoint.clients.models import Screening
from needlepoint.payments import services
from needlepoint.scheduling import signals as scheduling
from needlepoint.scheduling.models import Booking


@receiver(scheduling.booking_no_show, dispatch_uid="payments.booking_no_show")
def _no_show(sender: Any, booking: Booking, **kwargs: Any) -> None:
    services.fee_open(booking=booking)


@receiver(scheduling.booking_cancelled, dispatch_uid="payments.booking_cancelled")
def _cancelled(sender: Any, booking: Booking, now: Any = None, **kwargs: Any) -> None:
    if services.fee_kind_for(booking) is None:
        services.deposit_return(booking=booking, now=now)
    else:
        services.fee_open(booking=booking, now=now)


@receiver(clients.client_screened, dispatch_uid="payments.client_screened")
def _screened(sender: Any, screening: Screening, **kwargs: Any) -> None:
    """Money follows the clinical decision: a deferral or a decline gives back the deposits
    of the visits it stops, and no fee can follow them."""
    if screening.outcome not in (ScreeningOutcome.DEFERRED, ScreeningOutcome.DECLINED):
        return
    reason = screening.get_outcome_display()
    for booking in services.bookings_stopped_by(screening, timezone.now()):
        services.clinical_release(booking=booking, reason=reason, by=None)
