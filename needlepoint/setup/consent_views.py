"""Settings: the clinic's consent forms, their versions, and the starter forms."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.consents.forms_setup import (
    consent_form_change,
    consent_form_create,
    consent_forms_start,
    consent_forms_summary,
)
from needlepoint.consents.models import ConsentForm
from needlepoint.consents.services import version_covers_text
from needlepoint.core.errors import DomainError
from needlepoint.setup.consent_forms import ConsentFormForm, version_initial


@staff_view
def consent_forms(request: StaffRequest) -> HttpResponse:
    summary = consent_forms_summary(request.staff.organisation)
    context = {"nav": "settings", "forms": summary}
    return no_store(render(request, "setup/consents/list.html", context))


@require_POST
@staff_view
def consent_forms_start_view(request: StaffRequest) -> HttpResponse:
    made = consent_forms_start(request.staff.organisation)
    if made:
        messages.success(request, _("The starter consent form is ready: read it and adjust it."))
    return redirect("settings:consent_forms")


@staff_view
def consent_form_new(request: StaffRequest) -> HttpResponse:
    organisation = request.staff.organisation
    form = ConsentFormForm(request.POST or None, organisation=organisation)
    del form.fields["is_active"]
    if request.method == "POST" and form.is_valid():
        try:
            made = consent_form_create(organisation=organisation, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("%(name)s is published.") % {"name": made.name})
            return redirect("settings:consent_forms")
    context = {"nav": "settings", "form": form, "consent_form": None}
    return no_store(render(request, "setup/consents/form.html", context))


@staff_view
def consent_form_edit(request: StaffRequest, pk: int) -> HttpResponse:
    """Publish the next version of a form (or change its title, services, use)."""
    organisation = request.staff.organisation
    consent_form = get_object_or_404(ConsentForm.objects.filter(organisation=organisation), pk=pk)
    current = consent_form.versions.order_by("-version").first()
    initial = {
        "name": consent_form.name,
        "is_active": consent_form.is_active,
        "services": list(consent_form.services.all()),
        **version_initial(current),
    }
    form = ConsentFormForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = consent_form_change(form=consent_form, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            if current is None or version.pk != current.pk:
                note = _(
                    "Version %(number)s is published: clients sign it before their next treatment."
                ) % {"number": version.version}
            else:
                note = _("Saved. The wording is unchanged, so no new version was published.")
            messages.success(request, note)
            return redirect("settings:consent_forms")
    versions = consent_form.versions.annotate(signature_count=Count("signatures")).order_by(
        "-version"
    )
    context = {
        "nav": "settings",
        "form": form,
        "consent_form": consent_form,
        "current": current,
        "versions": versions,
    }
    return no_store(render(request, "setup/consents/form.html", context))


@staff_view
def consent_form_version(request: StaffRequest, pk: int, version: int) -> HttpResponse:
    """One published version, read only: what clients signed."""
    consent_form = get_object_or_404(
        ConsentForm.objects.filter(organisation=request.staff.organisation), pk=pk
    )
    shown = get_object_or_404(
        consent_form.versions.annotate(signature_count=Count("signatures")), version=version
    )
    latest = consent_form.versions.order_by("-version").values_list("version", flat=True).first()
    context = {
        "nav": "settings",
        "consent_form": consent_form,
        "version": shown,
        "is_current": shown.version == latest,
        "covers": version_covers_text(shown),
    }
    return no_store(render(request, "setup/consents/version.html", context))


def _form_error(form: ConsentFormForm, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
