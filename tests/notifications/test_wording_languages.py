"""The clinic's own wording in a version per language: a client gets their language's,
else the clinic default's, else Needlepoint's own."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from needlepoint.core.errors import DomainError
from needlepoint.notifications.models import Message, MessageWording
from needlepoint.notifications.rendering import render
from needlepoint.notifications.services import wording_reset, wording_save
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from tests import factories
from tests.factories import signed_in

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _offers_spanish_and_german(clinic):
    factories.offers_every_language(clinic)


def book(clinic, hour, **client_fields):
    booking = booking_create(
        client=factories.screened_client(clinic.organisation, first_name="Ada", **client_fields),
        service=factories.service(clinic.location),
        starts_at=datetime(2027, 3, 29, hour, tzinfo=LONDON),
        channel=Channel.STAFF,
        now=datetime(2027, 3, 20, 9, tzinfo=UTC),
    )
    return Message.objects.filter(kind="reminder", channel="email", client=booking.client).first()


def save(clinic, language, body):
    wording_save(
        organisation=clinic.organisation,
        kind="reminder",
        channel="email",
        subject=f"[{language}] $when",
        body=body,
        language=language,
    )


def test_each_client_gets_their_languages_wording_else_the_clinic_defaults(clinic):
    spanish = book(clinic, 10, language="es")
    german = book(clinic, 12, language="de")
    english = book(clinic, 14)
    assert not render(spanish).subject.startswith("[")  # no wording yet: Needlepoint's own
    save(clinic, "es", "Hola $first_name, le esperamos en $location.")
    save(clinic, "en-gb", "Hi $first_name, see you at $location.")
    assert render(spanish).text.strip() == "Hola Ada, le esperamos en Harbour Street."
    assert render(german).text.strip() == "Hi Ada, see you at Harbour Street."
    assert render(english).subject.startswith("[en-gb]")
    wording_reset(organisation=clinic.organisation, kind="reminder", channel="email", language="es")
    assert render(spanish).subject.startswith("[en-gb]")
    assert MessageWording.objects.get().language == "en-gb"


def test_a_language_the_clinic_does_not_offer_is_refused(clinic):
    with pytest.raises(DomainError) as refused:
        save(clinic, "xx", "Hi")
    assert refused.value.code == "unknown_language"


def test_the_wording_page_has_a_tab_per_language_and_saves_each(clinic):
    browser = signed_in(clinic.owner)
    url = reverse("notifications:wording", args=["reminder", "sms"])
    page = browser.get(url).content.decode()
    assert f'href="{url}?language=es"' in page and f'href="{url}?language=de"' in page
    browser.post(
        f"{url}?language=de", {"subject": "", "body": "Bis bald, $first_name.", "action": "save"}
    )
    browser.post(f"{url}?language=es", {"subject": "", "body": "Hasta pronto.", "action": "save"})
    assert "Bis bald" in browser.get(f"{url}?language=de").content.decode()
    assert "Bis bald" not in browser.get(url).content.decode()
    rows = dict(MessageWording.objects.values_list("language", "body"))
    assert rows == {"de": "Bis bald, $first_name.", "es": "Hasta pronto."}
    listing = browser.get(reverse("notifications:wordings")).content.decode()
    assert "Español, Deutsch" in listing
    assert browser.get(f"{url}?language=xx").status_code == 404
