"""The settings area names only the signed-in person's organisation: in list filters, in the
choices of every form and inline, and in the autocomplete answers."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.urls import reverse

from needlepoint.accounts.models import User
from needlepoint.clinics.models import Organisation
from needlepoint.staff.admin_scoping import ScopedAdminMixin, organisation_filter
from tests import factories


@pytest.fixture
def two_clinics(clinic, other_clinic):
    """The other clinic's location, staff and client have names of their own to look for;
    our clinic has two locations, so that each location filter is shown."""
    factories.location(other_clinic.organisation, name="Faraway Road")
    factories.location(clinic.organisation, name="Quay Street")
    factories.client(other_clinic.organisation, last_name="Outsider")
    factories.service(other_clinic.location)
    factories.service(clinic.location)
    factories.client(clinic.organisation, last_name="Insider")
    return clinic, other_clinic


SCOPED = sorted(
    (
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ScopedAdminMixin)
    ),
    key=lambda pair: pair[0]._meta.label,
)


def theirs(queryset: Any, organisation: Organisation) -> list[Any]:
    """The rows of ``queryset`` that belong to ``organisation``."""
    return list(queryset.filter(**organisation_filter(queryset.model, organisation)))


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_list_filters_name_only_the_organisations_own_rows(two_clinics, who):
    clinic, other = two_clinics
    browser = factories.signed_in(getattr(clinic, who))
    wrong = []
    for model, _ in SCOPED:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = browser.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for spec in response.context["cl"].filter_specs:
            if isinstance(spec, RelatedFieldListFilter):
                named = [str(label) for _, label in spec.lookup_choices]
                related = spec.field.remote_field.model
                outsiders = [str(row) for row in theirs(related.objects.all(), other.organisation)]
                leaked = set(named) & set(outsiders) - {
                    str(row) for row in theirs(related.objects.all(), clinic.organisation)
                }
                if leaked:
                    wrong.append(f"{url} filter {spec.title}: {leaked}")
        if "Faraway Road" in page:
            wrong.append(f"{url} names the other organisation's location")
    assert wrong == []


def test_the_devices_location_filter_offers_our_locations_only(two_clinics):
    clinic, _ = two_clinics
    second = clinic.organisation.locations.get(name="Quay Street")
    response = factories.signed_in(clinic.manager).get(reverse("admin:clinics_device_changelist"))
    filters = [s for s in response.context["cl"].filter_specs if s.field_path == "location"]
    assert sorted(label for _, label in filters[0].lookup_choices) == sorted(
        [str(clinic.location), str(second)]
    )
    assert "Faraway Road" not in response.content.decode()


def choice_fields(form: forms.BaseForm) -> list[tuple[str, forms.ModelChoiceField]]:
    return [
        (name, field)
        for name, field in form.fields.items()
        if isinstance(field, forms.ModelChoiceField)
    ]


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_every_form_and_inline_offers_only_the_organisations_own_choices(two_clinics, who):
    clinic, other = two_clinics
    browser = factories.signed_in(getattr(clinic, who))
    wrong = []
    for model, model_admin in SCOPED:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        row = model_admin.get_queryset(_request_for(getattr(clinic, who))).first()
        urls = [reverse(f"{name}_add")]
        if row is not None:
            urls.append(reverse(f"{name}_change", args=[row.pk]))
        for url in urls:
            response = browser.get(url)
            if response.status_code != 200 or response.context is None:
                continue  # no adding here (read-only records)
            forms_shown = [response.context["adminform"].form]
            for inline in response.context.get("inline_admin_formsets", []):
                forms_shown.extend(inline.formset.forms)
                forms_shown.append(inline.formset.empty_form)
            for form in forms_shown:
                for field_name, field in choice_fields(form):
                    if field_name == form._meta.model._meta.pk.name and field.widget.is_hidden:
                        continue  # an inline row's own id: looked up in the inline's rows only
                    related = field.queryset.model
                    if related is User:
                        leaked = field.queryset.filter(staff__organisation=other.organisation)
                    else:
                        try:
                            leaked = field.queryset.filter(
                                **organisation_filter(related, other.organisation)
                            )
                        except TypeError:
                            wrong.append(f"{url} {field_name}: no way to scope {related}")
                            continue
                    if leaked.exists():
                        wrong.append(f"{url} {field_name}: offers {list(leaked)}")
    assert wrong == []


def _request_for(member: Any) -> Any:
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = member.user
    return request


def test_user_choices_are_the_organisations_staff(two_clinics):
    """Records that name a person (who screened, who completed) choose from their own staff."""
    clinic, other = two_clinics
    mixin = ScopedAdminMixin()
    field = forms.ModelChoiceField(queryset=User.objects.all())
    from needlepoint.clients.models import QuestionnaireSubmission

    relation = QuestionnaireSubmission._meta.get_field("submitted_by")
    mixin._scope_choices(field, relation, _request_for(clinic.manager))
    ours = (clinic.owner, clinic.manager, clinic.practitioner, clinic.front_desk, clinic.trainee)
    assert set(field.queryset) == {member.user for member in ours}
    assert not set(field.queryset) & {other.owner.user, other.manager.user}


def test_the_autocomplete_answers_only_from_the_organisation(two_clinics, monkeypatch):
    """No settings page asks for an autocomplete today; if one does, it answers scoped."""
    from needlepoint.scheduling.admin import ServiceAdmin

    clinic, _ = two_clinics
    monkeypatch.setattr(ServiceAdmin, "autocomplete_fields", ("location",))
    from needlepoint.clinics.admin import LocationAdmin

    monkeypatch.setattr(LocationAdmin, "search_fields", ("name",), raising=False)
    response = factories.signed_in(clinic.owner).get(
        reverse("admin:autocomplete"),
        {"app_label": "scheduling", "model_name": "service", "field_name": "location", "term": ""},
    )
    assert response.status_code == 200
    names = sorted(item["text"] for item in response.json()["results"])
    assert names == sorted(str(place) for place in clinic.organisation.locations.all())
    assert "Faraway Road" not in names
