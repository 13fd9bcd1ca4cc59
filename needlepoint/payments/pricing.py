"""What a booking's treatment costs its client. Apps above payments (packages, memberships)
answer ``booking_priced`` with a ``Price`` when they cover or discount the treatment; the
lowest answer wins, and with none the service's own price stands. A receiver only reads:
it records nothing (what it covers is recorded when the session is done)."""

from __future__ import annotations

from dataclasses import dataclass

from django.dispatch import Signal

from needlepoint.scheduling.models import Booking

booking_priced = Signal()  # booking -> Price | None


@dataclass(frozen=True)
class Price:
    description: str
    unit_minor: int


def price_for(booking: Booking) -> Price:
    service = booking.service
    prices = [Price(service.name, service.price_minor)]
    for _, answer in booking_priced.send(sender=Booking, booking=booking):
        if isinstance(answer, Price):
            prices.append(answer)
    return min(prices, key=lambda price: price.unit_minor)
