"""The staff calendar and booking pages: book from a free slot, move, cancel, history."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needlepoint.clinics.models import Room
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories

TUESDAY = date(2026, 11, 24)
pytestmark = pytest.mark.usefixtures("frozen_monday")


@pytest.fixture
def frozen_monday():
    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=False):
        yield


def signed_in(member) -> Browser:
    return factories.signed_in(member)


def screened_client(clinic):
    return factories.screened_client(clinic.organisation)


@pytest.fixture
def offered(clinic):
    return factories.service(clinic.location)


def day_url(clinic, day=TUESDAY, **query) -> str:
    url = reverse("scheduling:day", args=[clinic.location.slug, day.isoformat()])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_front_desk_books_a_free_time_from_the_form(clinic, offered):
    client = screened_client(clinic)
    browser = signed_in(clinic.front_desk)
    response = browser.post(
        reverse("scheduling:book", args=[clinic.location.slug]),
        {"client": client.pk, "service": offered.pk, "starts_at": "2026-11-24T10:00"},
    )
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "scheduling:booking", args=[booking.public_id]
    )
    assert booking.channel == Channel.STAFF and booking.created_by == clinic.front_desk.user
    page = browser.get(day_url(clinic)).content.decode()
    block = page[page.index(f"10:00 {client.full_name}") :]
    block = block[: block.index("</a>")]
    assert "Room 1" in block and "<a " not in block  # the visit's room, no link nested inside


def test_a_refused_booking_shows_why_and_writes_nothing(clinic, offered):
    client = screened_client(clinic)
    response = signed_in(clinic.front_desk).post(
        reverse("scheduling:book", args=[clinic.location.slug]),
        {"client": client.pk, "service": offered.pk, "starts_at": "2026-11-29T10:00"},  # a Sunday
    )
    assert response.status_code == 200
    assert "not available" in response.content.decode()
    assert not Booking.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"client": "999999", "service": "1", "starts_at": "2026-11-24T10:00"},
        {"client": "1", "service": "1", "starts_at": "not a time"},
        {
            "client": "1",
            "service": "1",
            "starts_at": "2027-03-28T01:30",
        },  # skipped by the clocks in London
    ],
)
def test_bad_booking_input_is_refused_clearly(clinic, offered, data):
    response = signed_in(clinic.front_desk).post(
        reverse("scheduling:book", args=[clinic.location.slug]), data
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not Booking.objects.exists()


def test_another_organisations_client_is_not_a_choice(clinic, other_clinic, offered):
    stranger = factories.client(other_clinic.organisation)
    response = signed_in(clinic.front_desk).post(
        reverse("scheduling:book", args=[clinic.location.slug]),
        {"client": stranger.pk, "service": offered.pk, "starts_at": "2026-11-24T10:00"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Booking.objects.exists()


def book(clinic, offered, hour=10):
    start = datetime(2026, 11, 24, hour, tzinfo=clinic.location.zone)
    return booking_create(
        client=screened_client(clinic), service=offered, starts_at=start, channel=Channel.STAFF
    )


def test_moving_and_cancelling_from_the_booking_page_keeps_the_history(clinic, offered):
    booking = book(clinic, offered)
    browser = signed_in(clinic.front_desk)
    browser.post(
        reverse("scheduling:booking_action", args=[booking.public_id, "reschedule"]),
        {"starts_at": "2026-11-24T14:00"},
    )
    browser.post(
        reverse("scheduling:booking_action", args=[booking.public_id, "cancel"]),
        {"reason": "Poorly"},
    )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    page = browser.get(reverse("scheduling:booking", args=[booking.public_id])).content.decode()
    for words in ("Booked", "Moved", "Cancelled", "Poorly", "Europe/London"):
        assert words in page
    assert "(to 24 Nov 2026 14:00)" in page  # the clinic's words, not 2026-11-24T14:00:00+00:00
    assert "T14:00:00" not in page


def test_a_refused_action_is_explained_on_the_booking_page(clinic, offered):
    booking = book(clinic, offered)
    browser = signed_in(clinic.front_desk)
    response = browser.post(
        reverse("scheduling:booking_action", args=[booking.public_id, "complete"]), follow=True
    )
    assert "can&#x27;t be completed" in response.content.decode()


def test_another_organisations_booking_is_not_found(clinic, other_clinic, offered):
    booking = book(clinic, offered)
    browser = signed_in(other_clinic.owner)
    assert browser.get(reverse("scheduling:booking", args=[booking.public_id])).status_code == 404
    cancel = reverse("scheduling:booking_action", args=[booking.public_id, "cancel"])
    assert browser.post(cancel).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.BOOKED
    their_own_calendar = browser.get(day_url(clinic)).content.decode()  # same slug, their location
    assert booking.client.full_name not in their_own_calendar


def count_queries(browser, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


# Signing in costs the session, then the user with their staff row and two-step device; the
# day then reads the location, the set-up token and the visits, and by practitioner the
# column heads (staff names are not set-up: a renamed user shows at once). Rooms, hours,
# shifts and time off are kept under the token.
@pytest.mark.parametrize(("by", "queries"), [("practitioner", 6), ("room", 5)])
def test_the_day_calendar_costs_the_same_queries_for_one_or_many_bookings(
    clinic, offered, by, queries
):
    browser = signed_in(clinic.practitioner)
    book(clinic, offered, 9)
    count_queries(browser, day_url(clinic, by=by))  # the set-up reads are kept after the first
    one = count_queries(browser, day_url(clinic, by=by))
    assert one == queries
    for hour in (11, 13, 15, 17):
        book(clinic, offered, hour)
    assert count_queries(browser, day_url(clinic, by=by)) == one


def test_a_renamed_practitioner_shows_at_once_and_a_new_room_after_the_set_up_changes(
    clinic, offered
):
    browser = signed_in(clinic.front_desk)
    assert browser.get(day_url(clinic)).status_code == 200
    assert browser.get(day_url(clinic, by="room")).status_code == 200
    clinic.practitioner.user.full_name = "Dr Renamed"
    clinic.practitioner.user.save()
    Room.objects.create(location=clinic.location, name="Garden room")
    assert "Dr Renamed" in browser.get(day_url(clinic)).content.decode()
    assert "Garden room" in browser.get(day_url(clinic, by="room")).content.decode()


@pytest.mark.parametrize("page", ["scheduling:day", "scheduling:week"])
def test_a_location_the_staff_member_does_not_work_at_is_not_found(clinic, other_clinic, page):
    elsewhere = factories.location(clinic.organisation, name="Quay Road")
    url = reverse(page, args=[elsewhere.slug, TUESDAY.isoformat()])
    for member in (clinic.practitioner, clinic.front_desk):
        assert signed_in(member).get(url).status_code == 404
    for member in (clinic.owner, clinic.manager):  # they see every location of their own
        assert elsewhere.name in signed_in(member).get(url).content.decode()
    assert signed_in(other_clinic.manager).get(url).status_code == 404


def test_a_day_that_is_not_a_date_is_not_found(clinic):
    url = reverse("scheduling:day", args=[clinic.location.slug, "2026-13-45"])
    assert signed_in(clinic.front_desk).get(url).status_code == 404


def test_the_week_shows_each_days_bookings_in_the_locations_time(clinic, offered):
    booking = book(clinic, offered, 10)
    browser = signed_in(clinic.front_desk)
    url = reverse("scheduling:week", args=[clinic.location.slug, "2026-11-26"])
    browser.get(url)  # the set-up reads are kept after the first
    with CaptureQueriesContext(connection) as one:
        page = browser.get(url).content.decode()
    assert "week of 23 November 2026" in page
    assert len(one) == 6  # as the day by practitioner, whose staff give the week its shading
    assert f"10:00 {booking.client.full_name}" in page
    for hour in (12, 14, 16):
        book(clinic, offered, hour)
    with CaptureQueriesContext(connection) as many:
        browser.get(url)
    assert len(many) == len(one)
