"""Reads of memberships: a client's, what a membership page shows, and the report. Every
read starts from the organisation's (or the client's) scope."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location
from needlepoint.memberships import services
from needlepoint.memberships.choices import LIVE, MembershipStatus
from needlepoint.memberships.models import Membership, MembershipPeriod, MembershipPlan
from needlepoint.payments import services as money
from needlepoint.payments.choices import PaymentKind, PaymentStatus, Purpose
from needlepoint.payments.models import Payment, ScheduledCharge
from needlepoint.scheduling.models import Booking

ENDED = (MembershipStatus.CANCELLED, MembershipStatus.LAPSED)


def plans_for(locations: Iterable[Location]) -> QuerySet[MembershipPlan]:
    return MembershipPlan.objects.filter(location__in=list(locations)).select_related(
        "location", "included_service"
    )


def plans_sold_online(location: Location) -> QuerySet[MembershipPlan]:
    return plans_for([location]).filter(active=True, sold_online=True).order_by("price_minor")


@dataclass(frozen=True)
class MemberView:
    """A membership as the client page, the portal and the booking page show it."""

    membership: Membership
    used: int  # included sessions used in the window holding ``today``
    left: int
    next_charge: ScheduledCharge | None
    next_charge_on: date | None


def member_view(membership: Membership, today: date) -> MemberView:
    used = 0
    if membership.included_sessions:
        window = services.window_for(membership, max(today, membership.started_on))
        used = membership.uses.filter(period=window).count()
    charge = (
        ScheduledCharge.objects.filter(
            pk__in=membership.periods.exclude(charge=None).values("charge"),
            status__in=("scheduled", "retrying"),
        )
        .order_by("due_on")
        .first()
    )
    following = None
    if membership.is_live and not membership.cancel_at_period_end and charge is None:
        following = membership.period_end + timedelta(days=1)
    return MemberView(
        membership=membership,
        used=used,
        left=max(membership.included_sessions - used, 0),
        next_charge=charge,
        next_charge_on=charge.next_try_at.astimezone(membership.location.zone).date()
        if charge
        else following,
    )


def client_memberships(client: Client, today: date) -> list[MemberView]:
    """The client's memberships, live first, each with this window's sessions used."""
    rows = client.memberships.select_related("location", "plan", "included_service")
    ordered = sorted(rows, key=lambda m: (not m.is_live, -m.pk))
    return [member_view(membership, today) for membership in ordered]


def live_memberships(client: Client) -> QuerySet[Membership]:
    return client.memberships.filter(status__in=LIVE).select_related("location", "included_service")


def booking_membership(booking: Booking) -> tuple[Membership, str] | None:
    """The client's membership that prices this booking, and what it gives it."""
    offer = services.price_offered(booking)
    member = live_memberships(booking.client).filter(location_id=booking.location_id).first()
    if member is None:
        return None
    return member, offer.description if offer is not None else ""


@dataclass(frozen=True)
class PeriodRow:
    period: MembershipPeriod
    balance: int
    tries: list[Payment]


def period_rows(membership: Membership) -> list[PeriodRow]:
    """Each period, newest first, with its invoice's balance and each try of its card."""
    rows = []
    for period in membership.periods.select_related("invoice", "charge", "payment").order_by(
        "-number"
    ):
        tries = Payment.objects.filter(invoice=period.invoice, kind=PaymentKind.PAYMENT).order_by(
            "taken_at", "pk"
        )
        rows.append(PeriodRow(period, money.balance(period.invoice), list(tries)))
    return rows


def memberships_for(organisation_id: int, locations: Iterable[Location]) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation_id=organisation_id, location__in=list(locations)
    ).select_related("client", "location", "plan")


# ---- the report -------------------------------------------------------------------------


@dataclass
class Month:
    """One calendar month of the report."""

    starts_on: date
    new: int = 0
    churned: int = 0
    failed_payments: int = 0
    revenue: int = 0


@dataclass
class Figures:
    active: int = 0  # live on the last day of the range
    new: int = 0
    cancelled: int = 0
    lapsed: int = 0
    failed_payments: int = 0
    revenue: int = 0  # membership payments less their refunds, in the range
    months: list[Month] = field(default_factory=list)

    @property
    def churned(self) -> int:
        return self.cancelled + self.lapsed


def _instants(location: Location, start: date, end: date) -> tuple[datetime, datetime]:
    zone = location.zone
    return (
        datetime.combine(start, time(), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=zone),
    )


def figures(organisation_id: int, locations: Sequence[Location], start: date, end: date) -> Figures:
    """Memberships in ``locations`` from ``start`` to ``end`` (days in each location's
    calendar): active at the end, new, churned (cancelled and lapsed), failed card
    payments and revenue, in total and by calendar month."""
    result = Figures()
    months: dict[date, Month] = {}
    day = start.replace(day=1)
    while day <= end:
        months[day] = Month(day)
        day = (day + timedelta(days=32)).replace(day=1)
    for location in locations:
        _add_location(result, months, organisation_id, location, start, end)
    result.months = list(months.values())
    return result


def _add_location(
    result: Figures,
    months: dict[date, Month],
    organisation_id: int,
    location: Location,
    start: date,
    end: date,
) -> None:
    here = Membership.objects.filter(organisation_id=organisation_id, location=location)
    result.active += (
        here.filter(started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=end))
        .count()
    )
    for started in here.filter(started_on__range=(start, end)).values_list("started_on", flat=True):
        result.new += 1
        months[started.replace(day=1)].new += 1
    for status, ended in here.filter(status__in=ENDED, ended_on__range=(start, end)).values_list(
        "status", "ended_on"
    ):
        if status == MembershipStatus.CANCELLED:
            result.cancelled += 1
        else:
            result.lapsed += 1
        if ended is not None:  # always, in the range filtered on
            months[ended.replace(day=1)].churned += 1
    first, last = _instants(location, start, end)
    payments = Payment.objects.filter(
        organisation_id=organisation_id,
        location=location,
        purpose=Purpose.MEMBERSHIP,
        taken_at__gte=first,
        taken_at__lt=last,
    )
    zone = location.zone
    for payment in payments.filter(status__in=(PaymentStatus.SUCCEEDED, PaymentStatus.FAILED)):
        month = months[payment.taken_at.astimezone(zone).date().replace(day=1)]
        if payment.status == PaymentStatus.FAILED:
            result.failed_payments += 1
            month.failed_payments += 1
            continue
        sign = 1 if payment.kind == PaymentKind.PAYMENT else -1
        result.revenue += sign * payment.amount_minor
        month.revenue += sign * payment.amount_minor
