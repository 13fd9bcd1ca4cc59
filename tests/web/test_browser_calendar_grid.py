"""The front desk moves a visit on the calendar grid, in a real browser: by dragging it,
by Alt + arrow keys, and from the booking page's pick of free times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from needlepoint.clinics.models import Room
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at(clinic, hour: int, minute: int = 0, day: int = 24) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=clinic.location.zone)


def test_dragging_a_visit_moves_it_and_a_refused_drop_puts_it_back(page, live_server):
    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation, first_name="Dora", last_name="Drag")
    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        booking = booking_create(
            client=client, service=offered, starts_at=at(clinic, 10), channel=Channel.STAFF
        )
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/calendar/{clinic.location.slug}/2026-11-24/")
        page.wait_for_load_state("load")
        visit = page.get_by_role("link", name="10:00 Dora Drag")
        cell = (
            f'.slot[data-starts="2026-11-24T14:00"][data-practitioner="{clinic.practitioner.pk}"]'
        )
        visit.drag_to(
            page.locator(cell), source_position={"x": 12, "y": 5}, target_position={"x": 12, "y": 8}
        )
        page.get_by_role("status").filter(
            has_text="Moved Dora Drag to Tuesday 24 November, 14:00"
        ).wait_for()
        page.get_by_role("link", name="14:00 Dora Drag").wait_for()
        booking.refresh_from_db()
        assert booking.starts_at == at(clinic, 14)
        assert page.url.endswith("/2026-11-24/")  # still on the calendar, not the booking

        # 17:30 is a free cell, but a one-hour visit would run past closing: refused
        visit = page.get_by_role("link", name="14:00 Dora Drag")
        late = page.locator('.slot[data-starts="2026-11-24T17:30"]').first
        visit.drag_to(late, source_position={"x": 12, "y": 5}, target_position={"x": 12, "y": 8})
        page.get_by_role("alert").filter(has_text="That time is not available").wait_for()
        assert visit.evaluate("element => element.style.transform") == ""  # snapped back
        booking.refresh_from_db()
        assert booking.starts_at == at(clinic, 14)

        # the keyboard: Alt + arrow down moves it a row later
        visit.focus()
        page.keyboard.press("Alt+ArrowDown")
        page.get_by_role("link", name="14:15 Dora Drag").wait_for()
        assert page.evaluate("document.activeElement.textContent").strip().startswith("14:15")
        booking.refresh_from_db()
        assert booking.starts_at == at(clinic, 14, 15)
        # axe-core (in checked) leaves style="" behind, which a later htmx swap would copy
        checked(page, "calendar-grid-day")

        page.goto(f"{live_server.url}/calendar/{clinic.location.slug}/week/2026-11-24/")
        page.wait_for_load_state("load")
        visit = page.get_by_role("link", name="14:15 Dora Drag")
        wednesday = page.locator('.slot[data-starts="2026-11-25T11:00"]')
        visit.drag_to(
            wednesday, source_position={"x": 12, "y": 5}, target_position={"x": 12, "y": 8}
        )
        page.get_by_role("link", name="11:00 Dora Drag").wait_for()
        booking.refresh_from_db()
        assert booking.starts_at == at(clinic, 11, day=25)
        checked(page, "calendar-grid-week")


def test_the_keyboard_moves_a_visit_from_the_booking_pages_free_times(page, live_server):
    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation, first_name="Kit", last_name="Keys")
    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        booking = booking_create(
            client=client, service=offered, starts_at=at(clinic, 10), channel=Channel.STAFF
        )
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/calendar/{clinic.location.slug}/2026-11-24/")
        page.wait_for_load_state("load")
        visit = page.get_by_role("link", name="10:00 Kit Keys")
        visit.focus()
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/bookings/{booking.public_id}/")
        page.wait_for_load_state("load")
        page.get_by_role("link", name="Day after →").focus()
        page.keyboard.press("Enter")
        page.get_by_text("Free times on Wednesday 25 November").wait_for()
        choice = page.get_by_label("15:00", exact=True)
        choice.focus()
        page.keyboard.press("Space")
        assert choice.is_checked()
        page.get_by_role("button", name="Move").focus()
        page.keyboard.press("Enter")
        page.get_by_text("Wednesday 25 November 2026, 15:00–16:00").wait_for()
        assert Booking.objects.get().starts_at == at(clinic, 15, day=25)
        checked(page, "booking-move-times")


def test_by_room_a_visit_moves_only_within_its_own_room_and_tab_reaches_it_first(page, live_server):
    clinic = factories.clinic()
    Room.objects.create(location=clinic.location, name="Room 2")
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation, first_name="Rhea", last_name="Room")
    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        booking = booking_create(
            client=client, service=offered, starts_at=at(clinic, 10), channel=Channel.STAFF
        )
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/calendar/{clinic.location.slug}/2026-11-24/?by=room")
        page.wait_for_load_state("load")
        page.get_by_text("By room, a booking moves only up or down its own column").wait_for()

        # the keyboard reaches the visit before the day's free times
        page.get_by_role("link", name="Colour by status").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent").strip().startswith("10:00")

        visit = page.get_by_role("link", name="10:00 Rhea Room")
        own = visit.get_attribute("data-column")
        other = "3" if own == "2" else "2"
        across = page.locator(f'.slot[data-starts="2026-11-24T14:00"][data-column="{other}"]')
        visit.drag_to(across, source_position={"x": 12, "y": 5}, target_position={"x": 12, "y": 8})
        page.keyboard.press("Alt+ArrowRight")  # across by keyboard: nothing either
        page.wait_for_timeout(500)
        assert visit.evaluate("element => element.style.transform") == ""
        assert page.locator("#calendar-said").text_content() == ""  # nothing sent
        assert page.url.endswith("/2026-11-24/?by=room")  # not the browser's Back
        booking.refresh_from_db()
        assert booking.starts_at == at(clinic, 10)

        down = page.locator(f'.slot[data-starts="2026-11-24T14:00"][data-column="{own}"]')
        visit.drag_to(down, source_position={"x": 12, "y": 5}, target_position={"x": 12, "y": 8})
        page.get_by_role("link", name="14:00 Rhea Room").wait_for()
        visit = page.get_by_role("link", name="14:00 Rhea Room")
        visit.focus()
        page.keyboard.press("Alt+ArrowDown")
        page.get_by_role("link", name="14:15 Rhea Room").wait_for()
        booking.refresh_from_db()
        assert booking.starts_at == at(clinic, 14, 15)
        checked(page, "calendar-grid-by-room")
