"""Opening hours as people read them, and whether a location is open on a day."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from needlepoint.clinics.choices import Weekday
from needlepoint.core.errors import DomainError


@dataclass(frozen=True)
class Period:
    opens: time
    closes: time

    def __str__(self) -> str:
        return f"{format_time(self.opens)}–{format_time(self.closes)}"


def format_time(value: time) -> str:
    return f"{value.hour}:{value.minute:02d}"


def periods_by_weekday(rows: Iterable[tuple[int, time, time]]) -> dict[int, list[Period]]:
    days: dict[int, list[Period]] = {day: [] for day in Weekday.values}
    for weekday, opens, closes in rows:
        days[weekday].append(Period(opens, closes))
    for periods in days.values():
        periods.sort(key=lambda period: period.opens)
    return days


def describe_week(rows: Iterable[tuple[int, time, time]]) -> list[str]:
    """Group equal consecutive days: ["Monday–Friday 9:00–18:00", "Sunday closed"]."""
    days = periods_by_weekday(rows)
    lines: list[str] = []
    run: list[int] = []
    for day in Weekday.values:
        if run and days[day] != days[run[0]]:
            lines.append(_describe_run(run, days[run[0]]))
            run = []
        run.append(day)
    lines.append(_describe_run(run, days[run[0]]))
    return lines


def _describe_run(run: Sequence[int], periods: Sequence[Period]) -> str:
    first, last = Weekday(run[0]).label, Weekday(run[-1]).label
    days = first if len(run) == 1 else f"{first}–{last}"
    hours = ", ".join(str(period) for period in periods) if periods else "closed"
    return f"{days} {hours}"


def is_open_at(moment: datetime, periods: Sequence[Period], closed_today: bool) -> bool:
    """``moment`` is the location's wall-clock time."""
    if closed_today:
        return False
    now = moment.time()
    return any(period.opens <= now < period.closes for period in periods)


def check_week(week: Mapping[int, Sequence[tuple[time, time]]]) -> None:
    """Opening hours or a working week: by weekday (Monday is 0), periods that each start
    before they end and don't overlap that day; else a ``DomainError`` naming the day."""
    if not set(week) <= set(WEEKDAYS):
        raise DomainError("invalid_weekday", _("Days of the week are numbered 0 to 6."))
    for day, periods in week.items():
        name = WEEKDAYS[day]
        for starts, ends in periods:
            if not (isinstance(starts, time) and isinstance(ends, time)):
                message = _("%(day)s: give each period's start and end.")
                raise DomainError("invalid_hours", message % {"day": name})
            if starts >= ends:
                message = _("%(day)s: a period must start before it ends (%(starts)s–%(ends)s).")
                values = {"day": name, "starts": format_time(starts), "ends": format_time(ends)}
                raise DomainError("invalid_hours", message % values)
        for (_starts, ends), (next_starts, _ends) in itertools.pairwise(sorted(periods)):
            if next_starts < ends:
                message = _("%(day)s: two periods overlap.") % {"day": name}
                raise DomainError("overlapping_hours", message)
