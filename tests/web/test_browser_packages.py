"""A course bought online in a real browser (localstripe): a client buys a 3-session
course with the test card and books session 1 in the same flow; a later screening answers
"sunburn" and defers them, and the portal shows the package's expiry moved; the later
sessions are done and redeemed; the owner sees the liability fall on the report. The
staff pages of a package are checked too (axe, 375 px, screenshots)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from needlepoint.clinical import default_rules
from needlepoint.core.money import Money
from needlepoint.packages import services as packages
from needlepoint.packages.models import Package, Pause
from needlepoint.payments.choices import Method, Purpose
from needlepoint.payments.models import Payment
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_check_in, booking_complete, booking_create
from tests import factories
from tests.browser import checked as looks_right
from tests.web.test_browser import sign_in
from tests.web.test_browser_online_booking import (
    MONDAY_MORNING,
    answer_no_to_everything,
    choose_first_time,
    fill_details,
    press,
)
from tests.web.test_browser_online_deposits import type_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WEDNESDAY_TEN = datetime(2026, 11, 25, 10, tzinfo=UTC)
SUNBURN_DAY = datetime(2026, 12, 21, 9, tzinfo=UTC)  # a Monday; burnt the day before
SECOND = datetime(2027, 1, 13, 10, tzinfo=UTC)  # Wednesdays, once the skin has healed
THIRD = datetime(2027, 2, 10, 10, tzinfo=UTC)


def checked(page, name: str) -> None:
    looks_right(page, f"packages-{name}")


@pytest.fixture
def clinic():
    """A clinic selling a course of 3 face treatments online, £450, valid 90 days."""
    clinic = factories.clinic()
    face = factories.service(clinic.location)  # £180.00
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    packages.offer_create(
        service=face,
        terms=packages.OfferTerms("Acne scars × 3", 3, Money(45000, "GBP"), 90, True),
        by=clinic.owner.user,
    )
    return clinic


def buy_a_course(page, live_server, clinic) -> Booking:
    choose_first_time(page, live_server.url, clinic)
    fill_details(page)
    answer_no_to_everything(page)
    press(page.get_by_role("button", name="Check my answers"))
    page.get_by_role("heading", name="You're all set to book").wait_for()
    course = page.get_by_label(re.compile(r"A course of 3 sessions: £450\.00"))
    press(course)
    checked(page, "choose")
    press(page.get_by_label("I accept the cancellation policy"))
    press(page.get_by_role("button", name="Continue", exact=True))
    page.get_by_role("heading", name="Pay for your course").wait_for()
    page.locator("#card-element input").first.wait_for()  # mounted by Stripe.js
    type_card(page, "4000000000000002")  # declined
    press(page.get_by_role("button", name="Pay £450.00 and book"))
    page.get_by_role("alert").get_by_text("Your card was declined.").wait_for()
    assert not Booking.objects.exists() and not Package.objects.exists()
    type_card(page, "4242424242424242")
    checked(page, "card")
    press(page.get_by_role("button", name="Pay £450.00 and book"))
    page.get_by_role("heading", name="Your appointment is booked").wait_for()
    return Booking.objects.get()


def portal(page, live_server, clinic) -> None:
    page.goto(f"{live_server.url}/my/{clinic.organisation.slug}/")
    page.get_by_label("Your email").fill("cleo@example.test")
    press(page.get_by_role("button", name="Email me a sign-in link"))
    page.get_by_role("heading", name="Check your inbox").wait_for()
    email = [m for m in mail.outbox if "sign-in link" in m.subject][-1]
    link = re.search(r"https?://[^/\s]+(/my/\S+/sign-in/\S+/)", email.body)
    assert link is not None
    page.goto(f"{live_server.url}{link.group(1)}")
    press(page.get_by_role("button", name="Sign me in"))


def done(booking: Booking) -> None:
    with time_machine.travel(booking.starts_at, tick=False):
        booking_check_in(booking=booking)
        booking_complete(booking=booking)


def liability_shown(page, live_server) -> str:
    page.goto(f"{live_server.url}/reports/packages/?start=2026-11-01&end=2027-02-28")
    return page.get_by_test_id("liability").inner_text()


def test_a_course_bought_online_redeems_through_a_deferral_and_the_liability_falls(
    page, live_server, stripe_clinic, settings
):
    settings.SITE_URL = live_server.url
    clinic = stripe_clinic
    with time_machine.travel(MONDAY_MORNING, tick=True):
        first = buy_a_course(page, live_server, clinic)
    package = Package.objects.get()
    assert first.course_id == package.course_id and first.starts_at == WEDNESDAY_TEN
    paid = Payment.objects.get(invoice=package.invoice)
    assert (paid.method, paid.purpose, paid.amount_minor) == (
        Method.CARD_ONLINE,
        Purpose.PACKAGE,
        45000,
    )
    done(first)

    sunburn = next(q for q in default_rules().questions() if q.key == "ci.sunburn_area")
    with time_machine.travel(SUNBURN_DAY, tick=True):
        portal(page, live_server, clinic)
        page.get_by_test_id("portal-packages").get_by_text(
            "1 of 3 used, expires 21 February 2027"
        ).wait_for()
        press(page.get_by_role("link", name="Update my medical history"))
        question = page.get_by_role("group", name=sunburn.text)
        press(question.get_by_label("Yes", exact=True))
        question.get_by_label(sunburn.date_question).fill("2026-12-20")
        press(page.get_by_role("button", name="Save my answers"))
        page.get_by_text("Some treatments need to wait").wait_for()
        page.goto(f"{live_server.url}/my/{clinic.organisation.slug}/")
        # deferred 21 December to 3 January: thirteen days more
        page.get_by_test_id("portal-packages").get_by_text(
            "1 of 3 used, expires 6 March 2027"
        ).wait_for()
        checked(page, "portal")
    pause = Pause.objects.get(package=package)
    assert (pause.starts_on.isoformat(), pause.ends_on.isoformat()) == ("2026-12-21", "2027-01-03")

    with time_machine.travel(SUNBURN_DAY + timedelta(hours=1), tick=True):
        sign_in(page, live_server, clinic.owner)
        assert liability_shown(page, live_server) == "£300.00"
        checked(page, "report")
        page.goto(f"{live_server.url}/packages/{package.public_id}/")
        page.get_by_role("heading", name="Why the expiry moved").wait_for()
        checked(page, "detail")
        page.goto(f"{live_server.url}/clients/{package.client.public_id}/")
        page.get_by_text("1 of 3 used, expires 6 March 2027").first.wait_for()
        checked(page, "client")
        page.goto(f"{live_server.url}/settings/packages/")
        page.get_by_role("heading", name="Packages").wait_for()
        checked(page, "offers")
        page.goto(f"{live_server.url}/clients/{package.client.public_id}/packages/sell/")
        page.get_by_role("heading", name="Sell a course").wait_for()
        checked(page, "sell")

    later = []
    for when in (SECOND, THIRD):
        with time_machine.travel(SUNBURN_DAY + timedelta(days=20), tick=False):
            later.append(
                booking_create(
                    client=package.client,
                    service=package.service,
                    starts_at=when,
                    channel=Channel.STAFF,
                    practitioner=clinic.practitioner,
                )
            )
    for booking in later:
        assert booking.course_id == package.course_id  # joined the package
        done(booking)
    package.refresh_from_db()
    assert package.used == 3 and package.status == "used_up"
    assert all(b.status == BookingStatus.COMPLETED for b in later)

    with time_machine.travel(THIRD + timedelta(hours=3), tick=True):
        sign_in(page, live_server, clinic.owner)
        assert liability_shown(page, live_server) == "£0.00"
