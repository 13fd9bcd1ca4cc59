"""Settings: the organisation, its locations, their opening hours, closures and rooms.

Every change goes through needlepoint/clinics/setup.py; a refusal is shown on the form and
nothing changes. Locations are looked up in the manager's own organisation only.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.accounts.recent import password_again
from needlepoint.clinics.choices import Role
from needlepoint.clinics.hours import describe_week
from needlepoint.clinics.models import Location, local_today
from needlepoint.clinics.setup import (
    OWNERS_DECIDE,
    closure_add,
    closure_remove,
    location_create,
    location_update,
    opening_hours_replace,
    organisation_update,
    room_add,
    room_update,
)
from needlepoint.core.errors import DomainError
from needlepoint.setup.clinic_forms import (
    ClosureForm,
    LocationForm,
    OpeningHoursForm,
    OrganisationForm,
    RoomEditForm,
    RoomForm,
)

LONGEST_WEEK_SHOWN = 4  # periods a day offers at most (three and one more to add)


def _page(request: StaffRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return no_store(render(request, f"setup/clinic/{template}", {"nav": "settings", **context}))


def _refused(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _location(request: StaffRequest, slug: str) -> Location:
    return get_object_or_404(visible_locations(request.staff), slug=slug)


@staff_view
def organisation(request: StaffRequest) -> HttpResponse:
    current = request.staff.organisation
    initial = {
        "name": current.name,
        "currency": current.currency,
        "rescreen_after_days": current.rescreen_after_days,
        "clinical_retention_years": current.clinical_retention_years,
        "checklist_blocking": current.checklist_blocking,
        "languages": current.offered_languages(),
        "default_language": current.default_language,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.staff.role != Role.OWNER:  # clinical safety decisions: the owner's
        for name in OWNERS_DECIDE:
            form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        # The retention period decides when clinical records go: the password first.
        if form.cleaned_data["clinical_retention_years"] != current.clinical_retention_years:
            asked = password_again(request)
            if asked is not None:
                return asked
        try:
            organisation_update(organisation=current, by=request.staff, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("settings:organisation")
        current.refresh_from_db()  # a refused change leaves the page's heading as it was
    return _page(request, "organisation.html", {"form": form, "organisation": current})


@staff_view
def locations(request: StaffRequest) -> HttpResponse:
    places = visible_locations(request.staff).prefetch_related("opening_hours", "rooms")
    rows = [
        {
            "location": place,
            "week": describe_week(
                (row.weekday, row.opens, row.closes) for row in place.opening_hours.all()
            ),
            "rooms": sum(1 for room in place.rooms.all() if room.is_active),
        }
        for place in places.order_by("name")
    ]
    return _page(request, "locations.html", {"rows": rows})


def _location_initial(place: Location) -> dict[str, Any]:
    fields = LocationForm.base_fields
    initial = {name: getattr(place, name) for name in fields}
    initial["reminder_hours"] = place.reminder_hours.replace(",", ", ")
    return initial


@staff_view
def location_new(request: StaffRequest) -> HttpResponse:
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            place = location_create(organisation=request.staff.organisation, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            message = _(
                "%(name)s is set up, open Monday to Friday 9:00–18:00 and Saturday "
                "11:00–15:00: change its hours if they differ."
            )
            messages.success(request, message % {"name": place.name})
            return redirect("settings:location", slug=place.slug)
    return _page(request, "location_form.html", {"form": form, "location": None})


@staff_view
def location_edit(request: StaffRequest, slug: str) -> HttpResponse:
    place = _location(request, slug)
    form = LocationForm(
        request.POST or None, initial=_location_initial(place), current_zone=place.time_zone
    )
    if request.method == "POST" and form.is_valid():
        try:
            location_update(location=place, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("settings:location", slug=place.slug)
    place.refresh_from_db()  # a refused change leaves the heading as it was
    context = {
        "form": form,
        "location": place,
        "week": describe_week(place.opening_hours.values_list("weekday", "opens", "closes")),
    }
    return _page(request, "location_form.html", context)


@staff_view
def location_hours(request: StaffRequest, slug: str) -> HttpResponse:
    place = _location(request, slug)
    rows = list(place.opening_hours.order_by("weekday", "opens"))
    longest = max((sum(1 for r in rows if r.weekday == day) for day in range(7)), default=0)
    slots = min(max(2, longest + 1), LONGEST_WEEK_SHOWN)
    initial: dict[str, Any] = {f"{day}-closed": True for day in range(7)}
    for day in range(7):
        for n, row in enumerate(r for r in rows if r.weekday == day):
            initial |= {f"{day}-closed": False, f"{day}-{n}-opens": row.opens}
            initial[f"{day}-{n}-closes"] = row.closes
    form = OpeningHoursForm(request.POST or None, initial=initial, slots=slots)
    if request.method == "POST" and form.is_valid():
        try:
            opening_hours_replace(location=place, week=form.cleaned_data["week"])
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Opening hours saved."))
            return redirect("settings:location", slug=place.slug)
    return _page(request, "hours.html", {"form": form, "location": place})


@staff_view
def location_closures(request: StaffRequest, slug: str) -> HttpResponse:
    place = _location(request, slug)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            closure = closure_add(location=place, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Closed: %(reason)s.") % {"reason": closure.reason})
            return redirect("settings:location_closures", slug=place.slug)
    today = local_today(place)
    closures = place.closures.order_by("starts_on")
    context = {
        "form": form,
        "location": place,
        "upcoming": closures.filter(ends_on__gte=today),
        "past": closures.filter(ends_on__lt=today).order_by("-starts_on")[:5],
    }
    return _page(request, "closures.html", context)


@staff_view
def closure_remove_view(request: StaffRequest, slug: str, closure_id: int) -> HttpResponse:
    """Asks first (a page); removes on the button."""
    place = _location(request, slug)
    closure = get_object_or_404(place.closures, pk=closure_id)
    if request.method == "POST":
        closure_remove(closure=closure)
        messages.success(request, _("Removed: %(reason)s.") % {"reason": closure.reason})
        return redirect("settings:location_closures", slug=place.slug)
    return _page(request, "closure_remove.html", {"location": place, "closure": closure})


@staff_view
def rooms(request: StaffRequest, slug: str) -> HttpResponse:
    place = _location(request, slug)
    form = RoomForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            room = room_add(location=place, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": room.name})
            return redirect("settings:rooms", slug=place.slug)
    context = {"form": form, "location": place, "rooms": place.rooms.order_by("name")}
    return _page(request, "rooms.html", context)


@staff_view
def room_edit(request: StaffRequest, slug: str, room_id: int) -> HttpResponse:
    place = _location(request, slug)
    room = get_object_or_404(place.rooms, pk=room_id)
    initial = {"name": room.name, "is_active": room.is_active}
    form = RoomEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            room_update(room=room, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("settings:rooms", slug=place.slug)
        room.refresh_from_db()
    return _page(request, "room_form.html", {"form": form, "location": place, "room": room})
