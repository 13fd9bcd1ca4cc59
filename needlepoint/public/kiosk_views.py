"""The clinic's tablet, handed to a client for one booking of the day: their medical
history, the consents the visit still needs, then back to the staff member, who ends it
with their password. The lock itself is ``public.kiosk.KioskMiddleware``."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.accounts.recent import mark_authenticated
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Screening
from needlepoint.clinics.clinical_wording import rule_text
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentFormVersion
from needlepoint.consents.services import consents_due, shown_instead, version_covers_text
from needlepoint.core.errors import DomainError
from needlepoint.public.consent_views import SignForm
from needlepoint.public.flow import may_book
from needlepoint.public.forms import HealthForm
from needlepoint.public.kiosk import (
    consents_may_follow,
    history_taken_in_clinic,
    kiosk_begin,
    kiosk_booking_id,
    kiosk_end,
    kiosk_history_taken,
    kiosk_screening_id,
    lock_cookie_clear,
    lock_cookie_set,
    locked_booking_id,
    may_hand_over,
)
from needlepoint.public.services import consent_sign_with_copy
from needlepoint.scheduling.models import Booking


class TakeBackForm(forms.Form):
    """The staff member's password, typed: ``new-password`` and a name that is not
    "password" keep the browser from offering the saved one to whoever holds the tablet."""

    staff_check = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )


def _booking(request: StaffRequest, public_id: UUID) -> Booking:
    bookings = Booking.objects.filter(location__in=visible_locations(request.staff))
    return get_object_or_404(
        bookings.select_related("client", "service", "location__organisation"),
        public_id=public_id,
    )


def _handed_over(request: StaffRequest, public_id: UUID) -> Booking | None:
    """The booking when this browser is in tablet mode for it; else None."""
    if kiosk_booking_id(request.session) != str(public_id):
        return None
    return _booking(request, public_id)


def _back_to_booking(public_id: UUID) -> HttpResponse:
    return redirect("scheduling:booking", public_id=public_id)


def _screening(request: StaffRequest, booking: Booking) -> Screening | None:
    pk = kiosk_screening_id(request.session)
    return Screening.objects.filter(pk=pk, client=booking.client).first() if pk else None


def _next_consent(booking: Booking) -> ConsentFormVersion | None:
    due = consents_due(booking.client, booking.service)
    return due[0] if due else None


def _page(
    request: StaffRequest, template: str, booking: Booking, **context: object
) -> HttpResponse:
    context = {
        "booking_id": booking.public_id,
        "organisation": booking.location.organisation,
        "location": booking.location,
        "booking": booking,
        **context,
    }
    return no_store(render(request, f"kiosk/{template}.html", context))


@require_POST
@staff_view
def start(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Put this browser into tablet mode for the booking: from now on it shows the client
    only their own questions and forms."""
    booking = _booking(request, public_id)
    try:
        may_hand_over(booking)
    except DomainError as error:
        messages.error(request, error.message)
        return _back_to_booking(public_id)
    kiosk_begin(request.session, booking)
    audit.record(
        Action.VIEWED,
        Target.BOOKING,
        booking.public_id,
        client=booking.client,
        detail={"tablet": "handed to the client"},
    )
    response = redirect("kiosk:home", public_id=public_id)
    lock_cookie_set(response, booking)
    return response


@staff_view
def home(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Where the client is up to: the history first, then each consent, then thank you."""
    booking = _handed_over(request, public_id)
    if booking is None:
        return _back_to_booking(public_id)
    screening = _screening(request, booking)
    if screening is None:
        return redirect("kiosk:history", public_id=public_id)
    version = _next_consent(booking) if consents_may_follow(booking, screening) else None
    if version is not None:
        return redirect("kiosk:consent", public_id=public_id, version_id=version.public_id)
    return redirect("kiosk:done", public_id=public_id)


@require_http_methods(["GET", "POST"])
@staff_view
def history(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """The online questionnaire, answered afresh on the tablet."""
    booking = _handed_over(request, public_id)
    if booking is None:
        return _back_to_booking(public_id)
    service, location = booking.service, booking.location
    rules = location.organisation.rules()
    area_zones = (
        [(zone, rule_text(rules.zone(zone).name)) for zone in rules.zones_of([service.area])]
        if service.area
        else []
    )
    today = location.local_now().date()
    form = HealthForm(request.POST or None, rules=rules, area_zones=area_zones, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            screening = history_taken_in_clinic(
                booking=booking,
                answers=form.answers(),
                today=today,
                by=request.user,  # type: ignore[arg-type]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            kiosk_history_taken(request.session, screening)
            return redirect("kiosk:outcome", public_id=public_id)
    return _page(request, "history", booking, form=form)


@staff_view
def outcome(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """What the online questionnaire tells a client, in the same words, without its links."""
    booking = _handed_over(request, public_id)
    if booking is None:
        return _back_to_booking(public_id)
    screening = _screening(request, booking)
    if screening is None:
        return redirect("kiosk:history", public_id=public_id)
    return _page(
        request,
        "outcome",
        booking,
        screening=screening,
        may_book=may_book(booking.service, screening),
        visit_on=booking.starts_at.astimezone(booking.location.zone).date(),
        goes_on=consents_may_follow(booking, screening) and _next_consent(booking) is not None,
    )


@require_http_methods(["GET", "POST"])
@staff_view
def consent(request: StaffRequest, public_id: UUID, version_id: UUID) -> HttpResponse:
    """A consent the visit still needs, signed on the tablet as from the booking link."""
    booking = _handed_over(request, public_id)
    if booking is None:
        return _back_to_booking(public_id)
    screening = _screening(request, booking)
    if screening is None or not consents_may_follow(booking, screening):
        return redirect("kiosk:home", public_id=public_id)
    version = next(
        (v for v in consents_due(booking.client, booking.service) if v.public_id == version_id),
        None,
    )
    if version is None:
        raise Http404("Nothing to sign here.")
    form = SignForm(request.POST or None, initial={"typed_name": booking.client.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            consent_sign_with_copy(
                client=booking.client,
                form_version=version,
                kind=SignatureKind(form.cleaned_data["kind"]),
                typed_name=form.cleaned_data["typed_name"],
                drawing_png=form.drawing_png(),
                ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except DomainError as error:
            form.add_error("drawing" if error.field == "drawing" else None, error.message)
        else:
            return redirect("kiosk:home", public_id=public_id)
    return _page(
        request,
        "consent",
        booking,
        version=version,
        covers=version_covers_text(version),
        instead=shown_instead(version, booking.client),
        form=form,
    )


@staff_view
def done(request: StaffRequest, public_id: UUID) -> HttpResponse:
    booking = _handed_over(request, public_id)
    if booking is None:
        return _back_to_booking(public_id)
    return _page(request, "done", booking)


@require_http_methods(["GET", "POST"])
@staff_view
def leave(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """The staff member takes the tablet back: their password, every time (a client holding
    the tablet must not walk into the clinic's records). Only the session's booking id is
    compared: the booking may have gone out of this member's view meanwhile."""
    if kiosk_booking_id(request.session) != str(public_id):
        return _back_to_booking(public_id)
    form = TakeBackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=request.user.get_username(),
            password=form.cleaned_data["staff_check"],
        )
        if user is not None and user.pk == request.user.pk:
            kiosk_end(request.session)
            mark_authenticated(request)
            audit.record(Action.VIEWED, Target.BOOKING, public_id, detail={"tablet": "taken back"})
            messages.success(request, _("The tablet is back in staff mode."))
            response = _back_to_booking(public_id)
            lock_cookie_clear(response)
            return response
        form.add_error("staff_check", _("That is not your password."))
    context = {"booking_id": public_id, "organisation": request.staff.organisation, "form": form}
    return no_store(render(request, "kiosk/exit.html", context))


@require_POST
def release(request: HttpRequest) -> HttpResponse:
    """From "please hand the tablet back", once the staff session has lapsed: the staff
    member ends the lock and signs in again, to land on the booking."""
    booking_id = locked_booking_id(request)
    sign_in = reverse("accounts:login")
    if booking_id is not None:
        booking_page = reverse("scheduling:booking", kwargs={"public_id": booking_id})
        sign_in = f"{sign_in}?{urlencode({'next': booking_page})}"
    response = redirect(sign_in)
    lock_cookie_clear(response)
    return response
