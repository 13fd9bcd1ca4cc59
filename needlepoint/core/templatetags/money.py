"""Prices as people read them, in the reader's language: ``{{ service.price_minor|money:"USD" }}``
shows £85.50 for 8550 GBP in English, 85,50 € for 8550 EUR in German; nothing costs "free"."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from needlepoint.core.money import Money, format_money

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    if not minor:
        return _("free")
    return format_money(Money(minor, currency))


@register.filter
def amount(minor: int | None, currency: str) -> str:
    """A figure as it stands, nothing and negatives too: £0.00, -£20.00 (reports, totals)."""
    return format_money(Money(minor or 0, currency))
