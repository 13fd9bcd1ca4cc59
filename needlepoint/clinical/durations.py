"""ISO-8601 date durations (P6M, P14D, P1Y2M, P2W3D) and calendar arithmetic on dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from needlepoint.clinical.errors import InvalidDuration

_PATTERN = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?")
_LONGEST_YEARS = 100


@dataclass(frozen=True)
class Duration:
    """A whole number of years, months, weeks and days; months are calendar months."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    def __str__(self) -> str:
        parts = zip((self.years, self.months, self.weeks, self.days), "YMWD", strict=True)
        text = "".join(f"{number}{unit}" for number, unit in parts if number)
        return "P" + (text or "0D")

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    @property
    def total_days(self) -> int:
        return self.weeks * 7 + self.days

    def parts(self) -> tuple[tuple[str, int], ...]:
        """The duration as a client would count it, largest unit first, zeros left out:
        (("year", 1), ("day", 3)); whole weeks of days read as weeks; () for no time.

        Units are the keys "year", "month", "week" and "day"; the web layer words them."""
        weeks, days = (
            divmod(self.total_days, 7) if self.total_days % 7 == 0 else (0, self.total_days)
        )
        numbers = (("year", self.years), ("month", self.months), ("week", weeks), ("day", days))
        return tuple((unit, number) for unit, number in numbers if number)


def parse_duration(text: str) -> Duration:
    """Read an ISO-8601 date duration such as "P6M", "P14D" or "P1Y2M"; raise InvalidDuration."""
    match = _PATTERN.fullmatch(text) if isinstance(text, str) else None
    if match is None or text == "P":
        raise InvalidDuration(
            f"{text!r} is not a duration: write it like P14D (14 days), P2W, P6M or P1Y."
        )
    years, months, weeks, days = (int(group or 0) for group in match.groups())
    duration = Duration(years, months, weeks, days)
    if duration.total_months + duration.total_days // 28 > _LONGEST_YEARS * 12:
        raise InvalidDuration(f"{text} is longer than {_LONGEST_YEARS} years.")
    return duration


def add_duration(day: date, duration: Duration | str) -> date:
    """The date `duration` after `day`.

    Months are added first and land on the same day of the month, or on the month's
    last day when it is shorter (2025-08-31 + P6M = 2026-02-28); weeks and days follow.
    """
    if isinstance(duration, str):
        duration = parse_duration(duration)
    month_index = day.year * 12 + (day.month - 1) + duration.total_months
    year, month = divmod(month_index, 12)
    if year > date.max.year:
        raise InvalidDuration(f"{day.isoformat()} + {duration} is beyond the calendar.")
    last_day = calendar.monthrange(year, month + 1)[1]
    shifted = date(year, month + 1, min(day.day, last_day))
    try:
        return shifted + timedelta(days=duration.total_days)
    except OverflowError as error:
        raise InvalidDuration(f"{day.isoformat()} + {duration} is beyond the calendar.") from error
