"""A client who needs a clinician's review asks online; the practitioner records the review
from the home page; the booking then goes through and the chart's screening check is green.
An absolute contraindication shows no way past it anywhere."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from needlepoint.scheduling.models import Booking
from tests import factories
from tests.browser import checked
from tests.web.test_browser_charting import sign_in
from tests.web.test_browser_online_booking import (
    answer_no_to_everything,
    choose_first_time,
    fill_details,
    press,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY_MORNING = datetime(2026, 11, 23, 8, tzinfo=UTC)
VISIT = datetime(2026, 11, 25, 10, tzinfo=UTC)


@pytest.fixture
def clinic():
    clinic = factories.clinic()
    clinic.location.email = "desk@clinic.test"
    clinic.location.save()
    factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    return clinic


def ask_online(page, base, clinic, question: str, email: str) -> None:
    choose_first_time(page, base, clinic)
    fill_details(page, email=email)
    answer_no_to_everything(page, except_for=question)
    press(page.get_by_role("group", name=question).get_by_label("Yes", exact=True))
    press(page.get_by_role("button", name="Check my answers"))


def test_the_practitioner_clears_a_review_and_the_asked_time_is_booked(page, live_server, clinic):
    from needlepoint.clinical import default_rules

    anticoagulant = default_rules().contraindication("ci.anticoagulant")
    base = live_server.url
    with time_machine.travel(MONDAY_MORNING, tick=True):
        ask_online(page, base, clinic, anticoagulant.question, "ana@example.test")
        page.get_by_text("A practitioner will check your answers").wait_for()
        assert not page.get_by_role("button", name="Confirm booking").count()

        page.context.clear_cookies()
        sign_in(page, base, clinic.practitioner)
        press(page.get_by_role("link", name="Record a review"))
        page.get_by_role("heading", name="Clinical review").wait_for()
        assert page.get_by_label(anticoagulant.name).is_checked()
        press(page.get_by_label("Cleared", exact=True))
        page.get_by_label("Reason").fill("Prescriber's letter of 20 November: INR stable.")
        checked(page, "clinical-review")
        press(page.get_by_role("button", name="Sign and record the review"))
        page.get_by_text("The screening is now: cleared").wait_for()
        checked(page, "clinical-review-recorded")

        page.goto(f"{base}/")
        press(page.get_by_role("link", name="Book this time"))
        page.get_by_role("heading", name="New booking").wait_for()
        press(page.get_by_role("button", name="Book"))
        page.get_by_role("heading", name="Ana Online").or_(
            page.get_by_text("Booked", exact=False)
        ).first.wait_for()
    booking = Booking.objects.get(client__email="ana@example.test")
    assert booking.starts_at == VISIT

    with time_machine.travel(VISIT - timedelta(minutes=40), tick=True):
        sign_in(page, base, clinic.practitioner)  # two days on, yesterday's session has ended
        page.goto(f"{base}/bookings/{booking.public_id}/")
        assert f"{anticoagulant.name}: cleared by" in page.inner_text(".notice")
        press(page.get_by_role("button", name="Start the chart"))
        page.get_by_role("heading", name="Before needling").wait_for()
        screening = page.locator(".checklist li").first
        assert "Cleared on" in screening.inner_text()
        assert f"After clinical review: {anticoagulant.name}: cleared by" in screening.inner_text()
        checked(page, "clinical-review-chart")


def test_an_absolute_contraindication_offers_no_override_anywhere(page, live_server, clinic):
    from needlepoint.clinical import default_rules

    keloid = default_rules().contraindication("ci.keloid_history")
    base = live_server.url
    with time_machine.travel(MONDAY_MORNING, tick=True):
        ask_online(page, base, clinic, keloid.question, "kim@example.test")
        page.get_by_role("heading", name="We can't offer this treatment").wait_for()

        page.context.clear_cookies()
        sign_in(page, base, clinic.practitioner)
        page.goto(f"{base}/clients/?q=Cleo")
        press(page.get_by_role("link", name="Online, Cleo"))
        page.get_by_role("heading", name="Cleo Online").wait_for()
        assert "Record a clinical review" not in page.inner_text("main")
        page.goto(f"{base}/calendar/{clinic.location.slug}/book/?starts_at=2026-11-25T10:00")
        page.get_by_label("Client").select_option(label="Cleo Online")
        page.get_by_label("Service").select_option(label="Microneedling — face")
        page.get_by_label("Override reason").fill("The client insists.")
        press(page.get_by_role("button", name="Book"))
        page.get_by_text("absolute contraindication can't be overridden").wait_for()
        checked(page, "booking-form-absolute")
    assert not Booking.objects.exists()
