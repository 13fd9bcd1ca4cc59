"""Settings › Team: who works here, in what role and where; inviting someone; their week,
the days that differ and their time off. Every change goes through accounts/team.py or
scheduling/shifts.py; a refusal is shown on the page and nothing changes."""

from __future__ import annotations

from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.accounts.recent import password_again
from needlepoint.accounts.roles import may_manage
from needlepoint.accounts.team import (
    has_joined,
    staff_change,
    staff_invite,
    staff_invite_again,
    staff_set_active,
    staff_set_language,
)
from needlepoint.clinics.choices import Role, Weekday
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.models import ShiftException, TimeOff
from needlepoint.scheduling.shifts import (
    periods_text,
    shift_exception_add,
    shift_exception_remove,
    time_off_add,
    time_off_remove,
    week_of,
    week_replace,
)
from needlepoint.setup.team_forms import (
    ExceptionForm,
    InviteForm,
    MemberForm,
    TimeOffForm,
    WeekForm,
)

NAV = "settings"


@staff_view
def team(request: StaffRequest) -> HttpResponse:
    members = (
        StaffMember.objects.filter(organisation=request.staff.organisation)
        .select_related("user")
        .prefetch_related("locations")
        .order_by("-is_active", "user__full_name")
    )
    rows = [(member, has_joined(member)) for member in members]
    return no_store(render(request, "setup/team/list.html", {"nav": NAV, "rows": rows}))


@staff_view
def team_invite(request: StaffRequest) -> HttpResponse:
    # Inviting hands out access: the password first, before the form is filled in.
    asked = password_again(request)
    if asked is not None:
        return asked
    form = InviteForm(request.POST or None, locations=_locations(request), owner=_is_owner(request))
    if request.method == "POST" and form.is_valid():
        try:
            member = staff_invite(
                by=request.user,  # type: ignore[arg-type]
                organisation=request.staff.organisation,
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                locations=form.cleaned_data["locations"],
                site_url=request.build_absolute_uri("/"),
                language=form.cleaned_data["language"] or None,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is invited: we emailed %(email)s a link to choose a password.")
                % {"name": member.user, "email": member.user.email},
            )
            return redirect("settings:team_member", public_id=member.public_id)
    return no_store(render(request, "setup/team/invite.html", {"nav": NAV, "form": form}))


@staff_view
def team_member(request: StaffRequest, public_id: UUID) -> HttpResponse:
    member = _member(request, public_id)
    form = None
    if may_manage(request.user, member):
        initial = {
            "role": member.role,
            "locations": list(member.locations.all()),
            "language": member.language,
        }
        form = MemberForm(
            request.POST or None,
            locations=_locations(request),
            owner=_is_owner(request),
            initial=initial,
        )
    if request.method == "POST":
        asked = password_again(request)
        if asked is not None:
            return asked
        if form is None:
            messages.error(request, _("Only an owner can change an owner."))
            return redirect("settings:team_member", public_id=member.public_id)
        if form.is_valid():
            try:
                staff_change(
                    by=request.user,  # type: ignore[arg-type]
                    member=member,
                    role=form.cleaned_data["role"],
                    locations=form.cleaned_data["locations"],
                )
                if form.cleaned_data["language"]:
                    staff_set_language(
                        by=request.user,  # type: ignore[arg-type]
                        member=member,
                        language=form.cleaned_data["language"],
                    )
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("settings:team_member", public_id=member.public_id)
    return _member_page(request, member, form=form)


@require_POST
@staff_view
def team_active(request: StaffRequest, public_id: UUID) -> HttpResponse:
    member = _member(request, public_id)
    asked = password_again(request, then=_member_url(member))
    if asked is not None:
        return asked
    choice = request.POST.get("active")
    if choice not in ("yes", "no"):
        messages.error(request, _("Nothing was changed: choose to deactivate or reactivate."))
        return redirect("settings:team_member", public_id=member.public_id)
    active = choice == "yes"
    try:
        staff_set_active(by=request.user, member=member, active=active)  # type: ignore[arg-type]
    except DomainError as error:
        messages.error(request, error.message)
    else:
        done = _("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in.")
        messages.success(request, done % {"name": member.user})
    return redirect("settings:team_member", public_id=member.public_id)


@require_POST
@staff_view
def team_invite_again(request: StaffRequest, public_id: UUID) -> HttpResponse:
    member = _member(request, public_id)
    asked = password_again(request, then=_member_url(member))
    if asked is not None:
        return asked
    try:
        staff_invite_again(
            by=request.user,  # type: ignore[arg-type]
            member=member,
            site_url=request.build_absolute_uri("/"),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("We emailed %(email)s a new link.") % {"email": member.user.email}
        )
    return redirect("settings:team_member", public_id=member.public_id)


@require_POST
@staff_view
def team_time_off(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Add time off, or remove the one named by ``remove``."""
    member = _member(request, public_id)
    if "remove" in request.POST:
        away = get_object_or_404(TimeOff, staff=member, pk=_id(request.POST["remove"]))
        time_off_remove(time_off=away)
        messages.success(request, _("Time off removed."))
        return redirect("settings:team_member", public_id=member.public_id)
    form = TimeOffForm(request.POST, prefix="off")
    if form.is_valid():
        starts_at, ends_at = form.instants(_zone(member))
        try:
            time_off_add(
                staff=member,
                starts_at=starts_at,
                ends_at=ends_at,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Time off added."))
            return redirect("settings:team_member", public_id=member.public_id)
    return _member_page(request, member, time_off_form=form)


@staff_view
def team_shifts(request: StaffRequest, public_id: UUID, location: str) -> HttpResponse:
    member = _member(request, public_id)
    place = _location(member, location)
    form = WeekForm(request.POST or None, initial=WeekForm.initial_for(week_of(member, place)))
    if request.method == "POST" and form.is_valid():
        try:
            week_replace(staff=member, location=place, periods=form.cleaned_data["periods"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s's week at %(place)s is saved.")
                % {"name": member.user, "place": place.name},
            )
            return redirect("settings:team_shifts", public_id=member.public_id, location=place.slug)
    return _shifts_page(request, member, place, week_form=form)


@require_POST
@staff_view
def team_days(request: StaffRequest, public_id: UUID, location: str) -> HttpResponse:
    """Add a day that differs from the week, or remove the one named by ``remove``."""
    member = _member(request, public_id)
    place = _location(member, location)
    back = redirect("settings:team_shifts", public_id=member.public_id, location=place.slug)
    if "remove" in request.POST:
        exception = get_object_or_404(
            ShiftException, staff=member, location=place, pk=_id(request.POST["remove"])
        )
        shift_exception_remove(exception=exception)
        messages.success(request, _("The day is removed."))
        return back
    form = ExceptionForm(request.POST, prefix="day")
    if form.is_valid():
        try:
            shift_exception_add(staff=member, location=place, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The day is added."))
            return back
    return _shifts_page(request, member, place, exception_form=form)


def _member_page(
    request: StaffRequest,
    member: StaffMember,
    *,
    form: MemberForm | None = None,
    time_off_form: TimeOffForm | None = None,
) -> HttpResponse:
    places = list(member.locations.all())
    context: dict[str, Any] = {
        "nav": NAV,
        "member": member,
        "form": form,
        "joined": has_joined(member),
        "is_self": member.pk == request.staff.pk,
        "weeks": [
            (place, [(day, periods_text(p)) for day, p in _named(week_of(member, place))])
            for place in places
        ],
        "time_off": TimeOff.objects.filter(staff=member, ends_at__gt=timezone.now()),
        "time_off_form": time_off_form or TimeOffForm(prefix="off"),
        "zone": _zone(member),
        "zone_place": member.locations.order_by("name").first(),
    }
    return no_store(render(request, "setup/team/member.html", context))


def _shifts_page(
    request: StaffRequest,
    member: StaffMember,
    place: Location,
    *,
    week_form: WeekForm | None = None,
    exception_form: ExceptionForm | None = None,
) -> HttpResponse:
    today = place.local_now().date()
    context = {
        "nav": NAV,
        "member": member,
        "place": place,
        "form": week_form or WeekForm(initial=WeekForm.initial_for(week_of(member, place))),
        "exception_form": exception_form or ExceptionForm(prefix="day"),
        "exceptions": ShiftException.objects.filter(staff=member, location=place, on__gte=today),
        "other_places": member.locations.exclude(pk=place.pk),
    }
    return no_store(render(request, "setup/team/shifts.html", context))


def _named(week: dict[int, list[Any]]) -> list[tuple[str, list[Any]]]:
    return [(str(Weekday(day).label), periods) for day, periods in week.items()]


def _id(value: str) -> int:
    """A row's id as posted; anything else names no row."""
    if not value.isascii() or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def _member(request: StaffRequest, public_id: UUID) -> StaffMember:
    return get_object_or_404(
        StaffMember.objects.select_related("user", "organisation"),
        organisation=request.staff.organisation,
        public_id=public_id,
    )


def _location(member: StaffMember, slug: str) -> Location:
    """One of the locations the member works at (shifts are set per location)."""
    return get_object_or_404(member.locations.all(), slug=slug)


def _locations(request: StaffRequest) -> list[Location]:
    return list(Location.objects.filter(organisation=request.staff.organisation))


def _is_owner(request: StaffRequest) -> bool:
    return request.staff.role == Role.OWNER


def _zone(member: StaffMember) -> ZoneInfo:
    """Time off is entered and shown in the time of the member's first location."""
    place = member.locations.order_by("name").first()
    return place.zone if place is not None else ZoneInfo(timezone.get_default_timezone_name())


def _member_url(member: StaffMember) -> str:
    return reverse("settings:team_member", kwargs={"public_id": member.public_id})


def _form_error(form: forms.Form, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
