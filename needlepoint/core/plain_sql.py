"""Small helpers for the few hot reads written in plain SQL (see scheduling/calendar_reads.py).

They paper over what SQLite and PostgreSQL hand back differently, so callers get the
same Python values from either.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from django.db import connection
from django.db.models import Model


def rows(sql: str, params: Sequence[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def insert(
    table: str,
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    *,
    skip_duplicates: bool = False,
) -> None:
    """Insert rows in one statement; values already adapted for the database.

    ``skip_duplicates``: a row that would break a unique constraint is left out, the
    others go in (``ON CONFLICT DO NOTHING``, on both databases); any other broken
    constraint still refuses the statement.
    """
    row = f"({marks(columns)})"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(values))}"
    if skip_duplicates:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row_values in values for value in row_values])


def insert_new(instance: Model) -> None:
    """Save a new model instance in one plain INSERT, as ``Model.save`` would.

    Field defaults and ``auto_now_add`` apply as in the ORM; no signals are sent (the
    models saved this way have no receivers). For the booking hot path, where the ORM's
    query building cost more than the insert itself.
    """
    meta = instance._meta
    take_organisation = getattr(instance, "take_organisation", None)
    if take_organisation is not None:  # an OrganisationRow (core/models.py)
        take_organisation()
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    sql = f"INSERT INTO {meta.db_table} ({columns}) VALUES ({marks(values)})"
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(f"{sql} RETURNING {connection.ops.quote_name(meta.pk.column)}", values)
            instance.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql, values)
            instance.pk = cursor.lastrowid
    instance._state.adding, instance._state.db = False, connection.alias


def marks(values: Sequence[object]) -> str:
    """Placeholders for ``IN (…)``; ``NULL`` for none, which matches nothing."""
    return ", ".join(["%s"] * len(values)) or "NULL"


def from_json(value: Any) -> Any:
    """A JSON column's value: PostgreSQL decodes it, SQLite hands back the text."""
    return json.loads(value) if isinstance(value, str) else value


def as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def clock(column: str) -> str:
    """A time-of-day column, selected so that ``as_time`` reads it.

    Django converts SQLite's time text in Python, a regular expression per value, which
    was most of reading a week of shifts; SQLite hands back the text instead (an
    expression has no declared type to convert) and ``as_time`` parses it in C.
    """
    return f"{column} || ''" if connection.vendor == "sqlite" else column


def as_time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


def day(value: date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def instant(moment: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(moment)


def utc(moment: datetime) -> datetime:
    """A stored instant as an aware UTC datetime (SQLite hands them back naive, in UTC)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
