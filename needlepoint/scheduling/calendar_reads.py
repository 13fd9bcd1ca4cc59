"""The reads behind every availability search and booking check, in plain SQL.

Availability is the hottest path in the product: each public booking page, each time
picked and each booking made runs it. On the ORM each of these small statements costs
about 0.8 ms of query building and row conversion against 0.03 ms in plain SQL (measured
on the benchmark machine), which made the ORM, not the database, most of the search.
So these few reads are written out by hand, return plain values, and are tested through
``available_slots`` on SQLite and PostgreSQL alike. Everything else uses the ORM.

Inside ``setup_snapshot()`` (each search and each booking opens one) the set-up reads
are kept per process under the database's set-up token (``core/setup_token.py``): the
next search reads only the token and the holds until staff, rooms, devices, hours,
shifts or time off change anywhere.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple
from uuid import UUID

from django.db import connection

from needlepoint.accounts.access import visible_locations_where
from needlepoint.clinics.choices import DeviceStatus
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core import plain_sql
from needlepoint.core.setup_token import kept_under_token
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import LONGEST_HOLD

Interval = tuple[datetime, datetime]
UNIXEPOCH = sqlite3.sqlite_version_info >= (3, 38)  # SQLite's unixepoch() is there


@kept_under_token
def qualified_staff(service_id: int, location_id: int, only: int | None) -> list[int]:
    """Active practitioners offering the service who work at the location, by id."""
    sql = (
        "SELECT s.id FROM clinics_staffmember s"
        " JOIN scheduling_service_practitioners sp ON sp.staffmember_id = s.id"
        " JOIN clinics_staffmember_locations sl ON sl.staffmember_id = s.id"
        " WHERE sp.service_id = %s AND sl.location_id = %s AND s.is_active"
    )
    found = plain_sql.rows(*_narrowed(sql, [service_id, location_id], "s.id", only))
    return [row[0] for row in found]


@kept_under_token
def rooms(location_id: int, only: int | None) -> list[int]:
    sql = "SELECT id FROM clinics_room WHERE location_id = %s AND is_active"
    return [row[0] for row in plain_sql.rows(*_narrowed(sql, [location_id], "id", only))]


@kept_under_token
def devices(location_id: int, kind: str, only: int | None) -> list[tuple[int, bool, int]]:
    """Each device of the kind: id, whether it is in service, reprocessing minutes."""
    sql = (
        "SELECT id, status, reprocessing_minutes FROM clinics_device"
        " WHERE location_id = %s AND kind = %s"
    )
    return [
        (pk, status == DeviceStatus.IN_SERVICE, minutes)
        for pk, status, minutes in plain_sql.rows(*_narrowed(sql, [location_id, kind], "id", only))
    ]


@kept_under_token
def opening_hours(location_id: int) -> list[tuple[int, time, time]]:
    clock, as_time = plain_sql.clock, plain_sql.as_time
    rows = plain_sql.rows(
        f"SELECT weekday, {clock('opens')}, {clock('closes')} FROM clinics_openinghours"
        " WHERE location_id = %s",
        [location_id],
    )
    return [(weekday, as_time(opens), as_time(closes)) for weekday, opens, closes in rows]


@kept_under_token
def closures(location_id: int, first_day: date, last_day: date) -> list[tuple[date, date]]:
    return plain_sql.rows(
        "SELECT starts_on, ends_on FROM clinics_closure"
        " WHERE location_id = %s AND starts_on <= %s AND ends_on >= %s",
        [location_id, plain_sql.day(last_day), plain_sql.day(first_day)],
    )


@kept_under_token
def working_periods(staff: Sequence[int], location_id: int) -> list[tuple[int, int, time, time]]:
    clock, as_time = plain_sql.clock, plain_sql.as_time
    rows = plain_sql.rows(
        f"SELECT staff_id, weekday, {clock('starts')}, {clock('ends')}"
        " FROM scheduling_workingperiod"
        f" WHERE location_id = %s AND staff_id IN ({plain_sql.marks(staff)})",
        [location_id, *staff],
    )
    return [(pk, weekday, as_time(starts), as_time(ends)) for pk, weekday, starts, ends in rows]


@kept_under_token
def shift_exceptions(
    staff: Sequence[int], location_id: int, first_day: date, last_day: date
) -> list[tuple[int, date, time | None, time | None]]:
    clock, as_time = plain_sql.clock, plain_sql.as_time
    rows = plain_sql.rows(
        f'SELECT staff_id, "on", {clock("starts")}, {clock("ends")}'
        " FROM scheduling_shiftexception"
        f" WHERE location_id = %s AND staff_id IN ({plain_sql.marks(staff)})"
        ' AND "on" >= %s AND "on" <= %s',
        [location_id, *staff, plain_sql.day(first_day), plain_sql.day(last_day)],
    )
    return [
        (pk, plain_sql.as_date(on), _maybe(starts, as_time), _maybe(ends, as_time))
        for pk, on, starts, ends in rows
    ]


@kept_under_token
def time_off(staff: Sequence[int], window: Interval) -> list[tuple[int, datetime, datetime]]:
    rows = plain_sql.rows(
        "SELECT staff_id, starts_at, ends_at FROM scheduling_timeoff"
        f" WHERE staff_id IN ({plain_sql.marks(staff)}) AND starts_at < %s AND ends_at > %s",
        [*staff, plain_sql.instant(window[1]), plain_sql.instant(window[0])],
    )
    return [(staff_id, plain_sql.utc(start), plain_sql.utc(end)) for staff_id, start, end in rows]


def holds(
    wanted: Sequence[tuple[str, Sequence[int]]], window: Interval, leaving_out: int | None = None
) -> list[tuple[str, int, int, int]]:
    """Active holds on the given resources of each kind that overlap ``window``, but for
    booking ``leaving_out``'s own (a booking being moved doesn't stand in its own way):
    kind, resource id, and start and end as whole microseconds since the Unix epoch.

    No hold lasts longer than ``LONGEST_HOLD``, so only those starting that much before
    the window are read: a range on the index by start time.
    """
    wanted = [(kind, ids) for kind, ids in wanted if ids]
    if not wanted:
        return []
    # Building an aware datetime per value (Django's converters run in Python) was most of
    # this read, and the search works in microseconds anyway: the database counts them.
    columns = f"{_epoch_micros('starts_at')}, {_epoch_micros('ends_at')}"
    sql = " UNION ALL ".join(
        f"SELECT kind, resource_id, {columns} FROM scheduling_hold"
        f" WHERE active AND kind = %s AND resource_id IN ({plain_sql.marks(ids)})"
        " AND starts_at >= %s AND starts_at < %s AND ends_at > %s"
        + ("" if leaving_out is None else " AND booking_id <> %s")
        for _, ids in wanted
    )
    start, end = window
    bounds = [plain_sql.instant(moment) for moment in (start - LONGEST_HOLD, end, start)]
    if leaving_out is not None:
        bounds.append(leaving_out)
    return plain_sql.rows(sql, [value for kind, ids in wanted for value in (kind, *ids, *bounds)])


def _epoch_micros(column: str) -> str:
    """An instant column as whole microseconds since the Unix epoch, counted exactly."""
    if connection.vendor != "sqlite":
        return f"(EXTRACT(EPOCH FROM {column}) * 1000000)::bigint"
    # SQLite keeps UTC text, 'YYYY-MM-DD HH:MM:SS' and '.ffffff' when there are
    # microseconds. unixepoch() counts the seconds far faster than strftime('%s') (written
    # '%%s' here: the statement goes through the driver's %s placeholders).
    seconds = f"unixepoch({column})" if UNIXEPOCH else f"CAST(strftime('%%s', {column}) AS INTEGER)"
    return f"({seconds} * 1000000 + CAST(substr({column}, 21) AS INTEGER))"


def _maybe(value: Any, parse: Any) -> Any:
    return None if value is None else parse(value)


def _narrowed(sql: str, params: list[Any], column: str, only: int | None) -> tuple[str, list[Any]]:
    """The statement limited to one row when ``only`` names it, ordered by ``column``."""
    if only is not None:
        sql, params = f"{sql} AND {column} = %s", [*params, only]
    return f"{sql} ORDER BY {column}", params


class PlannedSession(NamedTuple):
    starts_at: datetime
    time_zone: str
    name: str
    area: str
    indication: str


def planned_sessions(client_id: int, leaving_out: Sequence[int]) -> list[PlannedSession]:
    """The client's booked (not yet done) treatments on an area, but for ``leaving_out``.

    A visit checked in whose chart already has a zone needled is in the client's
    history as a session; it is left out here so that it is not counted twice.
    """
    sql = (
        "SELECT b.starts_at, l.time_zone, s.name, s.area, s.indication"
        " FROM scheduling_booking b"
        " JOIN scheduling_service s ON s.id = b.service_id"
        " JOIN clinics_location l ON l.id = b.location_id"
        " WHERE b.client_id = %s AND b.status IN (%s, %s) AND s.area <> ''"
        " AND NOT EXISTS (SELECT 1 FROM treatments_treatmentsession t"
        " JOIN treatments_zonetreatment z ON z.session_id = t.id WHERE t.booking_id = b.id)"
    )
    if leaving_out:
        sql += f" AND b.id NOT IN ({plain_sql.marks(leaving_out)})"
    rows = plain_sql.rows(
        sql, [client_id, BookingStatus.BOOKED.value, BookingStatus.CHECKED_IN.value, *leaving_out]
    )
    return [PlannedSession(plain_sql.utc(start), *rest) for start, *rest in rows]


class Visit(NamedTuple):
    """A booking as the staff calendar draws it: its times, whose it is, and the names shown."""

    public_id: str
    status: str
    starts_at: datetime
    ends_at: datetime
    practitioner_id: int
    room_id: int | None
    service_id: int
    service: str
    client: str
    practitioner: str  # the practitioner's full name
    practitioner_title: str  # their name as a column head: the full name, else the email
    room: str


def calendar_visits(location_id: int, window: Interval) -> list[Visit]:
    """The location's bookings overlapping ``window`` but the cancelled ones, by start.

    A visit lies inside its holds, which last at most ``LONGEST_HOLD``, so only bookings
    starting that much before the window are read: a range on the location's index by
    start time, however long the history. Plain SQL for the reason above: on the ORM,
    building the query and five model instances per visit was most of the day calendar.
    """
    as_text = connection.vendor == "sqlite"
    times = (
        "b.starts_at || '+00:00', b.ends_at || '+00:00'"
        if as_text
        else "b.starts_at AT TIME ZONE 'UTC', b.ends_at AT TIME ZONE 'UTC'"
    )
    rows = plain_sql.rows(
        f"SELECT b.public_id, b.status, {times}, b.practitioner_id, b.room_id, b.service_id,"
        " v.name, c.first_name, c.last_name, u.full_name, u.email, r.name"
        " FROM scheduling_booking b"
        " JOIN scheduling_service v ON v.id = b.service_id"
        " JOIN clients_client c ON c.id = b.client_id"
        " JOIN clinics_staffmember s ON s.id = b.practitioner_id"
        " JOIN accounts_user u ON u.id = s.user_id"
        " LEFT JOIN clinics_room r ON r.id = b.room_id"
        " WHERE b.location_id = %s AND b.starts_at >= %s AND b.starts_at < %s"
        " AND b.ends_at > %s AND b.status <> %s"
        " ORDER BY b.starts_at, b.id",
        [
            location_id,
            plain_sql.instant(window[0] - LONGEST_HOLD),
            plain_sql.instant(window[1]),
            plain_sql.instant(window[0]),
            BookingStatus.CANCELLED.value,
        ],
    )

    def parse(at: Any) -> datetime:
        return datetime.fromisoformat(at) if as_text else at.replace(tzinfo=UTC)

    return [
        Visit(
            str(UUID(str(public_id))),
            status,
            parse(starts),
            parse(ends),
            practitioner_id,
            room_id,
            service_id,
            service,
            f"{first_name} {last_name}",
            full_name,
            full_name or email,
            room or "",
        )
        for (
            public_id,
            status,
            starts,
            ends,
            practitioner_id,
            room_id,
            service_id,
            service,
            first_name,
            last_name,
            full_name,
            email,
            room,
        ) in rows
    ]


def calendar_staff(location_id: int) -> list[tuple[int, str]]:
    """The location's active practitioners who offer a service, by name: id and column head."""
    rows = plain_sql.rows(
        "SELECT DISTINCT s.id, u.full_name, u.email FROM clinics_staffmember s"
        " JOIN accounts_user u ON u.id = s.user_id"
        " JOIN clinics_staffmember_locations sl ON sl.staffmember_id = s.id"
        " JOIN scheduling_service_practitioners sp ON sp.staffmember_id = s.id"
        " WHERE sl.location_id = %s AND s.is_active"
        " ORDER BY u.full_name, s.id",
        [location_id],
    )
    return [(pk, full_name or email) for pk, full_name, email in rows]


@kept_under_token
def calendar_rooms(location_id: int) -> list[tuple[int, str]]:
    """The location's active rooms in the room view's order: id and column head."""
    return plain_sql.rows(
        "SELECT id, name FROM clinics_room WHERE location_id = %s AND is_active ORDER BY name, id",
        [location_id],
    )


def visible_location(staff: StaffMember, slug: str) -> Location | None:
    """The location by its slug if ``staff`` may see it (``visible_locations``' rule), read
    afresh each time (staff move)."""
    where, params = visible_locations_where(staff, "l")
    found = plain_sql.rows(
        f"SELECT {plain_sql.columns(Location, 'l')} FROM clinics_location l"
        f" WHERE l.slug = %s AND {where}",
        [slug, *params],
    )
    return plain_sql.instance(Location, found[0]) if found else None
