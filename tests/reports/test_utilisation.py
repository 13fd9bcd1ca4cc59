"""Utilisation: booked minutes of visits not cancelled over working or opening minutes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from needlepoint.clinics.models import Closure
from needlepoint.reports.queries import Scope, utilisation
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import ShiftException, TimeOff
from tests import factories
from tests.reports import builders

pytestmark = pytest.mark.django_db

MONDAY, SUNDAY = date(2027, 3, 1), date(2027, 3, 7)  # London is on UTC until 28 March
WEEK_OPEN = 5 * 9 * 60 + 4 * 60  # Monday to Friday 9 to 18, Saturday 11 to 15


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2027, 3, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def week(clinic):
    offered = factories.service(clinic.location)
    who = clinic.practitioner
    builders.booking(offered, who, at(2, 10))  # completed
    builders.booking(offered, who, at(3, 14), status=BookingStatus.NO_SHOW)
    builders.booking(offered, who, at(4, 11), status=BookingStatus.CANCELLED)
    builders.booking(offered, who, at(4, 15), minutes=30, with_room_and_device=False)
    builders.booking(offered, who, at(8, 0))  # Monday after: outside the range
    return clinic


def scope(clinic, **fields) -> Scope:
    values = {
        "organisation_id": clinic.organisation.pk,
        "locations": [clinic.location],
        "start": MONDAY,
        "end": SUNDAY,
    }
    return Scope(**(values | fields))


def test_a_room_is_used_for_its_booked_visits_over_the_opening_minutes(week):
    rooms = utilisation(scope(week)).rooms
    assert [(r.name, r.booked_minutes, r.available_minutes) for r in rooms] == [
        ("Room 1", 120, WEEK_OPEN)
    ]
    assert rooms[0].share == pytest.approx(120 / 2940)


def test_a_device_counts_the_visits_it_was_booked_for(week):
    (pen,) = utilisation(scope(week)).devices
    assert (pen.booked_minutes, pen.available_minutes) == (120, WEEK_OPEN)


def test_a_practitioner_is_measured_against_their_working_hours(week):
    (row,) = utilisation(scope(week)).practitioners
    assert (row.name, row.booked_minutes, row.available_minutes) == (
        week.practitioner.user.full_name,
        150,
        WEEK_OPEN,
    )


def test_time_off_a_day_off_and_a_closure_take_minutes_out(week):
    place, who = week.location, week.practitioner
    TimeOff.objects.create(staff=who, starts_at=at(2, 10), ends_at=at(2, 12))
    ShiftException.objects.create(staff=who, location=place, on=date(2027, 3, 3))
    ShiftException.objects.create(
        staff=who, location=place, on=date(2027, 3, 6), starts=time(12), ends=time(13)
    )
    Closure.objects.create(
        location=place, starts_on=date(2027, 3, 5), ends_on=date(2027, 3, 5), reason="Training"
    )
    figures = utilisation(scope(week))
    # Tuesday less 2 h, no Wednesday, no Friday, Saturday 1 h instead of 4 h
    assert figures.practitioners[0].available_minutes == WEEK_OPEN - 120 - 540 - 540 - 180
    assert figures.rooms[0].available_minutes == WEEK_OPEN - 540


def test_dates_are_the_locations_own_calendar_days(clinic):
    brooklyn = factories.location(clinic.organisation, "Brooklyn", "America/New_York")
    clinic.practitioner.locations.add(brooklyn)
    offered = factories.service(brooklyn)
    builders.booking(offered, clinic.practitioner, at(8, 3))  # Sunday 22:00 in New York
    builders.booking(offered, clinic.practitioner, at(1, 4))  # Sunday 28 Feb 23:00 there
    (room,) = utilisation(scope(clinic, locations=[brooklyn])).rooms
    assert room.booked_minutes == 60


def test_one_practitioner_can_be_chosen(week):
    other = factories.staff_member(week.organisation, "practitioner", week.location)
    factories.works_opening_hours(other, week.location)
    figures = utilisation(scope(week, practitioner=other))
    assert [(p.name, p.booked_minutes) for p in figures.practitioners] == [
        (other.user.full_name, 0)
    ]
    assert figures.rooms[0].booked_minutes == 0
