"""The guided first set-up: from ``createowner`` to a clinic clients can book online in one
form — where, who treats, what it offers — saved in one transaction through the services
Settings uses (nothing half-saved); everything is changeable later in Settings."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.accounts.recent import password_again
from needlepoint.accounts.team import staff_change, staff_invite
from needlepoint.clinics.choices import DeviceKind, Role
from needlepoint.clinics.equipment import device_create
from needlepoint.clinics.models import Location
from needlepoint.clinics.setup import (
    DEFAULT_OPENING_HOURS,
    location_create,
    location_update,
    opening_hours_replace,
    room_add,
)
from needlepoint.consents.forms_setup import consent_forms_start
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.catalogue import service_create
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.shifts import week_replace
from needlepoint.scheduling.starter import (
    STARTER_SERVICES,
    first_location,
    setup_step,
    treating_staff,
)
from needlepoint.setup.start_forms import StartForm

NAV = "settings"
DETAILS = ("name", "time_zone", "address", "phone", "email")


@staff_view
def start(request: StaffRequest) -> HttpResponse:
    organisation = request.staff.organisation
    location = first_location(organisation)
    if setup_step(organisation) == "done" and location is not None:
        context = {"nav": NAV, "location": location, "organisation": organisation}
        return no_store(render(request, "setup/start/done.html", context))
    initial: dict[str, Any] = {"name": organisation.name}
    if location is not None:
        initial = {name: getattr(location, name) for name in DETAILS}
    form = StartForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data["practitioner_email"]:
            asked = password_again(request)  # inviting someone, as on the Team page
            if asked is not None:
                return asked
        if form.is_valid():
            try:
                with transaction.atomic():
                    location = _clinic_saved(request, location, form.cleaned_data)
                    _services_saved(location, form.cleaned_data)
            except DomainError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                return redirect("settings:start")
    return no_store(render(request, "setup/start/start.html", {"nav": NAV, "form": form}))


def _clinic_saved(
    request: StaffRequest, location: Location | None, data: dict[str, Any]
) -> Location:
    staff, user = request.staff, request.user
    details = {name: data[name] for name in DETAILS}
    if location is None:
        location = location_create(organisation=staff.organisation, **details)
    else:
        location = location_update(location=location, **details)
        if not location.opening_hours.exists():
            opening_hours_replace(location=location, week=DEFAULT_OPENING_HOURS)
    week = [(hours.weekday, hours.opens, hours.closes) for hours in location.opening_hours.all()]
    if data["i_treat"]:
        places = [*staff.locations.all(), location]
        staff_change(by=user, member=staff, role=staff.role, locations=places)  # type: ignore[arg-type]
        week_replace(staff=staff, location=location, periods=week)
    if data["practitioner_email"]:
        invited = staff_invite(
            by=user,  # type: ignore[arg-type]
            organisation=staff.organisation,
            full_name=data["practitioner_name"],
            email=data["practitioner_email"],
            role=Role.PRACTITIONER,
            locations=[location],
            site_url=request.build_absolute_uri("/"),
        )
        week_replace(staff=invited, location=location, periods=week)
    return location


def _services_saved(location: Location, data: dict[str, Any]) -> None:
    chosen = [STARTER_SERVICES[int(index)] for index in data["services"]]
    if not location.rooms.exists():
        room_add(location=location, name=_("Treatment room"))
    if any(service.kind == ServiceKind.TREATMENT for service in chosen):  # with a pen: the form
        name = data["pen_name"].strip() or _("Pen 1")
        device_create(
            location=location, kind=DeviceKind.PEN, name=name, serial_number=data["pen_serial"]
        )
    treating = treating_staff(location)
    for service in chosen:
        service_create(
            location=location,
            name=_(service.name),  # in the owner's language
            kind=service.kind,
            duration_minutes=service.duration_minutes,
            price=service.price_in(location.organisation.currency),
            area=service.area,
            indication=service.indication,
            numbing_minutes=service.numbing_minutes,
            buffer_after_minutes=service.buffer_after_minutes,
            device_kind=service.device_kind,
            practitioners=treating,
        )
    consent_forms_start(location.organisation)
