"""Settings' organisation and location pages, through the test client: each saves through
needlepoint/clinics/setup.py, shows a refusal on the form, and keeps to the manager's own
organisation (another organisation's location, closure or room is a 404)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.clinics.models import Closure, Location, OpeningHours, Organisation, Room
from needlepoint.clinics.setup import closure_add, location_create, room_add
from tests import factories

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)  # a Monday
CONFIRM = reverse("accounts:confirm_password")
fuzz = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " ", "\x00", "0", "-1", "99999999999", "25:61", "2026-02-30", "GBP"]),
)
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def organisation_form(**changes: object) -> dict[str, object]:
    return {
        "name": "Test Skin Clinic",
        "currency": "GBP",
        "rescreen_after_days": "180",
        "clinical_retention_years": "8",
        "checklist_blocking": ["screening", "consent"],
        "languages": ["en-gb"],
        "default_language": "en-gb",
    } | changes


def location_form(**changes: object) -> dict[str, object]:
    return {
        "name": "Old Town",
        "time_zone": "Europe/London",
        "address": "2 Castle Road\nSouthsea",
        "phone": "023 9200 0000",
        "email": "OldTown@Example.test",
        "minimum_notice_minutes": "120",
        "booking_horizon_days": "90",
        "waitlist_hold_minutes": "120",
        "late_cancellation_hours": "24",
        "reminder_hours": "48, 2",
        "quiet_from": "21:00",
        "quiet_until": "08:00",
    } | changes


def hours_form(**changes: str) -> dict[str, str]:
    week = {f"{day}-0-opens": "09:00" for day in range(5)} | {
        f"{day}-0-closes": "18:00" for day in range(5)
    }
    return week | {"5-closed": "on", "6-closed": "on"} | changes


def snapshot(location: Location) -> tuple[object, ...]:
    saved = Location.objects.get(pk=location.pk)
    return (
        tuple(Location.objects.filter(organisation=saved.organisation).values_list()),
        tuple(OpeningHours.objects.filter(location=saved).values_list()),
        tuple(Closure.objects.filter(location=saved).values_list()),
        tuple(Room.objects.filter(location=saved).values_list()),
    )


# The organisation


def test_a_manager_changes_the_organisation(clinic):
    browser = factories.signed_in(clinic.manager)
    page = reverse("settings:organisation")
    assert "Test Skin Clinic" in browser.get(page).content.decode()
    answer = browser.post(page, organisation_form(name="Harbour Skin", currency="EUR"))
    assert answer.status_code == 302
    saved = Organisation.objects.get(pk=clinic.organisation.pk)
    assert (saved.name, saved.currency) == ("Harbour Skin", "EUR")
    # the checklist the form sent is the owner's to change: a manager's page keeps it
    assert saved.checklist_blocking == clinic.organisation.checklist_blocking


def test_an_owner_changes_the_treatment_day_checklist(clinic):
    browser = factories.signed_in(clinic.owner)
    answer = browser.post(reverse("settings:organisation"), organisation_form())
    assert answer.status_code == 302
    saved = Organisation.objects.get(pk=clinic.organisation.pk)
    assert saved.checklist_blocking == ["screening", "consent"]


def test_a_changed_retention_period_asks_for_the_password_first(clinic):
    browser = factories.signed_in(clinic.owner)
    page = reverse("settings:organisation")
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        asked = browser.post(page, organisation_form(clinical_retention_years="3"))
        assert asked["Location"].startswith(CONFIRM)
        assert Organisation.objects.get(pk=clinic.organisation.pk).clinical_retention_years == 8
        assert browser.post(page, organisation_form(name="Renamed")).status_code == 302
        answer = browser.post(CONFIRM, {"password": factories.PASSWORD, "next": page})
        assert answer["Location"] == page
        assert (
            browser.post(page, organisation_form(clinical_retention_years="3")).status_code == 302
        )
    assert Organisation.objects.get(pk=clinic.organisation.pk).clinical_retention_years == 3


def test_an_unknown_currency_is_refused_on_the_form(clinic):
    browser = factories.signed_in(clinic.manager)
    answer = browser.post(reverse("settings:organisation"), organisation_form(currency="XYZ"))
    assert answer.status_code == 200
    assert Organisation.objects.get(pk=clinic.organisation.pk).currency == "GBP"


# Locations


def test_a_location_is_added_with_the_usual_week_and_then_edited(clinic):
    browser = factories.signed_in(clinic.manager)
    answer = browser.post(reverse("settings:location_new"), location_form())
    place = Location.objects.get(organisation=clinic.organisation, slug="old-town")
    assert answer["Location"] == reverse("settings:location", args=["old-town"])
    assert place.phone == "+442392000000" and place.email == "oldtown@example.test"
    assert place.opening_hours.count() == 6  # Monday to Saturday
    shown = browser.get(answer["Location"]).content.decode()
    assert "Monday–Friday 9:00–18:00" in shown and "Sunday closed" in shown

    edit = reverse("settings:location", args=["old-town"])
    answer = browser.post(edit, location_form(name="Old Town Studio", late_cancellation_hours="48"))
    assert answer.status_code == 302
    saved = Location.objects.get(pk=place.pk)
    assert (saved.name, saved.slug, saved.late_cancellation_hours) == (
        "Old Town Studio",
        "old-town",
        48,
    )


def test_a_location_named_as_another_is_refused_with_a_message(clinic):
    browser = factories.signed_in(clinic.manager)
    answer = browser.post(reverse("settings:location_new"), location_form(name="Harbour Street"))
    assert "Harbour Street already has that name" in answer.content.decode()
    assert Location.objects.filter(organisation=clinic.organisation).count() == 1


def test_a_typed_time_zone_is_not_one_of_the_choices(clinic):
    browser = factories.signed_in(clinic.manager)
    answer = browser.post(reverse("settings:location_new"), location_form(time_zone="Moon/Base"))
    assert answer.status_code == 200 and 'name="time_zone"' in answer.content.decode()
    assert '<option value="Europe/London" selected>' not in answer.content.decode()
    assert Location.objects.filter(organisation=clinic.organisation).count() == 1


# Opening hours


def test_the_week_is_saved_at_once_with_a_lunch_break(clinic):
    browser = factories.signed_in(clinic.manager)
    page = reverse("settings:location_hours", args=[clinic.location.slug])
    form = hours_form(**{"2-0-closes": "12:30", "2-1-opens": "13:30", "2-1-closes": "18:00"})
    assert browser.post(page, form).status_code == 302
    wednesday = OpeningHours.objects.filter(location=clinic.location, weekday=2)
    assert [(row.opens, row.closes) for row in wednesday.order_by("opens")] == [
        (time(9), time(12, 30)),
        (time(13, 30), time(18)),
    ]
    assert not OpeningHours.objects.filter(location=clinic.location, weekday=5).exists()
    shown = browser.get(page).content.decode()
    assert 'name="2-2-opens"' in shown  # a day with two periods is offered a third


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"1-1-opens": "17:00", "1-1-closes": "19:00"}, "Tuesday: two periods overlap."),
        ({"3-0-opens": "18:00", "3-0-closes": "09:00"}, "Thursday: a period must start before"),
        ({"4-0-closes": ""}, "Friday: give each period both"),
        ({"0-0-opens": "", "0-0-closes": ""}, "Monday: give its opening hours, or tick Closed."),
    ],
)
def test_a_bad_week_is_refused_naming_the_day(clinic, changes, message):
    browser = factories.signed_in(clinic.manager)
    before = snapshot(clinic.location)
    page = reverse("settings:location_hours", args=[clinic.location.slug])
    answer = browser.post(page, hours_form(**changes))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert snapshot(clinic.location) == before


# Closures


def test_a_closure_is_added_then_removed_after_asking(clinic):
    browser = factories.signed_in(clinic.manager)
    page = reverse("settings:location_closures", args=[clinic.location.slug])
    form = {"starts_on": "2026-12-24", "ends_on": "2026-12-27", "reason": "Christmas"}
    assert browser.post(page, form)["Location"] == page
    closure = Closure.objects.get(location=clinic.location)
    shown = browser.get(page).content.decode()
    assert "Thursday 24 December 2026 to Sunday 27 December 2026" in shown
    remove = reverse("settings:closure_remove", args=[clinic.location.slug, closure.pk])
    assert "Remove this closure?" in browser.get(remove).content.decode()
    assert Closure.objects.filter(pk=closure.pk).exists()  # asking removes nothing
    assert browser.post(remove)["Location"] == page
    assert not Closure.objects.exists()


def test_a_closure_that_ends_before_it_starts_is_refused(clinic):
    browser = factories.signed_in(clinic.manager)
    page = reverse("settings:location_closures", args=[clinic.location.slug])
    form = {"starts_on": "2026-12-27", "ends_on": "2026-12-24", "reason": "Christmas"}
    answer = browser.post(page, form)
    assert "A closure must end on or after the day it starts." in answer.content.decode()
    assert not Closure.objects.exists()


# Rooms


def test_rooms_are_added_renamed_and_taken_out_of_use(clinic):
    browser = factories.signed_in(clinic.manager)
    page = reverse("settings:rooms", args=[clinic.location.slug])
    assert browser.post(page, {"name": "Room 2"})["Location"] == page
    room = Room.objects.get(location=clinic.location, name="Room 2")
    edit = reverse("settings:room", args=[clinic.location.slug, room.pk])
    assert browser.post(edit, {"name": "Laser room"})["Location"] == page  # unticked: out of use
    saved = Room.objects.get(pk=room.pk)
    assert (saved.name, saved.is_active) == ("Laser room", False)
    assert "Out of use" in browser.get(page).content.decode()
    browser.post(edit, {"name": "Laser room", "is_active": "on"})
    assert Room.objects.get(pk=room.pk).is_active
    answer = browser.post(page, {"name": "room 1"})
    assert "already has a room called" in answer.content.decode()
    assert Room.objects.filter(location=clinic.location).count() == 2


# Another organisation's things


def test_a_manager_of_another_organisation_gets_404_everywhere(clinic, other_clinic):
    place = location_create(organisation=clinic.organisation, name="Old Town", time_zone="UTC")
    closure = closure_add(
        location=place, starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 25), reason="Xmas"
    )
    room = room_add(location=place, name="Room 1")
    before = snapshot(place)
    outsider = factories.signed_in(other_clinic.manager)
    pages = [
        reverse("settings:location", args=[place.slug]),
        reverse("settings:location_hours", args=[place.slug]),
        reverse("settings:location_closures", args=[place.slug]),
        reverse("settings:closure_remove", args=[place.slug, closure.pk]),
        reverse("settings:rooms", args=[place.slug]),
        reverse("settings:room", args=[place.slug, room.pk]),
    ]
    for page in pages:
        assert outsider.get(page).status_code == 404, page
        assert outsider.post(page, {"name": "Mine now"}).status_code == 404, page
    theirs = other_clinic.location.slug  # their own location, named as ours is
    for page in (
        reverse("settings:closure_remove", args=[theirs, closure.pk]),
        reverse("settings:room", args=[theirs, room.pk]),
    ):
        assert outsider.post(page, {"name": "Mine now"}).status_code == 404, page
    assert snapshot(place) == before
    other = Organisation.objects.get(pk=other_clinic.organisation.pk)
    outsider.post(reverse("settings:organisation"), organisation_form(name="Renamed"))
    assert Organisation.objects.get(pk=clinic.organisation.pk).name == "Test Skin Clinic"
    assert Organisation.objects.get(pk=other.pk).name == "Renamed"  # their own, not ours


# Any text in any field: a save or nothing changed, never a server error


def _fuzzed(base: dict[str, object], field: str, value: str) -> dict[str, object]:
    return base | {field: value}


@fuzz
@given(field=st.sampled_from(list(organisation_form())), value=TEXT)
def test_any_text_in_the_organisation_form_saves_or_changes_nothing(clinic, field, value):
    browser = factories.signed_in(clinic.owner)
    before = Organisation.objects.filter(pk=clinic.organisation.pk).values().get()
    answer = browser.post(
        reverse("settings:organisation"), _fuzzed(organisation_form(), field, value)
    )
    assert answer.status_code in (200, 302)
    if answer.status_code == 200:
        assert Organisation.objects.filter(pk=clinic.organisation.pk).values().get() == before


@fuzz
@given(field=st.sampled_from(list(location_form())), value=TEXT)
def test_any_text_in_the_location_form_saves_or_changes_nothing(clinic, field, value):
    browser = factories.signed_in(clinic.manager)
    before = snapshot(clinic.location)
    page = reverse("settings:location", args=[clinic.location.slug])
    answer = browser.post(page, _fuzzed(location_form(name="Harbour Street"), field, value))
    assert answer.status_code in (200, 302)
    if answer.status_code == 200:
        assert snapshot(clinic.location) == before


@fuzz
@given(
    field=st.sampled_from(["0-0-opens", "0-0-closes", "0-1-opens", "3-closed", "9-0-opens"]),
    value=TEXT,
)
def test_any_text_in_the_hours_form_saves_or_changes_nothing(clinic, field, value):
    browser = factories.signed_in(clinic.manager)
    before = snapshot(clinic.location)
    page = reverse("settings:location_hours", args=[clinic.location.slug])
    answer = browser.post(page, hours_form(**{field: value}))
    assert answer.status_code in (200, 302)
    if answer.status_code == 200:
        assert snapshot(clinic.location) == before


@fuzz
@given(field=st.sampled_from(["starts_on", "ends_on", "reason"]), value=TEXT)
def test_any_text_in_the_closure_form_saves_or_changes_nothing(clinic, field, value):
    browser = factories.signed_in(clinic.manager)
    before = snapshot(clinic.location)
    page = reverse("settings:location_closures", args=[clinic.location.slug])
    form = {"starts_on": "2026-12-24", "ends_on": "2026-12-27", "reason": "Christmas"}
    answer = browser.post(page, form | {field: value})
    assert answer.status_code in (200, 302)
    if answer.status_code == 200:
        assert snapshot(clinic.location) == before


@fuzz
@given(name=TEXT, is_active=st.sampled_from(["", "on", "off", "\x00", "yes"]))
def test_any_text_in_the_room_forms_saves_or_changes_nothing(clinic, name, is_active):
    browser = factories.signed_in(clinic.manager)
    before = snapshot(clinic.location)
    room = clinic.location.rooms.get(name="Room 1")
    for page, form in (
        (reverse("settings:rooms", args=[clinic.location.slug]), {"name": name}),
        (
            reverse("settings:room", args=[clinic.location.slug, room.pk]),
            {"name": name, "is_active": is_active},
        ),
    ):
        answer = browser.post(page, form)
        assert answer.status_code in (200, 302)
        if answer.status_code == 200:
            assert snapshot(clinic.location) == before
        before = snapshot(clinic.location)
