"""Settings: the clinic's consent forms, their versions, and the starter forms."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.clients.language_versions import ENGLISH, clinic_languages
from needlepoint.clinics.models import Organisation
from needlepoint.consents.forms_setup import (
    consent_form_change,
    consent_form_create,
    consent_form_translate,
    consent_forms_start,
    consent_forms_summary,
)
from needlepoint.consents.models import ConsentForm
from needlepoint.consents.services import (
    current_english,
    current_in_languages,
    is_current,
    version_covers_text,
)
from needlepoint.core import languages
from needlepoint.core.errors import DomainError
from needlepoint.setup.consent_forms import ConsentFormForm, TranslationForm, version_initial


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
    """Publish the next version of a form (or change its title, services, use); with
    ``?language=``, its text in another language the clinic offers."""
    organisation = request.staff.organisation
    consent_form = get_object_or_404(ConsentForm.objects.filter(organisation=organisation), pk=pk)
    language = _language(request, organisation)
    if language != ENGLISH:
        return _translation(request, consent_form, language)
    current = consent_form.versions.filter(language=ENGLISH).order_by("-version").first()
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
    versions = (
        consent_form.versions.filter(language=ENGLISH)
        .annotate(signature_count=Count("signatures"))
        .order_by("-version")
    )
    context = {
        "nav": "settings",
        "form": form,
        "consent_form": consent_form,
        "current": current,
        "versions": versions,
        "language": ENGLISH,
        "language_tabs": _language_tabs(consent_form),
    }
    return no_store(render(request, "setup/consents/form.html", context))


def _translation(request: StaffRequest, consent_form: ConsentForm, language: str) -> HttpResponse:
    """The form's text in one more language: it translates the current English version."""
    english = current_english(consent_form)
    if english is None:
        raise Http404("No English text to translate yet.")
    in_language = consent_form.versions.filter(language=language)
    current = in_language.order_by("-version").first()
    form = TranslationForm(request.POST or None, initial={"text": current.text if current else ""})
    if request.method == "POST" and form.is_valid():
        try:
            version = consent_form_translate(
                form=consent_form, language=language, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            if current is None or version.pk != current.pk:
                note = _(
                    "Version %(number)s in %(language)s is published: clients who read it "
                    "sign it before their next treatment."
                ) % {"number": version.version, "language": languages.name(language)}
            else:
                note = _("Saved. The text is unchanged, so no new version was published.")
            messages.success(request, note)
            return redirect("settings:consent_forms")
    context = {
        "nav": "settings",
        "form": form,
        "consent_form": consent_form,
        "english": english,
        "covers": version_covers_text(english),
        "current": current,
        "versions": in_language.annotate(signature_count=Count("signatures")).order_by("-version"),
        "language": language,
        "language_name": languages.name(language),
        "language_tabs": _language_tabs(consent_form),
    }
    return no_store(render(request, "setup/consents/translation.html", context))


def _language(request: StaffRequest, organisation: Organisation) -> str:
    language = request.GET.get("language") or ENGLISH
    if language not in clinic_languages(organisation):
        raise Http404("The clinic does not offer that language.")
    return language


def _language_tabs(consent_form: ConsentForm) -> list[dict[str, str]]:
    """One tab per language the clinic offers, saying which have no current text."""
    offered = current_in_languages(consent_form)
    written = set(consent_form.versions.values_list("language", flat=True))
    edit = reverse("settings:consent_form_edit", args=[consent_form.pk])
    tabs = []
    for code in clinic_languages(consent_form.organisation):
        status = "missing" if code not in written else "current" if code in offered else "outdated"
        url = edit if code == ENGLISH else f"{edit}?language={code}"
        tabs.append({"code": code, "name": languages.name(code), "url": url, "status": status})
    return tabs


@staff_view
def consent_form_version(request: StaffRequest, pk: int, version: int) -> HttpResponse:
    """One published version, read only: what clients signed."""
    consent_form = get_object_or_404(
        ConsentForm.objects.filter(organisation=request.staff.organisation), pk=pk
    )
    language = _language(request, consent_form.organisation)
    shown = get_object_or_404(
        consent_form.versions.annotate(signature_count=Count("signatures")),
        version=version,
        language=language,
    )
    context = {
        "nav": "settings",
        "consent_form": consent_form,
        "version": shown,
        "is_current": is_current(shown),
        "covers": version_covers_text(shown),
        "language_name": languages.name(language),
    }
    return no_store(render(request, "setup/consents/version.html", context))


def _form_error(form: ConsentFormForm | TranslationForm, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
