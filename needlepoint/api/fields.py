"""Input types that refuse, with a 422, what the database or the calendar can't hold."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, StringConstraints

FIRST_YEAR, LAST_YEAR = 1900, 2200


def _storable(value: str) -> str:
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode()
    except UnicodeEncodeError as error:
        raise ValueError("must be valid Unicode text") from error
    return value


def _plausible_date(value: date) -> date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"must be between {FIRST_YEAR} and {LAST_YEAR}")
    return value


def _plausible_instant(value: datetime) -> datetime:
    """In UTC: an offset Python accepts (up to ±24 h) may be one PostgreSQL refuses (±15:59)."""
    _plausible_date(value.date())
    return value.astimezone(UTC)


Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    AfterValidator(_storable),
]
Email = Annotated[str, StringConstraints(max_length=254), AfterValidator(_storable)]
Phone = Annotated[str, StringConstraints(max_length=40), AfterValidator(_storable)]
Note = Annotated[str, StringConstraints(max_length=500), AfterValidator(_storable)]
Search = Annotated[str, StringConstraints(max_length=100), AfterValidator(_storable)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.]{0,63}$")]
"""A rules key, e.g. ``ci.pregnancy`` or ``zone.cheeks``."""
Day = Annotated[date, AfterValidator(_plausible_date)]
Instant = Annotated[AwareDatetime, AfterValidator(_plausible_instant)]
"""A date and time with its UTC offset, e.g. ``2027-03-02T10:00:00Z``."""
