"""Small helpers for the few hot reads written in plain SQL (see scheduling/calendar_reads.py).

They paper over what SQLite and PostgreSQL hand back differently, so callers get the
same Python values from either.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any, TypeVar
from uuid import UUID

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model, QuerySet
from django.db.models.expressions import Col

M = TypeVar("M", bound=Model)
CACHED_PARAMETERS = 50  # psycopg's MAX_CACHED_STATEMENT_PARAMS
Converter = Callable[[Any, Col, BaseDatabaseWrapper], Any]
_inserts: weakref.WeakKeyDictionary[
    BaseDatabaseWrapper, dict[type[Model], tuple[list[Field[Any, Any]], str, bool]]
] = weakref.WeakKeyDictionary()
_converters: weakref.WeakKeyDictionary[
    BaseDatabaseWrapper, dict[type[Model], list[tuple[Col, list[Converter]]]]
] = weakref.WeakKeyDictionary()
_columns: dict[tuple[str, type[Model], str], str] = {}


def rows(sql: str, params: Sequence[Any]) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def columns(model: type[Model], alias: str) -> str:
    """Every column of ``model`` as ``alias.column``, in the order ``instance`` reads them."""
    key = (connection.vendor, model, alias)
    found = _columns.get(key)
    if found is None:  # written once per process: every signed-in request reads three models
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        found = _columns[key] = ", ".join(f"{alias}.{quote(field.column)}" for field in fields)
    return found


def instance(model: type[M], values: Sequence[Any]) -> M:
    """A saved ``model`` from the values of its ``columns``, converted as the ORM would.

    For the few lookups made on every request (an API token, a public page's location):
    the ORM spent longer building those statements than the database took to answer.
    """
    database = connections[DEFAULT_DB_ALIAS]
    by_model = _converters.setdefault(database, {})
    fields = by_model.get(model)
    if fields is None:
        columns = [field.get_col(model._meta.db_table) for field in model._meta.concrete_fields]
        fields = by_model[model] = [
            (column, database.ops.get_db_converters(column) + column.get_db_converters(database))
            for column in columns
        ]
    converted = []
    for (column, converters), value in zip(fields, values, strict=True):
        for convert in converters:
            value = convert(value, column, database)
        converted.append(value)
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(database.alias, names, converted)


def instances(row: Sequence[Any], *models: type[Model]) -> list[Model]:
    """One of each of ``models`` from a row selecting their ``columns`` one after another."""
    found: list[Model] = []
    start = 0
    for model in models:
        end = start + len(model._meta.concrete_fields)
        found.append(instance(model, row[start:end]))
        start = end
    return found


def prefetched(owner: Model, name: str, model: type[Model], found: list[Any]) -> None:
    """Give ``owner`` the rows ``found`` as ``prefetch_related(name)`` would: what
    ``owner.<name>.all()`` then returns, without a query."""
    rows: QuerySet[Any] = QuerySet(model)
    rows._result_cache = found
    rows._prefetch_done = True  # type: ignore[attr-defined]
    cache = owner.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[name] = rows


def insert(
    table: str,
    columns: Sequence[str],
    values: Sequence[Sequence[Any]],
    *,
    skip_duplicates: bool = False,
) -> None:
    """Insert rows; values already adapted for the database.

    ``skip_duplicates``: a row that would break a unique constraint is left out, the
    others go in (``ON CONFLICT DO NOTHING``, on both databases); any other broken
    constraint still refuses the statement. On PostgreSQL, in statements of at most
    ``CACHED_PARAMETERS`` values: psycopg parses a longer one afresh every time, which
    cost a quarter of a booking's CPU when its messages went in as one.
    """
    size = len(values)
    if connection.vendor == "postgresql":
        size = max(1, CACHED_PARAMETERS // len(columns))
    row = f"({marks(columns)})"
    with connection.cursor() as cursor:
        for first in range(0, len(values), size):
            chunk = values[first : first + size]
            sql = (
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(chunk))}"
            )
            if skip_duplicates:
                sql += " ON CONFLICT DO NOTHING"
            cursor.execute(sql, [value for row_values in chunk for value in row_values])


def insert_new(instance: Model) -> None:
    """Save a new model instance in one plain INSERT, as ``Model.save`` would.

    Field defaults and ``auto_now_add`` apply as in the ORM; no signals are sent (the
    models saved this way have no receivers). For the booking hot path, where the ORM's
    query building cost more than the insert itself.
    """
    take_organisation = getattr(instance, "take_organisation", None)
    if take_organisation is not None:  # an OrganisationRow (core/models.py)
        take_organisation()
    fields, sql, returning = _insert_of(type(instance))
    values = [
        field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    instance._state.adding, instance._state.db = False, connection.alias


def _insert_of(model: type[Model]) -> tuple[list[Field[Any, Any]], str, bool]:
    """``insert_new``'s fields and statement for ``model``, written once per database."""
    database = connections[DEFAULT_DB_ALIAS]
    by_model = _inserts.setdefault(database, {})
    found = by_model.get(model)
    if found is None:
        meta, quote = model._meta, database.ops.quote_name
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        columns = ", ".join(quote(field.column) for field in fields)
        sql = f"INSERT INTO {meta.db_table} ({columns}) VALUES ({marks(fields)})"
        returning = database.features.can_return_columns_from_insert
        if returning:
            sql += f" RETURNING {quote(meta.pk.column)}"
        found = by_model[model] = (fields, sql, returning)
    return found


def marks(values: Sequence[object]) -> str:
    """Placeholders for ``IN (…)``; ``NULL`` for none, which matches nothing."""
    return ", ".join(["%s"] * len(values)) or "NULL"


def from_json(value: Any) -> Any:
    """A JSON column's value: PostgreSQL decodes it, SQLite hands back the text."""
    return json.loads(value) if isinstance(value, str) else value


def uuid_value(value: UUID) -> Any:
    """A UUID as the database takes it (SQLite keeps 32 hex digits)."""
    return value if connection.features.has_native_uuid_field else value.hex


def uuid(value: UUID | str) -> UUID:
    """A UUID column's value (SQLite hands back its hex digits)."""
    return value if isinstance(value, UUID) else UUID(value)


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
