"""Reading packages: a client's packages with their effective expiry, a booking's package,
and the report (sold, redeemed, outstanding liability, breakage per period)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation
from needlepoint.packages import services
from needlepoint.packages.choices import PackageStatus
from needlepoint.packages.models import Package, PackageOffer, Redemption
from needlepoint.scheduling.models import Booking, Service


@dataclass(frozen=True)
class PackageRow:
    package: Package
    expires: date
    paid: int
    liability: int

    @property
    def is_open(self) -> bool:
        return self.package.status == PackageStatus.ACTIVE


def row(package: Package, now: datetime | None = None) -> PackageRow:
    today = services.local_today(package, now or timezone.now())
    return PackageRow(
        package=package,
        expires=services.effective_expiry(package, today),
        paid=services.paid(package),
        liability=services.liability(package),
    )


def client_packages(client: Client, now: datetime | None = None) -> list[PackageRow]:
    packages = Package.objects.filter(client=client).select_related(
        "service__location", "course", "invoice", "client"
    )
    return [row(package, now) for package in packages]


def booking_package(booking: Booking, now: datetime | None = None) -> PackageRow | None:
    package = services.package_of(booking)
    return row(package, now) if package is not None else None


def visible_packages(locations: Iterable[Location]) -> QuerySet[Package]:
    return Package.objects.filter(service__location__in=list(locations)).select_related(
        "client", "service__location", "course", "invoice"
    )


def offers_of(organisation: Organisation) -> QuerySet[PackageOffer]:
    return PackageOffer.objects.filter(service__location__organisation=organisation).select_related(
        "service__location"
    )


def online_offers(service: Service) -> QuerySet[PackageOffer]:
    return PackageOffer.objects.filter(service=service, sold_online=True, is_active=True)


# ---- the report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    sold: int
    sold_minor: int
    redeemed: int
    redeemed_minor: int
    expired: int
    breakage_minor: int


@dataclass(frozen=True)
class Report:
    currency: str
    periods: list[Period]
    outstanding_sessions: int
    liability_minor: int
    breakage_minor: int


def months(start: date, end: date) -> list[tuple[date, date]]:
    spans = []
    first = start.replace(day=1)
    while first <= end:
        following = (first + timedelta(days=32)).replace(day=1)
        spans.append((max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return spans


def report(
    organisation: Organisation, locations: Iterable[Location], start: date, end: date
) -> Report:
    """Per month from ``start`` to ``end``: packages sold (and for how much), sessions
    redeemed (and their value), packages expired (and their breakage); with today's
    outstanding liability: sessions paid for but not given."""
    packages = list(
        Package.objects.filter(
            client__organisation=organisation, service__location__in=list(locations)
        ).select_related("invoice", "service__location")
    )
    redemptions = list(
        Redemption.objects.filter(
            package__client__organisation=organisation,
            package__service__location__in=list(locations),
        ).select_related("package__service__location")
    )

    def day(moment: datetime, location: Location) -> date:
        return moment.astimezone(location.zone).date()

    periods = []
    for first, last in months(start, end):
        sold = [
            p
            for p in packages
            if p.transferred_from_id is None and first <= day(p.sold_at, p.service.location) <= last
        ]
        given = [r for r in redemptions if first <= day(r.at, r.package.service.location) <= last]
        expired = [
            p
            for p in packages
            if p.status == PackageStatus.EXPIRED
            and p.ended_at
            and first <= day(p.ended_at, p.service.location) <= last
        ]
        periods.append(
            Period(
                start=first,
                end=last,
                sold=len(sold),
                sold_minor=sum(p.price_minor for p in sold),
                redeemed=len(given),
                redeemed_minor=sum(r.value_minor for r in given),
                expired=len(expired),
                breakage_minor=sum(services.breakage(p) for p in expired),
            )
        )
    open_packages = [p for p in packages if p.status == PackageStatus.ACTIVE]
    return Report(
        currency=organisation.currency,
        periods=periods,
        outstanding_sessions=sum(p.left for p in open_packages),
        liability_minor=sum(services.liability(p) for p in packages),
        breakage_minor=sum(services.breakage(p) for p in packages),
    )
