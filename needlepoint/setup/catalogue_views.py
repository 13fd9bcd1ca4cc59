"""Settings pages for the service catalogue: list, add, edit, retire and reinstate."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.clinical import Rules, UnknownZone
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, as_decimal
from needlepoint.scheduling.catalogue import (
    service_create,
    service_reinstate,
    service_retire,
    service_update,
    tax_rate_shown,
)
from needlepoint.scheduling.models import Service
from needlepoint.setup.equipment_forms import ServiceForm
from needlepoint.setup.equipment_views import form_error


def _services(request: StaffRequest) -> Any:
    return Service.objects.filter(location__in=visible_locations(request.staff))


def _form(request: StaffRequest, **kwargs: Any) -> ServiceForm:
    organisation = request.staff.organisation
    return ServiceForm(
        request.POST or None,
        rules=organisation.rules(),
        locations=visible_locations(request.staff),
        organisation=organisation,
        **kwargs,
    )


def _page(request: StaffRequest, template: str, **context: Any) -> HttpResponse:
    context = {"nav": "settings", "currency": request.staff.organisation.currency, **context}
    return no_store(render(request, template, context))


def place_name(rules: Rules, key: str) -> str:
    """An area's or zone's name; a key the rules no longer know is shown as it is."""
    if key in rules.areas:
        return rules.areas[key].name
    try:
        return rules.zone(key).name
    except UnknownZone:
        return key


@staff_view
def services(request: StaffRequest) -> HttpResponse:
    rules = request.staff.organisation.rules()
    rows = [
        (
            service,
            place_name(rules, service.area) if service.area else "",
            rules.indications[service.indication].name
            if service.indication in rules.indications
            else service.indication,
        )
        for service in _services(request).select_related("location")
    ]
    return _page(request, "setup/catalogue/services.html", rows=rows)


@staff_view
def service_new(request: StaffRequest) -> HttpResponse:
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            made = service_create(**form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": made.name})
            return redirect("settings:services")
    return _page(request, "setup/catalogue/service_form.html", form=form, service=None)


@staff_view
def service_edit(request: StaffRequest, public_id: UUID) -> HttpResponse:
    service = get_object_or_404(_services(request), public_id=public_id)
    initial = {
        "name": service.name,
        "kind": service.kind,
        "area": service.area,
        "indication": service.indication,
        "price": as_decimal(Money(service.price_minor, request.staff.organisation.currency)),
        "tax_rate": tax_rate_shown(service.tax_rate_bp),
        "duration_minutes": service.duration_minutes,
        "numbing_minutes": service.numbing_minutes,
        "buffer_before_minutes": service.buffer_before_minutes,
        "buffer_after_minutes": service.buffer_after_minutes,
        "device_kind": service.device_kind,
        "needs_room": service.needs_room,
        "bookable_online": service.bookable_online,
        "requires_patch_test": service.requires_patch_test,
        "practitioners": list(service.practitioners.all()),
    }
    form = _form(request, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            service_update(service=service, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": service.name})
            return redirect("settings:services")
    return _page(request, "setup/catalogue/service_form.html", form=form, service=service)


@staff_view
@require_POST
def service_offered(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Retire a service (no new bookings) or offer it again."""
    service = get_object_or_404(_services(request), public_id=public_id)
    change = service_retire if request.POST.get("offered") == "no" else service_reinstate
    try:
        change(service=service)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        done = _("%(name)s is retired.") if not service.is_active else _("%(name)s is offered.")
        messages.success(request, done % {"name": service.name})
    return redirect("settings:services")
