"""Sessions are redeemed once when many try at once (real threads, each with its own
connection, on SQLite and PostgreSQL): the last session of a package goes to exactly one
booking, every other attempt is refused cleanly, and nothing crashes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from needlepoint.core.money import Money
from needlepoint.packages import services
from needlepoint.packages.choices import PackageStatus
from needlepoint.packages.models import Package, Redemption
from needlepoint.payments.choices import Method
from needlepoint.scheduling.models import Booking
from tests import factories
from tests.payments.test_races import race

pytestmark = [pytest.mark.django_db(transaction=True)]
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


def test_the_last_session_is_redeemed_once_whoever_asks_first(clinic):
    face = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    with time_machine.travel(NOW, tick=False):
        package = services.package_sell(
            client=client,
            sale=services.Sale(face, 1, Money(18000, "GBP"), 180),
            start_on=date(2026, 11, 24),
            method=Method.CASH,
            by=None,
            now=NOW,
        )
    planned = Booking.objects.get(course=package.course)
    # a second visit in the same plan (as a clash of two desks might leave it)
    other = factories.booked_treatment(clinic, planned.starts_at + timedelta(days=35))
    Booking.objects.filter(pk=other.pk).update(course=package.course)
    bookings = [planned, Booking.objects.get(pk=other.pk)] * 5

    done, refused, crashed = race(
        [lambda b=b: services.package_redeem(booking=b, now=NOW) for b in bookings]
    )

    assert crashed == []
    package = Package.objects.get(pk=package.pk)
    assert (package.used, package.status) == (1, PackageStatus.USED_UP)
    assert Redemption.objects.filter(package=package).count() == 1
    winner = Redemption.objects.get(package=package).booking_id
    assert all(r is None or r.booking_id == winner for r in done)
    assert len(done) + len(refused) == 10
    assert {error.code for error in refused} <= {"package_used_up"}


def test_one_visit_completed_twice_at_once_takes_one_session(clinic):
    face = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    with time_machine.travel(NOW, tick=False):
        package = services.package_sell(
            client=client,
            sale=services.Sale(face, 3, Money(45000, "GBP"), 180),
            start_on=date(2026, 11, 24),
            method=Method.CASH,
            by=None,
            now=NOW,
        )
    first = Booking.objects.filter(course=package.course).order_by("starts_at").first()

    done, refused, crashed = race([lambda: services.package_redeem(booking=first, now=NOW)] * 10)

    assert crashed == [] and refused == []
    assert len({redemption.pk for redemption in done}) == 1
    package = Package.objects.get(pk=package.pk)
    assert package.used == 1 and package.redemptions.count() == 1
