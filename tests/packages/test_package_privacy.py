"""A client's packages in their data export and through erasure and the purge: the money
records stay, the free text goes, and nothing the package names blocks the purge."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from needlepoint.core.money import Money
from needlepoint.packages import services
from needlepoint.packages.models import Package
from needlepoint.payments.choices import Method
from needlepoint.privacy.erasure import erasure_request, purge_due
from needlepoint.privacy.export import client_data
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_check_in, booking_complete
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture
def package(clinic):
    face = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    with time_machine.travel(NOW, tick=False):
        return services.package_sell(
            client=client,
            sale=services.Sale(face, 3, Money(45000, "GBP"), 180),
            start_on=date(2026, 11, 24),
            method=Method.CASH,
            by=clinic.front_desk.user,
            now=NOW,
        )


def test_the_export_holds_the_clients_packages(package):
    first = Booking.objects.filter(course=package.course).order_by("starts_at").first()
    with time_machine.travel(first.starts_at, tick=False):
        booking_check_in(booking=first)
        booking_complete(booking=first)
        data = client_data(package.client)
    [exported] = data["packages"]
    assert exported["sessions"] == 3 and exported["used"] == 1
    assert exported["expires_on_as_sold"] == "2027-05-22"
    assert exported["redemptions"] == [{"session": 1, "value": exported["redemptions"][0]["value"]}]
    assert exported["invoice"] == package.invoice.reference


def test_erasure_keeps_the_package_drops_its_text_and_the_purge_gets_past_it(clinic, package):
    first = Booking.objects.filter(course=package.course).order_by("starts_at").first()
    with time_machine.travel(first.starts_at, tick=False):
        booking_check_in(booking=first)
        booking_complete(booking=first)
        services.package_void(package=package, reason="Alex moved to Leeds", by=None)
        erasure_request(package.client, by=clinic.owner.user, reason="Asked by email")
    package.refresh_from_db()
    assert package.end_reason == ""
    long_after = first.starts_at + timedelta(days=365 * 12)
    with time_machine.travel(long_after, tick=False):
        purged = purge_due(now=long_after)
    assert [c.pk for c in purged] == [package.client_id]
    assert Package.objects.filter(pk=package.pk).exists()
    assert Booking.objects.filter(pk=first.pk).exists()  # redeemed: part of the accounts
