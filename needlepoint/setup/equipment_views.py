"""Settings pages for equipment: needle configurations, devices and cartridge lots."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.clinical import describe_stroke_rate
from needlepoint.clinics.equipment import (
    device_create,
    device_update,
    needle_configuration_create,
    needle_configuration_update,
)
from needlepoint.clinics.models import Device, NeedleConfiguration
from needlepoint.core.errors import DomainError
from needlepoint.setup.equipment_forms import CartridgeLotForm, DeviceForm, NeedleConfigurationForm
from needlepoint.treatments.lots import cartridge_lot_add, cartridge_lots


def form_error(form: forms.Form, error: DomainError) -> None:
    """A refusal next to the field it concerns, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _page(request: StaffRequest, template: str, **context: Any) -> HttpResponse:
    return no_store(render(request, template, {"nav": "settings", **context}))


# Needle configurations -------------------------------------------------------------------


@staff_view
def needles(request: StaffRequest) -> HttpResponse:
    rows = NeedleConfiguration.objects.filter(organisation=request.staff.organisation)
    return _page(request, "setup/equipment/needles.html", configurations=rows)


@staff_view
def needle_new(request: StaffRequest) -> HttpResponse:
    form = NeedleConfigurationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = needle_configuration_create(
                organisation=request.staff.organisation, **form.cleaned_data
            )
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": made.name})
            return redirect("settings:needles")
    return _page(request, "setup/equipment/needle_form.html", form=form, configuration=None)


@staff_view
def needle_edit(request: StaffRequest, pk: int) -> HttpResponse:
    configuration = get_object_or_404(
        NeedleConfiguration, organisation=request.staff.organisation, pk=pk
    )
    initial = {
        "device_kind": configuration.device_kind,
        "name": configuration.name,
        "needle_count": configuration.needle_count,
        "material": configuration.material,
        "needle_length_mm": configuration.needle_length_mm,
    }
    form = NeedleConfigurationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            needle_configuration_update(configuration=configuration, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": configuration.name})
            return redirect("settings:needles")
    context = {"form": form, "configuration": configuration}
    return _page(request, "setup/equipment/needle_form.html", **context)


# Devices ---------------------------------------------------------------------------------


@staff_view
def devices(request: StaffRequest) -> HttpResponse:
    locations = visible_locations(request.staff).prefetch_related("devices__needle_configurations")
    places = [
        (location, [(device, _speed(device)) for device in location.devices.all()])
        for location in locations
    ]
    return _page(request, "setup/equipment/devices.html", places=places)


def _speed(device: Device) -> str:
    return describe_stroke_rate(device.stroke_rate_hz, "hz") if device.stroke_rate_hz else ""


def _device_form(request: StaffRequest, **kwargs: Any) -> DeviceForm:
    return DeviceForm(
        request.POST or None,
        locations=visible_locations(request.staff),
        organisation=request.staff.organisation,
        **kwargs,
    )


@staff_view
def device_new(request: StaffRequest) -> HttpResponse:
    form = _device_form(request, initial={"location": request.GET.get("location")})
    if request.method == "POST" and form.is_valid():
        try:
            made = device_create(**form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s added.") % {"name": made.name})
            return redirect("settings:devices")
    return _page(request, "setup/equipment/device_form.html", form=form, device=None)


@staff_view
def device_edit(request: StaffRequest, pk: int) -> HttpResponse:
    device = get_object_or_404(
        Device.objects.select_related("location"),
        location__in=visible_locations(request.staff),
        pk=pk,
    )
    initial = {
        "kind": device.kind,
        "name": device.name,
        "model": device.model,
        "serial_number": device.serial_number,
        "status": device.status,
        "reprocessing_minutes": device.reprocessing_minutes,
        "speed": device.stroke_rate_hz,
        "speed_unit": "hz",
        "needle_configurations": list(device.needle_configurations.all()),
    }
    form = _device_form(request, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            device_update(device=device, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": device.name})
            return redirect("settings:devices")
    return _page(request, "setup/equipment/device_form.html", form=form, device=device)


# Cartridge lots --------------------------------------------------------------------------


@staff_view
def cartridges(request: StaffRequest) -> HttpResponse:
    lots = cartridge_lots(request.staff.organisation)
    return _page(request, "setup/equipment/cartridges.html", lots=lots)


@staff_view
def cartridge_new(request: StaffRequest) -> HttpResponse:
    organisation = request.staff.organisation
    form = CartridgeLotForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            added = cartridge_lot_add(organisation=organisation, **form.cleaned_data)
        except DomainError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("Lot %(lot)s: %(count)s cartridges taken into stock.")
                % {"lot": form.cleaned_data["lot"].strip(), "count": len(added)},
            )
            return redirect("settings:cartridges")
    return _page(request, "setup/equipment/cartridge_form.html", form=form)
