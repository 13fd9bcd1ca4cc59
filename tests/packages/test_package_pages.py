"""Course packages through the staff pages: Settings → Packages, selling from the client
record, the package page and its endings, the panels on the client and the booking, and
the report with its CSV."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.core.money import Money
from needlepoint.packages import services
from needlepoint.packages.choices import PackageStatus
from needlepoint.packages.models import Package, PackageOffer
from needlepoint.payments.choices import Method
from needlepoint.scheduling.models import Booking
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def face(clinic):
    return factories.service(clinic.location)


@pytest.fixture
def offer(clinic, face):
    return services.offer_create(
        service=face,
        terms=services.OfferTerms("Acne scars × 3", 3, Money(45000, "GBP"), 180, True),
        by=clinic.owner.user,
    )


@pytest.fixture
def client(clinic):
    return factories.screened_client(clinic.organisation)


def test_a_manager_adds_and_changes_an_offer_in_settings(clinic, face):
    browser = factories.signed_in(clinic.manager)
    url = reverse("settings:package_offers")
    page = browser.post(
        url,
        {
            "service": face.pk,
            "name": "Acne scars × 3",
            "sessions": 3,
            "price": "£450.00",
            "valid_days": 180,
            "sold_online": "on",
            "is_active": "on",
        },
    )
    assert page.status_code == 302
    offer = PackageOffer.objects.get()
    assert (offer.price_minor, offer.sessions, offer.sold_online) == (45000, 3, True)
    edit = reverse("settings:package_offer", args=[offer.public_id])
    page = browser.post(
        edit,
        {"service": face.pk, "name": "Acne × 3", "sessions": 3, "price": "420", "valid_days": 90},
    )
    offer.refresh_from_db()
    assert (offer.name, offer.price_minor, offer.is_active) == ("Acne × 3", 42000, False)
    refused = browser.post(
        url,
        {"service": face.pk, "name": "Euro", "sessions": 3, "price": "€400", "valid_days": 90},
    )
    assert refused.status_code == 200
    assert "Amounts here are in GBP" in refused.content.decode()
    assert AuditEvent.objects.filter(target="package_offer").count() == 2
    listing = browser.get(url).content.decode()
    assert "Acne × 3" in listing and "£420.00" in listing


def test_the_front_desk_sells_a_course_from_the_client_record(clinic, offer, client):
    browser = factories.signed_in(clinic.front_desk)
    record = browser.get(reverse("clients:detail", args=[client.public_id])).content.decode()
    assert reverse("packages:sell", args=[client.public_id]) in record
    page = browser.post(
        reverse("packages:sell", args=[client.public_id]),
        {"offer": str(offer.public_id), "start_on": "2026-11-24", "method": Method.TERMINAL},
    )
    package = Package.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse(
        "packages:detail", args=[package.public_id]
    )
    detail = browser.get(page["Location"]).content.decode()
    assert "0 of 3 used, expires 22 May 2027" in detail
    record = browser.get(reverse("clients:detail", args=[client.public_id])).content.decode()
    assert "0 of 3 used, expires 22 May 2027" in record
    booking = Booking.objects.filter(course=package.course).first()
    shown = browser.get(reverse("scheduling:booking", args=[booking.public_id])).content.decode()
    assert "Course package" in shown and "0 of 3 used" in shown


def test_a_refused_sale_says_why_and_writes_nothing(clinic, offer):
    someone = factories.client(clinic.organisation)  # no medical history
    browser = factories.signed_in(clinic.front_desk)
    page = browser.post(
        reverse("packages:sell", args=[someone.public_id]),
        {"offer": str(offer.public_id), "start_on": "2026-11-24", "method": Method.CASH},
    )
    assert page.status_code == 200
    assert "medical history" in page.content.decode()
    assert not Package.objects.exists() and not Booking.objects.exists()


def sold(clinic, offer, client) -> Package:
    return services.package_sell(
        client=client,
        sale=services.Sale.of(offer),
        start_on=date(2026, 11, 24),
        method=Method.CASH,
        by=clinic.front_desk.user,
        now=NOW,
    )


def test_a_manager_voids_and_the_front_desk_may_not(clinic, offer, client):
    package = sold(clinic, offer, client)
    url = reverse("packages:void", args=[package.public_id])
    assert factories.signed_in(clinic.front_desk).post(url, {"reason": "x"}).status_code == 403
    browser = factories.signed_in(clinic.manager)
    page = browser.post(url, {"reason": ""})
    assert page.status_code == 200 and "This field is required" in page.content.decode()
    page = browser.post(url, {"reason": "Sold in error"})
    package.refresh_from_db()
    assert page.status_code == 302 and package.status == PackageStatus.VOIDED


def test_a_transfer_through_the_page_needs_the_tick(clinic, offer, client):
    package = sold(clinic, offer, client)
    other = factories.screened_client(clinic.organisation)
    browser = factories.signed_in(clinic.manager)
    url = reverse("packages:transfer", args=[package.public_id])
    page = browser.post(url, {"to": str(other.public_id)})
    assert "Record that the client agreed" in page.content.decode()
    page = browser.post(url, {"to": "nobody@example.test", "client_agreed": "on"})
    assert "No client of the clinic has that email address" in page.content.decode()
    page = browser.post(url, {"to": other.email.upper(), "client_agreed": "on"})
    received = Package.objects.get(client=other)
    assert page["Location"] == reverse("packages:detail", args=[received.public_id])


def test_credit_through_the_page(clinic, offer, client):
    package = sold(clinic, offer, client)
    browser = factories.signed_in(clinic.owner)
    page = browser.post(
        reverse("packages:credit", args=[package.public_id]),
        {"percent": 80, "reason": "Moving away"},
    )
    assert page.status_code == 302
    package.refresh_from_db()
    assert (package.status, package.end_amount_minor) == (PackageStatus.CREDITED, 36000)


def test_the_report_shows_sold_and_liability_and_its_csv_adds_up(clinic, offer, client):
    sold(clinic, offer, client)
    browser = factories.signed_in(clinic.owner)
    query = "?start=2026-11-01&end=2026-11-30"
    page = browser.get(reverse("packages:report") + query).content.decode()
    assert "£450.00" in page
    assert reverse("packages:report") in browser.get(reverse("reports:index")).content.decode()
    response = browser.get(reverse("packages:report_csv") + query)
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows == [
        {
            "from": "2026-11-01",
            "to": "2026-11-30",
            "currency": "GBP",
            "sold": "1",
            "sold_minor": "45000",
            "redeemed": "0",
            "redeemed_minor": "0",
            "expired": "0",
            "breakage_minor": "0",
            "outstanding_sessions_now": "3",
            "liability_minor_now": "45000",
        }
    ]


def test_the_package_page_lists_the_instalments(clinic, offer, client):
    from needlepoint.payments.models import SavedCard

    SavedCard.objects.create(
        client=client, stripe_customer="cus_1", stripe_payment_method="pm_1", saved_at=NOW
    )
    browser = factories.signed_in(clinic.front_desk)
    page = browser.post(
        reverse("packages:sell", args=[client.public_id]),
        {"offer": str(offer.public_id), "start_on": "2026-11-24", "method": "instalments"},
    )
    assert "Say in how many instalments" in page.content.decode()
    page = browser.post(
        reverse("packages:sell", args=[client.public_id]),
        {
            "offer": str(offer.public_id),
            "start_on": "2026-11-24",
            "method": "instalments",
            "instalments": 3,
        },
    )
    detail = browser.get(page["Location"]).content.decode()
    assert "Instalments on the saved card" in detail
    assert detail.count("£150.00 · Scheduled") == 3


def test_a_course_of_the_clinics_own_terms_is_sold_from_the_page(clinic, face, client):
    browser = factories.signed_in(clinic.front_desk)
    url = reverse("packages:sell", args=[client.public_id])
    page = browser.post(url, {"offer": "", "start_on": "2026-11-24", "method": Method.CASH})
    assert "Choose a course on sale, or give this." in page.content.decode()
    browser.post(
        url,
        {
            "offer": "",
            "service": face.pk,
            "sessions": 2,
            "price": "300",
            "valid_days": 60,
            "start_on": "2026-11-24",
            "method": Method.CASH,
        },
    )
    package = Package.objects.get()
    assert (package.sessions, package.price_minor, package.offer) == (2, 30000, None)
    assert package.expires_on == date(2027, 1, 22)
