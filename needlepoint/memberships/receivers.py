"""What memberships do when something happens below: connected in
``MembershipsConfig.ready``, run inside the sender's transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from needlepoint.memberships import services
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
