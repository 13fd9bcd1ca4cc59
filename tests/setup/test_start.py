"""The guided first set-up: a new owner opens the clinic for online booking in one form,
through the same services Settings uses, and a refusal leaves nothing half-saved."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from needlepoint.clinics.models import Device, Location, Room
from needlepoint.clinics.services import organisation_create_with_owner
from needlepoint.consents.models import ConsentForm
from needlepoint.scheduling.models import Service, WorkingPeriod
from needlepoint.scheduling.queries import available_slots
from needlepoint.scheduling.starter import STARTER_SERVICES, setup_step
from tests import factories

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)  # a Monday
START = reverse("settings:start")
CLINIC = {
    "name": "High Street",
    "time_zone": "Europe/London",
    "address": "1 High Street",
    "phone": "020 7946 0000",
    "email": "Hello@Lotus.example",
    "i_treat": "on",
}
CONSULTATION, FACE = "0", "2"
OFFERED = {"services": [CONSULTATION, FACE], "pen_name": "Dermapen", "pen_serial": "DP-1"}


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


def new_owner(**extra):
    return organisation_create_with_owner(
        organisation_name="Lotus Skin",
        owner_email="lee@lotus.example",
        owner_name="Lee Lotus",
        password="a long enough passphrase",
        **extra,
    )


@pytest.fixture
def owner(db):
    return new_owner()


def test_one_form_opens_a_new_clinic_for_online_booking(owner):
    browser = factories.signed_in(owner)
    assert "Who treats clients" in browser.get(START).content.decode()
    assert setup_step(owner.organisation) == "start"
    assert browser.post(START, CLINIC | OFFERED)["Location"] == START
    location = Location.objects.get(organisation=owner.organisation)
    assert (location.phone, location.email) == ("+442079460000", "hello@lotus.example")
    hours = [(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()]
    assert hours == [*((day, time(9), time(18)) for day in range(5)), (5, time(11), time(15))]
    worked = [(p.weekday, p.starts, p.ends) for p in WorkingPeriod.objects.filter(staff=owner)]
    assert worked == hours
    services = Service.objects.filter(location=location).order_by("name")
    assert [s.name for s in services] == [STARTER_SERVICES[0].name, STARTER_SERVICES[2].name]
    assert all(list(s.practitioners.all()) == [owner] for s in services)
    assert Device.objects.get(location=location).serial_number == "DP-1"
    assert Room.objects.filter(location=location).count() == 1
    assert ConsentForm.objects.filter(organisation=owner.organisation).count() == 1
    assert setup_step(owner.organisation) == "done"
    done = browser.get(START).content.decode()
    assert "Your clinic is open for online booking" in done
    assert reverse("public:location", args=["lotus-skin", location.slug]) in done

    consultation = services.get(kind="consultation")
    tuesday = date(2027, 3, 2)
    slots = available_slots(consultation, tuesday, tuesday, now=NOW)
    assert slots and slots[0].start == datetime(2027, 3, 2, 9, 0, tzinfo=UTC)


def test_a_location_from_createowner_opens_the_usual_week_and_is_offered_in_the_form(db):
    owner = new_owner(location_name="Old Town")
    browser = factories.signed_in(owner)
    page = browser.get(START).content.decode()
    assert 'value="Old Town"' in page
    browser.post(START, CLINIC | OFFERED | {"name": "Old Town"})
    location = Location.objects.get(organisation=owner.organisation)
    assert location.opening_hours.count() == 6
    assert setup_step(owner.organisation) == "done"


INVITED = {
    "i_treat": "",
    "practitioner_name": "Sam Okafor",
    "practitioner_email": "sam@lotus.example",
}


def test_a_practitioner_is_invited_to_work_the_opening_hours(
    owner, django_capture_on_commit_callbacks
):
    browser = factories.signed_in(owner)
    with django_capture_on_commit_callbacks(execute=True):
        assert browser.post(START, CLINIC | OFFERED | INVITED)["Location"] == START
    invited = owner.organisation.staff.get(user__email="sam@lotus.example")
    assert invited.role == "practitioner"
    assert WorkingPeriod.objects.filter(staff=invited).count() == 6
    assert not WorkingPeriod.objects.filter(staff=owner).exists()
    assert all(list(s.practitioners.all()) == [invited] for s in Service.objects.all())
    assert [m.to for m in mail.outbox] == [["sam@lotus.example"]]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (CLINIC | {"i_treat": ""}, "Someone has to treat clients"),
        (CLINIC | {"practitioner_name": "Sam"}, "give both their name and their email"),
        (CLINIC | {"time_zone": "Mars/Olympus"}, "Select a valid choice"),
        (CLINIC | {"phone": "12"}, "is not a valid phone number"),
        (CLINIC | {"name": "new"}, "Give the location a name with letters or digits"),
    ],
)
def test_a_refused_form_says_why_and_saves_nothing(owner, data, message):
    page = factories.signed_in(owner).post(START, data | OFFERED).content.decode()
    assert message in page
    assert not Location.objects.exists() and not WorkingPeriod.objects.exists()


def test_treatments_without_a_pen_are_refused_and_nothing_is_saved(
    owner, django_capture_on_commit_callbacks
):
    browser = factories.signed_in(owner)
    with django_capture_on_commit_callbacks(execute=True):
        page = browser.post(START, CLINIC | OFFERED | INVITED | {"pen_serial": " "})
    assert "Treatments are given with a pen" in page.content.decode()
    assert mail.outbox == []  # nobody is invited by a refused form
    assert not Location.objects.exists() and not WorkingPeriod.objects.exists()
    assert not Service.objects.exists() and not ConsentForm.objects.exists()


TEXT = st.text(max_size=60)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    data=st.fixed_dictionaries(
        dict.fromkeys(CLINIC, TEXT)
        | {"practitioner_email": TEXT, "pen_serial": TEXT}
        | {"services": st.lists(st.sampled_from(["0", "2", "9", "x", ""]))}
    )
)
def test_any_input_is_never_a_500_nor_half_saved(owner, data):
    with time_machine.travel(NOW, tick=False):
        answer = factories.signed_in(owner).post(START, data)
    assert answer.status_code in (200, 302)
    saved = Location.objects.filter(organisation=owner.organisation).exists()
    assert saved == (answer.status_code == 302)
    assert Service.objects.exists() == saved
    Service.objects.all().delete()
    Device.objects.all().delete()
    Room.objects.all().delete()
    WorkingPeriod.objects.all().delete()
    ConsentForm.objects.all().delete()
    for location in Location.objects.all():
        location.opening_hours.all().delete()
    Location.objects.all().delete()
