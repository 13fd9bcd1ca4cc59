"""Reading money: a location's day of payments, what to check against Stripe."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from needlepoint.clinics.models import Location, Organisation
from needlepoint.payments.choices import FeeStatus, PaymentStatus
from needlepoint.payments.models import Fee, Payment, StripeEvent
from needlepoint.payments.stripe_events import TO_CHECK


def day_bounds(location: Location, day: date) -> tuple[datetime, datetime]:
    """The location's local day as a UTC range (23 or 25 hours on the clock-change days)."""
    zone = ZoneInfo(location.time_zone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def day_payments(location: Location, day: date) -> QuerySet[Payment]:
    start, end = day_bounds(location, day)
    return Payment.objects.filter(location=location, taken_at__gte=start, taken_at__lt=end)


@dataclass(frozen=True)
class ToCheck:
    """What a person should look at in Stripe's dashboard: card payments and refunds whose
    outcome we don't know, and Stripe's events that matched nothing of ours or disagreed."""

    payments: list[Payment]
    events: list[StripeEvent]

    def __bool__(self) -> bool:
        return bool(self.payments or self.events)


def to_check(organisation: Organisation) -> ToCheck:
    payments = Payment.objects.filter(organisation=organisation, status=PaymentStatus.UNKNOWN)
    events = StripeEvent.objects.filter(organisation=organisation).filter(
        reduce(or_, (Q(outcome__startswith=start) for start in TO_CHECK))
    )
    return ToCheck(
        payments=list(payments.select_related("client").order_by("taken_at", "pk")),
        events=list(events.order_by("received_at", "pk")),
    )


def fees_charged_automatically() -> list[Fee]:
    """Fees still to charge at locations whose policy charges them without a person."""
    rows = Fee.objects.filter(
        status=FeeStatus.PENDING,
        booking__location__payment_policy__charge_fees_automatically=True,
    )
    return list(rows.select_related("booking").order_by("created_at", "pk"))
