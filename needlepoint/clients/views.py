from __future__ import annotations

import tempfile
from datetime import date
from uuid import UUID

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from needlepoint.accounts.recent import password_again, requires_recent_password
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.erasure import erasure_request
from needlepoint.clients.export import client_export_write, export_filename
from needlepoint.clients.forms import ErasureForm
from needlepoint.clients.models import Client
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
    search_clients,
)
from needlepoint.clinics.models import StaffMember, local_today
from needlepoint.core.access import (
    StaffRequest,
    no_store,
    sees_clinical_record,
    staff_view,
    visible_locations,
)
from needlepoint.core.errors import DomainError
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
def client_detail(request: StaffRequest, public_id: UUID) -> HttpResponse:
    client = get_object_or_404(
        clients_for(request.staff).select_related("home_location"), public_id=public_id
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
    return {
        "record": record,
        "screening": record.latest_screening,
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


@staff_view
@requires_recent_password
def client_export(request: StaffRequest, public_id: UUID) -> FileResponse:
    """The client's whole record as a zip (owners and managers; see core/permissions.py)."""
    client = get_object_or_404(clients_for(request.staff), public_id=public_id)
    # Photos can be large: the zip is spooled to disk; FileResponse closes the file once sent.
    spool = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        client_export_write(client, spool)
    except BaseException:
        spool.close()
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
        messages.error(request, "Give the reason and tick the box to confirm the erasure.")
        return redirect("clients:detail", public_id=client.public_id)
    try:
        client = erasure_request(client, by=request.staff.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Contact and marketing data erased. The clinical record is kept until "
            f"{client.purge_after:%d %B %Y}, then purged.",
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
            messages.success(request, "Consent to show the client's photos is withdrawn.")
        return redirect(reverse("clients:detail", args=[client.public_id]) + "#photo-consent")
    if request.POST.get("agreed") != "yes":
        messages.error(request, "Tick the box once the client has read and agreed to the words.")
    else:
        try:
            consent = photo_consent_give(client=client, source=f"staff: {request.user}")
        except DomainError as error:
            messages.error(request, error.message)
        else:
            audit.record(Action.CREATED, Target.CONSENT, consent.pk, client=client)
            messages.success(request, "The client's consent to show their photos is recorded.")
    return redirect(reverse("clients:detail", args=[client.public_id]) + "#photo-consent")
