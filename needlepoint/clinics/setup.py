"""Every write to the organisation and its locations: details, opening hours, closures, rooms.

Settings pages, the guided first set-up and commands all come through here, so each rule
holds wherever the change starts, nothing is half-saved, and each change is audited.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.choices import ChecklistItem, Role
from needlepoint.clinics.hours import check_week, describe_week
from needlepoint.clinics.models import (
    Closure,
    Location,
    OpeningHours,
    Organisation,
    Room,
    StaffMember,
)
from needlepoint.core import languages
from needlepoint.core.errors import DomainError, checked
from needlepoint.core.money import currencies_in_use
from needlepoint.core.phone import normalise_phone

Week = Mapping[int, Sequence[tuple[time, time]]]
"""Opening periods by weekday (0 is Monday); a day with none is closed."""

DEFAULT_OPENING_HOURS: Week = {
    **{weekday: [(time(9), time(18))] for weekday in range(5)},
    5: [(time(11), time(15))],
    6: [],
}
"""A new location's week until someone sets its own: Monday–Friday 9–18, Saturday 11–15."""

CURRENCIES = currencies_in_use()
"""ISO 4217 codes of the currencies in use, from Babel (funds, metals, testing and retired
codes left out)."""

# The longest a location's booking rules may be: beyond these they stop meaning anything.
LIMITS = {
    "minimum_notice_minutes": 60 * 24 * 30,
    "booking_horizon_days": 365 * 3,
    "waitlist_hold_minutes": 60 * 24 * 7,
    "late_cancellation_hours": 24 * 14,
}
RULE_NAMES = {
    "minimum_notice_minutes": gettext_lazy("Minimum notice (minutes)"),
    "booking_horizon_days": gettext_lazy("Booking horizon (days)"),
    "waitlist_hold_minutes": gettext_lazy("Waitlist hold (minutes)"),
    "late_cancellation_hours": gettext_lazy("Late cancellation (hours)"),
}
LONGEST_REMINDER_HOURS = 24 * 30
RESERVED_SLUGS = {"new"}  # settings/locations/new/ adds one
ORGANISATION_FIELDS = (
    "name",
    "currency",
    "rescreen_after_days",
    "clinical_retention_years",
    "checklist_blocking",
    "languages",
    "default_language",
)
LOCATION_FIELDS = (
    "name",
    "time_zone",
    "address",
    "phone",
    "email",
    "minimum_notice_minutes",
    "booking_horizon_days",
    "waitlist_hold_minutes",
    "late_cancellation_hours",
    "reminder_hours",
    "quiet_from",
    "quiet_until",
)


@functools.cache
def time_zones() -> tuple[str, ...]:
    """The zones a location may be in, as a select offers them: places, and UTC."""
    places = (zone for zone in zoneinfo.available_timezones() if "/" in zone)
    return ("UTC", *sorted(zone for zone in places if not zone.startswith("Etc/")))


# The organisation ---------------------------------------------------------------------

OWNERS_DECIDE = ("checklist_blocking", "rescreen_after_days")


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by: StaffMember, **changes: Any
) -> Organisation:
    """Change the organisation's name, currency, rescreening interval, retention or the
    checklist items that must be green; only the details given change. The last two are
    clinical safety decisions: an owner's, as the clinical rules are."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("These can't be changed here: %s.") % sorted(unknown))
    for name in OWNERS_DECIDE:
        if (
            name in changes
            and changes[name] != getattr(organisation, name)
            and by.role != Role.OWNER
        ):
            message = _("Only an owner changes the treatment-day checklist and rescreening.")
            raise DomainError("owner_only", message, field=name)
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
        if not changes["name"]:
            raise DomainError("invalid_name", _("Give the organisation a name."), field="name")
    if "currency" in changes:
        changes["currency"] = _currency(changes["currency"])
        if changes["currency"] != organisation.currency and _priced(organisation):
            message = _(
                "Services have prices in %(currency)s: prices aren't converted, so set them "
                "to 0 or retire those services before changing the currency."
            ) % {"currency": organisation.currency}
            raise DomainError("currency_in_use", message, field="currency")
    if "checklist_blocking" in changes:
        changes["checklist_blocking"] = _checklist(changes["checklist_blocking"])
    if "languages" in changes or "default_language" in changes:
        changes["languages"], changes["default_language"] = _languages(
            changes.get("languages", organisation.languages),
            changes.get("default_language", organisation.default_language),
        )
    before = {name: getattr(organisation, name) for name in changes}
    for name, value in changes.items():
        setattr(organisation, name, value)
    checked(organisation, "invalid_organisation")
    changed = {
        name: [before[name], value] for name, value in changes.items() if before[name] != value
    }
    if changed:
        organisation.save(update_fields=list(changed))
        audit.record(
            Action.CHANGED,
            Target.ORGANISATION,
            organisation.pk,
            organisation_id=organisation.pk,
            detail={"changed": changed},
        )
    return organisation


def _priced(organisation: Organisation) -> bool:
    # Services are scheduling's, above clinics: reached by the relation's name, not imported.
    return organisation.locations.filter(services__price_minor__gt=0).exists()


def _currency(value: object) -> str:
    code = str(value).strip().upper()
    if code not in CURRENCIES:
        message = _("%(code)s is not a currency's ISO 4217 code (e.g. GBP, EUR, USD).") % {
            "code": repr(str(value)[:20])
        }
        raise DomainError("invalid_currency", message, field="currency")
    return code


def _checklist(items: Iterable[object]) -> list[str]:
    known = [item.value for item in ChecklistItem]
    chosen = {str(item) for item in items}
    if not chosen <= set(known):
        message = _("Choose checklist items from: %s.") % ", ".join(
            str(item.label) for item in ChecklistItem
        )
        raise DomainError("invalid_checklist", message, field="checklist_blocking")
    return [item for item in known if item in chosen]


def _languages(offered: object, default: object) -> tuple[list[str], str]:
    """The languages offered (at least one, each one of ours) and the default among them."""
    known = languages.codes()
    named = [offered] if isinstance(offered, str) else list(offered or [])  # type: ignore[call-overload]
    chosen = {str(code) for code in named}
    unknown = sorted(chosen - set(known))
    if unknown:
        message = _("%(codes)s: not a language we offer. Choose from: %(known)s.") % {
            "codes": ", ".join(repr(code[:20]) for code in unknown),
            "known": ", ".join(languages.name(code) for code in known),
        }
        raise DomainError("invalid_language", message, field="languages")
    if not chosen:
        message = _("Offer at least one language.")
        raise DomainError("no_language", message, field="languages")
    default = str(default)
    if default not in known:
        message = _("%(code)s is not a language we offer.") % {"code": repr(default[:20])}
        raise DomainError("invalid_language", message, field="default_language")
    if default not in chosen:
        message = _("The default language must be one of the languages offered.")
        raise DomainError("default_not_offered", message, field="default_language")
    return [code for code in known if code in chosen], default


# Locations ----------------------------------------------------------------------------


@transaction.atomic
def location_create(
    *,
    organisation: Organisation,
    name: str,
    time_zone: str,
    opening_hours: Week = DEFAULT_OPENING_HOURS,
    **details: Any,
) -> Location:
    """A new location, its address made from its name, open ``opening_hours`` (by default
    the usual week of ``DEFAULT_OPENING_HOURS``)."""
    name = name.strip()
    slug = slugify(name)[:50].strip("-")
    if not slug or slug in RESERVED_SLUGS:
        raise DomainError(
            "invalid_name", _("Give the location a name with letters or digits."), field="name"
        )
    _check_name_is_free(organisation, name, slug)
    check_week(opening_hours)
    location = Location(organisation=organisation, slug=slug)
    _apply(location, {"name": name, "time_zone": time_zone, **details})
    location.save()
    _write_week(location, opening_hours)
    audit.record(
        Action.CREATED,
        Target.LOCATION,
        location.public_id,
        organisation_id=organisation.pk,
        detail={"name": location.name, "opening_hours": _week_described(location)},
    )
    return location


@transaction.atomic
def location_update(*, location: Location, **changes: Any) -> Location:
    """Change a location's details and booking rules. Its web address (slug) stays as it
    was: booking links and widgets already given out keep working after a rename."""
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
        _check_name_is_free(location.organisation, changes["name"], None, location)
    before = {name: getattr(location, name) for name in LOCATION_FIELDS}
    _apply(location, changes)
    changed = [name for name in LOCATION_FIELDS if getattr(location, name) != before[name]]
    if changed:
        location.save(update_fields=changed)
        audit.record(
            Action.CHANGED,
            Target.LOCATION,
            location.public_id,
            organisation_id=location.organisation_id,
            detail={"fields": changed},
        )
    return location


def _apply(location: Location, changes: Mapping[str, Any]) -> None:
    unknown = set(changes) - set(LOCATION_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("These can't be changed here: %s.") % sorted(unknown))
    values = dict(changes)
    if "name" in values and not values["name"]:
        raise DomainError("invalid_name", _("Give the location a name."), field="name")
    zone = values.get("time_zone", location.time_zone)
    if zone != location.time_zone and zone not in time_zones():
        message = _("Choose the location's time zone from the list, e.g. Europe/London.")
        raise DomainError("invalid_time_zone", message, field="time_zone")
    if "phone" in values:
        values["phone"] = normalise_phone(str(values["phone"]))
    if "email" in values:
        values["email"] = str(values["email"]).strip().lower()
    if "address" in values:
        values["address"] = str(values["address"]).strip()
    if "reminder_hours" in values:
        values["reminder_hours"] = _reminder_hours(str(values["reminder_hours"]))
    for name, longest in LIMITS.items():
        value = values.get(name)
        if value is not None and not (isinstance(value, int) and 0 <= value <= longest):
            message = _("%(field)s must be a whole number from 0 to %(longest)s.") % {
                "field": RULE_NAMES[name],
                "longest": longest,
            }
            raise DomainError("invalid_booking_rule", message, field=name)
    for name, value in values.items():
        setattr(location, name, value)
    checked(location, "invalid_location", exclude=["organisation"])


def _reminder_hours(raw: str) -> str:
    """ "48, 2" → "48,2": hours before a visit, each from 1 to a month, latest first."""
    parts = [part.strip() for part in raw.split(",") if part.strip()]
    if not parts:
        return ""
    if not all(part.isascii() and part.isdigit() and len(part) <= 3 for part in parts):
        message = _("Give reminder times as hours before the visit, separated by commas: 48, 2.")
        raise DomainError("invalid_reminder_hours", message, field="reminder_hours")
    hours = sorted({int(part) for part in parts}, reverse=True)
    if hours[-1] < 1 or hours[0] > LONGEST_REMINDER_HOURS:
        message = _("Each reminder goes out between 1 and %(longest)s hours before the visit.") % {
            "longest": LONGEST_REMINDER_HOURS
        }
        raise DomainError("invalid_reminder_hours", message, field="reminder_hours")
    return ",".join(str(hour) for hour in hours)


def _check_name_is_free(
    organisation: Organisation, name: str, slug: str | None, location: Location | None = None
) -> None:
    others = Location.objects.filter(organisation=organisation)
    if location is not None:
        others = others.exclude(pk=location.pk)
    taken = others.filter(name__iexact=name).first()
    if taken is None and slug is not None:
        taken = others.filter(slug=slug).first()
    if taken is not None:
        message = _("%(name)s already has that name or web address: choose another name.") % {
            "name": taken.name
        }
        raise DomainError("location_exists", message, field="name")


# Opening hours ------------------------------------------------------------------------


@transaction.atomic
def opening_hours_replace(*, location: Location, week: Week) -> Location:
    """Replace the location's whole week at once: every day closed or open in periods
    (two for a lunch break); overlapping periods or one that closes before it opens are
    refused, naming the day, and nothing changes."""
    check_week(week)
    before = _week_described(location)
    location.opening_hours.all().delete()
    _write_week(location, week)
    after = _week_described(location)
    if after != before:
        audit.record(
            Action.CHANGED,
            Target.LOCATION,
            location.public_id,
            organisation_id=location.organisation_id,
            detail={"opening_hours": after},
        )
    return location


def _write_week(location: Location, week: Week) -> None:
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=day, opens=opens, closes=closes)
        for day, periods in sorted(week.items())
        for opens, closes in periods
    )


def _week_described(location: Location) -> list[str]:
    rows = location.opening_hours.values_list("weekday", "opens", "closes")
    return describe_week(rows)


# Closures -----------------------------------------------------------------------------


@transaction.atomic
def closure_add(*, location: Location, starts_on: date, ends_on: date, reason: str) -> Closure:
    """The location is shut from ``starts_on`` to ``ends_on``, both days included."""
    reason = reason.strip()
    if not reason:
        raise DomainError("invalid_reason", _("Say why the location is closed."), field="reason")
    if ends_on < starts_on:
        message = _("A closure must end on or after the day it starts.")
        raise DomainError("ends_before_start", message, field="ends_on")
    closure = Closure(location=location, starts_on=starts_on, ends_on=ends_on, reason=reason)
    checked(closure, "invalid_closure", exclude=["location"])
    closure.save()
    _audit_closure(Action.CREATED, closure)
    return closure


@transaction.atomic
def closure_remove(*, closure: Closure) -> None:
    _audit_closure(Action.REMOVED, closure)
    closure.delete()


def _audit_closure(action: Action, closure: Closure) -> None:
    location = closure.location
    audit.record(
        action,
        Target.LOCATION,
        location.public_id,
        organisation_id=location.organisation_id,
        detail={
            "closure": {
                "starts_on": closure.starts_on.isoformat(),
                "ends_on": closure.ends_on.isoformat(),
                "reason": closure.reason,
            }
        },
    )


# Rooms --------------------------------------------------------------------------------


@transaction.atomic
def room_add(*, location: Location, name: str) -> Room:
    room = Room(location=location)
    _room_save(room, name=name, is_active=True)
    audit.record(
        Action.CREATED,
        Target.ROOM,
        room.pk,
        organisation_id=location.organisation_id,
        detail={"location": location.name, "name": room.name},
    )
    return room


@transaction.atomic
def room_update(*, room: Room, name: str | None = None, is_active: bool | None = None) -> Room:
    """Rename a room, or take it out of use (it is no longer booked) and back."""
    before = {"name": room.name, "is_active": room.is_active}
    _room_save(
        room,
        name=room.name if name is None else name,
        is_active=room.is_active if is_active is None else is_active,
    )
    changed = {
        field: [old, getattr(room, field)]
        for field, old in before.items()
        if getattr(room, field) != old
    }
    if changed:
        audit.record(
            Action.CHANGED,
            Target.ROOM,
            room.pk,
            organisation_id=room.location.organisation_id,
            detail={"changed": changed},
        )
    return room


def _room_save(room: Room, *, name: str, is_active: bool) -> None:
    name = name.strip()
    if not name:
        raise DomainError("invalid_name", _("Give the room a name."), field="name")
    taken = Room.objects.filter(location=room.location, name__iexact=name).exclude(pk=room.pk)
    if taken.exists():
        message = _("%(location)s already has a room called %(name)s.") % {
            "location": room.location.name,
            "name": name,
        }
        raise DomainError("room_exists", message, field="name")
    room.name, room.is_active = name, is_active
    checked(room, "invalid_room", exclude=["location"])
    room.save()
