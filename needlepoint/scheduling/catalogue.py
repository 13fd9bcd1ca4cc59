"""Every write to the service catalogue: what clients can book, what it takes, what it costs.

A service's area and indication are keys of the clinical rules in force for the
organisation; a key the rules don't know would break booking, charting and eligibility,
so it is refused here whatever interface sends it. Prices are money in the
organisation's currency, typed as "85.00" and kept as whole minor units (core/money.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.choices import TREATING_ROLES, DeviceKind
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core.errors import DomainError, checked
from needlepoint.core.money import HIGHEST_MINOR, Money, parse_money
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.models import LONGEST_VISIT_MINUTES, Service

GIVES_TREATMENTS = TREATING_ROLES


SERVICE_DETAILS: dict[str, object] = {
    "area": "",
    "indication": "",
    "numbing_minutes": 0,
    "buffer_before_minutes": 0,
    "buffer_after_minutes": 10,
    "needs_room": True,
    "device_kind": "",
    "practitioners": (),
    "bookable_online": True,
    "requires_patch_test": False,
    "tax_rate": "0",
}
"""A service's details and their defaults; ``name``, ``kind``, ``duration_minutes`` and
``price`` (text such as "85.50", or Money) are always given. ``tax_rate`` is a percentage
("20", "5.5", or a Decimal), kept in basis points."""
SERVICE_NEEDS = frozenset({"name", "kind", "duration_minutes", "price"})


@transaction.atomic
def service_create(*, location: Location, **details: Any) -> Service:
    """Something clients can book at `location` (details: ``SERVICE_DETAILS``)."""
    return _write(Service(location=location), Action.CREATED, details)


@transaction.atomic
def service_update(*, service: Service, **details: Any) -> Service:
    """Change a service; bookings already made keep their times."""
    return _write(service, Action.CHANGED, details)


def _write(service: Service, action: Action, details: dict[str, Any]) -> Service:
    unknown, missing = (
        set(details) - SERVICE_NEEDS - set(SERVICE_DETAILS),
        SERVICE_NEEDS - set(details),
    )
    if unknown or missing:
        raise TypeError(f"service details: unknown {sorted(unknown)}, missing {sorted(missing)}")
    _save(service, _fill(service, **(SERVICE_DETAILS | details)))
    _audit(action, service)
    return service


@transaction.atomic
def service_retire(*, service: Service) -> Service:
    """No new bookings for it; visits already booked stay, and its history is kept."""
    if not service.is_active:
        raise DomainError("already_retired", _("%(name)s is already retired.") % _named(service))
    service.is_active = False
    service.save(update_fields=["is_active"])
    _audit(Action.CHANGED, service, what="retired")
    return service


@transaction.atomic
def service_reinstate(*, service: Service) -> Service:
    """A retired service can be booked again."""
    if service.is_active:
        raise DomainError("not_retired", _("%(name)s is offered already.") % _named(service))
    service.is_active = True
    service.save(update_fields=["is_active"])
    _audit(Action.CHANGED, service, what="reinstated")
    return service


def _fill(service: Service, **values: object) -> list[StaffMember]:
    """Check `values` and set them on `service`; the practitioners to give it."""
    location = service.location
    rules = location.organisation.rules()
    kind, area, indication = str(values["kind"]), str(values["area"]), str(values["indication"])
    if kind not in ServiceKind.values:
        raise DomainError("unknown_kind", _("Choose what kind of service it is."), field="kind")
    if area and area not in rules.areas and area not in rules.zones:
        raise DomainError("unknown_area", _("Choose an area from the list."), field="area")
    if indication and indication not in rules.indications:
        raise DomainError(
            "unknown_indication", _("Choose an indication from the list."), field="indication"
        )
    if kind == ServiceKind.TREATMENT and not area:
        raise DomainError("area_missing", _("Choose the area a treatment covers."), field="area")
    if kind == ServiceKind.TREATMENT and not indication:
        raise DomainError(
            "indication_missing", _("Choose what the treatment is for."), field="indication"
        )
    device_kind = str(values["device_kind"])
    if device_kind and device_kind not in DeviceKind.values:
        raise DomainError("unknown_device_kind", _("Choose a device kind."), field="device_kind")
    _check_minutes(values)
    name = " ".join(str(values["name"]).split())
    if not name:
        raise DomainError("name_missing", _("Give the service a name."), field="name")
    service.name, service.kind, service.area, service.indication = name, kind, area, indication
    service.price_minor = _price(values["price"], location.organisation.currency)
    service.duration_minutes = values["duration_minutes"]  # type: ignore[assignment]
    service.numbing_minutes = values["numbing_minutes"]  # type: ignore[assignment]
    service.buffer_before_minutes = values["buffer_before_minutes"]  # type: ignore[assignment]
    service.buffer_after_minutes = values["buffer_after_minutes"]  # type: ignore[assignment]
    service.device_kind = device_kind
    service.needs_room = bool(values["needs_room"])
    service.bookable_online = bool(values["bookable_online"])
    service.requires_patch_test = bool(values["requires_patch_test"])
    service.tax_rate_bp = tax_rate_bp(values["tax_rate"])
    return _practitioners(location, values["practitioners"])  # type: ignore[arg-type]


def _price(price: object, currency: str) -> int:
    """The price in minor units of `currency`: typed text ("85.50") or Money in it."""
    if not isinstance(price, Money):
        return parse_money(str(price), currency, field="price").minor
    if price.currency != currency:
        raise DomainError(
            "wrong_currency",
            _("Prices here are in %(currency)s.") % {"currency": currency},
            field="price",
        )
    if not 0 <= price.minor <= HIGHEST_MINOR:
        raise DomainError("invalid_amount", _("That price is out of range."), field="price")
    return price.minor


TAX_RATE = re.compile(r"(\d{1,3})(?:[.,](\d*))?", re.ASCII)


def tax_rate_bp(rate: object) -> int:
    """A tax rate typed as a percentage ("20", "5.5", "0", "20%") in basis points (2000)."""
    text = str(rate).strip().removesuffix("%").strip()
    matched = TAX_RATE.fullmatch(text)
    if not matched:
        raise DomainError(
            "invalid_tax_rate",
            _("Give the tax rate as a percentage, e.g. 20, 5.5 or 0."),
            field="tax_rate",
        )
    whole, decimals = matched.group(1), (matched.group(2) or "").rstrip("0")
    if len(decimals) > 2:
        raise DomainError(
            "invalid_tax_rate",
            _("A tax rate has at most 2 decimal places, e.g. 5.25."),
            field="tax_rate",
        )
    basis_points = int(whole) * 100 + int(decimals.ljust(2, "0"))
    if basis_points > 10_000:
        raise DomainError("invalid_tax_rate", _("A tax rate is from 0% to 100%."), field="tax_rate")
    return basis_points


def tax_rate_shown(basis_points: int) -> str:
    """Basis points as the percentage people type: 2000 → "20", 550 → "5.5"."""
    return f"{Decimal(basis_points) / 100:.2f}".rstrip("0").rstrip(".")


def _check_minutes(values: dict[str, object]) -> None:
    labels = {
        "duration_minutes": _("Treatment time"),
        "numbing_minutes": _("Numbing time"),
        "buffer_before_minutes": _("Time before"),
        "buffer_after_minutes": _("Time after"),
    }
    for field, label in labels.items():
        minutes = values[field]
        lowest = 1 if field == "duration_minutes" else 0
        if not isinstance(minutes, int) or not lowest <= minutes <= LONGEST_VISIT_MINUTES:
            raise DomainError(
                "invalid_minutes",
                _("%(what)s is from %(least)s to %(most)s minutes.")
                % {"what": label, "least": lowest, "most": LONGEST_VISIT_MINUTES},
                field=field,
            )
    total = sum(int(values[field]) for field in labels)  # type: ignore[call-overload]
    if total > LONGEST_VISIT_MINUTES:
        raise DomainError(
            "visit_too_long",
            _("Buffers, numbing and treatment together can't exceed 12 hours."),
            field="duration_minutes",
        )


def _practitioners(location: Location, chosen: Iterable[StaffMember]) -> list[StaffMember]:
    people = list(chosen)
    for member in people:
        if member.organisation_id != location.organisation_id:
            raise DomainError(
                "wrong_practitioner",
                _("That person works for another clinic."),
                field="practitioners",
            )
        if not member.is_active or member.role not in GIVES_TREATMENTS:
            raise DomainError(
                "not_clinical",
                _("%(name)s doesn't give treatments.") % {"name": member.user.full_name},
                field="practitioners",
            )
        if not member.locations.filter(pk=location.pk).exists():
            raise DomainError(
                "not_at_location",
                _("%(name)s doesn't work at %(place)s.")
                % {"name": member.user.full_name, "place": location.name},
                field="practitioners",
            )
    return people


def _save(service: Service, practitioners: list[StaffMember]) -> None:
    checked(service, exclude=["practitioners"])
    service.save()
    service.practitioners.set(practitioners)


def _named(service: Service) -> dict[str, str]:
    return {"name": service.name}


def _audit(action: Action, service: Service, what: str = "") -> None:
    detail = {"name": service.name} | ({"what": what} if what else {})
    audit.record(
        action,
        Target.SERVICE,
        service.public_id,
        organisation_id=service.location.organisation_id,
        detail=detail,
    )
