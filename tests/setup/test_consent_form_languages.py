"""Settings: a consent form's text in each language, one tab per language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from needlepoint.consents.forms_setup import consent_form_create
from needlepoint.consents.models import ConsentFormVersion
from needlepoint.consents.services import consent_form_publish
from tests import factories

ENGLISH = "Microneedling makes tiny punctures in the skin."
SPANISH = "El microneedling hace pequeñas punciones en la piel."


@pytest.fixture(autouse=True)
def _offers_spanish_and_german(clinic):
    factories.offers_every_language(clinic)


def make_form(clinic):
    offered = factories.service(clinic.location)
    return consent_form_create(
        organisation=clinic.organisation, name="Consent", services=[offered], text=ENGLISH
    )


def test_the_form_page_has_a_tab_per_language_and_publishes_a_translation(clinic):
    form = make_form(clinic)
    browser = factories.signed_in(clinic.manager)
    edit = reverse("settings:consent_form_edit", args=[form.pk])
    page = browser.get(edit).content.decode()
    assert f'href="{edit}?language=es"' in page and f'href="{edit}?language=de"' in page
    assert "not written" in page
    spanish_page = browser.get(f"{edit}?language=es").content.decode()
    assert ENGLISH in spanish_page and "Not written yet" in spanish_page
    response = browser.post(f"{edit}?language=es", {"text": SPANISH})
    assert response.status_code == 302
    version = ConsentFormVersion.objects.get(form=form, language="es")
    assert (version.version, version.translates, version.text) == (1, 1, SPANISH)
    assert SPANISH in browser.get(f"{edit}?language=es").content.decode()
    listing = browser.get(reverse("settings:consent_forms")).content.decode()
    assert "español" in listing
    read = reverse("settings:consent_form_version", args=[form.pk, 1]) + "?language=es"
    assert SPANISH in browser.get(read).content.decode()


def test_a_new_english_version_shows_the_translation_out_of_date(clinic):
    form = make_form(clinic)
    consent_form_publish(form=form, text=SPANISH, language="es")
    consent_form_publish(form=form, text=ENGLISH + " Avoid the sun.")
    browser = factories.signed_in(clinic.manager)
    edit = reverse("settings:consent_form_edit", args=[form.pk])
    assert "out of date" in browser.get(edit).content.decode()
    page = browser.get(f"{edit}?language=es").content.decode()
    assert "Out of date: this text translates English version 1" in page
    assert "out of date" in browser.get(reverse("settings:consent_forms")).content.decode()


def test_an_unknown_language_or_another_clinics_form_is_not_found(clinic, other_clinic):
    form = make_form(clinic)
    edit = reverse("settings:consent_form_edit", args=[form.pk])
    assert factories.signed_in(clinic.manager).get(f"{edit}?language=xx").status_code == 404
    assert factories.signed_in(other_clinic.manager).get(f"{edit}?language=es").status_code == 404
