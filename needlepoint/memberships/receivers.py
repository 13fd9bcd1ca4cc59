"""What memberships do when something happens below: connected in
``MembershipsConfig.ready``, run inside the sender's transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from needlepoint.memberships import services
from needlepoint.payments import signals as payments
from needlepoint.payments.models import ScheduledCharge
from needlepoint.payments.pricing import Price, booking_priced
from needlepoint.scheduling import signals as scheduling
from needlepoint.scheduling.models import Booking


@receiver(booking_priced, dispatch_uid="memberships.booking_priced")
def _priced(sender: Any, booking: Booking, **kwargs: Any) -> Price | None:
    """An included session left, or the member's discount: read only."""
    return services.price_offered(booking)


@receiver(scheduling.booking_completed, dispatch_uid="memberships.booking_completed")
def _completed(sender: Any, booking: Booking, **kwargs: Any) -> None:
    services.use_record(booking=booking)


@receiver(payments.charge_paid, dispatch_uid="memberships.charge_paid")
def _charge_paid(sender: Any, charge: ScheduledCharge, **kwargs: Any) -> None:
    services.charge_paid(charge=charge)


@receiver(payments.charge_retrying, dispatch_uid="memberships.charge_retrying")
def _charge_retrying(sender: Any, charge: ScheduledCharge, **kwargs: Any) -> None:
    services.charge_refused(charge=charge, final=False)


@receiver(payments.charge_failed, dispatch_uid="memberships.charge_failed")
def _charge_failed(sender: Any, charge: ScheduledCharge, **kwargs: Any) -> None:
    services.charge_refused(charge=charge, final=True)
