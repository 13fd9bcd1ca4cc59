"""docs/benchmarks.md from the children's results."""

from __future__ import annotations

from typing import Any

AVAILABILITY_P95_MS = 50
AVAILABILITY_RATIO = 2
BOOKING_SHARE = 0.25
REPORT_P95_MS = 1000

HOW_TO_READ = """\
How to read it: each measure stands next to a baseline taken in the same run, on the same
database and connection — the least the database must do for the same answer. The
**ratio** is the figure that carries over to other machines; the milliseconds drift with
hardware and load. p50 / p95 are wall-clock, over the number of calls each row names,
on one connection.

- *Availability* is `available_slots(service, day, day + 29, now=…, channel="staff")` for
  the face treatment at Brighton (3 rooms, 4 pens, 7 practitioners), the first day moving
  over 60 days from the pinned `now`. Its baseline is one plain statement, a
  `UNION ALL` of `SELECT resource_id, starts_at, ends_at FROM scheduling_hold WHERE active
  AND kind = %s AND resource_id IN (…) AND starts_at >= %s AND starts_at < %s AND ends_at
  > %s` for each kind over the same window and resources (a hold lasts at most a day, so
  the first bound is the window's start less a day), each row as the driver loads it in C
  (SQLite's stored text; PostgreSQL's UTC wall times through psycopg's own loader), with
  no conversion in Python: the rows availability has to read, read the fastest way the
  schema and the driver allow. Ratio = p95 / p95. A process keeps the location's set-up
  (staff, rooms, pens, hours, shifts, closures, time off) between searches until the
  database's set-up token changes (docs/scheduling.md), so a search usually reads only
  the token and the holds; the row "set-up read afresh" times each call as the first
  search after a change, reading everything.
- *Booking* is `booking_create(…, channel="staff", now=…)` at the earliest free start
  after the previous booking, for screened (cleared) clients with no bookings yet, each
  with an email address and a mobile number, so the booking plans its messages
  (confirmation, pre-care, reminders) as a real one does (availability is re-read between
  bookings, untimed). Its baseline is a loop of plain
  INSERTs — the booking row and its three holds, one transaction each (IMMEDIATE on
  SQLite), on an empty stretch of calendar. Ratio = bookings per second / bare rows per
  second. The service does more on purpose (the clinical gate: screening and interval;
  the check of the requested start against the calendar around it; the booking event
  row; the messages planned); the target bounds what that costs. It reads the set-up (and the organisation's
  webhook subscriptions) under the same token as availability.
- *Online booking with a deposit* is the server's whole part of a booking that takes a
  20% deposit (bench/payments.py): the card step (a Stripe customer and a SetupIntent),
  then the confirm — Stripe asked how the card step went, the deposit charged, the visit
  booked, the deposit, saved card and accepted policy recorded. Stripe.js's part (saving
  the card) is done untimed in between. Its baseline is the same online confirm without a
  deposit, interleaved with it. Stripe here is localstripe on this machine: its round
  trips are local, so the ratio shows our side; real Stripe adds its network time.
"""


def render(results: list[dict[str, Any]], machine: dict[str, str], seconds: float) -> str:
    first = results[0]
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`python -m bench`) on {machine['date']}; "
        f"the whole run took {seconds / 60:.1f} min.",
        "",
        f"Machine: {machine['cpus']} CPUs ({machine['cpu']}), {machine['system']}; "
        f"Python {machine['python']}, Django {machine['django']}; "
        + ", ".join(database_name(r) for r in results)
        + f"; schema at {first['schema']}. Load average (1 min): {machine['load']}.",
        "",
        "## Scheduling",
        "",
        data_line(first),
        "",
        "| database | measure | p50 | p95 | baseline | ratio | target met? |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        lines += [
            availability_row(result),
            availability_row(result, "availability_cold", " (set-up read afresh)"),
            booking_row(result),
            deposit_row(result),
        ]
    lines += ["", HOW_TO_READ, *profile_table(results), "", *reports_section(results)]
    return "\n".join(lines).rstrip() + "\n"


REPORTS_HOW_TO_READ = """\
Each report page (docs/reports.md) is fetched through Django's test client as a signed-in
owner — middleware, view, queries and template, the whole response — with the filter's
dates set to the first and last booking, so every booking is in the report (the lot page
also searches one lot's recall list). p50 / p95 are over the number of renders shown,
after two unmeasured ones. Baselines from the same run: the home page (the least a staff
page costs) and a bare `SELECT COUNT(*) FROM scheduling_booking` over the same dates (the
least the database must do to touch those rows). "queries" is the page's SQL statements;
the tests assert it does not grow with the data."""


def reports_section(results: list[dict[str, Any]]) -> list[str]:
    if "reports" not in results[0]:
        return []
    first = results[0]
    lines = [
        "## Reports",
        "",
        f"{first['reports_bookings']:,} bookings from {first['reports_range']}, on the data above.",
        "",
        "| database | page | queries | p50 | p95 | target met? (p95 < 1 s) |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        for name, page in result["reports"].items():
            lines.append(
                f"| {result['database']} | `reports:{name}` | {page['queries']} "
                f"| {page['p50']:.0f} ms | {page['p95']:.0f} ms "
                f"| {yes(page['p95'] < REPORT_P95_MS)} |"
            )
        home, count = result["home_page"], result["bare_count"]
        lines.append(
            f"| {result['database']} | baseline: home page | {home['queries']} "
            f"| {home['p50']:.0f} ms | {home['p95']:.0f} ms | |"
        )
        lines.append(
            f"| {result['database']} | baseline: bare SQL COUNT of the bookings | 1 "
            f"| {count['p50']:.1f} ms | {count['p95']:.1f} ms | |"
        )
    return [*lines, "", REPORTS_HOW_TO_READ]


def database_name(result: dict[str, Any]) -> str:
    mode = f" ({result['mode']})" if result["mode"] else ""
    return f"{result['database']} {result['version']}{mode}"


def data_line(result: dict[str, Any]) -> str:
    s = result["sizes"]
    return (
        f"Data, built the same on each database from a fixed seed: {s['locations']} locations "
        "(Europe/London × 2, America/New_York; open Mon–Fri 9–18, Sat 11–15), "
        f"{s['practitioners']} practitioners working those hours, {s['rooms']} rooms, "
        f"{s['pens']} pens, {s['clients']:,} clients ({s['newcomers']:,} of them with no "
        f"bookings yet) and {s['bookings']:,} bookings "
        f"from {s['first']} to {s['last']} ({s['cancelled']:,} cancelled), holding "
        f"{s['active_holds']:,} active holds of {s['holds']:,}. The service is a 60-minute "
        "face treatment with a 10-minute buffer after, needing a room and a pen (15 minutes' "
        "reprocessing). `now` is pinned to Monday 23 November 2026, 08:00 UTC. Building took "
        f"{result['build_seconds']:.0f} s on {result['database']}."
    )


def availability_row(result: dict[str, Any], key: str = "availability", how: str = "") -> str:
    slots, read = result[key], result["bare_read"]
    ratio = slots["p95"] / read["p95"]
    fast, close = slots["p95"] < AVAILABILITY_P95_MS, ratio < AVAILABILITY_RATIO
    verdict = "yes" if fast and close else "no"
    return (
        f"| {result['database']} | availability{how}, 1 service, 30 days "
        f"({result['free_starts']} free starts, {result['holds_read']} holds read), "
        f"{slots['n']} calls | {slots['p50']:.1f} ms | {slots['p95']:.1f} ms "
        f"| bare SQL read of the same holds: {read['p50']:.1f} / {read['p95']:.1f} ms "
        f"| {ratio:.1f}× | {verdict} (p95 < {AVAILABILITY_P95_MS} ms: {yes(fast)}; "
        f"< {AVAILABILITY_RATIO}× bare read: {yes(close)}) |"
    )


def booking_row(result: dict[str, Any]) -> str:
    made, bare = result["booking"], result["bare_insert"]
    share = made["per_second"] / bare["per_second"]
    return (
        f"| {result['database']} | {made['n']:,} bookings through `booking_create`: "
        f"{made['per_second']:.0f}/s | {made['p50']:.1f} ms | {made['p95']:.1f} ms "
        f"| bare INSERT loop: {bare['per_second']:.0f}/s ({bare['p50']:.1f} / "
        f"{bare['p95']:.1f} ms) | {share:.0%} | {yes(share >= BOOKING_SHARE)} "
        f"(≥ {BOOKING_SHARE:.0%} of the bare rate) |"
    )


def deposit_row(result: dict[str, Any]) -> str:
    paid, plain = result["online_booking_with_deposit"], result["online_booking"]
    share = paid["per_second"] / plain["per_second"]
    return (
        f"| {result['database']} | {paid['n']:,} online bookings with a 20% deposit, end to "
        f"end on our side: {paid['per_second']:.0f}/s | {paid['p50']:.1f} ms "
        f"| {paid['p95']:.1f} ms | the same online booking without a deposit: "
        f"{plain['per_second']:.0f}/s ({plain['p50']:.1f} / {plain['p95']:.1f} ms) "
        f"| {share:.0%} | (measured, no target: Stripe's own round trips dominate) |"
    )


def yes(flag: bool) -> str:
    return "yes" if flag else "no"


def profile_table(results: list[dict[str, Any]]) -> list[str]:
    lines = [
        "### Where the time goes",
        "",
        "SQL statements in one call (transaction control left out), and cProfile's split of a",
        "call, averaged over the profiled calls. cProfile slows Python code more than waiting",
        "on the database, so read the shares rather than the milliseconds.",
        "",
        "| database | call | statements | split under cProfile (ms per call, share) |",
        "|---|---|---|---|",
    ]
    for result in results:
        for call, key, baseline in (
            ("`available_slots`, 30 days", "availability_profile", "bare read: 1"),
            ("`booking_create`", "booking_profile", "bare loop: 2"),
        ):
            found = result[key]
            lines.append(
                f"| {result['database']} | {call} | {found['statements']} ({baseline}) "
                f"| {split(found['stages'])} |"
            )
    return lines


def split(stages: dict[str, float]) -> str:
    """'part 1.0 ms (10%); …; the rest 2.0 ms (20%), of 10.0 ms' — the first stage is the whole."""
    (_, total), *parts = stages.items()
    rest = total - sum(ms for _, ms in parts)
    shown = [*parts, ("the rest", rest)]
    text = "; ".join(f"{label} {ms:.1f} ms ({ms / total:.0%})" for label, ms in shown)
    return f"{text}; of {total:.1f} ms"
