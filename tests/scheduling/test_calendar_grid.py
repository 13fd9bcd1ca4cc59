"""The calendar's time grid: only bookable times look bookable, and a booking dropped on
the grid is moved by the same service as the booking page's move."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.urls import reverse

from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Closure, OpeningHours, Room
from needlepoint.scheduling.choices import BookingEventKind, Channel
from needlepoint.scheduling.models import Booking, BookingEvent, ShiftException, TimeOff
from needlepoint.scheduling.services import booking_create, booking_no_show
from tests import factories

TUESDAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def frozen_monday():
    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def offered(clinic):
    return factories.service(clinic.location)


def page(member, name: str, slug: str, day: date, query: str = "") -> str:
    url = reverse(f"scheduling:{name}", args=[slug, day.isoformat()])
    response = factories.signed_in(member).get(url + query)
    assert response.status_code == 200
    return response.content.decode()


def bookable(html: str, who: str, at: str) -> bool:
    return f'aria-label="Book {who} at {at}"' in html


def book(clinic, offered, hour: int, day: date = TUESDAY, **more) -> Booking:
    return booking_create(
        client=factories.screened_client(clinic.organisation),
        service=offered,
        starts_at=datetime.combine(day, time(hour), tzinfo=clinic.location.zone),
        channel=Channel.STAFF,
        **more,
    )


def test_only_the_practitioners_working_hours_look_bookable(clinic, offered):
    who = str(clinic.practitioner.user)
    ShiftException.objects.create(
        staff=clinic.practitioner,
        location=clinic.location,
        on=TUESDAY,
        starts=time(9),
        ends=time(13),
    )
    TimeOff.objects.create(
        staff=clinic.practitioner,
        starts_at=datetime(2026, 11, 24, 11, tzinfo=clinic.location.zone),
        ends_at=datetime(2026, 11, 24, 12, tzinfo=clinic.location.zone),
    )
    html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    assert bookable(html, who, "10:00") and bookable(html, who, "12:45")
    for off in ("11:00", "11:45", "13:00", "17:45"):  # time off, then off shift
        assert not bookable(html, who, off)
    assert 'class="slot off hour" data-column="2" data-row="' in html  # drawn, shaded, no link
    assert f"starts_at=2026-11-24T10:00&amp;practitioner={clinic.practitioner.pk}" in html


def test_shading_follows_time_off_taken_after_the_calendar_was_seen(clinic, offered):
    """What the calendar works out from the set-up is kept until the set-up changes; a row
    is bookable only when the whole of it is free (time off here starts and ends mid-row)."""
    who = str(clinic.practitioner.user)
    assert bookable(page(clinic.front_desk, "day", clinic.location.slug, TUESDAY), who, "11:00")
    assert bookable(
        page(clinic.front_desk, "week", clinic.location.slug, TUESDAY),
        "Tuesday 24 November",
        "11:00",
    )
    TimeOff.objects.create(
        staff=clinic.practitioner,
        starts_at=datetime(2026, 11, 24, 11, 10, tzinfo=clinic.location.zone),
        ends_at=datetime(2026, 11, 24, 11, 50, tzinfo=clinic.location.zone),
    )
    html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    assert bookable(html, who, "10:45") and bookable(html, who, "12:00")
    for off in ("11:00", "11:15", "11:30", "11:45"):
        assert not bookable(html, who, off)
    week = page(clinic.front_desk, "week", clinic.location.slug, TUESDAY)
    assert not bookable(week, "Tuesday 24 November", "11:00")
    assert bookable(week, "Tuesday 24 November", "12:00")


def test_a_closed_day_and_the_past_are_all_shaded(clinic, offered):
    who = str(clinic.practitioner.user)
    Closure.objects.create(location=clinic.location, starts_on=TUESDAY, ends_on=TUESDAY, reason="x")
    assert 'class="slot free' not in page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    with time_machine.travel(datetime(2026, 11, 23, 9, 20, tzinfo=UTC), tick=False):
        monday = page(clinic.front_desk, "day", clinic.location.slug, date(2026, 11, 23))
    assert not bookable(monday, who, "09:00") and not bookable(monday, who, "09:15")  # past
    assert bookable(monday, who, "09:30")
    sunday = page(clinic.front_desk, "day", clinic.location.slug, date(2026, 11, 29))
    assert 'class="slot free' not in sunday  # no opening hours on Sundays


def test_the_week_is_a_grid_of_days_with_the_same_shading(clinic, offered):
    booking = book(clinic, offered, 10)
    Closure.objects.create(
        location=clinic.location,
        starts_on=date(2026, 11, 26),
        ends_on=date(2026, 11, 26),
        reason="x",
    )
    html = page(clinic.front_desk, "week", clinic.location.slug, TUESDAY)
    assert 'aria-label="Book Tuesday 24 November at 14:00"' in html
    assert 'aria-label="Book Thursday 26 November at 14:00"' not in html  # closed
    assert 'aria-label="Book Saturday 28 November at 12:00"' in html
    assert 'aria-label="Book Saturday 28 November at 16:00"' not in html  # closes at 15:00
    assert f"10:00 {booking.client.full_name}" in html
    assert 'data-column="3" data-row="6"' in html  # Tuesday's column, 10:00 is 4 rows after 9:00


def test_the_free_times_are_named_in_the_readers_language_and_a_name_stays_text(clinic, offered):
    user = clinic.practitioner.user
    user.full_name = 'Ana "<b>" O\'Neil & Co'
    user.save(update_fields=["full_name"])
    clinic.front_desk.language = "de"
    clinic.front_desk.save(update_fields=["language"])
    day = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    who = "Ana &quot;&lt;b&gt;&quot; O&#x27;Neil &amp; Co"
    assert f'aria-label="Bei {who} um 14:00 buchen"' in day
    assert "<b>" not in day
    assert f"starts_at=2026-11-24T14:00&amp;practitioner={clinic.practitioner.pk}" in day
    week = page(clinic.front_desk, "week", clinic.location.slug, TUESDAY)
    assert 'aria-label="Buchen am Dienstag, 24. November um 14:00"' in week
    assert 'data-starts="2026-11-24T14:00"' in week


def test_the_room_columns_shade_closed_hours(clinic, offered):
    html = page(clinic.front_desk, "day", clinic.location.slug, date(2026, 11, 28), "?by=room")
    assert 'aria-label="Book Room 1 at 11:00"' in html
    assert 'aria-label="Book Room 1 at 10:00"' not in html  # Saturdays open at 11


def test_bookings_are_coloured_by_service_or_status_with_a_legend(clinic, offered):
    book(clinic, offered, 10)
    by_service = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    assert f'class="booking svc-{offered.pk % 8}"' in by_service
    assert f'<span class="swatch svc-{offered.pk % 8}"></span>{offered.name}' in by_service
    by_status = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY, "?colour=status")
    assert 'class="booking status-booked"' in by_status and "Colour by service" in by_status


def test_today_has_a_now_line_and_other_days_none(clinic, offered):
    with time_machine.travel(datetime(2026, 11, 24, 10, 20, tzinfo=UTC), tick=False):
        html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
        week = page(clinic.front_desk, "week", clinic.location.slug, TUESDAY)
    assert (
        'class="now-line" data-column="2" data-column-span="1" data-row="7" data-offset="0.333"'
        in html
    )
    assert 'class="now-line" data-column="3" data-column-span="1" data-row="7"' in week
    assert "now-line" not in page(
        clinic.front_desk, "day", clinic.location.slug, date(2026, 11, 25)
    )


def test_go_to_a_date_keeps_the_switches(clinic):
    browser = factories.signed_in(clinic.front_desk)
    url = reverse("scheduling:day", args=[clinic.location.slug, TUESDAY.isoformat()])
    response = browser.get(url + "?on=2026-12-03&by=room")
    assert response.status_code == 302
    assert response["Location"] == f"/calendar/{clinic.location.slug}/2026-12-03/?by=room"
    response = browser.get(url + "?on=not-a-date", follow=True)
    assert "Please choose a date to go to." in response.content.decode()


def test_the_day_the_clocks_go_forward_steps_through_real_time(db):
    with time_machine.travel(datetime(2027, 3, 20, 8, tzinfo=UTC), tick=False):
        clinic = factories.clinic()
        sunday = date(2027, 3, 28)  # 01:00 GMT becomes 02:00 BST in London
        OpeningHours.objects.create(
            location=clinic.location, weekday=6, opens=time(0), closes=time(4)
        )
        offered = factories.service(clinic.location, numbing_minutes=0, buffer_after_minutes=0)
        booking = book(clinic, offered, 2, day=sunday)
        html = page(clinic.front_desk, "day", clinic.location.slug, sunday)
        week = page(clinic.front_desk, "week", clinic.location.slug, sunday)
    labels = re.findall(r'<div class="time hour" data-row="\d+">(\d\d:\d\d)</div>', html)
    assert labels == ["00:00", "02:00", "03:00"]  # 01:00 never happens
    who = str(clinic.practitioner.user)
    assert bookable(html, who, "00:45") and bookable(html, who, "03:00")
    assert 'data-column="2" data-row="6" data-span="2"' in html  # 02:00 BST is the 5th row
    assert f"02:00 {booking.client.full_name}" in html
    # the week's rows are wall-clock times: the skipped hour is shaded on Sunday
    assert 'aria-label="Book Sunday 28 March at 01:15"' not in week
    assert 'aria-label="Book Sunday 28 March at 00:45"' in week
    assert 'aria-label="Book Sunday 28 March at 03:00"' in week


def test_a_booking_outside_the_opening_hours_stretches_the_day(clinic, offered):
    early, late = book(clinic, offered, 9), book(clinic, offered, 16)
    OpeningHours.objects.filter(location=clinic.location, weekday=TUESDAY.weekday()).update(
        opens=time(10), closes=time(16)
    )
    html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    assert f"09:00 {early.client.full_name}" in html and f"16:00 {late.client.full_name}" in html
    labels = re.findall(r'<div class="time hour" data-row="\d+">(\d\d:\d\d)</div>', html)
    assert labels[0] == "09:00" and labels[-1] == "16:00"
    assert 'data-column="2" data-row="2" data-span="4"' in html  # 09:00 is the first row
    for off in ("09:00", "09:45", "16:45"):  # the stretched rows are shaded
        shaded = (
            rf'<div class="slot off[ a-z]*" data-column="2" [^>]*data-starts="2026-11-24T{off}"'
        )
        assert re.search(shaded, html)
        assert not bookable(html, str(clinic.practitioner.user), off)
    assert 'data-starts="2026-11-24T17:00"' not in html  # no further than the last visit


def test_a_booking_outside_the_opening_hours_keeps_its_time_in_the_week(clinic, offered):
    early = book(clinic, offered, 9)
    OpeningHours.objects.filter(location=clinic.location).update(opens=time(10), closes=time(16))
    html = page(clinic.front_desk, "week", clinic.location.slug, TUESDAY)
    labels = re.findall(r'<div class="time hour" data-row="\d+">(\d\d:\d\d)</div>', html)
    assert labels[0] == "09:00"  # stretched to the visit, not the visit pinned to 10:00
    assert 'data-column="3" data-row="2" data-span="4"' in html
    assert early.client.full_name in html


def test_a_visit_running_past_midnight_shows_on_the_next_day_too(clinic, offered):
    late = book(clinic, offered, 10, day=date(2026, 11, 23))
    zone = clinic.location.zone
    Booking.objects.filter(pk=late.pk).update(
        starts_at=datetime(2026, 11, 23, 23, 30, tzinfo=zone),
        ends_at=datetime(2026, 11, 24, 0, 30, tzinfo=zone),
    )
    html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    assert f"23:30 {late.client.full_name}" in html
    assert 'data-column="2" data-row="2" data-span="2"' in html  # from midnight, two rows


def test_a_visit_that_needs_no_room_has_a_column_by_room(clinic, offered):
    talk = factories.service(clinic.location, name="Consultation", needs_room=False)
    booking = book(clinic, talk, 10)
    assert booking.room is None
    html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY, "?by=room")
    assert '<div class="column-head" data-column="3">No room</div>' in html
    assert 'data-column="3" data-row="6" data-span="4"' in html
    assert f"10:00 {booking.client.full_name}" in html
    assert 'aria-label="Book No room' not in html  # a place to show visits, not to book


def test_overlapping_visits_sit_side_by_side_and_a_no_show_frees_its_time(clinic, offered):
    who = str(clinic.practitioner.user)
    missed = book(clinic, offered, 10)
    with time_machine.travel(datetime(2026, 11, 24, 10, 5, tzinfo=UTC), tick=False):
        booking_no_show(booking=missed)
        html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY, "?colour=status")
        assert bookable(html, who, "10:30")  # the no-show's time is free again
        assert 'class="booking status-no_show"' in html  # but its card stays
        walk_in = booking_create(
            client=factories.screened_client(clinic.organisation),
            service=offered,
            starts_at=datetime(2026, 11, 24, 10, 30, tzinfo=clinic.location.zone),
            channel=Channel.STAFF,
        )
        html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    assert f"10:30 {walk_in.client.full_name}" in html
    assert 'data-row="6" data-span="4" data-lane="0" data-lanes="2"' in html  # the no-show
    assert 'data-row="8" data-span="4" data-lane="1" data-lanes="2"' in html  # beside it


@pytest.mark.parametrize("name", ["day", "week"])
def test_the_keyboard_reaches_the_visits_before_the_free_times(clinic, offered, name):
    book(clinic, offered, 17)
    html = page(clinic.front_desk, name, clinic.location.slug, TUESDAY)
    assert html.index('<a class="booking') < html.index('<a class="slot free')


def test_the_room_view_says_moves_stay_in_their_room(clinic, offered):
    Room.objects.create(location=clinic.location, name="Room 2")
    html = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY, "?by=room")
    assert '<div class="calendar" data-by="room"' in html
    assert "By room, a booking moves only up or down its own column" in html
    by_practitioner = page(clinic.front_desk, "day", clinic.location.slug, TUESDAY)
    assert 'data-by="room"' not in by_practitioner
    assert "its own column" not in by_practitioner


# --- moving by dropping on the grid --------------------------------------------------------


def move(member, booking, **data):
    url = reverse("scheduling:booking_move", args=[booking.public_id])
    return factories.signed_in(member).post(url, data, HTTP_ACCEPT="application/json")


def test_a_drop_on_a_free_time_moves_the_booking_through_the_service(clinic, offered):
    booking = book(clinic, offered, 10)
    response = move(clinic.front_desk, booking, starts_at="2026-11-24T14:00")
    assert response.status_code == 200
    assert response.json() == {
        "moved": True,
        "message": f"Moved {booking.client.full_name} to Tuesday 24 November, 14:00 with "
        f"{clinic.practitioner.user.full_name}.",
    }
    booking.refresh_from_db()
    assert booking.starts_at == datetime(2026, 11, 24, 14, tzinfo=clinic.location.zone)
    event = BookingEvent.objects.get(booking=booking, kind=BookingEventKind.RESCHEDULED)
    assert event.by == clinic.front_desk.user


def test_a_drop_in_another_practitioners_column_moves_it_to_them(clinic, offered):
    booking = book(clinic, offered, 10)
    other = factories.staff_member(clinic.organisation, Role.PRACTITIONER, clinic.location)
    offered.practitioners.add(other)
    factories.works_opening_hours(other, clinic.location)
    response = move(
        clinic.front_desk, booking, starts_at="2026-11-24T11:00", practitioner=str(other.pk)
    )
    assert response.json()["moved"] is True
    booking.refresh_from_db()
    assert booking.practitioner == other
    assert booking.starts_at == datetime(2026, 11, 24, 11, tzinfo=clinic.location.zone)


@pytest.mark.parametrize(
    ("starts_at", "says"),
    [
        ("2026-11-24T12:00", "That time was just taken"),  # another visit is there
        ("2026-11-24T20:00", "That time is not available"),  # after closing
        ("2026-11-29T10:00", "That time is not available"),  # a Sunday
        ("tea time", "Enter a valid date/time"),
    ],
)
def test_a_refused_drop_says_why_and_changes_nothing(clinic, offered, starts_at, says):
    booking = book(clinic, offered, 10)
    book(clinic, offered, 12)
    response = move(clinic.front_desk, booking, starts_at=starts_at)
    assert response.status_code == 409
    assert response.json()["moved"] is False and says in response.json()["message"]
    before = booking.starts_at
    booking.refresh_from_db()
    assert booking.starts_at == before
    assert not BookingEvent.objects.filter(booking=booking, kind=BookingEventKind.RESCHEDULED)


def test_another_organisations_booking_is_not_found(clinic, other_clinic, offered):
    booking = book(clinic, offered, 10)
    response = move(other_clinic.owner, booking, starts_at="2026-11-24T14:00")
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.starts_at == datetime(2026, 11, 24, 10, tzinfo=clinic.location.zone)


def test_another_organisations_practitioner_is_not_a_choice(clinic, other_clinic, offered):
    booking = book(clinic, offered, 10)
    response = move(
        clinic.front_desk,
        booking,
        starts_at="2026-11-24T14:00",
        practitioner=str(other_clinic.practitioner.pk),
    )
    assert response.status_code == 409 and "valid choice" in response.json()["message"]


# --- moving from the booking page: a pick of free times ------------------------------------


def test_the_booking_page_offers_the_free_times_of_a_day_to_move_to(clinic, offered):
    booking = book(clinic, offered, 10)
    book(clinic, offered, 14)
    browser = factories.signed_in(clinic.front_desk)
    url = reverse("scheduling:booking", args=[booking.public_id])
    html = browser.get(url).content.decode()
    times = re.findall(r'name="starts_at" value="2026-11-24T(\d\d:\d\d)"', html)
    assert "10:15" in times  # overlapping its own time is no clash
    assert "10:00" not in times  # where it is already
    assert "14:00" not in times and "13:00" not in times  # the 14:00 visit and its buffer
    assert 'type="datetime-local"' not in html
    later = browser.get(url + "?on=2026-11-28").content.decode()
    assert re.findall(r'value="2026-11-28T(\d\d:\d\d)"', later)[0] == "11:00"
    browser.post(
        reverse("scheduling:booking_action", args=[booking.public_id, "reschedule"]),
        {"starts_at": "2026-11-28T11:00"},
    )
    booking.refresh_from_db()
    assert booking.starts_at == datetime(2026, 11, 28, 11, tzinfo=clinic.location.zone)
