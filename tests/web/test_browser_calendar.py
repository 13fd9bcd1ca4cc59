"""The front desk books from an empty slot in the day calendar, in a real browser."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.services import questionnaire_submit
from needlepoint.clinical import default_rules
from tests import factories
from tests.browser import screenshot
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_booking_from_an_empty_slot_puts_the_visit_on_the_calendar(page, live_server):
    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    client = factories.client(clinic.organisation, first_name="Cleo", last_name="Calendar")
    answers = {q.key: {"present": False} for q in default_rules().questions()}
    questionnaire_submit(
        client=client,
        answers=answers,
        answered_on=date(2026, 11, 20),
        source=SubmissionSource.STAFF,
    )

    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/calendar/{clinic.location.slug}/2026-11-24/")
        page.get_by_label(f"Book {clinic.practitioner.user} at 10:00").click()
        page.get_by_label("Client").select_option(label=str(client))
        page.get_by_label("Service").select_option(label=offered.name)
        page.get_by_role("button", name="Book").click()
        page.get_by_text("Booked Microneedling").wait_for()
        assert "Tuesday 24 November 2026, 10:00–11:00" in page.content()
        screenshot(page, "booking-detail")

        page.goto(f"{live_server.url}/calendar/{clinic.location.slug}/2026-11-24/")
        assert page.get_by_role("link", name="10:00 Cleo Calendar").is_visible()
        screenshot(page, "calendar-desktop")
        page.set_viewport_size({"width": 375, "height": 800})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
        screenshot(page, "calendar-phone")


def test_moving_and_cancelling_update_the_booking_in_place(page, live_server):
    from needlepoint.scheduling.choices import Channel
    from needlepoint.scheduling.services import booking_create

    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    client = factories.client(clinic.organisation)
    answers = {q.key: {"present": False} for q in default_rules().questions()}
    questionnaire_submit(
        client=client,
        answers=answers,
        answered_on=date(2026, 11, 20),
        source=SubmissionSource.STAFF,
    )
    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        booking = booking_create(
            client=client,
            service=offered,
            starts_at=datetime(2026, 11, 24, 10, tzinfo=clinic.location.zone),
            channel=Channel.STAFF,
        )
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/bookings/{booking.public_id}/")
        page.evaluate("window.marker = 'same page'")  # survives only if nothing reloads the page
        page.get_by_label("14:00", exact=True).check()  # picked from the free times, not typed
        page.get_by_role("button", name="Move").click()
        page.get_by_text("Tuesday 24 November 2026, 14:00–15:00").wait_for()
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Cancel booking").click()
        page.locator(".badge", has_text="Cancelled").wait_for()
        assert page.evaluate("window.marker") == "same page"
        assert page.get_by_text("Moved").is_visible()
        screenshot(page, "booking-cancelled")

        page.goto(f"{live_server.url}/calendar/{clinic.location.slug}/2026-11-24/")
        page.evaluate("window.marker = 'same page'")
        page.get_by_role("link", name="Next day →").click()
        page.get_by_text("Wednesday 25 November 2026").wait_for()
        assert page.evaluate("window.marker") == "same page"
        assert page.url.endswith("/2026-11-25/")
