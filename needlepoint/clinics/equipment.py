"""Every write to the clinic's equipment: needle configurations and the devices that take them.

Each change is checked here (the database constraints are the last guard, not the first)
and recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.choices import DeviceKind, DeviceStatus, NeedleMaterial
from needlepoint.clinics.models import (
    LONGEST_REPROCESSING_MINUTES,
    MAX_PEN_STROKE_RATE_HZ,
    Device,
    Location,
    NeedleConfiguration,
    Organisation,
)
from needlepoint.core.errors import DomainError, checked

LONGEST_NEEDLE_MM = Decimal("3")
MOST_NEEDLES = 600


# Needle configurations -------------------------------------------------------------------


@transaction.atomic
def needle_configuration_create(
    *,
    organisation: Organisation,
    device_kind: str,
    name: str,
    needle_count: int,
    material: str = NeedleMaterial.STEEL,
    needle_length_mm: Decimal | str | None = None,
) -> NeedleConfiguration:
    """A cartridge or roller head the clinic uses; names are unique in the organisation."""
    configuration = NeedleConfiguration(organisation=organisation)
    _fill_configuration(configuration, device_kind, name, needle_count, material, needle_length_mm)
    _save(configuration)
    _announce("created", "needle_config", configuration.pk, organisation.pk, configuration.name)
    return configuration


@transaction.atomic
def needle_configuration_update(
    *,
    configuration: NeedleConfiguration,
    device_kind: str,
    name: str,
    needle_count: int,
    material: str = NeedleMaterial.STEEL,
    needle_length_mm: Decimal | str | None = None,
) -> NeedleConfiguration:
    """Correct a configuration; its kind stays while devices of that kind take it."""
    if device_kind != configuration.device_kind and configuration.devices.exists():
        raise DomainError(
            "configuration_in_use",
            _("Devices take this configuration: its device kind can't change."),
            field="device_kind",
        )
    what_it_is = (
        configuration.needle_count,
        configuration.material,
        configuration.needle_length_mm,
    )
    _fill_configuration(configuration, device_kind, name, needle_count, material, needle_length_mm)
    now_is = (configuration.needle_count, configuration.material, configuration.needle_length_mm)
    if now_is != what_it_is and configuration.cartridges.exists():
        raise DomainError(
            "configuration_has_cartridges",
            _(
                "Cartridges of this configuration are in stock or on charts: its needles can't "
                "change. Add a new configuration for the new cartridges."
            ),
            field="needle_count",
        )
    _save(configuration)
    _announce(
        "changed",
        "needle_config",
        configuration.pk,
        configuration.organisation_id,
        configuration.name,
    )
    return configuration


def _fill_configuration(
    configuration: NeedleConfiguration,
    device_kind: str,
    name: str,
    needle_count: int,
    material: str,
    needle_length_mm: Decimal | str | None,
) -> None:
    name = _name(name)
    if device_kind not in DeviceKind.values:
        raise DomainError(
            "unknown_kind", _("Choose a pen, a roller or a stamp."), field="device_kind"
        )
    if material not in NeedleMaterial.values:
        raise DomainError("unknown_material", _("Choose a needle material."), field="material")
    if not isinstance(needle_count, int) or not 1 <= needle_count <= MOST_NEEDLES:
        raise DomainError(
            "invalid_needle_count",
            _("Give the number of needles, from 1 to %(most)s.") % {"most": MOST_NEEDLES},
            field="needle_count",
        )
    length = _needle_length(needle_length_mm)
    if device_kind == DeviceKind.PEN and length is not None:
        raise DomainError(
            "pen_needle_length",
            _("A pen sets its depth for each zone: leave the needle length empty."),
            field="needle_length_mm",
        )
    if device_kind != DeviceKind.PEN and length is None:
        raise DomainError(
            "needle_length_missing",
            _("Rollers and stamps have needles of a fixed length: give it in mm."),
            field="needle_length_mm",
        )
    taken = NeedleConfiguration.objects.filter(
        organisation_id=configuration.organisation_id, name__iexact=name
    ).exclude(pk=configuration.pk)
    if taken.exists():
        raise DomainError(
            "configuration_exists",
            _("There is already a configuration called %(name)s.") % {"name": name},
            field="name",
        )
    configuration.device_kind, configuration.name = device_kind, name
    configuration.needle_count, configuration.material = needle_count, material
    configuration.needle_length_mm = length


def _needle_length(value: Decimal | str | None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        length = Decimal(str(value).strip())
    except InvalidOperation:
        length = Decimal("NaN")
    if not length.is_finite() or not Decimal("0") < length <= LONGEST_NEEDLE_MM:
        raise DomainError(
            "invalid_needle_length",
            _("Give the needle length in mm, more than 0 and at most 3, e.g. 1.5."),
            field="needle_length_mm",
        )
    if length != length.quantize(Decimal("0.01")):
        raise DomainError(
            "invalid_needle_length",
            _("Give the needle length to a hundredth of a mm at most, e.g. 0.25."),
            field="needle_length_mm",
        )
    return length.quantize(Decimal("0.01"))


# Devices ---------------------------------------------------------------------------------


@transaction.atomic
def device_create(*, location: Location, **details: Any) -> Device:
    """A pen, roller or stamp kept at a location; serial numbers are unique in a location."""
    return _write_device(Device(location=location), "created", **details)


@transaction.atomic
def device_update(*, device: Device, **details: Any) -> Device:
    """Change a device's details or status (out for service, back in service, retired)."""
    return _write_device(device, "changed", **details)


def _write_device(
    device: Device,
    action: str,
    *,
    kind: str,
    name: str,
    serial_number: str,
    model: str = "",
    status: str = DeviceStatus.IN_SERVICE,
    reprocessing_minutes: int = 15,
    stroke_rate_hz: int | None = None,
    needle_configurations: Iterable[NeedleConfiguration] = (),
) -> Device:
    configurations = _fill_device(
        device,
        kind,
        name,
        serial_number,
        model,
        status,
        reprocessing_minutes,
        stroke_rate_hz,
        needle_configurations,
    )
    _save(device)
    device.needle_configurations.set(configurations)
    _announce(action, "device", device.pk, device.location.organisation_id, device.name)
    return device


def _fill_device(
    device: Device,
    kind: str,
    name: str,
    serial_number: str,
    model: str,
    status: str,
    reprocessing_minutes: int,
    stroke_rate_hz: int | None,
    needle_configurations: Iterable[NeedleConfiguration],
) -> list[NeedleConfiguration]:
    name, serial_number, model = _name(name), serial_number.strip(), model.strip()
    if kind not in DeviceKind.values:
        raise DomainError("unknown_kind", _("Choose a pen, a roller or a stamp."), field="kind")
    if status not in DeviceStatus.values:
        raise DomainError("unknown_status", _("Choose the device's status."), field="status")
    if not serial_number:
        raise DomainError(
            "serial_missing", _("Give the serial number on the device."), field="serial_number"
        )
    in_use = Device.objects.filter(location=device.location, serial_number__iexact=serial_number)
    if in_use.exclude(pk=device.pk).exists():
        raise DomainError(
            "serial_taken",
            _("A device with serial number %(serial)s is already at this location.")
            % {"serial": serial_number},
            field="serial_number",
        )
    if not isinstance(reprocessing_minutes, int) or not (
        0 <= reprocessing_minutes <= LONGEST_REPROCESSING_MINUTES
    ):
        raise DomainError(
            "invalid_reprocessing",
            _("Reprocessing takes from 0 minutes to 10 hours (600 minutes)."),
            field="reprocessing_minutes",
        )
    _check_stroke_rate(kind, stroke_rate_hz)
    configurations = _check_configurations(device.location, kind, needle_configurations)
    device.kind, device.name, device.model = kind, name, model
    device.serial_number, device.status = serial_number, status
    device.reprocessing_minutes, device.stroke_rate_hz = reprocessing_minutes, stroke_rate_hz
    return configurations


def _check_stroke_rate(kind: str, stroke_rate_hz: int | None) -> None:
    if stroke_rate_hz is None:
        return
    if kind != DeviceKind.PEN:
        raise DomainError(
            "stroke_rate_not_a_pen",
            _("Only a pen has a stroke rate: leave the speed empty."),
            field="stroke_rate_hz",
        )
    if not isinstance(stroke_rate_hz, int) or not 1 <= stroke_rate_hz <= MAX_PEN_STROKE_RATE_HZ:
        raise DomainError(
            "invalid_stroke_rate",
            _("A pen stamps from 1 to %(most)s times a second (20,000 a minute).")
            % {"most": MAX_PEN_STROKE_RATE_HZ},
            field="stroke_rate_hz",
        )


def _check_configurations(
    location: Location, kind: str, chosen: Iterable[NeedleConfiguration]
) -> list[NeedleConfiguration]:
    configurations = list(chosen)
    for configuration in configurations:
        if configuration.organisation_id != location.organisation_id:
            raise DomainError(
                "wrong_configuration",
                _("That needle configuration belongs to another clinic."),
                field="needle_configurations",
            )
        if configuration.device_kind != kind:
            raise DomainError(
                "configuration_kind_mismatch",
                _("%(name)s is not made for this kind of device.") % {"name": configuration.name},
                field="needle_configurations",
            )
    return configurations


# Shared ----------------------------------------------------------------------------------


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise DomainError("name_missing", _("Give it a name."), field="name")
    return name


def _save(row: NeedleConfiguration | Device) -> None:
    checked(row)  # the serial's uniqueness was checked above, ignoring case
    row.save()


def _announce(action: str, target: str, target_id: int, organisation_id: int, name: str) -> None:
    audit.record(
        Action(action),
        Target(target),
        target_id,
        organisation_id=organisation_id,
        detail={"name": name},
    )
