"""A consent form in a version per language: the client signs their language's text (else
the clinic's default language's, else English), and the signature keeps which one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import DatabaseError, transaction

from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm, SignedConsent
from needlepoint.consents.pdf import consent_pdf
from needlepoint.consents.services import (
    consent_form_publish,
    consent_sign,
    consents_due,
    current_in_languages,
)
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.links import booking_link
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
ENGLISH = "Microneedling makes tiny punctures in the skin."
SPANISH = "El microneedling hace pequeñas punciones en la piel."
GERMAN = "Microneedling setzt winzige Einstiche in die Haut."


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def setup(clinic):
    offered = factories.service(clinic.location)
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Consent")
    form.services.add(offered)
    english = consent_form_publish(form=form, text=ENGLISH)
    spanish = consent_form_publish(form=form, text=SPANISH, language="es")
    return clinic, offered, form, english, spanish


def sign(client, version):
    return consent_sign(
        client=client, form_version=version, kind=SignatureKind.TYPED, typed_name="Alex Client"
    )


def test_each_language_is_versioned_on_its_own_and_translates_the_current_english(setup):
    _, _, form, english, spanish = setup
    assert (english.language, english.version, english.translates) == ("en-gb", 1, None)
    assert (spanish.language, spanish.version, spanish.translates) == ("es", 1, 1)
    assert consent_form_publish(form=form, text=SPANISH, language="es") == spanish
    corrected = consent_form_publish(form=form, text=SPANISH + " Corregido.", language="es")
    assert (corrected.version, corrected.translates) == (2, 1)
    assert current_in_languages(form) == {"en-gb": english, "es": corrected}


def test_a_translation_needs_the_english_text_and_a_known_language(clinic):
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Consent")
    with pytest.raises(DomainError) as refused:
        consent_form_publish(form=form, text=SPANISH, language="es")
    assert refused.value.code == "no_english_text"
    consent_form_publish(form=form, text=ENGLISH)
    with pytest.raises(DomainError) as unknown:
        consent_form_publish(form=form, text=SPANISH, language="xx")
    assert unknown.value.code == "unknown_language"


def test_the_client_is_offered_their_language_else_the_clinic_default_else_english(setup):
    clinic, offered, form, english, spanish = setup
    spanish_client = factories.screened_client(clinic.organisation, language="es")
    german_client = factories.screened_client(clinic.organisation, language="de")
    english_client = factories.screened_client(clinic.organisation)
    assert consents_due(spanish_client, offered) == [spanish]
    assert consents_due(german_client, offered) == [english]
    assert consents_due(english_client, offered) == [english]
    german = consent_form_publish(form=form, text=GERMAN, language="de")
    assert consents_due(german_client, offered) == [german]


def test_a_new_english_version_puts_the_old_translation_out_of_use(setup):
    clinic, offered, form, _, spanish = setup
    client = factories.screened_client(clinic.organisation, language="es")
    second = consent_form_publish(form=form, text=ENGLISH + " Avoid the sun.")
    assert consents_due(client, offered) == [second]  # the Spanish text is of version 1
    with pytest.raises(DomainError) as outdated:
        sign(client, spanish)
    assert outdated.value.code == "form_outdated"
    retranslated = consent_form_publish(form=form, text=SPANISH, language="es")
    assert (retranslated.version, retranslated.translates) == (2, 2)
    assert consents_due(client, offered) == [retranslated]


def test_the_signature_keeps_the_language_and_counts_for_every_language(setup):
    clinic, offered, _, english, spanish = setup
    client = factories.screened_client(clinic.organisation, language="es")
    signed = sign(client, spanish)
    assert (signed.language, signed.form_version.version) == ("es", 1)
    assert signed.text_sha256 == spanish.text_sha256
    assert consents_due(client, offered) == []
    with pytest.raises(DomainError) as twice:
        sign(client, english)  # the same English version, in another language
    assert twice.value.code == "already_signed"


def test_the_database_still_refuses_to_change_a_translation_or_its_signature(setup):
    clinic, _, _, _, spanish = setup
    signed = sign(factories.screened_client(clinic.organisation, language="es"), spanish)
    for model, pk in ((type(spanish), spanish.pk), (SignedConsent, signed.pk)):
        with pytest.raises(DatabaseError), transaction.atomic():
            model.objects.filter(pk=pk).update(text_sha256="0" * 64)


def test_the_pdf_shows_the_signed_text_in_its_language(setup, monkeypatch):
    from needlepoint.consents import pdf as consent_pdf_module
    from needlepoint.core.pdf import document

    written: list[str] = []

    def recording_document():
        pdf, write = document()

        def record(text, **style):
            written.append(text)
            write(text, **style)

        return pdf, record

    monkeypatch.setattr(consent_pdf_module, "document", recording_document)
    clinic, _, _, _, spanish = setup
    signed = sign(factories.screened_client(clinic.organisation, language="es"), spanish)
    assert consent_pdf(signed).startswith(b"%PDF")
    text = "\n".join(written)
    assert SPANISH in text and ENGLISH not in text
    assert "Firmado" in text and "Signed at" not in text
    assert "23 de noviembre de 2026" in text


def test_the_signing_page_offers_the_clients_language_or_says_it_falls_back(client, setup):
    clinic, offered, form, english, spanish = setup
    spanish_client = factories.screened_client(clinic.organisation, language="es")
    german_client = factories.screened_client(clinic.organisation, language="de")
    cases = ((spanish_client, spanish, SPANISH, 10), (german_client, english, ENGLISH, 12))
    for someone, version, shown, hour in cases:
        booking = booking_create(
            client=someone,
            service=offered,
            starts_at=datetime(2026, 11, 25, hour, tzinfo=UTC),
            channel=Channel.ONLINE,
        )
        link = booking_link(booking)
        page = client.get(f"{link}consent/{version.public_id}/").content.decode()
        assert shown in page
        assert ("not available in your language" in page) == (someone is german_client)
        response = client.post(
            f"{link}consent/{version.public_id}/",
            {"kind": "typed", "typed_name": "Alex Client", "agree": "on"},
        )
        assert response.status_code == 302
        assert SignedConsent.objects.get(client=someone).language == version.language
