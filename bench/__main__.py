"""``make bench``: the scheduling benchmark on SQLite, then PostgreSQL; writes docs/benchmarks.md.

Each database gets a fresh child process (``bench.child``) and a fresh database: a
SQLite file in a temporary directory (the project's settings: WAL, IMMEDIATE), and a
PostgreSQL database created here and dropped afterwards (server from
BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432; database
BENCH_POSTGRES_DATABASE, default needlepoint_bench).

``python -m bench --quick`` runs a small version and prints the report without writing it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from time import perf_counter

import django
import psycopg
from psycopg import sql

from bench.localstripe import localstripe
from bench.report import render

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "benchmarks.md"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = os.environ.get("BENCH_POSTGRES_DATABASE", "needlepoint_bench")
FULL = {"bookings": 50_000, "calls": 200, "book": 1_000, "renders": 20, "deposits": 60}
QUICK = {"bookings": 3_000, "calls": 30, "book": 50, "renders": 5, "deposits": 15}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes; print, don't write")
    quick = parser.parse_args().quick
    sizes = QUICK if quick else FULL
    began, load = perf_counter(), os.getloadavg()[0]
    results = []
    with (
        tempfile.TemporaryDirectory(prefix="needlepoint-bench-") as scratch,
        localstripe() as stripe,
    ):
        os.environ["BENCH_STRIPE"] = stripe
        print("SQLite", file=sys.stderr, flush=True)
        results.append(child(f"sqlite:///{scratch}/bench.sqlite3", scratch, sizes))
        print("PostgreSQL", file=sys.stderr, flush=True)
        with postgres_database() as url:
            results.append(child(url, scratch, sizes))
    report = render(results, machine(load), perf_counter() - began)
    if not quick:
        REPORT.write_text(report + load_section())
    print(report)


def load_section() -> str:
    """The Saturation and Load sections (``python -m bench.load``, runs of their own),
    carried over as they are."""
    text = REPORT.read_text() if REPORT.exists() else ""
    kept = ""
    for name in ("saturation", "load"):
        start, end = text.find(f"<!-- {name}:start -->"), text.find(f"<!-- {name}:end -->")
        if 0 <= start < end:
            kept += "\n" + text[start : end + len(f"<!-- {name}:end -->")] + "\n"
    return kept


def child(database_url: str, scratch: str, sizes: dict[str, int]) -> dict[str, object]:
    """Run ``bench.child`` against one database; its last stdout line is the result."""
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "NEEDLEPOINT_DATA_DIR": scratch,
        "DEBUG": "false",  # DEBUG keeps every query in memory: not what production runs
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    arguments = [f"--{name}={value}" for name, value in sizes.items()]
    output = subprocess.run(
        [sys.executable, "-m", "bench.child", *arguments],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for the run, dropped afterwards."""
    name = sql.Identifier(POSTGRES_DATABASE)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as server:
        server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        server.execute(sql.SQL("CREATE DATABASE {}").format(name))
        try:
            yield f"{POSTGRES}/{POSTGRES_DATABASE}"
        finally:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))


def machine(load: float) -> dict[str, str]:
    """The machine, and its 1-minute load average before and after the run (2 = 2 busy cores)."""
    return {
        "load": f"{load:.1f} before, {os.getloadavg()[0]:.1f} after",
        "date": f"{date.today():%-d %B %Y}",
        "cpus": str(len(os.sched_getaffinity(0))),
        "cpu": cpu_model(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "unknown CPU"
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.machine()


if __name__ == "__main__":
    main()
