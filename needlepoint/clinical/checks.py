"""Small validators shared by the public functions."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal

from needlepoint.clinical.errors import InvalidDepth, InvalidValue
from needlepoint.clinical.rules import MAX_DEPTH_MM


def require_date(value: object, what: str) -> date:
    """`value` if it is a calendar date (not a datetime), else InvalidValue."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidValue(f"{what} must be a date, not {value!r}.")
    return value


def require_depth(value: object, what: str = "Depth") -> float:
    """A depth in mm as a float: a number above 0 and at most 5, else InvalidDepth."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise InvalidDepth(f"{what} must be a number of mm, not {value!r}.")
    depth = float(value)
    if math.isnan(depth) or not 0 < depth <= MAX_DEPTH_MM:
        raise InvalidDepth(
            f"{what} must be above 0 mm and at most {MAX_DEPTH_MM:g} mm, not {value}."
        )
    return depth


def require_positive(value: object, what: str, *, whole: bool = False) -> float:
    """A finite number above 0 (a whole number when `whole`), else InvalidValue."""
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is None or (whole and not isinstance(number, int)):
        raise InvalidValue(f"{what} must be a {'whole ' if whole else ''}number, not {value!r}.")
    if not math.isfinite(number) or number <= 0:
        raise InvalidValue(f"{what} must be above 0, not {value}.")
    return float(number)
