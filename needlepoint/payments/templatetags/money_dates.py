"""Dates in the reader's language where Django has no format name for the shape wanted:
``{{ voucher.expires_on|local_date:"long" }}`` is 5 March 2025, 5 de marzo de 2025 or
5. März 2025; ``{{ day|local_date:"MMMd" }}`` (a CLDR skeleton) is 5 Mar, 5 mar or 5. März."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_date, format_skeleton
from django import template
from django.conf import settings
from django.utils.translation import get_language, to_locale

register = template.Library()

NAMED = frozenset({"short", "medium", "long", "full"})


@register.filter(expects_localtime=True)
def local_date(value: date | datetime | None, shape: str = "long") -> str:
    if not value:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    if shape in NAMED:
        return str(format_date(day, format=shape, locale=locale))
    return str(format_skeleton(shape, day, locale=locale))
