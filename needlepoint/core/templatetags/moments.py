"""Times stored as ISO text (a booking's history) shown as times, never as ISO strings."""

from __future__ import annotations

from datetime import datetime

from django import template

register = template.Library()


@register.filter
def iso_datetime(value: str) -> datetime | str:
    """``2026-12-07T13:00:00+00:00`` as a datetime, for ``|date`` in the location's zone."""
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return ""
