from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import (
    StaffRequest,
    no_store,
    sees_clinical_record,
    staff_view,
    visible_locations,
)
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.queries import clients_for, latest_screening
from needlepoint.clients.reviews import review_summaries
from needlepoint.clinics.models import Location, local_today
from needlepoint.consents.models import SignedConsent
from needlepoint.consents.services import consents_due
from needlepoint.core.errors import DomainError
from needlepoint.memberships.queries import booking_membership
from needlepoint.packages.queries import booking_package
from needlepoint.payments.queries import booking_money, may
from needlepoint.public.kiosk import visit_today
from needlepoint.scheduling import calendar_reads, services
from needlepoint.scheduling import waitlist as waitlist_services
from needlepoint.scheduling.calendar import day_calendar, week_calendar
from needlepoint.scheduling.choices import (
    BookingStatus,
    Channel,
    OfferStatus,
    ServiceKind,
    WaitlistStatus,
)
from needlepoint.scheduling.courses import Preferences, course_book, course_propose
from needlepoint.scheduling.forms import (
    BookingForm,
    CancelForm,
    CourseForm,
    MoveForm,
    RescheduleForm,
)
from needlepoint.scheduling.models import Booking, Service, WaitlistEntry, WaitlistOffer
from needlepoint.scheduling.queries import available_slots
from needlepoint.treatments.models import TreatmentSession
from needlepoint.treatments.queries import open_adverse_events
from needlepoint.treatments.services import CHARTING_ROLES


def _location(request: StaffRequest, slug: str) -> Location:
    """The location by its slug, if the staff member may see it (plain SQL: the calendar,
    the staff's busiest page, reads it on every request)."""
    location = calendar_reads.visible_location(request.staff, slug)
    if location is None:
        raise Http404("No such location.")
    return location


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise Http404("Not a date.") from error


def _booking(request: StaffRequest, public_id: UUID) -> Booking:
    bookings = Booking.objects.filter(location__in=visible_locations(request.staff))
    return get_object_or_404(
        bookings.select_related(
            "client", "service", "practitioner__user", "room", "device", "location"
        ),
        public_id=public_id,
    )


@staff_view
def calendar_home(request: StaffRequest) -> HttpResponse:
    location = visible_locations(request.staff).first()
    if location is None:
        raise Http404("No locations yet.")
    return redirect("scheduling:day", slug=location.slug, day=local_today(location).isoformat())


def _view_query(request: StaffRequest) -> tuple[str, str, str]:
    """The calendar's switches (columns by room, colour by status) and their query string."""
    by = "room" if request.GET.get("by") == "room" else "practitioner"
    colour = "status" if request.GET.get("colour") == "status" else "service"
    kept = {
        key: value for key, value in (("by", by), ("colour", colour)) if value in {"room", "status"}
    }
    return by, colour, urlencode(kept)


def _jump(request: StaffRequest, name: str, location: Location, day: str) -> HttpResponse:
    """The "go to a date" box: to that date's page, keeping the switches."""
    query = _view_query(request)[2]
    try:
        on = date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        messages.error(request, _("Please choose a date to go to."))
        on = _date(day)
    url = reverse(name, kwargs={"slug": location.slug, "day": on.isoformat()})
    return redirect(f"{url}?{query}" if query else url)


@staff_view
def day(request: StaffRequest, slug: str, day: str) -> HttpResponse:
    location = _location(request, slug)
    if "on" in request.GET:
        return _jump(request, "scheduling:day", location, day)
    by, colour, query = _view_query(request)
    context = {
        "nav": "calendar",
        "calendar": day_calendar(location, _date(day), by, colour),
        "query": query,
        "today": local_today(location),
    }
    return no_store(render(request, "scheduling/day.html", context))


@staff_view
def week(request: StaffRequest, slug: str, day: str) -> HttpResponse:
    location = _location(request, slug)
    if "on" in request.GET:
        return _jump(request, "scheduling:week", location, day)
    _by, colour, query = _view_query(request)
    context = {
        "nav": "calendar",
        "calendar": week_calendar(location, _date(day), colour),
        "query": query,
        "today": local_today(location),
    }
    return no_store(render(request, "scheduling/week.html", context))


@require_POST
@staff_view
def booking_move(request: StaffRequest, public_id: UUID) -> JsonResponse:
    """Where the calendar drops a booking: the same move as the booking page's, answered
    in JSON for the page's script (a refusal says why; the booking goes back)."""
    booking = _booking(request, public_id)
    form = MoveForm(request.POST, location=booking.location)
    try:
        if not form.is_valid():
            problems = [str(message) for errors in form.errors.values() for message in errors]
            raise DomainError("invalid_time", " ".join(problems))
        services.booking_reschedule(
            booking=booking,
            starts_at=form.cleaned_data["starts_at"],
            practitioner=form.cleaned_data["practitioner"],
            by=request.user,  # type: ignore[arg-type]
        )
    except DomainError as error:
        return JsonResponse({"moved": False, "message": error.message}, status=409)
    when = booking.starts_at.astimezone(booking.location.zone)
    message = _("Moved %(client)s to %(when)s with %(who)s.") % {
        "client": booking.client.full_name,
        "when": date_format(when, "l j F, H:i"),
        "who": booking.practitioner.user.full_name,
    }
    return JsonResponse({"moved": True, "message": message})


def _move_times(request: StaffRequest, booking: Booking) -> tuple[date, list[datetime]]:
    """The day the booking page offers times on (``?on=``), and the free starts that day."""
    zone, today = booking.location.zone, local_today(booking.location)
    try:
        on = date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        on = max(booking.starts_at.astimezone(zone).date(), today)
    if booking.status != BookingStatus.BOOKED or on < today:
        return max(on, today), []
    slots = available_slots(
        booking.service,
        on,
        on,
        now=timezone.now(),
        channel=Channel.STAFF,
        practitioner=booking.practitioner,
        moving=booking,
    )
    return on, [s.start.astimezone(zone) for s in slots if s.start != booking.starts_at]


@staff_view
def booking_new(request: StaffRequest, slug: str) -> HttpResponse:
    location = _location(request, slug)
    data = request.POST if request.method == "POST" else None
    form = BookingForm(data, location=location, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.booking_create(
                client=form.cleaned_data["client"],
                service=form.cleaned_data["service"],
                starts_at=form.cleaned_data["starts_at"],
                practitioner=form.cleaned_data["practitioner"],
                channel=Channel.STAFF,
                by=request.user,  # type: ignore[arg-type]
                override_reason=form.cleaned_data["override_reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Booked %(service)s for %(client)s.")
                % {"service": booking.service, "client": booking.client},
            )
            return redirect("scheduling:booking", public_id=booking.public_id)
    context = {"nav": "calendar", "form": form, "location": location}
    return no_store(render(request, "scheduling/booking_new.html", context))


@staff_view
def booking_detail(request: StaffRequest, public_id: UUID) -> HttpResponse:
    booking = _booking(request, public_id)
    move_on, move_times = _move_times(request, booking)
    context = {
        "nav": "calendar",
        "booking": booking,
        "move_on": move_on,
        "move_times": move_times,
        "move_days": (move_on - timedelta(days=1), move_on + timedelta(days=1)),
        "events": booking.events.select_related("by"),
        "reschedule_form": RescheduleForm(location=booking.location),
        "cancel_form": CancelForm(),
        "open_adverse_events": (
            open_adverse_events(booking.client) if sees_clinical_record(request.staff) else []
        ),
        "reviews": (
            review_summaries(
                booking.client, booking.starts_at.astimezone(booking.location.zone).date()
            )
            if sees_clinical_record(request.staff)
            else []
        ),
        "can_chart": booking.service.kind == ServiceKind.TREATMENT
        and request.staff.role in CHARTING_ROLES,
        "chart": TreatmentSession.objects.filter(booking=booking).first(),
        "clinical": sees_clinical_record(request.staff),
        "money": booking_money(booking, request.staff)
        if may(request.staff, "money:invoice")
        else None,
        "package": booking_package(booking),
        "package_link": may(request.staff, "packages:detail"),
        "booking_membership": booking_membership(booking)
        if may(request.staff, "memberships:detail")
        else None,
        **_health_and_consent(booking),
    }
    audit.record(Action.VIEWED, Target.BOOKING, booking.public_id, client=booking.client)
    return no_store(render(request, "scheduling/booking_detail.html", context))


def _health_and_consent(booking: Booking) -> dict[str, object]:
    """The client's latest history and screening, and this service's consents, for the
    booking page; and whether the tablet can be handed over for it."""
    client = booking.client
    return {
        "history": client.questionnaires.only("client_id", "version", "answered_on", "source")
        .order_by("-version")
        .first(),
        "screening": latest_screening(client),
        "consents_due": consents_due(client, booking.service),
        "consents_signed": SignedConsent.objects.filter(
            client=client, form_version__form__services=booking.service
        ).select_related("form_version__form"),
        "tablet": visit_today(booking),
    }


@require_POST
@staff_view
def booking_action(request: StaffRequest, public_id: UUID, action: str) -> HttpResponse:
    booking = _booking(request, public_id)
    by = request.user
    try:
        if action == "reschedule":
            form = RescheduleForm(request.POST, location=booking.location)
            if not form.is_valid():
                problems = [str(message) for errors in form.errors.values() for message in errors]
                raise DomainError("invalid_time", " ".join(problems))
            services.booking_reschedule(
                booking=booking,
                starts_at=form.cleaned_data["starts_at"],
                by=by,  # type: ignore[arg-type]
                override_reason=form.cleaned_data["override_reason"],
            )
        elif action == "cancel":
            reason = request.POST.get("reason", "")[:500]
            services.booking_cancel(booking=booking, by=by, reason=reason)  # type: ignore[arg-type]
        elif action == "check-in":
            services.booking_check_in(booking=booking, by=by)  # type: ignore[arg-type]
        elif action == "no-show":
            services.booking_no_show(booking=booking, by=by)  # type: ignore[arg-type]
        elif action == "complete":
            services.booking_complete(booking=booking, by=by)  # type: ignore[arg-type]
        else:
            raise Http404("Unknown action.")
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("scheduling:booking", kwargs={"public_id": booking.public_id}))


@staff_view
def course_new(request: StaffRequest, client_id: UUID) -> HttpResponse:
    client = get_object_or_404(clients_for(request.staff), public_id=client_id)
    services = Service.objects.filter(
        location__in=visible_locations(request.staff), kind=ServiceKind.TREATMENT, is_active=True
    ).select_related("location")
    data = request.POST if request.method == "POST" else None
    form = CourseForm(
        data, services=services, initial={"start_on": local_today(client.home_location)}
    )
    proposals = []
    if form.is_valid():
        plan = {
            "client": client,
            "service": form.cleaned_data["service"],
            "sessions": form.cleaned_data["sessions"],
            "start_on": form.cleaned_data["start_on"],
            "interval_days": form.cleaned_data["interval_days"],
            "preferences": Preferences(
                form.cleaned_data["weekdays"],
                form.cleaned_data["time_from"],
                form.cleaned_data["time_to"],
            ),
        }
        try:
            if "book" in request.POST:
                course_book(**plan, by=request.user)  # type: ignore[arg-type]
                messages.success(
                    request,
                    ngettext(
                        "Booked a course of %(count)s for %(client)s.",
                        "Booked a course of %(count)s for %(client)s.",
                        plan["sessions"],
                    )
                    % {"count": plan["sessions"], "client": client},
                )
                return redirect("clients:detail", public_id=client.public_id)
            proposals = course_propose(**plan)
        except DomainError as error:
            form.add_error(None, error.message)
    zone = form.cleaned_data["service"].location.time_zone if proposals else None
    context = {
        "nav": "clients",
        "client": client,
        "form": form,
        "proposals": proposals,
        "zone": zone,
    }
    return no_store(render(request, "scheduling/course_new.html", context))


@staff_view
def waitlist(request: StaffRequest) -> HttpResponse:
    entries = (
        WaitlistEntry.objects.filter(
            service__location__in=visible_locations(request.staff),
            status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
        )
        .select_related("client", "service__location")
        .prefetch_related(
            Prefetch(
                "offers",
                WaitlistOffer.objects.filter(status=OfferStatus.OPEN),
                to_attr="open_offers",
            )
        )
    )
    return no_store(
        render(request, "scheduling/waitlist.html", {"nav": "calendar", "entries": entries})
    )


@require_POST
@staff_view
def offer_accept(request: StaffRequest, offer_id: int) -> HttpResponse:
    offer = get_object_or_404(
        WaitlistOffer.objects.filter(entry__service__location__in=visible_locations(request.staff)),
        pk=offer_id,
    )
    try:
        booking = waitlist_services.offer_accept(offer=offer, by=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("scheduling:waitlist")
    messages.success(
        request, _("Booked %(client)s from the waitlist.") % {"client": booking.client}
    )

    return redirect("scheduling:booking", public_id=booking.public_id)
