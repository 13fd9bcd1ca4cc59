"""Dates as the reader of the active language writes them, for PDFs, e-mails and messages
built in Python: 5 March 2025 in English, 5 de marzo de 2025 in Spanish, 5. März 2025 in
German (Babel's CLDR formats, not ``strftime``, whose month names are always English)."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from django.conf import settings
from django.utils.translation import get_language, to_locale


def _locale() -> str:
    return to_locale(get_language() or settings.LANGUAGE_CODE)


def long_date(day: date) -> str:
    """5 March 2025 · 5 de marzo de 2025 · 5. März 2025."""
    return str(format_date(day, format="long", locale=_locale()))


def medium_date(day: date) -> str:
    """5 Mar 2025 · 5 mar 2025 · 05.03.2025."""
    return str(format_date(day, format="medium", locale=_locale()))


def short_month_date(day: date) -> str:
    """08 Mar 2025 · 08 mar 2025 · 08 März 2025: the day kept to two digits."""
    return str(format_date(day, format="dd MMM y", locale=_locale()))
