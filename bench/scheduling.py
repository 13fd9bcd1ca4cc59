"""Scheduling benchmark for one database (the one DATABASE_URL names); prints one JSON line.

A chain of 3 locations, 20 practitioners, 8 rooms, 12 pens and 50,000 existing
bookings. Measured in the same run, each next to a baseline doing the least the
database must do for the same answer:

- availability for one service over 30 days at one location (200 calls), next to a
  bare SQL read of the holds that availability needs;
- 1,000 bookings through ``booking_create``, next to a bare INSERT loop writing the same
  rows (a booking and its three holds, one transaction each).
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import statistics
import sys
import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlepoint.settings")
django.setup()

from django.core.management import call_command
from django.db import connection, transaction

from needlepoint.accounts.models import User
from needlepoint.clients.models import Client
from needlepoint.clinics.models import (
    Device,
    Location,
    OpeningHours,
    Organisation,
    Room,
    StaffMember,
)
from needlepoint.scheduling.choices import Channel, HoldKind
from needlepoint.scheduling.models import Booking, Hold, Service, WorkingPeriod
from needlepoint.scheduling.queries import available_slots
from needlepoint.scheduling.services import booking_create

NOW = datetime(2026, 11, 23, 7, tzinfo=UTC)
BOOKINGS = 50_000
LOCATIONS = [
    ("Brighton", "Europe/London", 7, 3, 4),
    ("Hove", "Europe/London", 7, 3, 4),
    ("Brooklyn", "America/New_York", 6, 2, 4),
]
SLOT_STARTS = [
    time(9),
    time(10, 15),
    time(11, 30),
    time(12, 45),
    time(14),
    time(15, 15),
    time(16, 30),
]


def build() -> tuple[Service, list[Client]]:
    organisation = Organisation.objects.create(name="Bench Chain", slug="bench")
    User.objects.bulk_create(
        User(email=f"p{n}@bench.test", full_name=f"Practitioner {n}") for n in range(20)
    )
    users = iter(User.objects.order_by("pk"))
    services, resources = [], []
    for name, zone, staff_count, room_count, pen_count in LOCATIONS:
        location = Location.objects.create(
            organisation=organisation, name=name, slug=name.lower(), time_zone=zone
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=d, opens=time(9), closes=time(18))
            for d in range(5)
        )
        rooms = [
            Room.objects.create(location=location, name=f"Room {n}") for n in range(room_count)
        ]
        pens = [
            Device.objects.create(
                location=location, kind="pen", name=f"Pen {n}", serial_number=f"{name}-{n}"
            )
            for n in range(pen_count)
        ]
        staff = [
            StaffMember.objects.create(
                user=next(users), organisation=organisation, role="practitioner"
            )
            for _ in range(staff_count)
        ]
        service = Service.objects.create(
            location=location,
            name="Face",
            kind="treatment",
            area="area.face",
            indication="ind.acne_scars",
            numbing_minutes=30,
            duration_minutes=30,
            buffer_after_minutes=10,
            price=180,
            device_kind="pen",
        )
        service.practitioners.set(staff)
        for member in staff:
            member.locations.add(location)
            WorkingPeriod.objects.bulk_create(
                WorkingPeriod(
                    staff=member, location=location, weekday=d, starts=time(9), ends=time(18)
                )
                for d in range(5)
            )
        services.append(service)
        resources.append((location, service, staff, rooms, pens))
    Client.objects.bulk_create(
        Client(
            organisation=organisation,
            first_name="C",
            last_name=str(n),
            date_of_birth=date(1990, 1, 1),
        )
        for n in range(2000)
    )
    clients = list(Client.objects.order_by("pk"))
    existing_bookings(resources, clients)
    return services[0], clients


def existing_bookings(resources: list, clients: list[Client]) -> None:
    """50,000 bookings on weekdays from 2022 into 2027, about 70% full, never overlapping."""
    rng = random.Random(7)
    day, made = date(2022, 5, 2), 0
    while made < BOOKINGS:
        if day.weekday() < 5:
            rows = []
            for location, service, staff, rooms, pens in resources:
                zone = ZoneInfo(location.time_zone)
                for start_time in SLOT_STARTS:
                    start = datetime.combine(day, start_time, tzinfo=zone)
                    for member, room, pen in zip(staff, rooms, pens, strict=False):
                        if rng.random() < 0.7:
                            rows.append((location, service, member, room, pen, start))
            made += insert(rows[: BOOKINGS - made], clients, made)
        day += timedelta(days=1)


def insert(rows: list, clients: list[Client], offset: int) -> int:
    with transaction.atomic():
        bookings = Booking.objects.bulk_create(
            Booking(
                location=place,
                client=clients[(offset + i) % len(clients)],
                service=s,
                practitioner=m,
                room=r,
                device=p,
                starts_at=t,
                ends_at=t + timedelta(hours=1),
                channel=Channel.STAFF,
            )
            for i, (place, s, m, r, p, t) in enumerate(rows)
        )
        Hold.objects.bulk_create(hold for booking in bookings for hold in holds_for(booking))
    return len(rows)


def holds_for(booking: Booking) -> list[Hold]:
    start, end = booking.starts_at, booking.ends_at
    return [
        Hold(
            booking=booking,
            kind=HoldKind.PRACTITIONER,
            resource_id=booking.practitioner_id,
            starts_at=start,
            ends_at=end + timedelta(minutes=10),
        ),
        Hold(
            booking=booking,
            kind=HoldKind.ROOM,
            resource_id=booking.room_id,
            starts_at=start,
            ends_at=end + timedelta(minutes=10),
        ),
        Hold(
            booking=booking,
            kind=HoldKind.DEVICE,
            resource_id=booking.device_id,
            starts_at=start,
            ends_at=end + timedelta(minutes=15),
        ),
    ]


def timed(action, repeat: int) -> list[float]:
    times = []
    for n in range(repeat):
        began = clock.perf_counter()
        action(n)
        times.append((clock.perf_counter() - began) * 1000)
    return times


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50": statistics.median(ordered),
        "p95": ordered[int(len(ordered) * 0.95) - 1],
        "mean": statistics.fmean(ordered),
    }


def measure_availability(service: Service) -> dict[str, object]:
    first = date(2026, 11, 23)
    location = service.location
    staff = list(service.practitioners.values_list("pk", flat=True))
    rooms = list(location.rooms.values_list("pk", flat=True))
    pens = list(location.devices.values_list("pk", flat=True))

    def availability(n: int) -> None:
        day = first + timedelta(days=n % 60)
        available_slots(service, day, day + timedelta(days=29), now=NOW, channel=Channel.STAFF)

    def bare_read(n: int) -> None:
        day = first + timedelta(days=n % 60)
        start = datetime.combine(day, time.min, tzinfo=UTC) - timedelta(days=1)
        end = start + timedelta(days=32)
        with connection.cursor() as cursor:
            for kind, ids in (
                (HoldKind.PRACTITIONER, staff),
                (HoldKind.ROOM, rooms),
                (HoldKind.DEVICE, pens),
            ):
                marks = ",".join(["%s"] * len(ids))
                cursor.execute(
                    f"SELECT resource_id, starts_at, ends_at FROM scheduling_hold WHERE active AND kind = %s "
                    f"AND resource_id IN ({marks}) AND ends_at > %s AND starts_at < %s",
                    [kind, *ids, start, end],
                )
                cursor.fetchall()

    slots = len(
        available_slots(service, first, first + timedelta(days=29), now=NOW, channel=Channel.STAFF)
    )
    timed(availability, 5), timed(bare_read, 5)  # warm caches and connections
    return {
        "availability": summary(timed(availability, 200)),
        "bare_read": summary(timed(bare_read, 200)),
        "slots_30_days": slots,
    }


def measure_booking(service: Service, clients: list[Client]) -> dict[str, object]:
    starts = free_grid(service.location, date(2028, 1, 3), 1000)  # beyond the existing bookings
    began = clock.perf_counter()
    for n, start in enumerate(starts):
        booking_create(
            client=clients[n], service=service, starts_at=start, channel=Channel.STAFF, now=NOW
        )
    service_seconds = clock.perf_counter() - began
    location, member, room, pen = (
        service.location,
        service.practitioners.first(),
        service.location.rooms.first(),
        service.location.devices.first(),
    )
    start = datetime(2029, 1, 1, 9, tzinfo=UTC)
    began = clock.perf_counter()
    for n in range(len(starts)):
        at = start + timedelta(hours=2 * n)
        with transaction.atomic():
            booking = Booking.objects.create(
                location=location,
                client=clients[n],
                service=service,
                practitioner=member,
                room=room,
                device=pen,
                starts_at=at,
                ends_at=at + timedelta(hours=1),
                channel=Channel.STAFF,
            )
            Hold.objects.bulk_create(holds_for(booking))
    bare_seconds = clock.perf_counter() - began
    count = len(starts)
    return {
        "count": count,
        "service_per_s": count / service_seconds,
        "bare_per_s": count / bare_seconds,
    }


def free_grid(location: Location, first: date, count: int) -> list[datetime]:
    """Starts that fit together: three visits (one per room) at each 75-minute step of a weekday."""
    zone, starts, day = ZoneInfo(location.time_zone), [], first
    while len(starts) < count:
        if day.weekday() < 5:
            starts += [
                datetime.combine(day, at, tzinfo=zone) for at in SLOT_STARTS for _ in range(3)
            ]
        day += timedelta(days=1)
    return starts[:count]


def pg_version() -> str:
    number = connection.pg_version  # e.g. 150020
    return f"{number // 10000}.{number % 100}"


def main() -> None:
    call_command("migrate", verbosity=0)
    began = clock.perf_counter()
    service, clients = build()
    built = clock.perf_counter() - began
    result = {
        "vendor": connection.vendor,
        "version": pg_version() if connection.vendor == "postgresql" else sqlite3.sqlite_version,
        "bookings": Booking.objects.count(),
        "holds": Hold.objects.count(),
        "build_seconds": built,
        **measure_availability(service),
        "booking": measure_booking(service, clients),
    }
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
