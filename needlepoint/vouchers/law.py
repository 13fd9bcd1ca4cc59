"""How long a gift voucher must stay valid, by the clinic's country: the default offered and
the shortest allowed. A rough guide to the rule as it stands for multi-purpose vouchers
sold to consumers, not legal advice; the clinic's own adviser has the last word.

- Ireland: at least 5 years from sale (Consumer Protection (Gift Vouchers) Act 2019, s. 3).
- Germany: the regular limitation period, 3 years running to the end of the year of sale
  (BGB §§ 195, 199); a shorter term in the clinic's own terms is usually void.
- Spain: at least 2 years from sale (the consumer rules on prepaid vouchers; a voucher
  with no date stays valid for that long).
- United States: at least 5 years from issue (Credit CARD Act 2009, 15 U.S.C. § 1693l-1);
  some states ask for more.
- United Kingdom and elsewhere: the clinic's choice, stated on the voucher; 12 months is
  common.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from needlepoint.vouchers.choices import Country


@dataclass(frozen=True)
class Validity:
    default_months: int
    minimum_months: int
    to_year_end: bool = False  # runs on to 31 December of the year it ends in


LAW: dict[str, Validity] = {
    Country.IE: Validity(60, 60),
    Country.DE: Validity(36, 36, to_year_end=True),
    Country.ES: Validity(24, 24),
    Country.US: Validity(60, 60),
    Country.GB: Validity(12, 1),
    Country.OTHER: Validity(12, 1),
}
LONGEST_MONTHS = 120


def validity_for(country: str) -> Validity:
    return LAW.get(country, LAW[Country.OTHER])


def expiry(sold_on: date, months: int, country: str) -> date:
    """The last day a voucher sold on ``sold_on`` can be spent."""
    month = sold_on.month - 1 + months
    year, month = sold_on.year + month // 12, month % 12 + 1
    day = min(sold_on.day, calendar.monthrange(year, month)[1])
    ends = date(year, month, day)
    return date(ends.year, 12, 31) if validity_for(country).to_year_end else ends
