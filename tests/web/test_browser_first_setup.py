"""A brand-new owner, from `needlepoint createowner` to the first online booking, in a real
browser: sign in, two-step set-up, the guided set-up's one form, then a client books a
consultation online. The form submissions are counted (docs/running-the-clinic.md)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from needlepoint.accounts.models import User
from needlepoint.clinical import default_rules
from needlepoint.scheduling.models import Booking
from tests import factories
from tests.browser import checked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY_MORNING = datetime(2027, 3, 1, 8, tzinfo=UTC)
PASSWORD = "a long enough passphrase"


def test_a_new_owner_opens_for_online_booking_and_a_client_books(
    page, live_server, settings, monkeypatch
):
    settings.SITE_URL = live_server.url
    monkeypatch.setenv("NEEDLEPOINT_OWNER_PASSWORD", PASSWORD)
    call_command(
        "createowner", organisation="Lotus Skin", email="lee@lotus.example", name="Lee Lotus"
    )
    submissions: list[str] = []
    page.on(
        "request",
        lambda request: request.method == "POST" and submissions.append(request.url),
    )
    with time_machine.travel(MONDAY_MORNING, tick=True):
        page.goto(f"{live_server.url}/")
        page.get_by_label("Email").fill("lee@lotus.example")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Two-step sign-in").wait_for()
        factories.give_code_in_browser(page, User.objects.get(email="lee@lotus.example"))
        page.get_by_role("link", name="Finish setting up").click()

        page.get_by_role("heading", name="Who treats clients").wait_for()
        page.get_by_label("Location name").fill("High Street")
        page.get_by_label("Address").fill("1 High Street, Bath")
        page.get_by_label("Phone").fill("01225 000000")
        page.get_by_label("Its serial number").fill("DP-0001")
        checked(page, "first-setup")
        page.get_by_role("button", name="Open for online booking").click()

        page.get_by_role("heading", name="Your clinic is open for online booking").wait_for()
        checked(page, "first-setup-done")
        owner_submissions = len(submissions)
        booking_page = page.locator(".booking-address a").get_attribute("href")
        page.context.clear_cookies()

        page.goto(f"{live_server.url}{booking_page}")
        page.get_by_role("link", name="Book online").click()
        page.get_by_role("link", name="Choose Consultation").click()
        page.get_by_role("heading", name="Choose a time").wait_for()
        page.get_by_role("link", name=re.compile(r"^Tue 2 Mar")).click()
        page.get_by_role("heading", name="Tuesday 2 March").wait_for()
        page.get_by_role("button", name="10:00").click()
        page.get_by_role("heading", name="Your details").wait_for()
        page.get_by_label("First name").fill("Cleo")
        page.get_by_label("Last name").fill("First")
        page.get_by_label("Email").fill("cleo@example.test")
        page.get_by_label("Mobile phone").fill("07400 123456")
        page.get_by_label("Date of birth").fill("1991-04-02")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Check your email").wait_for()
        (code,) = [m for m in mail.outbox if m.to == ["cleo@example.test"]]
        page.get_by_label("Code").fill(code.subject.rsplit(" ", 1)[-1])
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("heading", name="Health questions").wait_for()
        for question in default_rules().questions():
            page.get_by_role("group", name=question.text).get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Check my answers").click()
        page.get_by_role("button", name="Confirm booking").click()
        page.get_by_role("heading", name="Your appointment is booked").wait_for()

    booking = Booking.objects.get()
    assert booking.starts_at == datetime(2027, 3, 2, 10, tzinfo=UTC)
    assert (booking.client.email, booking.channel) == ("cleo@example.test", "online")
    assert owner_submissions == 3  # sign in, the two-step code, the set-up form
    assert len(submissions) <= 8, submissions
