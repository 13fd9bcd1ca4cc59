"""The practitioner's pages: the chart of a session, its photos, comparisons and summaries.

Charts hold health data: only clinical staff (owner, manager, practitioner, trainee) of
the session's own locations reach them; anyone else gets a 404 (another clinic) or a
403 (the front desk). Every page is sent with ``Cache-Control: no-store``.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.queries import clients_for
from needlepoint.clinical import ClinicalError, SuggestedDepth, check_depth, suggested_depth
from needlepoint.clinical.aftercare import aftercare
from needlepoint.core.errors import DomainError
from needlepoint.core.storage import opened
from needlepoint.scheduling.models import Booking
from needlepoint.treatments import services
from needlepoint.treatments.checklist import session_checklist
from needlepoint.treatments.comparison import photo_comparison
from needlepoint.treatments.forms import (
    AddendumForm,
    AdverseEventForm,
    CartridgeForm,
    DetailsForm,
    OutcomeForm,
    PhotoForm,
    ResolveForm,
    ZoneForm,
)
from needlepoint.treatments.models import AdverseEvent, Photo, TreatmentSession
from needlepoint.treatments.pdf import course_summary_pdf, session_summary_pdf
from needlepoint.treatments.queries import (
    Chart,
    ZoneLine,
    chart_session,
    one_to_one,
    session_chart,
)
from needlepoint.treatments.zone_map import zone_map


def _sessions(request: StaffRequest) -> QuerySet[TreatmentSession]:
    return TreatmentSession.objects.filter(location__in=visible_locations(request.staff))


def _session(request: StaffRequest, public_id: UUID) -> TreatmentSession:
    return get_object_or_404(
        _sessions(request).select_related(
            "client__organisation",
            "location",
            "practitioner__user",
            "booking__service",
            "device",
            "completed_by",
        ),
        public_id=public_id,
    )


@require_POST
@staff_view
def session_open(request: StaffRequest, booking_id: UUID) -> HttpResponse:
    booking = get_object_or_404(
        Booking.objects.filter(location__in=visible_locations(request.staff)).select_related(
            "client", "service", "location", "practitioner", "device"
        ),
        public_id=booking_id,
    )
    try:
        session = services.session_start(booking=booking, by=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("scheduling:booking", public_id=booking.public_id)
    return redirect("treatments:chart", public_id=session.public_id)


@staff_view
def chart(request: StaffRequest, public_id: UUID) -> HttpResponse:
    session = chart_session(request.staff, public_id)
    if session is None:
        raise Http404
    audit.record(Action.VIEWED, Target.CHART, session.public_id, client=session.client)
    return no_store(render(request, "treatments/chart.html", _chart_context(request, session)))


def _chart_context(request: StaffRequest, session: TreatmentSession) -> dict[str, object]:
    now = timezone.now()
    data = session_chart(session)
    chosen = request.GET.get("zone", "")
    if chosen not in data.zone_names:
        chosen = ""
    countersignature = one_to_one(session, "countersignature")
    return {
        "nav": "clients",
        "session": session,
        "chart": data,
        "checklist": session_checklist(session, now),
        "figures": zone_map(
            data.zone_names,
            _worst_status_by_zone(data.zones),
            data.allowed_zones,
            chosen,
        ),
        "chosen": chosen,
        "chosen_name": data.zone_names.get(chosen, ""),
        "usual": _usual(session, chosen),
        "indication_name": _indication_name(session),
        "speed_text": DetailsForm.speed_text(session.speed_hz),
        "aftercare": aftercare(
            session.performed_on,
            now.astimezone(session.location.zone).date(),
            tuple(line.record.zone for line in data.zones),
        )
        if session.is_locked
        else [],
        "chosen_segments": [line for line in data.zones if line.record.zone == chosen],
        "awaits_countersignature": countersignature is None
        and services.countersign_needed(session),
        "may_countersign": request.staff.role in services.OVERRIDE_ROLES,
        "countersignature": countersignature,
    } | _chart_forms(session, data, chosen)


def _chart_forms(session: TreatmentSession, data: Chart, chosen: str) -> dict[str, forms.Form]:
    """The forms the page shows: a signed chart takes addenda (and a late outcome) only."""
    shown: dict[str, forms.Form] = {}
    if data.outcome is None:
        shown["outcome_form"] = OutcomeForm()
    if session.is_locked:
        shown["addendum_form"] = AddendumForm()
        return shown
    zone_initial: dict[str, object] = {"zone": chosen}
    if len(data.cartridges) == 1:
        zone_initial["cartridge"] = data.cartridges[0].pk
    numbing_at = session.numbing_applied_at
    details_initial = {
        "device": session.device_id,
        "speed": session.speed_hz,
        "speed_unit": "hz",
        "numbing_product": session.numbing_product,
        "numbing_applied_at": numbing_at.astimezone(session.location.zone).time()
        if numbing_at
        else None,
        "topicals": session.topicals,
        "reaction": session.reaction,
        "reaction_notes": session.reaction_notes,
        "notes": session.notes,
    }
    return shown | {
        "details_form": DetailsForm(initial=details_initial, session=session),
        "zone_form": ZoneForm(initial=zone_initial, cartridges=data.cartridges),
        "cartridge_form": CartridgeForm(session=session),
        "photo_form": PhotoForm(),
    }


@require_POST
@staff_view
def chart_action(request: StaffRequest, public_id: UUID, action: str) -> HttpResponse:
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404("Unknown action.")
    session = _session(request, public_id)
    place = ""
    try:
        place = handler(request, session)
    except DomainError as error:
        messages.error(request, error.message)
        place = _place_after_error(request, action)
    else:
        messages.success(
            request, _("Chart signed and locked.") if action == "complete" else _("Saved.")
        )
    url = reverse("treatments:chart", kwargs={"public_id": session.public_id})
    return redirect(url + place)


def _place_after_error(request: StaffRequest, action: str) -> str:
    if action == "zone":
        return f"?zone={request.POST.get('zone', '')}#zone-form"
    if action == "segment-remove":
        return "#zone-form"
    return ""


def _usual(session: TreatmentSession, zone: str) -> SuggestedDepth | None:
    """The indication's usual depth on the chosen zone, clipped to the zone's cap."""
    if not zone:
        return None
    try:
        return suggested_depth(zone, session.indication, rules=session.client.organisation.rules())
    except ClinicalError:
        return None


def _details(request: StaffRequest, session: TreatmentSession) -> str:
    form = DetailsForm(request.POST, session=session)
    _require_valid(form)
    given = form.given_speed
    services.session_details_record(session=session, by=_user(request), **form.cleaned_data)
    if given:
        messages.info(request, _("Pen speed: %(speed)s.") % {"speed": given})
    return "#details"


def _worst_status_by_zone(lines: list[ZoneLine]) -> dict[str, str]:
    """The map colours a zone by its worst segment: past a limit, then a warning."""
    order = ("ok", "warn", "block")
    worst: dict[str, str] = {}
    for line in lines:
        status = line.record.depth_status or "ok"
        worst[line.record.zone] = max(status, worst.get(line.record.zone, "ok"), key=order.index)
    return worst


def _zone(request: StaffRequest, session: TreatmentSession) -> str:
    cartridges = list(session.cartridges.select_related("configuration"))
    form = ZoneForm(request.POST, cartridges=cartridges)
    _require_valid(form)
    services.zone_record(session=session, by=_user(request), **form.cleaned_data)
    return f"?zone={form.cleaned_data['zone']}#zone-form"


def _segment_remove(request: StaffRequest, session: TreatmentSession) -> str:
    services.segment_remove(
        session=session, segment=request.POST.get("segment", ""), by=_user(request)
    )
    return "#zone-form"


def _cartridge(request: StaffRequest, session: TreatmentSession) -> str:
    form = CartridgeForm(request.POST, session=session)
    _require_valid(form)
    services.cartridge_use(session=session, by=_user(request), **form.cleaned_data)
    return "#cartridge"


def _photo(request: StaffRequest, session: TreatmentSession) -> str:
    form = PhotoForm(request.POST, request.FILES)
    _require_valid(form)
    upload = form.cleaned_data["image"]
    if upload.size > settings.PHOTO_MAX_BYTES:  # refused before it is read into memory
        raise DomainError("photo_too_large", _("That photo file is too large."))
    services.photo_add(
        session=session,
        view=form.cleaned_data["view"],
        timing=form.cleaned_data["timing"],
        data=upload.read(),
        by=_user(request),
    )
    return "#photos"


def _outcome(request: StaffRequest, session: TreatmentSession) -> str:
    form = OutcomeForm(request.POST)
    _require_valid(form)
    services.outcome_record(
        session=session,
        by=_user(request),
        scar_grade=form.cleaned_data["scar_grade"],
        scar_counts=form.scar_counts(),
        hypertrophic_area_cm2=form.cleaned_data["hypertrophic_area_cm2"] or 0.0,
        glogau=form.cleaned_data["glogau"],
        improvement=form.cleaned_data["improvement"],
        notes=form.cleaned_data["notes"],
    )
    return "#outcome"


def _complete(request: StaffRequest, session: TreatmentSession) -> str:
    services.session_complete(session=session, by=_user(request))
    return ""


def _addendum(request: StaffRequest, session: TreatmentSession) -> str:
    form = AddendumForm(request.POST)
    _require_valid(form)
    services.addendum_add(session=session, text=form.cleaned_data["text"], by=_user(request))
    return "#addenda"


def _countersign(request: StaffRequest, session: TreatmentSession) -> str:
    services.session_countersign(session=session, by=_user(request))
    return ""


ACTIONS: dict[str, Callable[[StaffRequest, TreatmentSession], str]] = {
    "details": _details,
    "zone": _zone,
    "segment-remove": _segment_remove,
    "cartridge": _cartridge,
    "photo": _photo,
    "outcome": _outcome,
    "complete": _complete,
    "addendum": _addendum,
    "countersign": _countersign,
}


def _user(request: StaffRequest) -> User:
    return request.staff.user


def _require_valid(form: forms.Form) -> None:
    """An invalid form becomes one ``DomainError`` naming each field's problem."""
    if not form.is_valid():
        problems = [
            f"{form[name].label}: {message}" if name != "__all__" else str(message)
            for name, errors in form.errors.items()
            for message in errors
        ]
        raise DomainError("invalid_input", " ".join(problems))


@staff_view
def depth_check(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """The live depth check beside the depth field, as the practitioner types.

    With no depth yet, just the indication's usual depth on the zone (within its cap).
    """
    session = _session(request, public_id)
    zone, depth = request.GET.get("zone", ""), request.GET.get("depth_mm", "")
    usual = _usual(session, zone)
    result = None
    if depth.strip():
        try:
            result = check_depth(
                zone, session.indication, float(depth), rules=session.client.organisation.rules()
            )
        except (ClinicalError, ValueError):
            result = None
    if result is None and usual is None:
        return HttpResponse("")
    context = {"check": result, "usual": usual, "indication": _indication_name(session)}
    return render(request, "treatments/_depth_check.html", context)


def _indication_name(session: TreatmentSession) -> str:
    try:
        return session.client.organisation.rules().indication(session.indication).name
    except ClinicalError:
        return ""


@staff_view
def photo_file(request: StaffRequest, public_id: UUID, size: str) -> HttpResponseBase:
    photo = get_object_or_404(
        Photo.objects.filter(session__location__in=visible_locations(request.staff)).select_related(
            "session__client"
        ),
        public_id=public_id,
    )
    try:
        stored = opened(photo.thumbnail if size == "thumb" else photo.image)
    except DomainError as error:
        return _store_down(error)
    audit.record(
        Action.VIEWED,
        Target.PHOTO,
        photo.public_id,
        client=photo.session.client,
        detail={"size": size},
    )
    response = FileResponse(stored, content_type="image/jpeg")
    no_store(response)
    response["Content-Disposition"] = "inline"
    return response


@staff_view
def compare(request: StaffRequest, client_id: UUID) -> HttpResponse:
    client = get_object_or_404(clients_for(request.staff), public_id=client_id)
    comparison = photo_comparison(
        client,
        locations=visible_locations(request.staff),
        view=request.GET.get("view", ""),
        first=request.GET.get("a", ""),
        second=request.GET.get("b", ""),
    )
    context = {"nav": "clients", "client": client, "comparison": comparison}
    audit.record(
        Action.VIEWED, Target.PHOTO, client=client, detail={"comparison": request.GET.dict()}
    )
    return no_store(render(request, "treatments/compare.html", context))


@staff_view
def session_pdf(request: StaffRequest, public_id: UUID) -> HttpResponse:
    session = _session(request, public_id)
    try:
        content = session_summary_pdf(session)
    except DomainError as error:  # the photos' store is down
        return _store_down(error)
    audit.record(Action.PRINTED, Target.CHART, session.public_id, client=session.client)
    return _pdf(content, f"treatment-{session.performed_on}.pdf")


@staff_view
def course_pdf(request: StaffRequest, client_id: UUID, indication: str) -> HttpResponse:
    client = get_object_or_404(clients_for(request.staff), public_id=client_id)
    sessions = list(
        TreatmentSession.objects.filter(
            client=client,
            indication=indication,
            location__in=visible_locations(request.staff),
        ).order_by("performed_on", "pk")
    )
    if not sessions:
        raise Http404("No sessions for that indication.")
    try:
        content = course_summary_pdf(client, sessions)
    except DomainError as error:
        return _store_down(error)
    audit.record(Action.PRINTED, Target.CHART, client=client, detail={"course": indication})
    return _pdf(content, f"course-{indication.split('.')[-1]}.pdf")


def _store_down(error: DomainError) -> HttpResponse:
    return no_store(HttpResponse(error.message, status=503, content_type="text/plain"))


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return no_store(response)


@require_POST
@staff_view
def adverse_event_new(request: StaffRequest, client_id: UUID) -> HttpResponse:
    client = get_object_or_404(clients_for(request.staff), public_id=client_id)
    form = AdverseEventForm(request.POST, rules=client.organisation.rules())
    try:
        _require_valid(form)
        services.adverse_event_record(client=client, by=_user(request), **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Adverse event recorded."))
    return redirect(reverse("clients:detail", kwargs={"public_id": client.public_id}) + "#safety")


@require_POST
@staff_view
def adverse_event_close(request: StaffRequest, event_id: int) -> HttpResponse:
    event = get_object_or_404(
        AdverseEvent.objects.filter(client__in=clients_for(request.staff)).select_related("client"),
        pk=event_id,
    )
    form = ResolveForm(request.POST)
    try:
        _require_valid(form)
        services.adverse_event_resolve(event=event, by=_user(request), **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Adverse event resolved."))
    url = reverse("clients:detail", kwargs={"public_id": event.client.public_id})
    return redirect(url + "#safety")
