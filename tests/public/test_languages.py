"""Every client and staff member in their own language (issue 22), through the pages, the
outbox's worker and the API.

The words of other packages are translated in their own catalogues; these tests look at
what this machinery decides: the `lang` of pages, `Content-Language` of responses and
emails, the language of calendar files and PDFs, and the few messages whose translation
the machinery ships itself ("Elija su idioma", "Ihr Profil")."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client as DjangoTestClient
from django.test import override_settings
from django.urls import reverse

from needlepoint.api.tokens import token_create
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.clinics.setup import organisation_update
from needlepoint.consents.models import ConsentForm, SignedConsent
from needlepoint.consents.services import consent_form_publish
from needlepoint.core.errors import DomainError
from needlepoint.notifications.delivery import deliver_due
from needlepoint.public.portal import portal_link_create
from needlepoint.scheduling.links import booking_link
from needlepoint.scheduling.models import Booking
from tests import factories
from tests.public.test_online_booking import DETAILS, WEDNESDAY_TEN, emailed_code, no_to_everything

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # Monday, 08:00 in London
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9,en;q=0.5"}


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def english_clinic(clinic):
    """An English-speaking clinic that offers Spanish too."""
    organisation_update(
        organisation=clinic.organisation,
        by=clinic.owner,
        languages=["en-gb", "es"],
        default_language="en-gb",
    )
    offered = factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Consent")
    form.services.add(offered)
    version = consent_form_publish(form=form, text="Microneedling makes tiny punctures.")
    base = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book"
    return clinic, offered, base, version


def lang_of(response) -> str:
    found = re.search(r'<html lang="([^"]+)" dir="(ltr|rtl)"', response.content.decode())
    assert found is not None, response.content[:300]
    return found.group(1)


def book_online(client, base, offered, commits, **headers) -> Booking:
    client.post(f"{base}/{offered.public_id}/", {"start": WEDNESDAY_TEN.isoformat()}, **headers)
    client.post(f"{base}/details/", DETAILS, **headers)
    client.post(f"{base}/verify/", {"code": emailed_code()}, **headers)
    client.post(f"{base}/health/", no_to_everything(), **headers)
    with commits(execute=True):
        response = client.post(f"{base}/outcome/", **headers)
    booking = Booking.objects.get()
    assert response["Location"] == booking_link(booking)
    return booking


def test_a_spanish_client_at_an_english_clinic_gets_everything_in_spanish(
    client, english_clinic, django_capture_on_commit_callbacks
):
    clinic, offered, base, version = english_clinic
    # The browser asks for Spanish, which the clinic offers: the pages are in Spanish.
    page = client.get(f"{base}/", **SPANISH)
    assert lang_of(page) == "es" and page["Content-Language"] == "es"
    assert "Elija su idioma" in page.content.decode()  # the switcher's own words
    booking = book_online(client, base, offered, django_capture_on_commit_callbacks, **SPANISH)
    assert Client.objects.get().language == "es"  # kept on the client as they booked

    # The confirmation email, its calendar file: Spanish.
    (confirmation,) = [m for m in mail.outbox if m.to == [DETAILS["email"]] and m.attachments]
    assert confirmation.extra_headers["Content-Language"] == "es"
    name, calendar, _type = confirmation.attachments[0]
    assert name == "appointment.ics"
    assert "SUMMARY;LANGUAGE=es:" in str(calendar)

    # The reminder, sent later by the worker (no request, no browser): Spanish.
    mail.outbox.clear()
    deliver_due(worker_id="test", now=WEDNESDAY_TEN - timedelta(hours=2))
    reminders = [m for m in mail.outbox if m.to == [DETAILS["email"]]]
    assert reminders and {m.extra_headers["Content-Language"] for m in reminders} == {"es"}

    # The booking link and the signed consent's PDF, in a fresh browser with no choice made.
    fresh = client.__class__()
    link = booking_link(booking)
    assert lang_of(fresh.get(link)) == "es"  # from the client's record
    fresh.post(
        f"{link}consent/{version.public_id}/",
        {"kind": "typed", "typed_name": "Cleo Online", "agree": "on"},
    )
    signed = SignedConsent.objects.get()
    pdf = fresh.get(reverse("public:consent_pdf", args=[link.split("/")[2], signed.public_id]))
    assert pdf.content.startswith(b"%PDF") and b"/Lang (es)" in pdf.content
    deliver_due(worker_id="test")
    (copy,) = [m for m in mail.outbox if m.attachments and m.attachments[0][0].endswith(".pdf")]
    assert copy.extra_headers["Content-Language"] == "es"
    assert b"/Lang (es)" in copy.attachments[0][1]

    # The portal, signed in from an English browser: their own language.
    portal = client.__class__()
    _, token = portal_link_create(organisation=clinic.organisation, email=DETAILS["email"])
    portal.post(f"/my/{clinic.organisation.slug}/sign-in/{token}/")
    home = portal.get(f"/my/{clinic.organisation.slug}/", HTTP_ACCEPT_LANGUAGE="en-GB")
    assert lang_of(home) == "es" and "Su idioma" in home.content.decode()

    # The English practitioner's calendar day and chart stay English.
    practitioner = factories.signed_in(clinic.practitioner)
    day = reverse("scheduling:day", args=[clinic.location.slug, "2026-11-25"])
    answer = practitioner.get(day, **SPANISH)
    assert answer.status_code == 200 and lang_of(answer) == "en-gb"
    assert answer["Content-Language"] == "en-gb"
    chart = factories.open_chart(clinic, datetime(2026, 11, 23, 9, tzinfo=UTC))
    answer = practitioner.get(reverse("treatments:chart", args=[chart.public_id]), **SPANISH)
    assert answer.status_code == 200 and lang_of(answer) == "en-gb"


def test_the_client_changes_language_in_the_portal_and_with_the_switcher(client, english_clinic):
    clinic, _offered, base, _version = english_clinic
    known = factories.client(clinic.organisation)
    assert lang_of(client.get(f"{base}/")) == "en-gb"  # no choice, no header: the default
    client.post("/language/", {"language": "es", "next": f"{base}/"})
    assert lang_of(client.get(f"{base}/")) == "es"
    client.post("/language/", {"language": "de", "next": f"{base}/"})  # not offered here
    assert lang_of(client.get(f"{base}/")) == "es"
    _, token = portal_link_create(organisation=clinic.organisation, email=known.email)
    client.post(f"/my/{clinic.organisation.slug}/sign-in/{token}/")
    answer = client.post(f"/my/{clinic.organisation.slug}/language/", {"language": "en-gb"})
    assert answer.status_code == 302
    assert Client.objects.get(pk=known.pk).language == "en-gb"
    assert lang_of(client.get(f"/my/{clinic.organisation.slug}/")) == "en-gb"
    refused = client.post(f"/my/{clinic.organisation.slug}/language/", {"language": "de"})
    assert refused.status_code == 302 and Client.objects.get(pk=known.pk).language == "en-gb"


def test_a_german_staff_member_sees_staff_pages_in_german(clinic):
    browser = factories.signed_in(clinic.front_desk)
    answer = browser.post(reverse("accounts:profile"), {"language": "de"})
    assert answer.status_code == 302
    page = browser.get(reverse("accounts:profile"))
    assert lang_of(page) == "de" and page["Content-Language"] == "de"
    assert "Ihr Profil" in page.content.decode()
    assert lang_of(browser.get(reverse("clients:list"))) == "de"
    # Their colleagues keep theirs.
    assert lang_of(factories.signed_in(clinic.manager).get(reverse("clients:list"))) == "en-gb"
    # The owner sets a member's language on the team page.
    owner = factories.signed_in(clinic.owner)
    member = reverse("settings:team_member", args=[clinic.trainee.public_id])
    form = owner.get(member).context["form"]
    sent = {
        "role": form.initial["role"],
        "locations": [place.pk for place in form.initial["locations"]],
        "language": "es",
    }
    assert owner.post(member, sent).status_code == 302
    clinic.trainee.refresh_from_db()
    assert clinic.trainee.language == "es"


def test_the_api_speaks_the_staff_members_language_unless_the_caller_asks(clinic):
    StaffMember.objects.filter(pk=clinic.front_desk.pk).update(language="de")
    _token, secret = token_create(user=clinic.front_desk.user, name="t", scopes=["read", "book"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    http = DjangoTestClient()
    assert http.get("/api/v1/clients", **auth)["Content-Language"] == "de"
    asked = http.get("/api/v1/clients", HTTP_ACCEPT_LANGUAGE="es", **auth)
    assert asked["Content-Language"] == "es"
    body = {"first_name": "Ana", "last_name": "López", "date_of_birth": "1990-01-02"}
    made = http.post(
        "/api/v1/clients",
        json.dumps(body | {"language": "es"}),
        content_type="application/json",
        **auth,
    )
    assert made.status_code == 201, made.content
    assert made.json()["language"] == "es"
    wrong = http.post(
        "/api/v1/clients",
        json.dumps(body | {"first_name": "Eva", "language": "xx"}),
        content_type="application/json",
        **auth,
    )
    assert wrong.status_code == 422


def test_the_clinics_languages_are_checked(clinic):
    organisation = clinic.organisation
    assert (organisation.languages, organisation.default_language) == (["en-gb"], "en-gb")
    with pytest.raises(DomainError) as refused:
        organisation_update(
            organisation=organisation, by=clinic.owner, languages=["es"], default_language="de"
        )
    assert refused.value.code == "default_not_offered"
    with pytest.raises(DomainError) as refused:
        organisation_update(organisation=organisation, by=clinic.owner, languages=["xx"])
    assert refused.value.code == "invalid_language" and "'xx'" in refused.value.message
    with pytest.raises(DomainError) as refused:
        organisation_update(organisation=organisation, by=clinic.owner, languages=[])
    assert refused.value.code == "no_language"
    # On the clinic's settings page, a default not offered is refused and nothing changes.
    browser = factories.signed_in(clinic.owner)
    page = reverse("settings:organisation")
    sent = browser.get(page).context["form"].initial | {
        "languages": ["en-gb", "es"],
        "default_language": "de",
    }
    answer = browser.post(page, sent)
    assert answer.status_code == 200
    assert "The default language must be one of the languages offered." in (answer.content.decode())
    answer = browser.post(page, sent | {"languages": ["en-gb", "klingon"]})
    assert answer.status_code == 200 and "klingon" in answer.content.decode()
    answer = browser.post(page, sent | {"default_language": "es"})
    assert answer.status_code == 302
    saved = Organisation.objects.get(pk=organisation.pk)
    assert (saved.languages, saved.default_language) == (["en-gb", "es"], "es")


ARABIC = [("en-gb", "English"), ("es", "Español"), ("de", "Deutsch"), ("ar", "العربية")]


@override_settings(LANGUAGES=ARABIC)
def test_a_right_to_left_language_turns_the_pages_right_to_left(client, clinic):
    organisation_update(
        organisation=clinic.organisation, by=clinic.owner, languages=["en-gb", "ar"]
    )
    location = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/"
    page = client.get(location, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    browser = factories.signed_in(clinic.practitioner)
    browser.post(reverse("accounts:profile"), {"language": "ar"})
    page = browser.get(reverse("clients:list")).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert '<html lang="en-gb" dir="ltr">' in client.get(location).content.decode()
