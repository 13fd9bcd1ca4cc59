"""Tax on one invoice line, rounded per line (half up), as accountants expect.

Rates are basis points (2000 = 20%). With prices that include tax (UK, EU) the gross is
the price and the tax is taken out of it; with prices before tax (US sales tax) it is
added on top. Either way net + tax = gross exactly, in minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WHOLE = 10_000  # basis points in 100%


@dataclass(frozen=True)
class LineAmounts:
    net: int
    tax: int
    gross: int


def line_amounts(unit: int, quantity: int, rate_bp: int, *, inclusive: bool) -> LineAmounts:
    priced = unit * quantity
    if inclusive:
        tax = _rounded(Decimal(priced) * rate_bp / (WHOLE + rate_bp))
        return LineAmounts(net=priced - tax, tax=tax, gross=priced)
    tax = _rounded(Decimal(priced) * rate_bp / WHOLE)
    return LineAmounts(net=priced, tax=tax, gross=priced + tax)


def _rounded(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_UP))
