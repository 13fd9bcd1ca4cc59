"""Money as data: a whole number of the currency's smallest unit, never a float.

An amount is kept as ``Money(minor, currency)``: 8550 GBP is £85.50, 8500 JPY is ¥8,500
(yen has no minor unit), 1500 BHD is 1.500 dinars. How many decimals a currency has, which
codes are in use and how an amount reads in a language all come from Babel (CLDR), not
from lists kept here.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.numbers import format_currency, get_currency_precision, get_territory_currencies
from django.utils.translation import gettext as _

from needlepoint.core import languages
from needlepoint.core.errors import DomainError

# A guard against typing slips, not a price list: 20,000,000.00 of a two-decimal currency,
# ¥2,000,000,000; below the 2,147,483,647 a 32-bit integer column holds.
HIGHEST_MINOR = 2_000_000_000
# 1200.50 or 1,200.50; ASCII digits only (Python's \d takes any script's)
AMOUNT = re.compile(r"(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d*))?|\.(\d+)", re.ASCII)


@dataclass(frozen=True)
class Money:
    """``minor`` units (pence, cents, yen, fils) of ``currency`` (an ISO 4217 code)."""

    minor: int
    currency: str


def precision(currency: str) -> int:
    """Decimals the currency is written with: 2 for GBP, 0 for JPY, 3 for BHD."""
    return int(get_currency_precision(currency))


def as_decimal(money: Money) -> Decimal:
    """The amount in major units, to the currency's precision: Money(8550, "GBP") → 85.50."""
    return Decimal(money.minor).scaleb(-precision(money.currency))


def example(currency: str) -> Decimal:
    """An amount to show how one is typed: 85.50 in GBP, 8500 in JPY, 85.500 in BHD."""
    return as_decimal(Money(8500 if precision(currency) == 0 else 8550, currency))


def from_major(amount: Decimal | str, currency: str) -> Money:
    """An amount in major units ("180.00"), rounded half up to the currency's precision."""
    minor = Decimal(amount).scaleb(precision(currency)).quantize(Decimal(1), ROUND_HALF_UP)
    return Money(int(minor), currency)


def parse_money(text: str, currency: str, *, field: str | None = None) -> Money:
    """ "85", "85.5", "85.50" or "1,200.50" as an amount of `currency`; refuses anything that
    is not a plain number, is negative, has more decimals than the currency or is too big."""
    raw = str(text).strip()
    places = precision(currency)
    if raw.startswith("-") and AMOUNT.fullmatch(raw[1:]):
        raise DomainError("negative_amount", _("An amount can't be negative."), field=field)
    matched = AMOUNT.fullmatch(raw)
    if not matched:
        raise DomainError(
            "invalid_amount",
            _("Give the amount as a number, e.g. %(example)s.") % {"example": example(currency)},
            field=field,
        )
    decimals = (matched.group(1) or matched.group(2) or "").rstrip("0")
    if len(decimals) > places:
        message = (
            _("Amounts in %(currency)s are in whole units, e.g. %(example)s.")
            if places == 0
            else _("Amounts in %(currency)s have at most %(places)s decimal places.")
        )
        raise DomainError(
            "too_many_decimals",
            message % {"currency": currency, "places": places, "example": example(currency)},
            field=field,
        )
    minor = int(Decimal(raw.replace(",", "")).scaleb(places))
    if minor > HIGHEST_MINOR:
        most = as_decimal(Money(HIGHEST_MINOR, currency))
        raise DomainError(
            "amount_too_high",
            _("An amount can be at most %(most)s.") % {"most": f"{most:,}"},
            field=field,
        )
    return Money(minor, currency)


def format_money(money: Money, locale: str | None = None) -> str:
    """The amount as a reader of `locale` (default: the active language) writes it:
    £85.50 in en-GB, 85,50 € in German."""
    chosen = locale or languages.reader_locale()
    return str(format_currency(as_decimal(money), money.currency, locale=chosen))


@functools.cache
def currencies_in_use() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere with no announced end: funds, precious
    metals, testing codes and retired currencies are left out."""
    after_every_end = date(9999, 1, 1)
    return frozenset(
        code
        for territory in Locale("en").territories
        for code in get_territory_currencies(str(territory), after_every_end, tender=True)
    )
