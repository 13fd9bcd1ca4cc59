"""Small helpers for the few hot reads written in plain SQL (see scheduling/calendar_reads.py).

They paper over what SQLite and PostgreSQL hand back differently, so callers get the
same Python values from either.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from django.db import connection


def rows(sql: str, params: Sequence[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def marks(values: Sequence[object]) -> str:
    """Placeholders for ``IN (…)``; ``NULL`` for none, which matches nothing."""
    return ", ".join(["%s"] * len(values)) or "NULL"


def from_json(value: Any) -> Any:
    """A JSON column's value: PostgreSQL decodes it, SQLite hands back the text."""
    return json.loads(value) if isinstance(value, str) else value


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def day(value: date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def instant(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def utc(moment: datetime) -> datetime:
    """A stored instant as an aware UTC datetime (SQLite hands them back naive, in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
