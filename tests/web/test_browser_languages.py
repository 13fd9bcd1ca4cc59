"""Journeys in Spanish and German in a real browser: online booking, the client's portal and
the practitioner's chart. Each page says its language (`<html lang>`), shows no English
message of any catalogue, passes axe-core and is saved at desktop and 375 px.

The list of English messages is read from the compiled catalogues, so a message added in
English and not yet translated fails here as well as in tests/project/test_translations.py.
"""

from __future__ import annotations

import functools
import gettext
import os
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.core import mail

from needlepoint.clinical import default_rules
from needlepoint.clinics.models import StaffMember
from needlepoint.public.portal import portal_link_create
from needlepoint.scheduling.models import Booking
from tests import factories
from tests.browser import ARTIFACTS
from tests.web.axe import serious_violations
from tests.web.test_browser import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.once,  # what a page says, not how it is stored
    pytest.mark.django_db(transaction=True),
]

PACKAGES = Path(__file__).resolve().parents[2] / "needlepoint"
WHEN = datetime(2026, 11, 24, 9, tzinfo=UTC)  # a Tuesday morning in London
LANGUAGES = ["es", "de"]
CLINIC_DATA = ("Microneedling — face",)
"""What the test clinic typed in itself (its service's name): shown as typed in any language."""
DETAILS = {
    "first_name": "Lucía",
    "last_name": "Ortega",
    "email": "lucia@example.test",
    "phone": "07400 123456",
    "date_of_birth": "1991-04-02",
}


@functools.cache
def english_messages(language: str) -> frozenset[str]:
    """The English msgids of every compiled catalogue whose translation differs, of two
    words or eight letters at least ("OK" and "Email" may be the same in both)."""
    found: set[str] = set()
    for compiled in PACKAGES.glob(f"*/locale/{language}/LC_MESSAGES/django.mo"):
        with compiled.open("rb") as file:
            catalogue = gettext.GNUTranslations(file)._catalog  # type: ignore[attr-defined]
        for msgid, msgstr in catalogue.items():
            text = msgid[0] if isinstance(msgid, tuple) else msgid
            if not text or text == msgstr or "%(" in text or "<" in text:
                continue
            if len(text.split()) >= 2 or sum(c.isalpha() for c in text) >= 8:
                found.add(text)
    return frozenset(found)


def in_language(page, language: str, name: str, typed: tuple[str, ...] = ()) -> None:
    """`<html lang>` is the language, no English message is on screen, axe-core finds
    nothing serious; screenshots at desktop and 375 px under the data dir."""
    assert page.locator("html").get_attribute("lang") == language
    shown = page.inner_text("body")
    for text in (*CLINIC_DATA, *typed):
        shown = shown.replace(text, "")
    english = sorted(m for m in english_messages(language) if _shows(m, shown))
    assert english == [], f"{name} ({language}) shows English: {english[:10]}"
    assert serious_violations(page) == []
    folder = Path(os.environ.get("NEEDLEPOINT_DATA_DIR", ARTIFACTS)) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{language}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    page.screenshot(path=str(folder / f"{name}-{language}-phone.png"), full_page=True)
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})


def _shows(message: str, shown: str) -> bool:
    """Whether the message is on screen as words ("Calendar" is not in "Calendario")."""
    return re.search(rf"(?<!\w){re.escape(message)}(?!\w)", shown) is not None


@pytest.fixture
def multilingual():
    clinic = factories.clinic()
    factories.offers_every_language(clinic)
    service = factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    return clinic, service


@pytest.mark.parametrize("language", LANGUAGES)
def test_online_booking_in_the_clients_language(browser, live_server, multilingual, language):
    """From the location page to "booked", with a browser that prefers the language; the
    client's record, confirmation e-mail and its calendar entry are in it too."""
    clinic, service = multilingual
    context = browser.new_context(locale=language, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    base = f"{live_server.url}/c/{clinic.organisation.slug}/{clinic.location.slug}"
    main_button = "main form button[type=submit]"
    with time_machine.travel(WHEN, tick=True):
        page.goto(f"{base}/")
        in_language(page, language, "booking-location")
        page.goto(f"{base}/book/")
        in_language(page, language, "booking-services")
        page.goto(f"{base}/book/{service.public_id}/")
        in_language(page, language, "booking-times")
        page.locator(main_button).first.click()
        page.wait_for_url(re.compile(r"/book/details/$"))
        in_language(page, language, "booking-details")
        for name, value in DETAILS.items():
            page.locator(f"input[name={name}]").fill(value)
        page.locator("form:has(input[name=first_name]) button[type=submit]").click()
        page.locator("input[name=code]").wait_for()
        in_language(page, language, "booking-code")
        (code_email,) = [m for m in mail.outbox if m.to == [DETAILS["email"]]]
        code = re.search(r"\b(\d{4,8})\b", code_email.subject)
        assert code, code_email.subject
        page.locator("input[name=code]").fill(code.group(1))
        page.locator("form:has(input[name=code]) button[type=submit]").click()
        page.locator("input[type=radio][value=no]").first.wait_for()
        in_language(page, language, "booking-health")
        for question in default_rules().questions():
            page.locator(f"input[name='{question.key}'][value=no]").check()
        page.locator("form:has(input[type=radio]) button[type=submit]").click()
        page.locator(".outcome").wait_for()
        in_language(page, language, "booking-confirm")
        page.locator(".outcome form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/b/[^/]+/$"))
        in_language(page, language, "booking-booked")
    context.close()
    booking = Booking.objects.get()
    assert booking.client.language == language
    (confirmation,) = [m for m in mail.outbox if m.attachments]
    assert confirmation.extra_headers.get("Content-Language") == language
    assert f"LANGUAGE={language}" in confirmation.attachments[0][1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_portal_in_the_clients_language(browser, live_server, multilingual, language):
    clinic, _service = multilingual
    known = factories.client(clinic.organisation, language=language)
    _, token = portal_link_create(organisation=clinic.organisation, email=known.email)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    with time_machine.travel(WHEN, tick=True):
        page.goto(f"{live_server.url}/my/{clinic.organisation.slug}/sign-in/{token}/")
        in_language(page, language, "portal-use-link")  # the record decides after sign-in
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(re.compile(rf"/my/{clinic.organisation.slug}/$"))
        in_language(page, language, "portal-home")
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_practitioners_chart_in_their_language(browser, live_server, multilingual, language):
    clinic, _service = multilingual
    chart = factories.open_chart(clinic, WHEN)
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    with time_machine.travel(WHEN, tick=True):
        sign_in(page, live_server, clinic.practitioner)  # in English, as the helper reads it
        user = clinic.practitioner.user  # the test clinic's staff names: typed, not translated
        StaffMember.objects.filter(pk=clinic.practitioner.pk).update(language=language)
        page.goto(f"{live_server.url}/sessions/{chart.public_id}/")
        in_language(page, language, "chart", typed=(user.full_name, user.get_short_name()))
    context.close()
