"""What packages do when something happens below: connected in ``PackagesConfig.ready``,
run inside the sender's transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from needlepoint.clients import signals as clients
from needlepoint.clients.models import Screening
from needlepoint.packages import services
from needlepoint.payments.pricing import Price, booking_priced
from needlepoint.scheduling import signals as scheduling
from needlepoint.scheduling.models import Booking
from needlepoint.treatments import signals as treatments
from needlepoint.treatments.models import AdverseEvent


@receiver(scheduling.booking_created, dispatch_uid="packages.booking_created")
def _booked(sender: Any, booking: Booking, **kwargs: Any) -> None:
    services.package_claim(booking)
    services.booking_refused(booking)


@receiver(scheduling.booking_completed, dispatch_uid="packages.booking_completed")
def _completed(sender: Any, booking: Booking, **kwargs: Any) -> None:
    services.package_redeem(booking=booking)


@receiver(booking_priced, dispatch_uid="packages.booking_priced")
def _priced(sender: Any, booking: Booking, **kwargs: Any) -> Price | None:
    answer = services.booking_price(booking)
    return Price(*answer) if answer else None


@receiver(clients.client_screened, dispatch_uid="packages.client_screened")
def _screened(sender: Any, screening: Screening, **kwargs: Any) -> None:
    services.screening_pauses(screening)


@receiver(treatments.adverse_event_recorded, dispatch_uid="packages.adverse_event_recorded")
@receiver(treatments.adverse_event_resolved, dispatch_uid="packages.adverse_event_resolved")
def _adverse_event(sender: Any, event: AdverseEvent, **kwargs: Any) -> None:
    services.adverse_event_pauses(event)
