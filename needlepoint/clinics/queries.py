"""Reads about locations that are more than a line."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet

from needlepoint.clinical import Rules
from needlepoint.clinics.choices import DeviceStatus
from needlepoint.clinics.hours import Period, describe_week, is_open_at, periods_by_weekday
from needlepoint.clinics.models import Closure, Device, Location, rules_with_overrides
from needlepoint.core import plain_sql
from needlepoint.core.setup_token import kept_under_token


@kept_under_token
def organisation_rules(organisation_id: int) -> Rules:
    """The clinical rules in force at an organisation, without loading the organisation.

    Every booking checks its interval against these; one plain read of the overrides is a
    tenth of the cost of fetching the model (see ``scheduling/calendar_reads.py``), and
    inside a set-up snapshot not even that until the organisation changes.
    """
    found = plain_sql.rows(
        "SELECT rule_overrides FROM clinics_organisation WHERE id = %s", [organisation_id]
    )
    overrides = plain_sql.from_json(found[0][0]) or {}
    return rules_with_overrides(json.dumps(overrides, sort_keys=True))


@dataclass(frozen=True)
class LocationStatus:
    location: Location
    local_now: datetime
    periods_today: list[Period]
    closure_today: Closure | None
    upcoming_closures: list[Closure]
    is_open: bool
    week: list[str]
    room_count: int
    devices: list[Device]


def location_statuses(locations: QuerySet[Location], now: datetime) -> list[LocationStatus]:
    """What each location looks like right now, in its own time zone; four queries in all."""
    earliest_local_day = (now - timedelta(days=1)).date()
    locations = locations.select_related("organisation").prefetch_related(
        "opening_hours",
        "rooms",
        Prefetch("devices", queryset=Device.objects.exclude(status=DeviceStatus.RETIRED)),
        Prefetch("closures", queryset=Closure.objects.filter(ends_on__gte=earliest_local_day)),
    )
    return [_status(location, now) for location in locations]


def _status(location: Location, now: datetime) -> LocationStatus:
    local_now = now.astimezone(location.zone)
    today = local_now.date()
    rows = [(row.weekday, row.opens, row.closes) for row in location.opening_hours.all()]
    periods_today = periods_by_weekday(rows)[today.weekday()]
    closures = [closure for closure in location.closures.all() if closure.ends_on >= today]
    closure_today = next((closure for closure in closures if closure.covers(today)), None)
    return LocationStatus(
        location=location,
        local_now=local_now,
        periods_today=periods_today,
        closure_today=closure_today,
        upcoming_closures=[
            closure for closure in closures if closure.starts_on <= today + timedelta(days=60)
        ],
        is_open=is_open_at(local_now, periods_today, closed_today=closure_today is not None),
        week=describe_week(rows),
        room_count=sum(1 for room in location.rooms.all() if room.is_active),
        devices=list(location.devices.all()),
    )
