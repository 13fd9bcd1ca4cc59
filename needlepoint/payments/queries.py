"""Reading money: a location's day of payments, what to check against Stripe, balances
worked out by the database, the takings of a range of days, deposits held and account
credit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    BigIntegerField,
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate

from needlepoint.clinics.models import Location, Organisation
from needlepoint.payments.choices import (
    FeeStatus,
    InvoiceStatus,
    PaymentKind,
    PaymentStatus,
    Purpose,
)
from needlepoint.payments.models import CreditEntry, Fee, Invoice, InvoiceLine, Payment, StripeEvent
from needlepoint.payments.stripe_events import TO_CHECK
from needlepoint.scheduling.choices import BookingStatus

COUNTED = (PaymentStatus.SUCCEEDED, PaymentStatus.PENDING, PaymentStatus.UNKNOWN)
"""What a balance counts: money that went through or is on its way (services.COUNTED)."""
HOLDING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
"""A booking whose deposit the clinic still holds: the visit hasn't happened nor been
called off."""


def day_bounds(location: Location, day: date) -> tuple[datetime, datetime]:
    """The location's local day as a UTC range (23 or 25 hours on the clock-change days)."""
    zone = ZoneInfo(location.time_zone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def days_bounds(location: Location, first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of the location's ``first`` day to the end of its ``last``."""
    return day_bounds(location, first)[0], day_bounds(location, last)[1]


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


def _sum(rows: QuerySet[Any], per: str, field: str = "amount_minor") -> Coalesce:
    """A correlated sum of ``field`` over ``rows`` (filtered on an OuterRef), zero if none."""
    summed = rows.order_by().values(per).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(summed, output_field=BigIntegerField()), Value(0))


def with_balance(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Each invoice with ``paid_minor``, ``credited_minor`` and ``balance_minor``, worked out
    in the same query, as ``services.paid``, ``credited`` and ``balance`` do for one."""
    counted = Payment.objects.filter(status__in=COUNTED)
    refunds = counted.filter(kind=PaymentKind.REFUND)
    paid_in = _sum(counted.filter(invoice=OuterRef("pk"), kind=PaymentKind.PAYMENT), "invoice")
    refunded = _sum(refunds.filter(invoice=OuterRef("pk")), "invoice")
    # a refund of one of its payments recorded without the invoice (or on another)
    refunded_apart = _sum(
        refunds.filter(refund_of__invoice=OuterRef("pk")).exclude(invoice=OuterRef("pk")),
        "refund_of__invoice",
    )
    credited = _sum(
        Invoice.objects.filter(corrects=OuterRef("pk"), status=InvoiceStatus.ISSUED),
        "corrects",
        "total_minor",
    )
    lines = _sum(InvoiceLine.objects.filter(invoice=OuterRef("pk")), "invoice", "gross_minor")
    return invoices.annotate(
        paid_minor=paid_in - refunded - refunded_apart,
        credited_minor=credited,
        balance_minor=Case(
            When(
                status=InvoiceStatus.ISSUED,
                then=F("total_minor") - F("credited_minor") - F("paid_minor"),
            ),
            default=lines - F("paid_minor"),
            output_field=BigIntegerField(),
        ),
    )


def takings_by_day(location: Location, first: date, last: date) -> dict[tuple[date, str, str], int]:
    """Money that went through at the location from its ``first`` to its ``last`` day, by
    the location's calendar day, method and kind (payment or refund): one grouped query."""
    start, end = days_bounds(location, first, last)
    rows = (
        Payment.objects.filter(
            location=location,
            status=PaymentStatus.SUCCEEDED,
            taken_at__gte=start,
            taken_at__lt=end,
        )
        .annotate(day=TruncDate("taken_at", tzinfo=location.zone))
        .order_by()
        .values("day", "method", "kind")
        .annotate(total=Sum("amount_minor"))
    )
    return {(row["day"], row["method"], row["kind"]): int(row["total"]) for row in rows}


def held_deposits(locations: Iterable[Location]) -> QuerySet[Payment]:
    """Deposits that went through, are not all given back, and whose visit is still to come
    (booked or checked in): each with ``refunded_minor`` and ``held_minor``."""
    refunded = _sum(
        Payment.objects.filter(
            refund_of=OuterRef("pk"), kind=PaymentKind.REFUND, status__in=COUNTED
        ),
        "refund_of",
    )
    return (
        Payment.objects.filter(
            location__in=list(locations),
            kind=PaymentKind.PAYMENT,
            purpose=Purpose.DEPOSIT,
            status=PaymentStatus.SUCCEEDED,
            booking__status__in=HOLDING,
        )
        .annotate(refunded_minor=refunded)
        .annotate(held_minor=F("amount_minor") - F("refunded_minor"))
        .filter(held_minor__gt=0)
    )


def credit_balances(organisation_id: int) -> QuerySet[CreditEntry, dict[str, Any]]:
    """Each client of the organisation holding account credit, with ``balance``: one query."""
    return (
        CreditEntry.objects.filter(client__organisation_id=organisation_id)
        .order_by()
        .values("client_id", "client__public_id", "client__first_name", "client__last_name")
        .annotate(balance=Sum("amount_minor"))
        .filter(balance__gt=0)
    )
