"""A walk-in is booked for today and handed the clinic's tablet: they answer the health
questions and sign the consent by drawing; the front desk takes the tablet back with
their password. In a real browser, at desktop, tablet (800 px) and phone (375 px) widths."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from needlepoint.consents.models import ConsentForm, SignedConsent
from needlepoint.consents.services import consent_form_publish
from tests import factories
from tests.browser import checked, screenshot
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at_tablet_width(page, name: str) -> None:
    """The page at a tablet's width: nothing scrolls sideways; saved to look at."""
    page.set_viewport_size({"width": 800, "height": 1100})
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{name} scrolls sideways at 800 px"
    screenshot(page, f"{name}-tablet")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_walk_in_fills_the_history_and_signs_on_the_clinics_tablet(page, live_server):
    clinic = factories.clinic()
    consultation = factories.service(
        clinic.location, name="Skin consultation", kind="consultation", area="", indication=""
    )
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Consultation consent")
    form.services.add(consultation)
    consent_form_publish(
        form=form, text="The practitioner may examine and photograph my skin for my record."
    )
    walk_in = factories.client(clinic.organisation, first_name="Wren", last_name="Walkin")

    with time_machine.travel(datetime(2026, 11, 24, 9, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/calendar/{clinic.location.slug}/book/?client={walk_in.pk}")
        page.get_by_label("Service").select_option(label=consultation.name)
        page.get_by_label("Start (local time)").fill("2026-11-24T11:00")
        page.get_by_role("button", name="Book").click()
        page.get_by_text("Booked Skin consultation for Wren Walkin").wait_for()
        booking_url = page.url
        checked(page, "kiosk-booking-before")

        page.get_by_role("button", name="Hand the tablet to the client").click()
        page.get_by_role("heading", name="Health questions").wait_for()
        assert page.get_by_role("navigation", name="Main").count() == 0
        checked(page, "kiosk-history")
        at_tablet_width(page, "kiosk-history")
        page.goto(f"{live_server.url}/clients/")  # the staff pages stay out of reach
        page.get_by_role("heading", name="Health questions").wait_for()

        for no in page.locator("input[type=radio][value=no]").all():
            no.check()
        page.get_by_role("button", name="Check my answers").click()
        page.get_by_role("heading", name="Thank you").wait_for()
        checked(page, "kiosk-outcome")
        page.get_by_role("link", name="Continue to the consent form").click()

        page.get_by_role("heading", name="Consultation consent").wait_for()
        page.get_by_label("Drawn signature").check()
        pad = page.locator("#signature-pad")
        pad.wait_for(state="visible")
        box = pad.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + 30, box["y"] + box["height"] / 2)
        page.mouse.down()
        for step in range(1, 12):
            page.mouse.move(
                box["x"] + 30 + step * 20, box["y"] + box["height"] / 2 + (step % 3) * 10
            )
        page.mouse.up()
        page.get_by_label("I have read this form").check()
        checked(page, "kiosk-consent")
        at_tablet_width(page, "kiosk-consent")
        page.get_by_role("button", name="Sign").click()

        page.get_by_text("Please hand the tablet back").wait_for()
        checked(page, "kiosk-done")
        at_tablet_width(page, "kiosk-done")
        page.get_by_role("link", name="Staff").click()
        page.get_by_label("Your password").wait_for()
        checked(page, "kiosk-exit")
        page.get_by_label("Your password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Take the tablet back").click()
        page.wait_for_url(booking_url)
        page.get_by_text("The tablet is back in staff mode.").wait_for()
        checked(page, "kiosk-booking-after")

    signed = SignedConsent.objects.get(client=walk_in)
    assert signed.kind == "drawn" and bytes(signed.drawing_png).startswith(b"\x89PNG")
    assert walk_in.questionnaires.get().source == "kiosk"
    assert {s.outcome for s in walk_in.screenings.all()} == {"cleared"}
    body = page.locator("main").inner_text()
    assert "Consultation consent" in body and "On the clinic's tablet" in body


def test_a_session_lapsing_in_the_clients_hands_asks_for_the_tablet_back(page, live_server):
    clinic = factories.clinic()
    booking = factories.booked_treatment(clinic, datetime(2026, 11, 24, 14, tzinfo=UTC))
    booking_url = f"{live_server.url}/bookings/{booking.public_id}/"
    with time_machine.travel(datetime(2026, 11, 24, 13, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.front_desk)
        page.goto(booking_url)
        page.get_by_role("button", name="Hand the tablet to the client").click()
        page.get_by_role("heading", name="Health questions").wait_for()
    with time_machine.travel(datetime(2026, 11, 24, 13, 20, tzinfo=UTC), tick=True):
        for no in page.locator("input[type=radio][value=no]").all():
            no.check()
        page.get_by_role("button", name="Check my answers").click()
        page.get_by_role("heading", name="Please hand the tablet back").wait_for()
        assert page.locator("input[type=password]").count() == 0
        checked(page, "kiosk-hand-back")
        page.get_by_role("button", name="Staff: sign in again").click()
        page.wait_for_url("**/accounts/login/**")
        page.get_by_label("Email").fill(clinic.front_desk.user.email)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(booking_url)
        page.get_by_role("button", name="Hand the tablet to the client").wait_for()
