"""Clients book online in a real browser, on a phone-sized screen and with the keyboard."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from needlepoint.clinical import default_rules
from needlepoint.scheduling.models import Booking
from tests import factories
from tests.browser import checked as looks_right

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MONDAY_MORNING = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture
def clinic():
    clinic = factories.clinic()
    factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    return clinic


def checked(page, name: str) -> None:
    looks_right(page, f"online-{name}")


def press(locator) -> None:
    """Activate a control from the keyboard: focus it, then Enter (links) or Space."""
    locator.focus()
    tag = locator.evaluate("element => element.tagName + ':' + (element.type || '')")
    locator.press("Space" if tag in {"INPUT:radio", "INPUT:checkbox"} else "Enter")


def choose_first_time(page, base: str, clinic) -> str:
    page.goto(f"{base}/c/{clinic.organisation.slug}/{clinic.location.slug}/")
    checked(page, "location")
    press(page.get_by_role("link", name="Book online"))
    press(page.get_by_role("link", name="Choose Microneedling — face"))
    page.get_by_role("heading", name="Choose a time").wait_for()
    press(page.get_by_role("link", name=re.compile(r"^Wed 25 Nov")))
    page.get_by_role("heading", name="Wednesday 25 November").wait_for()
    assert "day=2026-11-25" in page.url  # the days swap in place and the address follows
    checked(page, "times")
    press(page.get_by_role("button", name="10:00"))
    return "Wednesday 25 November 2026 at 10:00"


def fill_details(page, email: str = "cleo@example.test") -> None:
    page.get_by_role("heading", name="Your details").wait_for()
    page.get_by_label("First name").fill("Cleo")
    page.get_by_label("Last name").fill("Online")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mobile phone").fill("07400 123456")
    page.get_by_label("Date of birth").fill("1991-04-02")
    checked(page, "details")
    press(page.get_by_role("button", name="Continue"))
    page.get_by_role("heading", name="Check your email").wait_for()
    (code_email,) = [m for m in mail.outbox if m.to == [email] and "Your code" in m.subject]
    page.get_by_label("Code").fill(code_email.subject.rsplit(" ", 1)[-1])
    checked(page, "code")
    press(page.get_by_role("button", name="Continue"))


def answer_no_to_everything(page, *, except_for: str = "") -> None:
    page.get_by_role("heading", name="Health questions").wait_for()
    for question in default_rules().questions():
        if question.text != except_for:
            press(page.get_by_role("group", name=question.text).get_by_label("No", exact=True))


def test_a_cleared_client_books_online_and_is_emailed_the_appointment(
    page, live_server, clinic, settings
):
    settings.SITE_URL = live_server.url
    with time_machine.travel(MONDAY_MORNING, tick=True):
        when = choose_first_time(page, live_server.url, clinic)
        fill_details(page)
        answer_no_to_everything(page)
        checked(page, "health")
        press(page.get_by_role("button", name="Check my answers"))
        page.get_by_role("heading", name="You're all set to book").wait_for()
        checked(page, "confirm")
        press(page.get_by_role("button", name="Confirm booking"))
        page.get_by_role("heading", name="Your appointment is booked").wait_for()
        assert when in page.inner_text("main")
        checked(page, "booked")

    booking = Booking.objects.get()
    assert (booking.client.email, booking.channel) == ("cleo@example.test", "online")
    assert booking.starts_at == datetime(2026, 11, 25, 10, tzinfo=UTC)
    (email,) = [email for email in mail.outbox if "confirmed" in email.subject]
    assert email.to == ["cleo@example.test"]
    assert "Wednesday 25 November 2026 at 10:00 (Europe/London)" in email.body
    assert f"{live_server.url}/b/" in email.body
    ((name, ics, _),) = email.attachments
    assert name == "appointment.ics"
    assert "DTSTART:20261125T100000Z" in ics


def test_a_client_with_sunburn_is_told_when_and_offered_times_from_that_date(
    page, live_server, clinic
):
    sunburn = next(q for q in default_rules().questions() if q.key == "ci.sunburn_area")
    with time_machine.travel(MONDAY_MORNING, tick=True):
        choose_first_time(page, live_server.url, clinic)
        fill_details(page, email="sunny@example.test")
        answer_no_to_everything(page, except_for=sunburn.text)
        question = page.get_by_role("group", name=sunburn.text)
        press(question.get_by_label("Yes", exact=True))
        question.get_by_label(sunburn.date_question).fill("2026-11-20")
        press(page.get_by_role("button", name="Check my answers"))
        page.get_by_role("heading", name="Let's find a later date").wait_for()
        text = page.inner_text("main")
        checked(page, "deferred")
        earliest = re.search(r"we can treat you from (\d+ \w+ 2026)", text)
        assert earliest is not None, text
        press(page.get_by_role("link", name=re.compile("See times from")))
        page.get_by_role("heading", name="Choose a time").wait_for()
        day = datetime.strptime(earliest.group(1), "%d %B %Y")
        first_day = " ".join(page.locator(".day-strip .day").first.inner_text().split())
        assert first_day.startswith(f"{day:%a} {day.day} {day:%b}")

    assert not Booking.objects.exists()


def test_a_visitor_subscribes_to_the_newsletter_and_confirms_from_the_email(
    page, live_server, clinic
):
    page.goto(f"{live_server.url}/c/{clinic.organisation.slug}/{clinic.location.slug}/")
    page.get_by_label("Your email").fill("fan@example.test")
    press(page.get_by_role("button", name="Sign me up"))
    page.get_by_role("heading", name="Check your inbox").wait_for()
    checked(page, "newsletter-check-inbox")
    (email,) = mail.outbox  # sent through the outbox; its links are on NEEDLEPOINT_SITE_URL
    link = re.search(r"https?://[^/\s]+(/n/confirm/\S+/)", email.body)
    assert link is not None
    page.goto(f"{live_server.url}{link.group(1)}")
    checked(page, "newsletter-confirm")
    press(page.get_by_role("button", name="Yes, subscribe me"))
    page.get_by_role("heading", name="You're subscribed").wait_for()
    consent = clinic.organisation.marketing_consents.get()
    assert consent.is_live


def test_a_client_draws_a_signature_on_the_consent_form_from_the_booking_link(
    page, live_server, clinic
):
    from needlepoint.consents.models import ConsentForm, SignedConsent
    from needlepoint.consents.services import consent_form_publish
    from needlepoint.scheduling.choices import Channel
    from needlepoint.scheduling.links import booking_link
    from needlepoint.scheduling.services import booking_create

    offered = clinic.location.services.get()
    form = ConsentForm.objects.create(
        organisation=clinic.organisation, name="Microneedling consent"
    )
    form.services.add(offered)
    consent_form_publish(
        form=form,
        text="Microneedling makes tiny punctures in the skin.\n\nRedness for 1–3 days is expected.",
    )
    someone = factories.screened_client(clinic.organisation, first_name="Dana")
    with time_machine.travel(MONDAY_MORNING, tick=True):
        booking = booking_create(
            client=someone,
            service=offered,
            starts_at=datetime(2026, 11, 25, 10, tzinfo=UTC),
            channel=Channel.ONLINE,
        )
        page.goto(f"{live_server.url}{booking_link(booking)}")
        press(page.get_by_role("link", name="Read and sign: Microneedling consent"))
        page.get_by_role("heading", name="Microneedling consent").wait_for()
        press(page.get_by_label("Drawn signature"))
        pad = page.locator("#signature-pad")
        pad.wait_for(state="visible")  # shown by the page's script once "Drawn" is chosen
        box = pad.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + 30, box["y"] + box["height"] / 2)
        page.mouse.down()
        for step in range(1, 12):
            page.mouse.move(
                box["x"] + 30 + step * 25, box["y"] + box["height"] / 2 + (step % 3) * 12
            )
        page.mouse.up()
        press(page.get_by_label("I have read this form"))
        checked(page, "consent-sign")
        press(page.get_by_role("button", name="Sign"))
        page.get_by_role("heading", name="Signed forms").wait_for()
        checked(page, "consent-signed")

    signed = SignedConsent.objects.get()
    assert signed.kind == "drawn" and bytes(signed.drawing_png).startswith(b"\x89PNG")
    assert signed.ip_address == "127.0.0.1"


def test_a_client_signs_in_to_the_portal_by_email_link_and_updates_their_history(
    page, live_server, clinic
):
    someone = factories.screened_client(clinic.organisation, email="dana@example.test")
    with time_machine.travel(MONDAY_MORNING, tick=True):
        page.goto(f"{live_server.url}/my/{clinic.organisation.slug}/")
        page.get_by_label("Your email").fill("dana@example.test")
        checked(page, "portal-sign-in")
        press(page.get_by_role("button", name="Email me a sign-in link"))
        page.get_by_role("heading", name="Check your inbox").wait_for()
        (email,) = mail.outbox
        link = re.search(r"(http://\S+/sign-in/\S+/)", email.body)
        assert link is not None
        page.goto(link.group(1))
        press(page.get_by_role("button", name="Sign me in"))
        page.get_by_role("heading", name=f"Hello {someone.first_name}").wait_for()
        checked(page, "portal-home")
        press(page.get_by_role("link", name="Update my medical history"))
        page.get_by_role("heading", name="Your medical history").wait_for()
        checked(page, "portal-health")
        press(page.get_by_role("button", name="Save my answers"))
        page.get_by_text("your medical history is updated").wait_for()
    assert someone.questionnaires.count() == 2
