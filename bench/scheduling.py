"""The scheduling measures on the database DATABASE_URL names, each next to its baseline.

- Availability: ``available_slots`` for one service over 30 days at one location (staff
  channel, start day moving over 60 days), against a bare SQL read of the holds it needs:
  one ``SELECT resource_id, starts_at, ends_at`` per kind over the same window and ids.
- Booking: ``booking_create`` at the earliest free time after the previous booking,
  against a bare loop of plain INSERTs (a booking row and its three holds, one
  transaction each) on the same connection. Only the calls themselves are timed.

The two sides of each pair run on the same connection, interleaved or back to back, so
the ratio between them is what carries over to other machines.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from time import perf_counter

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.data import AFTER, NOW, REPROCESSING, VISIT, Place
from needlepoint.clients.models import Client
from needlepoint.core.setup_token import forget_kept_setup
from needlepoint.scheduling import calendar_reads
from needlepoint.scheduling.choices import BookingStatus, Channel, HoldKind
from needlepoint.scheduling.models import LONGEST_HOLD, Booking, Service
from needlepoint.scheduling.queries import _window, available_slots
from needlepoint.scheduling.services import booking_create

DAYS = 30
START_DAYS = 60  # the 30-day window's first day moves over this many days
PROFILED = 50  # calls run under cProfile, after the timed ones
WARM_UP = 10  # bookings (and bare inserts) made untimed first
READ_HOLDS = (
    "SELECT resource_id, {columns} FROM scheduling_hold"
    " WHERE active AND kind = %s AND resource_id IN ({ids})"
    " AND starts_at >= %s AND starts_at < %s AND ends_at > %s"
)
# The instants as the driver loads them in C: SQLite's stored UTC text (no declared type,
# so no Python converter), PostgreSQL's UTC wall times (psycopg's own C loader; Django's
# loader for aware instants runs in Python).
INSTANTS = {
    "sqlite": "starts_at || '', ends_at || ''",
    "postgresql": "starts_at AT TIME ZONE 'UTC', ends_at AT TIME ZONE 'UTC'",
}
INSERT_BOOKING = (
    "INSERT INTO scheduling_booking (organisation_id, public_id, location_id, client_id,"
    " service_id, practitioner_id, room_id, device_id, starts_at, ends_at, status, channel,"
    " version, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 1, %s)"
    " RETURNING id"
)
INSERT_HOLDS = (
    "INSERT INTO scheduling_hold (organisation_id, booking_id, kind, resource_id, starts_at,"
    " ends_at, active) VALUES (%s, %s, %s, %s, %s, %s, %s), (%s, %s, %s, %s, %s, %s, %s),"
    " (%s, %s, %s, %s, %s, %s, %s)"
)
BARE_FROM = datetime(2031, 1, 6, 9, tzinfo=NOW.tzinfo)  # an empty stretch of calendar
BARE_IDS = 1 << 120  # public ids of the bare rows: fixed, unlike uuid4


AVAILABILITY_STAGES = {
    "available_slots": ("scheduling/queries.py", "available_slots"),
    "holds read and converted (holds)": ("scheduling/calendar_reads.py", "holds"),
    "shifts, exceptions, time off (_practitioners)": ("scheduling/queries.py", "_practitioners"),
    "in-memory search (free_slots)": ("scheduling/slots.py", "free_slots"),
}
BOOKING_STAGES = {
    "booking_create": ("scheduling/services.py", "booking_create"),
    "clinical gate (screening, interval)": ("scheduling/services.py", "clinical_gate"),
    "the requested start checked (_find_slot)": ("scheduling/services.py", "_find_slot"),
    "holds written (_hold)": ("scheduling/services.py", "_hold"),
    "booking event row (_event)": ("scheduling/services.py", "_event"),
}
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


def timed(action: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    began = perf_counter()
    action()
    return (perf_counter() - began) * 1000


def summary(times: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "mean": statistics.fmean(times), "n": len(times)}


def service_of(place: Place) -> Service:
    """The service as a view would load it: one row, with its location."""
    return Service.objects.select_related("location").get(pk=place.service.pk)


def profile(
    calls: Iterable[Callable[[], object]], stages: dict[str, tuple[str, str]]
) -> dict[str, object]:
    """Statements per call, and cProfile's per-call milliseconds for each named stage.

    The first stage is the whole call; the rest are parts of it. cProfile slows Python
    code more than waiting on the database, so read the shares, not the milliseconds.
    """
    pending = iter(calls)  # each call is made only when its turn comes
    first = next(pending)
    with CaptureQueriesContext(connection) as captured:
        first()
    profiler, runs = cProfile.Profile(), 0
    for call in pending:
        profiler.runcall(call)
        runs += 1
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    statements = [query["sql"].upper() for query in captured.captured_queries]
    return {
        "statements": sum(not sql.startswith(TRANSACTION_CONTROL) for sql in statements),
        "runs": runs,
        "stages": {
            label: cumulative_seconds(stats, *where) / runs * 1000
            for label, where in stages.items()
        },
    }


def cumulative_seconds(stats: dict, suffix: str, function: str) -> float:
    """Time spent in (and below) ``function`` of the file ending in ``suffix``."""
    return sum(
        row[3]
        for (path, _, name), row in stats.items()
        if path.endswith(suffix) and name == function
    )


# --- availability -------------------------------------------------------------------------


def measure_availability(place: Place, calls: int) -> dict[str, object]:
    service = service_of(place)
    first = NOW.astimezone(service.location.zone).date()
    days = [first + timedelta(days=n % START_DAYS) for n in range(calls)]
    ids = resource_ids(service)
    for day in days[:WARM_UP]:  # warm up: connection, caches, code paths
        slots(service, day)
        bare_read(service, ids, day)
    slot_times, cold_times, read_times = [], [], []
    for day in days:  # interleaved, so drift hits every side alike
        slot_times.append(timed(lambda day=day: slots(service, day)))
        cold_times.append(timed(lambda day=day: slots_after_a_set_up_change(service, day)))
        read_times.append(timed(lambda day=day: bare_read(service, ids, day)))
    return {
        "availability": summary(slot_times),
        "availability_cold": summary(cold_times),
        "bare_read": summary(read_times),
        "free_starts": len(slots(service, first)),
        "holds_read": bare_read(service, ids, first),
    }


def slots(service: Service, first_day: date) -> list:
    last_day = first_day + timedelta(days=DAYS - 1)
    return available_slots(service, first_day, last_day, now=NOW, channel=Channel.STAFF)


def slots_after_a_set_up_change(service: Service, first_day: date) -> list:
    """The search as the first one after staff, rooms or hours change: set-up read afresh."""
    forget_kept_setup()
    return slots(service, first_day)


def resource_ids(service: Service) -> dict[str, list[int]]:
    """The practitioners, rooms and pens availability reads holds for (its own choice)."""
    return {
        HoldKind.PRACTITIONER: calendar_reads.qualified_staff(
            service.pk, service.location_id, None
        ),
        HoldKind.ROOM: calendar_reads.rooms(service.location_id, None),
        HoldKind.DEVICE: [
            pk
            for pk, _, _ in calendar_reads.devices(service.location_id, service.device_kind, None)
        ],
    }


def bare_read(service: Service, ids: dict[str, list[int]], first_day: date) -> int:
    """The holds availability needs, in one plain statement, each row as the driver loads
    it (no conversion in Python); returns how many rows came back."""
    last_day = first_day + timedelta(days=DAYS - 1)
    start, end = _window(service.location.zone, first_day, last_day, service)
    bounds = [
        connection.ops.adapt_datetimefield_value(moment)
        for moment in (start - LONGEST_HOLD, end, start)
    ]
    columns = INSTANTS[connection.vendor]
    statement = " UNION ALL ".join(
        READ_HOLDS.format(columns=columns, ids=", ".join(["%s"] * len(keys)))
        for keys in ids.values()
    )
    params = [value for kind, keys in ids.items() for value in (kind, *keys, *bounds)]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return len(cursor.fetchall())


def profile_availability(place: Place, calls: int) -> dict[str, object]:
    service = service_of(place)
    first = NOW.astimezone(service.location.zone).date()
    days = [first + timedelta(days=n % START_DAYS) for n in range(calls)]
    return profile([lambda day=day: slots(service, day) for day in days], AVAILABILITY_STAGES)


# --- booking ------------------------------------------------------------------------------


def measure_booking(place: Place, clients: list[Client]) -> dict[str, object]:
    """``booking_create`` and the bare INSERT loop, interleaved; then cProfile over a few more.

    The first ``WARM_UP`` clients warm both paths up untimed; the last ``PROFILED`` are
    booked under the profiler. The next free start is found before the clock starts.
    """
    service = service_of(place)
    starts = free_starts(service)

    def book(client: Client) -> Callable[[], object]:
        start = next(starts)
        return lambda: booking_create(
            client=client, service=service, starts_at=start, channel=Channel.STAFF, now=NOW
        )

    service_times, bare_times = [], []
    for n, client in enumerate(clients[:-PROFILED]):
        made = timed(book(client))
        bare = timed(lambda n=n, client=client: bare_insert(place, client, n))
        if n >= WARM_UP:
            service_times.append(made)
            bare_times.append(bare)
    return {
        "booking": summary(service_times) | rate(service_times),
        "bare_insert": summary(bare_times) | rate(bare_times),
        "booking_profile": profile(
            (book(client) for client in clients[-PROFILED:]), BOOKING_STAGES
        ),
    }


def rate(times: list[float]) -> dict[str, float]:
    return {"per_second": len(times) / (sum(times) / 1000)}


def free_starts(service: Service) -> Iterator[datetime]:
    """The earliest free start after the last one given, read again after each booking."""
    day, after = NOW.astimezone(service.location.zone).date(), NOW
    while True:
        later = [slot.start for slot in slots_on(service, day) if slot.start > after]
        if later:
            after = later[0]
            yield after
        else:
            day += timedelta(days=1)


def slots_on(service: Service, day: date) -> list:
    return available_slots(service, day, day, now=NOW, channel=Channel.STAFF)


def bare_insert(place: Place, client: Client, n: int) -> None:
    """What a booking writes at least: the row and its three holds, in one transaction."""
    moment = connection.ops.adapt_datetimefield_value
    start = BARE_FROM + n * 2 * VISIT
    public_id = Booking._meta.get_field("public_id").get_db_prep_value(
        uuid.UUID(int=BARE_IDS + n), connection
    )
    organisation = place.location.organisation_id
    booking = [
        *(organisation, public_id, place.location.pk, client.pk, place.service.pk),
        *(place.practitioners[0], place.rooms[0], place.pens[0]),
        *(moment(start), moment(start + VISIT), BookingStatus.BOOKED.value),
        *(Channel.STAFF.value, moment(NOW)),
    ]
    holds = [
        (HoldKind.PRACTITIONER.value, place.practitioners[0], start + VISIT + AFTER),
        (HoldKind.ROOM.value, place.rooms[0], start + VISIT + AFTER),
        (HoldKind.DEVICE.value, place.pens[0], start + VISIT + REPROCESSING),
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(INSERT_BOOKING, booking)
        booking_id = cursor.fetchone()[0]
        cursor.execute(
            INSERT_HOLDS,
            [
                value
                for kind, resource, end in holds
                for value in (
                    organisation,
                    *(booking_id, kind, resource, moment(start), moment(end), True),
                )
            ],
        )
