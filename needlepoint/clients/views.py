from __future__ import annotations

import tempfile
from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import (
    StaffRequest,
    no_store,
    sees_clinical_record,
    staff_view,
    visible_locations,
)
from needlepoint.accounts.permissions import DESK
from needlepoint.accounts.recent import password_again, requires_recent_password
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.forms import ClientForm, ClinicalReviewForm, ErasureForm, MergeForm
from needlepoint.clients.models import Client, ClinicalReview, Screening
from needlepoint.clients.photo_consent import (
    photo_consent_give,
    photo_consent_withdraw,
    photo_consent_wording,
    photo_consents,
)
from needlepoint.clients.queries import (
    clients_for,
    history_versions,
    latest_screening,
    possible_duplicates,
    search_clients,
)
from needlepoint.clients.reviews import REVIEW_ROLES, clinical_review_record, keys_to_review
from needlepoint.clients.services import client_create, client_update, screening_run
from needlepoint.clinical import Rules
from needlepoint.clinics.clinical_wording import rule_text, zone_name
from needlepoint.clinics.models import Location, StaffMember, local_today
from needlepoint.core.errors import DomainError
from needlepoint.core.storage import opened
from needlepoint.memberships import views as membership_views
from needlepoint.packages.queries import client_packages
from needlepoint.payments.queries import client_money, may
from needlepoint.privacy.erasure import erasure_request
from needlepoint.privacy.export import client_export_write, export_filename
from needlepoint.privacy.merge import MergePlan, client_merge, merge_plan
from needlepoint.scheduling.courses import course_progress
from needlepoint.scheduling.queries import upcoming_bookings
from needlepoint.treatments.forms import AdverseEventForm, ResolveForm
from needlepoint.treatments.models import Outcome, Photo
from needlepoint.treatments.progress import progress_charts
from needlepoint.treatments.queries import client_record

PAGE_SIZE = 50


@staff_view
def client_list(request: StaffRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(search_clients(request.staff, query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"nav": "clients", "page": page, "query": query}
    return no_store(render(request, "clients/list.html", context))


@staff_view
def client_new(request: StaffRequest) -> HttpResponse:
    """Register a client (a caller on the phone, a walk-in): then book them."""
    locations = list(visible_locations(request.staff))
    form = ClientForm(request.POST or None, locations=locations)
    existing, lookalikes = None, []
    if request.method == "POST" and form.is_valid():
        details = form.cleaned_data
        if not details.pop("not_on_file"):
            lookalikes = list(possible_duplicates(request.staff, **_identity(details))[:5])
        if lookalikes:
            seen = request.POST.copy()
            seen["not_on_file"] = "on"
            form = ClientForm(seen, locations=locations)
            context = {"nav": "clients", "form": form, "lookalikes": lookalikes, "client": None}
            return no_store(render(request, "clients/form.html", context))
        try:
            client = client_create(organisation=request.staff.organisation, **details)
        except DomainError as error:
            _form_error(form, error)
            if error.code == "client_exists":
                found = error.details.get("existing_client", "")
                existing = clients_for(request.staff).filter(public_id=found).first()
        else:
            messages.success(request, _("%(name)s is on file.") % {"name": client.full_name})
            return redirect("clients:detail", public_id=client.public_id)
    context = {"nav": "clients", "form": form, "existing": existing, "client": None}
    return no_store(render(request, "clients/form.html", context))


def _identity(details: dict[str, Any]) -> dict[str, Any]:
    names = ("first_name", "last_name", "date_of_birth", "phone")
    return {name: details[name] for name in names}


@staff_view
def client_edit(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Change a client's contact details; an erased client's stay empty."""
    client = get_object_or_404(clients_for(request.staff), public_id=public_id)
    if client.anonymised_at is not None:
        raise Http404(_("This client's data was erased."))
    locations = list(visible_locations(request.staff))
    initial = {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "date_of_birth": client.date_of_birth,
        "phone": client.phone,
        "email": client.email,
        "message_channel": client.message_channel,
        "language": client.language,
        "home_location": client.home_location_id,
        "alert": client.alert,
        "notes": client.notes,
    }
    form = ClientForm(request.POST or None, locations=locations, initial=initial)
    if request.method == "POST" and form.is_valid():
        details = form.cleaned_data
        details.pop("not_on_file")
        try:
            client_update(client=client, **details)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("clients:detail", public_id=client.public_id)
    context = {"nav": "clients", "form": form, "existing": None, "client": client}
    return no_store(render(request, "clients/form.html", context))


def _where_to_book(staff: StaffMember, client: Client) -> Location | None:
    """The client's usual location if the staff member works there, else their first."""
    locations = list(visible_locations(staff).order_by("name"))
    usual = [location for location in locations if location.pk == client.home_location_id]
    choices = usual or locations
    return choices[0] if choices else None


def _form_error(form: ClientForm, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


@staff_view
def client_detail(request: StaffRequest, public_id: UUID) -> HttpResponse:
    client = get_object_or_404(
        clients_for(request.staff).select_related("home_location", "merged_into"),
        public_id=public_id,
    )
    today = local_today(client.home_location)
    clinical = sees_clinical_record(request.staff)
    context = {
        "nav": "clients",
        "client": client,
        "today": today,
        "upcoming": upcoming_bookings(client),
        "courses": [
            (course, course_progress(course))
            for course in client.courses.select_related("service__location")
        ],
        "clinical": clinical,
        "photo_consent": photo_consents(client).filter(withdrawn_at__isnull=True).first(),
        "photo_consent_wording": photo_consent_wording(client),
        "may_review": request.staff.role in REVIEW_ROLES,
        "book_at": _where_to_book(request.staff, client),
        "may_merge": request.staff.role in DESK,
        "memberships": membership_views.client_panel(request.staff, client),
        "money": client_money(client, visible_locations(request.staff))
        if may(request.staff, "money:invoice")
        else None,
        "packages": {
            "rows": client_packages(client),
            "may_sell": may(request.staff, "packages:sell"),
        }
        if may(request.staff, "packages:detail")
        else None,
    }
    if clinical:
        context |= _clinical_record(request.staff, client, today)
    else:  # the front desk: the screening and the history's dates, nothing charted
        context |= {
            "screening": latest_screening(client),
            "questionnaires": history_versions(client),
        }
    audit.record(Action.VIEWED, Target.CLIENT, client.public_id, client=client)
    return no_store(render(request, "clients/detail.html", context))


def _clinical_record(staff: StaffMember, client: Client, today: date) -> dict[str, object]:
    """The client page's clinical part: sessions, progress, adverse events, next sessions."""
    record = client_record(client)
    rules = client.organisation.rules()
    for event in record.adverse_events:
        kind = rules.adverse_events.get(event.kind)
        event.kind_name = kind.name if kind else event.kind  # type: ignore[attr-defined]
    screening = record.latest_screening
    return {
        "record": record,
        "screening": screening,
        "to_review": keys_to_review(screening.reasons if screening else [], rules),
        "reviews": _named(client.clinical_reviews.select_related("reviewed_by"), rules),
        "questionnaires": record.questionnaires,
        "progress": progress_charts(
            record.sessions, Outcome.objects.filter(session__client=client), rules
        ),
        "adverse_event_form": AdverseEventForm(rules=rules, initial={"onset_on": today}),
        "resolve_form": ResolveForm(initial={"resolved_on": today}),
        "has_photos": Photo.objects.filter(
            session__client=client, session__location__in=visible_locations(staff)
        ).exists(),
    }


def _named(reviews: Iterable[ClinicalReview], rules: Rules) -> list[ClinicalReview]:
    """Reviews with their contraindications' and zones' names, as the rules file gives them."""
    named = list(reviews)
    for review in named:
        review.names = [  # type: ignore[attr-defined]
            rule_text(ci.name) if (ci := rules.contraindications.get(key)) else key
            for key in review.keys
        ]
        review.zone_names = [  # type: ignore[attr-defined]
            zone_name(key, rules) if key in rules.zones or key in rules.areas else key
            for key in review.zones
        ]
    return named


@staff_view
@requires_recent_password
def client_export(request: StaffRequest, public_id: UUID) -> HttpResponseBase:
    """The client's whole record as a zip (owners and managers; see accounts/permissions.py)."""
    client = get_object_or_404(clients_for(request.staff), public_id=public_id)
    # Photos can be large: the zip is spooled to disk; FileResponse closes the file once sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        client_export_write(client, spool)
    except BaseException as error:
        spool.close()
        if isinstance(error, DomainError):  # the photos' store is down: nothing was sent
            messages.error(request, error.message)
            return redirect("clients:detail", public_id=client.public_id)
        raise
    spool.seek(0)
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=export_filename(client),
        content_type="application/zip",
    )
    return no_store(response)


@require_POST
@staff_view
def client_erasure(request: StaffRequest, public_id: UUID) -> HttpResponse:
    client = get_object_or_404(clients_for(request.staff), public_id=public_id)
    detail = reverse("clients:detail", args=[client.public_id])
    if (asked := password_again(request, then=detail)) is not None:
        return asked
    form = ErasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason and tick the box to confirm the erasure."))
        return redirect("clients:detail", public_id=client.public_id)
    try:
        client = erasure_request(client, by=request.staff.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Contact and marketing data erased. The clinical record is kept until "
                "%(day)s, then purged."
            )
            % {"day": date_format(client.purge_after, _("j F Y"))},  # type: ignore[arg-type]
        )
    return redirect("clients:detail", public_id=client.public_id)


@require_POST
@staff_view
def client_photo_consent(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Record (in the words shown) or withdraw the client's consent to marketing photos."""
    client = get_object_or_404(clients_for(request.staff), public_id=public_id)
    if request.POST.get("action") == "withdraw":
        if photo_consent_withdraw(client=client):
            audit.record(Action.CHANGED, Target.CONSENT, client=client, detail={"photos": "no"})
            messages.success(request, _("Consent to show the client's photos is withdrawn."))
        return redirect(reverse("clients:detail", args=[client.public_id]) + "#photo-consent")
    if request.POST.get("agreed") != "yes":
        messages.error(request, _("Tick the box once the client has read and agreed to the words."))
    else:
        try:
            consent = photo_consent_give(client=client, source=f"staff: {request.user}")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            audit.record(Action.CREATED, Target.CONSENT, consent.pk, client=client)
            messages.success(request, _("The client's consent to show their photos is recorded."))
    return redirect(reverse("clients:detail", args=[client.public_id]) + "#photo-consent")


@staff_view
def client_review(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """A practitioner records a clinical review of what the latest screening named, and the
    client is screened again with it."""
    client = get_object_or_404(clients_for(request.staff), public_id=public_id)
    rules = client.organisation.rules()
    screening = latest_screening(client)
    keys = keys_to_review(screening.reasons if screening else [], rules)
    form = ClinicalReviewForm(request.POST or None, request.FILES or None, rules=rules, keys=keys)
    if request.method == "POST" and form.is_valid():
        assert screening is not None  # a key to review comes from a screening
        try:
            screening = _review_and_screen_again(
                request, client, screening.zones, form.cleaned_data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Clinical review recorded. The screening is now: %(outcome)s.")
                % {"outcome": screening.get_outcome_display().lower()},
            )
            return redirect("clients:detail", public_id=client.public_id)
    context = {"nav": "clients", "client": client, "screening": screening, "form": form}
    return no_store(render(request, "clients/review.html", context))


@transaction.atomic
def _review_and_screen_again(
    request: StaffRequest, client: Client, zones: list[str], data: dict[str, Any]
) -> Screening:
    today = local_today(client.home_location)
    letter = data["attachment"]
    clinical_review_record(
        client=client,
        keys=data["keys"],
        zones=data["zones"],
        decision=data["decision"],
        reason=data["reason"],
        conditions=data["conditions"],
        expires_on=data["expires_on"],
        attachment=letter.read() if letter else None,
        by=request.staff.user,
        on=today,
    )
    return screening_run(client=client, on_date=today, zones=zones, by=request.staff.user)


@staff_view
def client_review_letter(
    request: StaffRequest, public_id: UUID, review_id: UUID
) -> HttpResponseBase:
    """The letter attached to a clinical review, for clinical staff; each look is audited."""
    review = get_object_or_404(
        ClinicalReview.objects.filter(client__in=clients_for(request.staff)).select_related(
            "client"
        ),
        client__public_id=public_id,
        public_id=review_id,
    )
    if not review.attachment:
        raise Http404(_("This review has no letter."))
    try:
        letter = opened(review.attachment)
    except DomainError as error:
        return no_store(HttpResponse(error.message, status=503, content_type="text/plain"))
    audit.record(
        Action.VIEWED, Target.HEALTH, review.public_id, client=review.client, detail={"letter": 1}
    )
    kind = {"pdf": "application/pdf", "png": "image/png"}.get(
        review.attachment.name.rsplit(".", 1)[-1], "image/jpeg"
    )
    response = FileResponse(letter, content_type=kind)
    return no_store(response)


@staff_view
def client_merge_page(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Find the other record of the same person, see side by side what moves, then merge
    it into this one (this record is kept, the other closed)."""
    client = get_object_or_404(clients_for(request.staff), public_id=public_id)
    if client.anonymised_at is not None:
        raise Http404(_("This client's data was erased."))
    query = request.GET.get("q", "").strip()[:100]
    other = _other_record(request, client)
    plan = merge_plan(kept=client, duplicate=other) if other else None
    form = MergeForm(request.POST or None)
    if request.method == "POST" and plan is not None and form.is_valid():
        try:
            client_merge(
                kept=client,
                duplicate=plan.duplicate,
                by=request.staff.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(
                request,
                _("The duplicate record is merged into %(name)s's.") % {"name": client.full_name},
            )
            return redirect("clients:detail", public_id=client.public_id)
    identity = _identity(vars(client))
    context = {
        "nav": "clients",
        "client": client,
        "query": query,
        "suggestions": possible_duplicates(request.staff, **identity).exclude(pk=client.pk)[:10],
        "found": search_clients(request.staff, query).exclude(pk=client.pk)[:20] if query else None,
        "plan": plan,
        "rows": _side_by_side(plan) if plan else [],
        "form": form,
    }
    return no_store(render(request, "clients/merge.html", context))


def _other_record(request: StaffRequest, client: Client) -> Client | None:
    """The record picked to merge into this one (``other``), in the staff's organisation."""
    chosen = request.POST.get("other") or request.GET.get("other")
    if not chosen:
        if request.method == "POST":
            raise Http404(_("Choose the other record first."))
        return None
    try:
        other_id = UUID(chosen)
    except ValueError as error:
        raise Http404(_("No such client.")) from error
    return get_object_or_404(
        clients_for(request.staff).select_related("home_location", "merged_into"),
        public_id=other_id,
    )


def _side_by_side(plan: MergePlan) -> list[tuple[str, object, object, str]]:
    """(detail, this record's, the duplicate's, what the merge does) for the merge page."""
    kept, duplicate, changes = plan.kept, plan.duplicate, plan.changes
    stays, copied, joined = _("Stays"), _("Copied here"), _("Joined")

    def outcome(name: str, when_changed: str) -> str:
        return when_changed if name in changes else stays

    return [
        (_("Name"), kept.full_name, duplicate.full_name, stays),
        (
            _("Date of birth"),
            date_format(kept.date_of_birth, "j F Y"),
            date_format(duplicate.date_of_birth, "j F Y"),
            stays,
        ),
        (_("Email"), kept.email, duplicate.email, outcome("email", copied)),
        (_("Phone"), kept.phone, duplicate.phone, outcome("phone", copied)),
        (
            _("Fitzpatrick"),
            kept.get_fitzpatrick_display() or "",
            duplicate.get_fitzpatrick_display() or "",
            outcome("fitzpatrick", copied),
        ),
        (
            _("Location"),
            kept.home_location or "",
            duplicate.home_location or "",
            outcome("home_location", copied),
        ),
        (_("Alert"), kept.alert, duplicate.alert, outcome("alert", joined)),
        (_("Notes"), kept.notes, duplicate.notes, outcome("notes", joined)),
    ]
