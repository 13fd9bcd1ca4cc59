"""Benchmarks, run by ``make bench``; the results go to docs/benchmarks.md.

What is measured (``bench.scheduling``), on SQLite and on PostgreSQL in one run, against
a clinic chain of 3 locations, 20 practitioners, 8 rooms, 12 pens and 50,000 existing
bookings (``bench.data``):

1. Availability: ``available_slots`` for one service over 30 days at one location,
   p50 / p95 over 200 calls, next to a bare SQL read of the holds it needs (one
   ``SELECT`` per resource kind over the same window). Targets: p95 < 50 ms, and
   p95 < 3 × the bare read's p95.
2. Booking: 1,000 bookings through ``booking_create`` at distinct free times, next to a
   bare loop of plain INSERTs of the same rows (booking + three holds, one transaction
   each). Target: at least 30% of the bare loop's rate.

How to read the results: every measure stands next to a baseline taken in the same run
on the same database and connection, so compare ratios between machines, not
milliseconds. The data is seeded and the clock pinned (``bench.data.NOW``), so two runs
build the same calendar; only the timings vary. Nothing here is asserted: a missed
target is a finding to report, not a failing test.

``python -m bench`` (the parent, ``bench.__main__``) starts ``python -m bench.child``
once per database, because the settings read DATABASE_URL when they load.
"""
