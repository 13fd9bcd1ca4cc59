"""Calendar arithmetic for periods: pure functions of dates, no clock and no database.

Periods are counted from the day the membership started, never chained one from the
next: a membership started on 31 January runs 31 Jan – 27 Feb, 28 Feb – 30 Mar,
31 Mar – 29 Apr…, so a short month shortens one period and the day comes back after it.
Periods are whole days in the location's calendar: a change of clocks doesn't move them.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

MONTHS = {"monthly": 1, "yearly": 12}
QUARTER = 3


def add_months(start: date, months: int) -> date:
    """``start`` moved on by whole months, on the same day of the month or, where the
    month is shorter, its last day."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def period_bounds(started_on: date, months: int, number: int) -> tuple[date, date]:
    """The first and last day of period ``number`` (0 is the first) of ``months`` each."""
    first = add_months(started_on, number * months)
    return first, add_months(started_on, (number + 1) * months) - timedelta(days=1)


def period_number(started_on: date, months: int, day: date) -> int:
    """Which period of ``months`` each ``day`` falls in (0 before the start)."""
    if day < started_on:
        return 0
    elapsed = (day.year - started_on.year) * 12 + day.month - started_on.month
    number = max(elapsed // months, 0)
    while period_bounds(started_on, months, number)[0] > day:
        number -= 1
    while period_bounds(started_on, months, number)[1] < day:
        number += 1
    return number


def window_start(started_on: date, months: int, day: date) -> date:
    """The first day of the window of ``months`` that holds ``day``."""
    return period_bounds(started_on, months, period_number(started_on, months, day))[0]


def days_left(first: date, last: date, today: date) -> tuple[int, int]:
    """Days of the period ``first``..``last`` not yet begun on ``today`` (today counts as
    used), and the period's length in days."""
    length = (last - first).days + 1
    unused = (last - max(today, first - timedelta(days=1))).days
    return max(min(unused, length), 0), length


def pro_rata(amount_minor: int, unused: int, length: int) -> int:
    """The unused days' share of ``amount_minor``, rounded half up, in whole minor units."""
    return (amount_minor * unused * 2 + length) // (2 * length) if length else 0
