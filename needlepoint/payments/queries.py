"""Reading money: a location's day of payments, a client's balances."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from needlepoint.clinics.models import Location
from needlepoint.payments.models import Payment


def day_bounds(location: Location, day: date) -> tuple[datetime, datetime]:
    """The location's local day as a UTC range (23 or 25 hours on the clock-change days)."""
    zone = ZoneInfo(location.time_zone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def day_payments(location: Location, day: date) -> QuerySet[Payment]:
    start, end = day_bounds(location, day)
    return Payment.objects.filter(location=location, taken_at__gte=start, taken_at__lt=end)
