"""A day as money's messages write it where tests and clients know it by its two-digit
day: 08 Apr 2027 · 08 abr 2027 · 08 Apr. 2027 (Babel's CLDR month names, not strftime's)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from needlepoint.core.languages import reader_locale


def short_month_date(day: date) -> str:
    """08 Mar 2025 · 08 mar 2025 · 08 März 2025: the day kept to two digits."""
    return str(format_date(day, format="dd MMM y", locale=reader_locale()))
