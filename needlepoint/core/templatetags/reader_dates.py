"""Days as the reader writes them, in their language: ``{{ starts_at|reader_date:"full" }}``
shows "Wednesday 25 November 2026" in English, "miércoles 25 de noviembre de 2026" in
Spanish, "Mittwoch, 25. November 2026" in German. Like Django's ``date`` filter (whose
day and month names are already translated), in the current time zone."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import dateformat
from django.utils.translation import pgettext_lazy

register = template.Library()


# Only the style asked for is translated, when a date is shown: a page shows many.
# Translators: Django date formats (l weekday, j day, F month, M short month, b short
# month in lower case, Y year); escape literal letters with a backslash, e.g. "j \d\e F".
FORMATS = {
    "full": pgettext_lazy("date format: weekday, day, month and year", "l j F Y"),
    "long": pgettext_lazy("date format: day, month and year", "j F Y"),
    "weekday": pgettext_lazy("date format: weekday, day and month", "l j F"),
    "day_month": pgettext_lazy("date format: day and month", "j F"),
    "short": pgettext_lazy("date format: day and short month", "j M"),
}


@register.filter(expects_localtime=True, is_safe=False)
def reader_date(value: date | None, style: str = "long") -> str:
    """``style``: full, long, weekday (no year), day_month, short (abbreviated month)."""
    if not value:
        return ""
    return dateformat.format(value, str(FORMATS[style]))
