"""The demo clinic is believable and loads only once."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from needlepoint.clients.models import Client
from needlepoint.clinics import demo
from needlepoint.clinics.models import Device, Organisation, Room, StaffMember
from needlepoint.packages.models import Package, PackageOffer
from needlepoint.treatments.models import TreatmentSession


@pytest.fixture(autouse=True)
def _an_ordinary_day():
    """The demo is laid out around today: a fixed day, so its courses always find free
    times (in late December the clinic's holiday closure leaves the demo none)."""
    with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        yield


def test_the_demo_clinic_has_the_promised_team_rooms_devices_and_clients(db):
    output = StringIO()
    call_command("demo", "--force", stdout=output)
    assert demo.OWNER_EMAIL in output.getvalue() and demo.PASSWORD in output.getvalue()
    organisation = Organisation.objects.get(slug=demo.ORGANISATION_SLUG)
    roles = Counter(
        StaffMember.objects.filter(organisation=organisation).values_list("role", flat=True)
    )
    assert roles["practitioner"] == 3 and roles["owner"] == 1
    assert Room.objects.filter(location__organisation=organisation).count() == 2
    kinds = Counter(
        Device.objects.filter(location__organisation=organisation).values_list("kind", flat=True)
    )
    assert kinds == {"pen": 3, "roller": 1}
    assert Client.objects.filter(organisation=organisation).count() == 40
    offers = PackageOffer.objects.filter(service__location__organisation=organisation)
    assert offers.count() == 2 and offers.filter(sold_online=True).count() == 1
    assert Package.objects.filter(client__organisation=organisation).exists()
    hours = {
        (h.weekday, h.opens.hour, h.closes.hour)
        for h in organisation.locations.get().opening_hours.all()
    }
    assert hours == {*((day, 9, 18) for day in range(5)), (5, 11, 15)}


def test_the_demo_has_varied_histories(db):
    call_command("demo", "--force", stdout=StringIO())
    outcomes = Counter(
        client.screenings.order_by("-created_at").values_list("outcome", flat=True)[0]
        for client in Client.objects.all()
    )
    assert outcomes["cleared"] >= 20
    assert outcomes["deferred"] >= 5 and outcomes["needs_review"] >= 3 and outcomes["declined"] >= 2
    mid_course = {session.client_id for session in TreatmentSession.objects.all()}
    assert len(mid_course) >= 8


def test_loading_the_demo_twice_changes_nothing(db):
    call_command("demo", "--force", stdout=StringIO())
    again = StringIO()
    call_command("demo", "--force", stdout=again)
    assert "Already loaded" in again.getvalue()
    assert Organisation.objects.count() == 1
    assert Client.objects.count() == 40


def test_the_demo_refuses_a_production_database_unless_forced(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="well-known passwords"):
        call_command("demo", stdout=StringIO())  # tests run with DEBUG off, as production does
    assert not Organisation.objects.exists()


def test_demo_owners_and_practitioners_sign_in_with_the_published_authenticator_key(db):
    from django.test import Client as Browser
    from django.urls import reverse

    call_command("demo", "--force", stdout=StringIO())
    browser = Browser()
    browser.post(
        reverse("accounts:login"), {"username": demo.OWNER_EMAIL, "password": demo.PASSWORD}
    )
    assert browser.get(reverse("staff:home"))["Location"].startswith(reverse("accounts:two_factor"))
    code = StringIO()
    call_command("demo", "--code", stdout=code)
    assert re.fullmatch(r"\d{6}\n", code.getvalue())
    response = browser.post(reverse("accounts:two_factor"), {"code": code.getvalue().strip()})
    assert response.status_code == 302
    assert browser.get(reverse("staff:home")).status_code == 200


def test_the_demo_takes_money_with_fees_and_deposits_but_no_stripe_keys(db):
    from needlepoint.core.money import Money
    from needlepoint.payments.billing import cancellation_wording
    from needlepoint.payments.services import billing_for, deposit_due
    from needlepoint.scheduling.models import Service

    call_command("demo", "--force", stdout=StringIO())
    organisation = Organisation.objects.get(slug=demo.ORGANISATION_SLUG)
    billing = billing_for(organisation)
    assert billing.legal_name == "Harbour Skin Clinic Ltd" and billing.prices_include_tax
    assert "Harbour Street" in billing.address
    assert not (billing.stripe_publishable_key or billing.stripe_secret_key)
    location = organisation.locations.get()
    face = Service.objects.get(location=location, name="Microneedling — face")  # £180
    assert face.tax_rate_bp == 0
    assert deposit_due(face) == ("percent", Money(3600, "GBP"))
    consultation = Service.objects.get(location=location, name="Consultation")
    assert deposit_due(consultation) == ("none", Money(0, "GBP"))
    wording = cancellation_wording(location)
    assert "late-cancellation fee of £15.00" in wording and "no-show fee of £25.00" in wording
