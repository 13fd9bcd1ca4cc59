"""How dates and lists read in messages for clients."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """14 March 2025."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def join_words(words: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
