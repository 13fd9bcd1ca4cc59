"""``make bench``: run each benchmark on SQLite and PostgreSQL, write docs/benchmarks.md.

Each database gets a child process (settings read DATABASE_URL when they load) and a
fresh database: a temporary SQLite file, and a PostgreSQL database created and dropped
here. Figures are reported as ratios against a baseline measured in the same run.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
DATABASE = "needlepoint_bench"


def run_child(database_url: str, data_dir: str) -> dict[str, object]:
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NEEDLEPOINT_DATA_DIR": data_dir,
        "DEBUG": "true",
    }
    output = subprocess.run(
        [sys.executable, "-m", "bench.scheduling"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def postgres(sql: str) -> None:
    subprocess.run(["psql", f"{POSTGRES}/postgres", "-qc", sql], check=True, capture_output=True)


def main() -> None:
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        print("SQLite…", flush=True)
        results.append(run_child(f"sqlite:///{scratch}/bench.sqlite3", scratch))
        print("PostgreSQL…", flush=True)
        postgres(f"DROP DATABASE IF EXISTS {DATABASE}")
        postgres(f"CREATE DATABASE {DATABASE}")
        try:
            results.append(run_child(f"{POSTGRES}/{DATABASE}", scratch))
        finally:
            postgres(f"DROP DATABASE IF EXISTS {DATABASE}")
    report = render(results)
    (ROOT / "docs" / "benchmarks.md").write_text(report)
    print(report)


def render(results: list[dict]) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured by `make bench` on {date.today():%d %B %Y}: {os.cpu_count()} cores, Python {platform.python_version()}.",
        "Every figure stands next to a baseline measured in the same run on the same database;",
        "the ratio is what to compare between machines.",
        "",
        "## Scheduling",
        "",
        "A chain of 3 locations, 20 practitioners, 8 rooms, 12 pens and 50,000 existing bookings",
        "(150,000 holds), about 70% of the working grid full.",
        "",
        "| database | measure | result | baseline | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        name = f"{r['vendor']} {r['version']}"
        a, b = r["availability"], r["bare_read"]
        ratio = a["p95"] / b["p95"]
        met = a["p95"] < 50 and ratio < 3
        lines.append(
            f"| {name} | availability, 1 service, 30 days, 1 location ({r['slots_30_days']} free starts): "
            f"p50 / p95 of 200 | {a['p50']:.1f} / {a['p95']:.1f} ms | bare SQL read of the same holds: "
            f"{b['p50']:.1f} / {b['p95']:.1f} ms | {ratio:.1f}× | p95 < 50 ms and < 3× | {'yes' if met else 'no'} |"
        )
        k = r["booking"]
        share = k["service_per_s"] / k["bare_per_s"]
        lines.append(
            f"| {name} | {k['count']} bookings through `booking_create` | {k['service_per_s']:.0f}/s | "
            f"bare INSERT loop (booking + 3 holds, a transaction each): {k['bare_per_s']:.0f}/s | {share:.0%} | "
            f"≥ 30% | {'yes' if share >= 0.3 else 'no'} |"
        )
    lines += [
        "",
        "Data generation took "
        + ", ".join(f"{r['build_seconds']:.0f} s on {r['vendor']}" for r in results)
        + ". Reproduce with `make bench`.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
