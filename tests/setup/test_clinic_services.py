"""The organisation and its locations are set up through needlepoint/clinics/setup.py:
each rule refuses bad input with a clear message, changes nothing then, and audits a change."""

from __future__ import annotations

from datetime import date, time

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.clinics.models import Closure, Location, OpeningHours, Organisation, Room
from needlepoint.clinics.setup import (
    DEFAULT_OPENING_HOURS,
    closure_add,
    closure_remove,
    location_create,
    location_update,
    opening_hours_replace,
    organisation_update,
    room_add,
    room_update,
)
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.models import Service
from tests import factories

LUNCH_BREAK = [(time(9), time(12, 30)), (time(13, 30), time(18))]


def week_of(location: Location) -> dict[int, list[tuple[time, time]]]:
    week: dict[int, list[tuple[time, time]]] = {day: [] for day in range(7)}
    for row in OpeningHours.objects.filter(location=location).order_by("weekday", "opens"):
        week[row.weekday].append((row.opens, row.closes))
    return week


# The organisation


def test_the_organisation_changes_and_the_change_is_audited(clinic):
    organisation_update(
        organisation=clinic.organisation,
        by=clinic.owner,
        name="  Harbour Skin  ",
        currency="eur",
        rescreen_after_days=90,
        clinical_retention_years=10,
        checklist_blocking=["consent", "screening"],
    )
    saved = Organisation.objects.get(pk=clinic.organisation.pk)
    assert (saved.name, saved.currency, saved.rescreen_after_days) == ("Harbour Skin", "EUR", 90)
    assert saved.clinical_retention_years == 10
    assert saved.checklist_blocking == ["screening", "consent"]  # in the checklist's order
    event = AuditEvent.objects.get(target="organisation", action="changed")
    assert event.detail["changed"]["clinical_retention_years"] == [8, 10]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"currency": "XYZ"}, "currency"),
        ({"currency": "pounds"}, "currency"),
        ({"name": "   "}, "name"),
        ({"rescreen_after_days": 0}, "rescreen_after_days"),
        ({"clinical_retention_years": 0}, "clinical_retention_years"),
        ({"clinical_retention_years": 101}, "clinical_retention_years"),
        ({"checklist_blocking": ["screening", "horoscope"]}, "checklist_blocking"),
    ],
)
def test_a_bad_organisation_detail_is_refused_and_nothing_changes(clinic, changes, field):
    with pytest.raises(DomainError) as refused:
        organisation_update(organisation=clinic.organisation, by=clinic.owner, **changes)
    assert refused.value.field == field
    saved = Organisation.objects.get(pk=clinic.organisation.pk)
    assert (saved.name, saved.currency, saved.clinical_retention_years) == (
        "Test Skin Clinic",
        "GBP",
        8,
    )
    assert not AuditEvent.objects.filter(target="organisation").exists()


# Locations


def test_a_new_location_has_an_address_from_its_name_and_the_usual_week(clinic):
    place = location_create(
        organisation=clinic.organisation,
        name="Old Town Clinic",
        time_zone="Europe/Dublin",
        phone="020 7946 0018",
        email=" Desk@OldTown.Example ",
    )
    assert place.slug == "old-town-clinic"
    assert place.email == "desk@oldtown.example"
    assert place.phone == "+442079460018"  # the clinic's region, as clients' numbers are
    assert week_of(place) == {day: list(DEFAULT_OPENING_HOURS[day]) for day in range(7)}
    assert week_of(place)[0] == [(time(9), time(18))]
    assert week_of(place)[5] == [(time(11), time(15))] and week_of(place)[6] == []
    event = AuditEvent.objects.get(target="location", action="created")
    assert event.target_id == str(place.public_id)


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"name": "Harbour Street"}, "name"),  # the clinic's own location has it
        ({"name": "harbour street!"}, "name"),  # the same web address
        ({"name": "!!!"}, "name"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"phone": "not a number"}, "phone"),
        ({"email": "nobody-at-example"}, "email"),
        ({"reminder_hours": "48, soon"}, "reminder_hours"),
        ({"reminder_hours": "9999"}, "reminder_hours"),
        ({"booking_horizon_days": 10**9}, "booking_horizon_days"),
        ({"minimum_notice_minutes": -5}, "minimum_notice_minutes"),
    ],
)
def test_a_bad_location_is_refused_and_nothing_is_saved(clinic, details, field):
    values = {"name": "Old Town", "time_zone": "Europe/London"} | details
    with pytest.raises(DomainError) as refused:
        location_create(organisation=clinic.organisation, **values)
    assert refused.value.field == field
    assert Location.objects.filter(organisation=clinic.organisation).count() == 1
    assert not AuditEvent.objects.filter(target="location").exists()


def test_the_same_name_may_be_used_by_another_organisation(clinic, other_clinic):
    place = location_create(
        organisation=other_clinic.organisation, name="Old Town", time_zone="Europe/London"
    )
    twin = location_create(
        organisation=clinic.organisation, name="Old Town", time_zone="Europe/London"
    )
    assert place.slug == twin.slug == "old-town"


def test_a_location_is_edited_and_keeps_its_web_address(clinic):
    place = clinic.location
    location_update(
        location=place,
        name="Harbour Street Studio",
        time_zone="America/New_York",
        phone="+1 212 555 0142",
        reminder_hours="2, 48 ,24",
        quiet_from=time(22),
        quiet_until=time(7),
        late_cancellation_hours=48,
    )
    saved = Location.objects.get(pk=place.pk)
    assert saved.slug == "harbour-street" and saved.name == "Harbour Street Studio"
    assert saved.reminder_hours == "48,24,2" and saved.phone == "+12125550142"
    assert saved.late_cancellation_hours == 48
    event = AuditEvent.objects.get(target="location", action="changed")
    assert "time_zone" in event.detail["fields"]


def test_renaming_to_another_locations_name_is_refused(clinic):
    location_create(organisation=clinic.organisation, name="Old Town", time_zone="UTC")
    with pytest.raises(DomainError, match="Old Town already has that name"):
        location_update(location=clinic.location, name="old town")
    assert Location.objects.get(pk=clinic.location.pk).name == "Harbour Street"


# Opening hours


def test_the_week_is_replaced_at_once_with_a_lunch_break(clinic):
    week = {0: LUNCH_BREAK, 1: [(time(10), time(16))], 2: [], 3: [], 4: [], 5: [], 6: []}
    opening_hours_replace(location=clinic.location, week=week)
    assert week_of(clinic.location) == week
    event = AuditEvent.objects.get(target="location", action="changed")
    assert event.detail["opening_hours"][0] == "Monday 9:00–12:30, 13:30–18:00"


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ({2: [(time(9), time(13)), (time(12), time(18))]}, "Wednesday: two periods"),
        ({4: [(time(18), time(9))]}, "Friday: a period must start before it ends"),
        ({6: [(time(10), time(10))]}, "Sunday: a period must start before it ends"),
        ({7: [(time(10), time(12))]}, "Days of the week"),
    ],
)
def test_a_bad_week_is_refused_naming_the_day_and_the_old_week_stays(clinic, week, message):
    before = week_of(clinic.location)
    with pytest.raises(DomainError, match=message):
        opening_hours_replace(location=clinic.location, week={0: LUNCH_BREAK, **week})
    assert week_of(clinic.location) == before


def test_periods_that_touch_are_not_an_overlap(clinic):
    week = {0: [(time(9), time(12)), (time(12), time(18))]}
    opening_hours_replace(location=clinic.location, week=week)
    assert len(week_of(clinic.location)[0]) == 2 and week_of(clinic.location)[1] == []


# Closures


def test_a_closure_is_added_and_removed_with_an_audit_row_each(clinic):
    closure = closure_add(
        location=clinic.location,
        starts_on=date(2026, 12, 24),
        ends_on=date(2026, 12, 27),
        reason=" Christmas ",
    )
    assert closure.reason == "Christmas"
    closure_remove(closure=closure)
    assert not Closure.objects.exists()
    actions = list(
        AuditEvent.objects.filter(target="location").order_by("at").values_list("action", flat=True)
    )
    assert actions == ["created", "removed"]


def test_a_closure_that_ends_before_it_starts_is_refused(clinic):
    with pytest.raises(DomainError, match="must end on or after") as refused:
        closure_add(
            location=clinic.location,
            starts_on=date(2026, 12, 27),
            ends_on=date(2026, 12, 24),
            reason="Christmas",
        )
    assert refused.value.field == "ends_on"
    assert not Closure.objects.exists()


def test_a_closure_needs_a_reason(clinic):
    with pytest.raises(DomainError) as refused:
        closure_add(
            location=clinic.location,
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 1, 1),
            reason="",
        )
    assert refused.value.field == "reason"


# Rooms


def test_rooms_are_added_renamed_and_taken_out_of_use(clinic):
    room = room_add(location=clinic.location, name="Room 2")
    room_update(room=room, name="Treatment room 2")
    room_update(room=room, is_active=False)
    saved = Room.objects.get(pk=room.pk)
    assert (saved.name, saved.is_active) == ("Treatment room 2", False)
    room_update(room=room, is_active=True)
    assert Room.objects.get(pk=room.pk).is_active
    assert AuditEvent.objects.filter(target="room").count() == 4


def test_a_room_name_is_unique_in_its_location_only(clinic, other_clinic):
    with pytest.raises(DomainError, match="already has a room called") as refused:
        room_add(location=clinic.location, name=" room 1 ")
    assert refused.value.field == "name"
    room = room_add(location=clinic.location, name="Room 2")
    with pytest.raises(DomainError):
        room_update(room=room, name="Room 1")
    assert Room.objects.get(pk=room.pk).name == "Room 2"
    assert room_add(location=other_clinic.location, name="Room 2").name == "Room 2"


@pytest.mark.parametrize(
    "changes", [{"checklist_blocking": ["consent"]}, {"rescreen_after_days": 365}]
)
def test_only_an_owner_changes_the_checklist_or_rescreening(clinic, changes):
    with pytest.raises(DomainError) as refused:
        organisation_update(organisation=clinic.organisation, by=clinic.manager, **changes)
    assert refused.value.code == "owner_only"
    saved = Organisation.objects.get(pk=clinic.organisation.pk)
    assert saved.rescreen_after_days == 180 and len(saved.checklist_blocking) > 1
    organisation_update(organisation=saved, by=clinic.owner, **changes)
    saved.refresh_from_db()
    organisation_update(organisation=saved, by=clinic.manager, name="Renamed", **changes)
    assert Organisation.objects.get(pk=saved.pk).name == "Renamed"  # unchanged: anyone may send


def test_the_currency_stays_while_services_have_prices_in_it(clinic):
    priced = factories.service(clinic.location)
    with pytest.raises(DomainError) as refused:
        organisation_update(organisation=clinic.organisation, by=clinic.owner, currency="JPY")
    assert refused.value.code == "currency_in_use"
    assert Organisation.objects.get(pk=clinic.organisation.pk).currency == "GBP"
    Service.objects.filter(pk=priced.pk).update(price_minor=0)
    organisation_update(organisation=clinic.organisation, by=clinic.owner, currency="JPY")
    assert Organisation.objects.get(pk=clinic.organisation.pk).currency == "JPY"
