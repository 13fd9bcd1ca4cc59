"""Prices as people read them, in the organisation's currency: ``{{ price|money:"USD" }}``."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()

SYMBOLS = {"GBP": "£", "USD": "$", "EUR": "€", "AUD": "A$", "CAD": "C$", "NZD": "NZ$"}


@register.filter
def money(amount: Decimal | None, currency: str) -> str:
    if not amount:
        return "free"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{amount:,.2f}" if symbol else f"{amount:,.2f} {currency}"
