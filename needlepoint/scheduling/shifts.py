"""When a team member works: their week at a location, days that differ, and time off.

The booking search reads exactly these rows (calendar_reads.py): the weekly periods at
the service's location, the exceptions on a date at that location (a date with an
exception uses only its own hours; one without times means not working), and time off
at any location. Times are the location's wall-clock time; time off is stored as instants.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from django.db import transaction
from django.utils.translation import gettext as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.choices import Weekday
from needlepoint.clinics.hours import check_week, format_time
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core.errors import DomainError
from needlepoint.core.languages import long_date
from needlepoint.scheduling.models import ShiftException, TimeOff, WorkingPeriod

Period = tuple[int, time, time]
"""A weekday (Monday is 0) and the start and end of a period of work on it."""


@transaction.atomic
def week_replace(
    *, staff: StaffMember, location: Location, periods: Iterable[Period]
) -> list[WorkingPeriod]:
    """Make ``periods`` the whole of ``staff``'s week at ``location`` (none: not working there)."""
    _works_at(staff, location)
    week = sorted(periods)
    by_day: dict[int, list[tuple[time, time]]] = {}
    for weekday, starts, ends in week:
        by_day.setdefault(weekday, []).append((starts, ends))
    check_week(by_day)
    elsewhere = WorkingPeriod.objects.filter(staff=staff).exclude(location=location)
    others = [
        (p.weekday, p.starts, p.ends, p.location.name) for p in elsewhere.select_related("location")
    ]
    for weekday, starts, ends in week:
        day = Weekday(weekday).label
        for other_day, other_starts, other_ends, place in others:
            if other_day == weekday and other_starts < ends and starts < other_ends:
                raise DomainError(
                    "overlap_elsewhere",
                    _("On %(day)s this overlaps the shift at %(place)s (%(hours)s).")
                    % {"day": day, "place": place, "hours": _hours(other_starts, other_ends)},
                )
    WorkingPeriod.objects.filter(staff=staff, location=location).delete()
    saved = WorkingPeriod.objects.bulk_create(
        WorkingPeriod(staff=staff, location=location, weekday=d, starts=s, ends=e)
        for d, s, e in week
    )
    audit.record(
        Action.CHANGED,
        Target.SHIFT,
        staff.public_id,
        organisation_id=staff.organisation_id,
        detail={
            "location": location.name,
            "week": [f"{Weekday(d).label} {_hours(s, e)}" for d, s, e in week],
        },
    )
    return saved


def week_of(staff: StaffMember, location: Location) -> dict[int, list[tuple[time, time]]]:
    """Each weekday's periods at ``location``, earliest first (an empty list: not working)."""
    days: dict[int, list[tuple[time, time]]] = {day: [] for day in Weekday.values}
    for period in WorkingPeriod.objects.filter(staff=staff, location=location):
        days[period.weekday].append((period.starts, period.ends))
    for periods in days.values():
        periods.sort()
    return days


@transaction.atomic
def shift_exception_add(
    *,
    staff: StaffMember,
    location: Location,
    on: date,
    starts: time | None = None,
    ends: time | None = None,
) -> ShiftException:
    """One date with other hours at ``location`` (no times: not working there that day)."""
    _works_at(staff, location)
    if (starts is None) != (ends is None):
        raise DomainError(
            "half_a_period",
            _("Give both a start and an end, or neither for a day off."),
            field="starts" if starts is None else "ends",
        )
    that_day = ShiftException.objects.filter(staff=staff, location=location, on=on)
    when = long_date(on)
    if starts is not None and ends is not None:
        _in_order(starts, ends, when)
        if that_day.filter(starts__isnull=True).exists():
            raise DomainError(
                "day_off_already",
                _("%(day)s is already a day off: remove that first.") % {"day": when},
                field="on",
            )
        if that_day.filter(starts__lt=ends, ends__gt=starts).exists():
            raise DomainError(
                "overlap",
                _("On %(day)s these hours overlap hours already given.") % {"day": when},
                field="starts",
            )
    elif that_day.exists():
        raise DomainError(
            "hours_already",
            _("%(day)s has hours already: remove them first.") % {"day": when},
            field="on",
        )
    exception = ShiftException.objects.create(
        staff=staff, location=location, on=on, starts=starts, ends=ends
    )
    audit.record(
        Action.CREATED,
        Target.SHIFT,
        staff.public_id,
        organisation_id=staff.organisation_id,
        detail={"location": location.name, "on": when, "hours": _hours(starts, ends)},
    )
    return exception


@transaction.atomic
def shift_exception_remove(*, exception: ShiftException) -> None:
    staff = exception.staff
    detail = {
        "location": exception.location.name,
        "on": long_date(exception.on),
        "hours": _hours(exception.starts, exception.ends),
    }
    exception.delete()
    audit.record(
        Action.REMOVED,
        Target.SHIFT,
        staff.public_id,
        organisation_id=staff.organisation_id,
        detail=detail,
    )


@transaction.atomic
def time_off_add(
    *, staff: StaffMember, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> TimeOff:
    """Away from ``starts_at`` until ``ends_at``, at every location."""
    if starts_at >= ends_at:
        raise DomainError(
            "time_off_order", _("Time off must end after it starts."), field="until_day"
        )
    reason = reason.strip()
    if len(reason) > 200 or "\x00" in reason:
        raise DomainError(
            "reason", _("Give the reason in 200 characters or fewer."), field="reason"
        )
    away = TimeOff.objects.create(staff=staff, starts_at=starts_at, ends_at=ends_at, reason=reason)
    audit.record(
        Action.CREATED,
        Target.SHIFT,
        staff.public_id,
        organisation_id=staff.organisation_id,
        detail={"time_off": [starts_at.isoformat(), ends_at.isoformat()]},
    )
    return away


@transaction.atomic
def time_off_remove(*, time_off: TimeOff) -> None:
    staff = time_off.staff
    detail = {"time_off": [time_off.starts_at.isoformat(), time_off.ends_at.isoformat()]}
    time_off.delete()
    audit.record(
        Action.REMOVED,
        Target.SHIFT,
        staff.public_id,
        organisation_id=staff.organisation_id,
        detail=detail,
    )


def _works_at(staff: StaffMember, location: Location) -> None:
    if (
        location.organisation_id != staff.organisation_id
        or not staff.locations.filter(pk=location.pk).exists()
    ):
        raise DomainError(
            "not_their_location",
            _("%(name)s does not work at %(place)s: add the location to them first.")
            % {"name": staff.user, "place": location.name},
        )


def _in_order(starts: time, ends: time, when: str) -> None:
    if starts >= ends:
        raise DomainError(
            "period_order",
            _("On %(day)s the start must be before the end.") % {"day": when},
        )


def _hours(starts: time | None, ends: time | None) -> str:
    if starts is None or ends is None:
        return _("day off")
    return f"{format_time(starts)}–{format_time(ends)}"


def periods_text(periods: Sequence[tuple[time, time]]) -> str:
    """9:00–13:00, 14:00–18:00; or "not working"."""
    if not periods:
        return _("not working")
    return ", ".join(_hours(starts, ends) for starts, ends in periods)
