"""One database's run, in a process of its own: ``python -m bench.child`` (``python -m bench`` starts it).

Settings read DATABASE_URL when they load, so each database needs a fresh process. This
one migrates the empty database, builds the chain, measures, and prints one JSON line
on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from time import perf_counter


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.child")
    parser.add_argument("--bookings", type=int, required=True)
    parser.add_argument("--calls", type=int, required=True)
    parser.add_argument("--book", type=int, required=True)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--deposits", type=int, default=60)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "needlepoint.settings")
    import django

    django.setup()
    json.dump(run(args.bookings, args.calls, args.book, args.renders, args.deposits), sys.stdout)
    print()


def log(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def run(bookings: int, calls: int, book: int, renders: int, deposits: int) -> dict[str, object]:
    from django.core.management import call_command

    from bench.data import build
    from bench.payments import measure_deposit_booking
    from bench.reports import measure_reports
    from bench.scheduling import (
        PROFILED,
        WARM_UP,
        measure_availability,
        measure_booking,
        profile_availability,
    )

    began = perf_counter()
    call_command("migrate", verbosity=0)
    migrated = perf_counter()
    log(f"migrated in {migrated - began:.0f} s; writing {bookings:,} bookings")
    chain = build(bookings)
    gather_statistics()
    built = perf_counter()
    log(f"built in {built - migrated:.0f} s; availability, {calls} calls")
    place = chain.places[0]
    result = {**database(), "sizes": sizes(), "build_seconds": built - migrated}
    result |= measure_availability(place, calls)
    result["availability_profile"] = profile_availability(place, PROFILED)
    log(f"report pages, {renders} renders each")
    result |= measure_reports(renders)
    log(f"{book:,} bookings through booking_create, interleaved with the bare INSERT loop")
    booked = WARM_UP + book + PROFILED
    result |= measure_booking(place, chain.newcomers[:booked])
    log(f"{deposits} online bookings with a deposit, interleaved with as many without")
    paying = chain.newcomers[booked : booked + 2 * (WARM_UP + deposits)]
    result |= measure_deposit_booking(chain.places[1], paying, os.environ["BENCH_STRIPE"])
    result["seconds"] = perf_counter() - began
    return result


def gather_statistics() -> None:
    """PostgreSQL's autovacuum analyses a freshly loaded table within a minute or so; the
    run doesn't wait for it. Without statistics the planner guesses, and guesses badly
    for the 150,000 holds. SQLite has no such daemon, and a running install no statistics."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def database() -> dict[str, object]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            name, version = "PostgreSQL", cursor.fetchone()[0].split()[0]
            mode = ""
        else:
            cursor.execute("PRAGMA journal_mode")
            name, version = "SQLite", sqlite3.sqlite_version
            mode = f"{cursor.fetchone()[0].upper()}, {connection.transaction_mode}"
    schema = MigrationRecorder.Migration.objects.filter(app="scheduling").order_by("-id").first()
    return {
        "database": name,
        "version": version,
        "mode": mode,
        "schema": f"scheduling {schema.name}" if schema else "",
    }


def sizes() -> dict[str, object]:
    from django.db.models import Max, Min

    from needlepoint.clients.models import Client
    from needlepoint.clinics.models import Device, Location, Room, StaffMember
    from needlepoint.scheduling.models import Booking, Hold

    span = Booking.objects.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    return {
        "locations": Location.objects.count(),
        "practitioners": StaffMember.objects.count(),
        "rooms": Room.objects.count(),
        "pens": Device.objects.count(),
        "clients": Client.objects.count(),
        "newcomers": Client.objects.filter(bookings__isnull=True).count(),
        "bookings": Booking.objects.count(),
        "cancelled": Booking.objects.filter(status="cancelled").count(),
        "holds": Hold.objects.count(),
        "active_holds": Hold.objects.filter(active=True).count(),
        "first": f"{span['first']:%Y-%m-%d}",
        "last": f"{span['last']:%Y-%m-%d}",
    }


if __name__ == "__main__":
    main()
