"""Settings: consent forms — adding one, publishing versions, the starters, reading old ones."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.forms_setup import (
    STARTER_TITLE,
    consent_form_change,
    consent_form_create,
    consent_forms_start,
)
from needlepoint.consents.models import ConsentForm, ConsentFormVersion
from needlepoint.consents.services import consent_sign
from needlepoint.core.errors import DomainError
from tests import factories

WORDING = "Microneedling makes tiny punctures in the skin."
COVERS = {
    "depth_band": "band.mid_dermal",
    "indications": ["ind.acne_scars"],
    "device_kinds": ["pen"],
}


@pytest.fixture
def offered(clinic):
    return factories.service(clinic.location)


def create(clinic, offered, **changes):
    values = {
        "organisation": clinic.organisation,
        "name": "Microneedling consent",
        "services": [offered],
        "text": WORDING,
        **COVERS,
    }
    return consent_form_create(**(values | changes))


def change(form, **changes):
    current = form.versions.order_by("-version").first()
    values = {
        "form": form,
        "name": form.name,
        "services": list(form.services.all()),
        "is_active": form.is_active,
        "text": current.text,
        "depth_band": current.depth_band,
        "indications": current.indications,
        "device_kinds": current.device_kinds,
    }
    return consent_form_change(**(values | changes))


def test_adding_a_form_publishes_its_first_version_and_is_audited(clinic, offered):
    form = create(clinic, offered)
    version = form.versions.get()
    assert (version.version, version.text, version.depth_band) == (1, WORDING, "band.mid_dermal")
    assert list(form.services.all()) == [offered]
    event = AuditEvent.objects.get(target=Target.CONSENT_FORM, action=Action.CREATED)
    assert event.detail == {"name": "Microneedling consent", "version": 1}


def test_new_wording_or_a_wider_scope_is_a_new_version_and_the_signed_one_stays(clinic, offered):
    form = create(clinic, offered)
    first = form.versions.get()
    client = factories.screened_client(clinic.organisation)
    consent_sign(client=client, form_version=first, kind=SignatureKind.TYPED, typed_name="Alex")
    second = change(form, text=WORDING + " Redness is expected.")
    third = change(form, depth_band="band.deep_dermal")
    assert (second.version, third.version) == (2, 3)
    first.refresh_from_db()
    assert (first.text, first.depth_band) == (WORDING, "band.mid_dermal")
    assert first.signatures.count() == 1


def test_a_title_change_alone_keeps_the_version(clinic, offered):
    form = create(clinic, offered)
    version = change(form, name="Procedure consent", is_active=False)
    form.refresh_from_db()
    assert (form.name, form.is_active, version.version) == ("Procedure consent", False, 1)
    event = AuditEvent.objects.get(target=Target.CONSENT_FORM, action=Action.CHANGED)
    assert event.detail["old"]["name"] == "Microneedling consent"
    assert event.detail["new"] == {"name": "Procedure consent", "is_active": False, "version": 1}


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"name": "  "}, "title_required", "name"),
        ({"name": "x" * 121}, "title_too_long", "name"),
        ({"text": "  "}, "empty_text", "text"),
        ({"text": "x" * 20_001}, "text_too_long", "text"),
        ({"depth_band": "band.very_deep"}, "unknown_band", "depth_band"),
        ({"indications": []}, "unknown_indication", "indications"),
        ({"indications": ["ind.made_up"]}, "unknown_indication", "indications"),
        ({"device_kinds": []}, "unknown_device", "device_kinds"),
        ({"device_kinds": ["laser"]}, "unknown_device", "device_kinds"),
        ({"depth_band": ""}, "covers_without_band", "depth_band"),
    ],
)
def test_bad_input_is_refused_by_name_and_writes_nothing(clinic, offered, changes, code, field):
    with pytest.raises(DomainError) as refused:
        create(clinic, offered, **changes)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not ConsentForm.objects.exists() and not ConsentFormVersion.objects.exists()


def test_a_form_with_no_needling_names_no_scope(clinic, offered):
    form = create(clinic, offered, depth_band="", indications=[], device_kinds=[])
    assert form.versions.get().depth_band == ""


def test_a_taken_title_and_another_clinics_service_are_refused(clinic, other_clinic, offered):
    form = create(clinic, offered)
    with pytest.raises(DomainError) as taken:
        create(clinic, offered, name="microneedling CONSENT")
    assert taken.value.code == "title_taken"
    theirs = factories.service(other_clinic.location)
    with pytest.raises(DomainError) as foreign:
        change(form, services=[theirs], text="Other words")
    assert foreign.value.code == "unknown_service"
    assert form.versions.count() == 1


def test_the_starter_forms_cover_the_clinics_treatments_once(clinic, offered):
    made = consent_forms_start(clinic.organisation)
    assert [form.name for form in made] == [STARTER_TITLE]
    version = made[0].versions.get()
    assert (version.depth_band, version.indications, version.device_kinds) == (
        "band.deep_dermal",
        ["ind.acne_scars"],
        ["pen"],
    )
    assert list(made[0].services.all()) == [offered]
    assert consent_forms_start(clinic.organisation) == []
    assert ConsentForm.objects.count() == 1


def test_a_clinic_with_no_treatments_yet_starts_with_a_consent_covering_all(clinic):
    (form,) = consent_forms_start(clinic.organisation)
    version = form.versions.get()
    assert len(version.indications) == len(clinic.organisation.rules().indications)
    assert version.device_kinds == ["pen", "roller", "stamp"]


# Pages


def test_the_list_shows_each_form_its_version_and_signatures(clinic, offered):
    form = create(clinic, offered)
    client = factories.screened_client(clinic.organisation)
    consent_sign(
        client=client, form_version=form.versions.get(), kind=SignatureKind.TYPED, typed_name="A"
    )
    page = factories.signed_in(clinic.manager).get(reverse("settings:consent_forms"))
    html = page.content.decode()
    assert "Microneedling consent" in html and "Version 1" in html
    assert "<td>1</td>" in html
    assert "starter consent form" not in html


def test_the_starter_button_shows_when_there_are_none_and_makes_them(clinic, offered):
    browser = factories.signed_in(clinic.owner)
    assert (
        "Add the starter consent form"
        in browser.get(reverse("settings:consent_forms")).content.decode()
    )
    response = browser.post(reverse("settings:consent_forms_start"))
    assert response.status_code == 302
    assert ConsentForm.objects.get().name == STARTER_TITLE


def test_adding_a_form_on_the_page_chooses_by_name(clinic, offered):
    browser = factories.signed_in(clinic.manager)
    page = browser.get(reverse("settings:consent_form_new")).content.decode()
    assert "Atrophic acne scars" in page and "Mid dermal, up to 1.5 mm" in page
    response = browser.post(
        reverse("settings:consent_form_new"),
        {"name": "Procedure", "text": WORDING, "services": [offered.pk], **COVERS},
    )
    assert response.status_code == 302
    assert ConsentForm.objects.get().versions.get().indications == ["ind.acne_scars"]


def test_publishing_on_the_page_and_reading_the_old_version(clinic, offered):
    form = create(clinic, offered)
    browser = factories.signed_in(clinic.manager)
    url = reverse("settings:consent_form_edit", args=[form.pk])
    assert WORDING in browser.get(url).content.decode()
    posted = {"name": form.name, "text": "New words.", "services": [offered.pk], "is_active": "on"}
    response = browser.post(url, posted | COVERS)
    assert response.status_code == 302
    assert form.versions.count() == 2
    old = browser.get(reverse("settings:consent_form_version", args=[form.pk, 1])).content.decode()
    assert WORDING in old and "<form" not in old.split("<main", 1)[-1]
    assert "atrophic acne scars; mid dermal, up to 1.5 mm; microneedling pen" in old


def test_a_refusal_on_the_page_says_why_and_changes_nothing(clinic, offered):
    form = create(clinic, offered)
    browser = factories.signed_in(clinic.manager)
    url = reverse("settings:consent_form_edit", args=[form.pk])
    response = browser.post(
        url, {"name": form.name, "text": "New", "indications": ["ind.acne_scars"]}
    )
    assert response.status_code == 200
    assert "Choose how deep the consent covers needling" in response.content.decode()
    assert form.versions.count() == 1


def test_another_clinics_form_is_not_found(clinic, other_clinic, offered):
    form = create(clinic, offered)
    browser = factories.signed_in(other_clinic.manager)
    assert browser.get(reverse("settings:consent_form_edit", args=[form.pk])).status_code == 404
    version_url = reverse("settings:consent_form_version", args=[form.pk, 1])
    assert browser.get(version_url).status_code == 404
    response = browser.post(
        reverse("settings:consent_form_edit", args=[form.pk]), {"name": "Mine", "text": "x"}
    )
    assert response.status_code == 404
    assert form.versions.count() == 1


FIELDS = ["name", "text", "depth_band", "indications", "device_kinds", "services", "is_active"]
hostile = st.one_of(
    st.sampled_from(["", " ", "\x00", "band.medical", "ind.acne_scars", "pen", "1", "x" * 200]),
    st.text(max_size=30),
)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.dictionaries(st.sampled_from(FIELDS), hostile))
def test_any_text_in_any_field_saves_or_changes_nothing(clinic, offered, data):
    form = ConsentForm.objects.filter(organisation=clinic.organisation).first() or create(
        clinic, offered
    )
    before = list(ConsentFormVersion.objects.values_list("pk", "version"))
    browser = factories.signed_in(clinic.manager)
    response = browser.post(reverse("settings:consent_form_edit", args=[form.pk]), data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert list(ConsentFormVersion.objects.values_list("pk", "version")) == before
