"""The API says which language (and version) each signature is on."""

from __future__ import annotations

from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm
from needlepoint.consents.services import consent_form_publish, consent_sign
from tests import factories
from tests.api.conftest import api_for


def test_a_clients_signatures_carry_their_language_and_version(clinic, other_clinic):
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Consent")
    consent_form_publish(form=form, text="English words.")
    spanish = consent_form_publish(form=form, text="Palabras en español.", language="es")
    client = factories.screened_client(clinic.organisation, language="es")
    consent_sign(client=client, form_version=spanish, kind=SignatureKind.TYPED, typed_name="A")
    response = api_for(clinic.manager).get(f"/clients/{client.public_id}/consents")
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert (item["form"], item["version"], item["language"], item["translates"]) == (
        "Consent",
        1,
        "es",
        1,
    )
    stranger = api_for(other_clinic.manager).get(f"/clients/{client.public_id}/consents")
    assert stranger.status_code == 404
