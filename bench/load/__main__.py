"""``make load``: the production set-up under a mixed load; writes the Load section of docs/benchmarks.md.

On a fresh PostgreSQL database (LOAD_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/needlepoint_load; dropped afterwards) with
production settings (DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, a
temporary NEEDLEPOINT_DATA_DIR): migrate, collect static files, load the demo clinic and
``bench.load.setup``; start gunicorn (``needlepoint.wsgi`` on 127.0.0.1, a free port
in 8780-8789; deploy/gunicorn.conf.py when it exists) and ``needlepoint worker``;
run locust headless against it (``bench/load/locustfile.py``); stop both; check that
nothing failed and nothing is double-booked (exit status 1 otherwise). Other programs'
CPU would skew the figures, so it first waits, up to LOAD_QUIET_WAIT seconds (default
900), for the machine to be less than 20% busy.

The section sits between ``<!-- load:start -->`` and ``<!-- load:end -->``, which
``python -m bench`` keeps when it rewrites the file. ``--quick`` runs 20 seconds with
fewer users and prints the section instead of writing it.

``--saturate`` measures instead how much each kind of request takes before its p99
passes 250 ms, against ``/health/`` in the same run (bench/load/saturate.py), and writes
the Saturation section; with ``--quick``, smaller data and 3-second steps, printed only.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REPORT = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- load:start -->", "<!-- load:end -->"
DATABASE = os.environ.get(
    "LOAD_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/needlepoint_load"
)
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PORTS = range(8780, 8790)
QUIET_WAIT = float(os.environ.get("LOAD_QUIET_WAIT", "900"))  # seconds; 0 to start at once
FULL = {"users": 24, "spawn_rate": 4, "seconds": 120}
QUICK = {"users": 12, "spawn_rate": 6, "seconds": 20}
WORKERS = 2 * os.cpu_count() + 1  # gunicorn's rule of thumb for sync workers
OVERLAPS = """SELECT count(*) FROM scheduling_hold a JOIN scheduling_hold b
    ON a.kind = b.kind AND a.resource_id = b.resource_id AND a.id < b.id
    AND a.active AND b.active AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"""


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="20 s, fewer users; print only")
    parser.add_argument("--users", type=int)
    parser.add_argument("--spawn-rate", type=float)
    parser.add_argument("--seconds", type=int)
    parser.add_argument(
        "--saturate", action="store_true", help="find each group's rate at p99 250 ms instead"
    )
    parser.add_argument("--step", type=float, help="seconds per step of --saturate")
    args = parser.parse_args()
    if args.saturate:
        return saturation(args.quick, args.step or (3.0 if args.quick else 10.0))
    plan = (QUICK if args.quick else FULL) | {
        key: value for key, value in vars(args).items() if key in FULL and value is not None
    }
    load_before = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="needlepoint-load-") as scratch,
        fresh_database() as url,
    ):
        result = run(url, Path(scratch), plan)
    result["load"] = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    section = render(result, plan)
    if not args.quick:
        write_section(section)
    print(section)
    if result["failures"] or result["overlaps"]:
        sys.exit(f"{result['failures']} failed requests, {result['overlaps']} double bookings")


def saturation(quick: bool, step_seconds: float) -> None:
    """``--saturate``: writes the Saturation section of docs/benchmarks.md (printed with --quick)."""
    from bench.load import saturate

    began, load_before = time.monotonic(), os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory(prefix="needlepoint-saturate-") as scratch,
        fresh_database() as url,
    ):
        result = saturate.run(url, Path(scratch), quick, step_seconds)
    minutes = (time.monotonic() - began) / 60
    load = f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
    section = saturate.section(result, load, minutes)
    if result["server_errors"]:
        print("Server errors:\n" + result["server_errors"][-5000:], file=sys.stderr)
    if not quick:
        write_section(section, saturate.START, saturate.END)
    print(section)


@contextmanager
def fresh_database() -> Iterator[str]:
    parts = urlsplit(DATABASE)
    name = sql.Identifier(parts.path.lstrip("/"))
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))
        try:
            yield DATABASE
        finally:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def run(url: str, scratch: Path, plan: dict[str, float]) -> dict[str, object]:
    env = os.environ | {
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "NEEDLEPOINT_DATA_DIR": str(scratch),
        "DJANGO_SETTINGS_MODULE": "needlepoint.settings",
        "LOAD_STAFF_ACCOUNTS": str(plan["users"]),
        "LOAD_FIXTURE": str(scratch / "fixture.json"),
        "LOAD_OUTCOMES": str(scratch / "outcomes.json"),
        # Shared tokens make every simulated user count as one program: still counted, never refused.
        "NEEDLEPOINT_RATE_API": "1000000/minute",
    }
    step("migrate, collect static files, load the demo clinic and the load set-up")
    needlepoint = str(BIN / "needlepoint")
    for command in (
        [needlepoint, "migrate"],
        [needlepoint, "collectstatic", "--no-input"],
        [needlepoint, "demo", "--force"],
        [sys.executable, "-m", "bench.load.setup", env["LOAD_FIXTURE"]],
    ):
        subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    wait_for_quiet()
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = [str(BIN / "gunicorn"), "needlepoint.wsgi", "--bind", f"127.0.0.1:{port}"]
    gunicorn += ["--config", str(GUNICORN_CONF)] if GUNICORN_CONF.exists() else []
    gunicorn += [] if GUNICORN_CONF.exists() else ["--workers", str(WORKERS)]
    logs = {name: (scratch / f"{name}.log").open("w") for name in ("web", "worker", "locust")}
    web = subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=logs["web"], stderr=logs["web"])
    worker = subprocess.Popen(
        [needlepoint, "worker"], cwd=ROOT, env=env, stdout=logs["worker"], stderr=logs["worker"]
    )
    locust = None
    try:
        wait_for(host)
        web_pids = children(web.pid)
        step(
            f"gunicorn on {host} ({len(web_pids)} workers), worker running; locust for {plan['seconds']} s"
        )
        before = cpu_times()
        locust = subprocess.Popen(
            [
                str(BIN / "locust"),
                *("-f", str(Path(__file__).with_name("locustfile.py"))),
                *("--host", host, "--headless", "--only-summary"),
                *("--users", str(plan["users"]), "--spawn-rate", str(plan["spawn_rate"])),
                *("--run-time", f"{plan['seconds']}s", "--stop-timeout", "10"),
                *("--csv", str(scratch / "locust"), "--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            env=env,
            stdout=logs["locust"],
            stderr=logs["locust"],
        )
        during = sample_cpu(locust, url, web.pid, worker.pid, before)
    finally:
        for process in (locust, web, worker):
            stop(process)
        for log in logs.values():
            log.close()
    errors = server_errors(scratch / "web.log")
    print((scratch / "locust.log").read_text()[-3000:], file=sys.stderr)
    if errors:
        print("Server errors:\n" + errors, file=sys.stderr)
    stats = read_stats(scratch / "locust_stats.csv")
    with psycopg.connect(url) as connection:
        overlaps = connection.execute(OVERLAPS).fetchone()[0]
        messages = dict(
            connection.execute(
                "SELECT status, count(*) FROM notifications_message GROUP BY status"
            ).fetchall()
        )
        overdue = connection.execute(
            "SELECT count(*) FROM notifications_message"
            " WHERE status IN ('pending', 'sending') AND due_at <= now()"
        ).fetchone()[0]
        version = connection.execute("SHOW server_version").fetchone()[0]
    return {
        "stats": stats,
        "failures": sum(row["failures"] for row in stats if row["name"] != "Aggregated"),
        "failure_lines": failure_lines(scratch / "locust_failures.csv"),
        "overlaps": overlaps,
        "outcomes": json.loads((scratch / "outcomes.json").read_text()),
        "messages": messages,
        "overdue": overdue,
        "cpu": during,
        "workers": len(web_pids),
        "gunicorn": " ".join(gunicorn[1:]).replace(str(ROOT) + "/", ""),
        "postgres": version.split()[0],
        "server_errors": errors,
    }


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def step(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def wait_for_quiet(patience: float = QUIET_WAIT) -> None:
    """Other programs' CPU skews every figure: wait a while for them to finish."""
    deadline = time.monotonic() + patience
    while True:
        before = busy_seconds()
        time.sleep(5)
        busy = (busy_seconds() - before) / (5 * os.cpu_count())
        if busy < 0.2 or time.monotonic() > deadline:
            return
        step(f"other programs keep the machine {busy:.0%} busy: waiting for it to calm down")


def busy_seconds() -> float:
    total = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return (sum(total) - total[3] - total[4]) / os.sysconf("SC_CLK_TCK")  # not idle or iowait


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"No free port in {PORTS.start}-{PORTS.stop - 1}.")


def wait_for(host: str) -> None:
    request = urllib.request.Request(host + "/health/", headers={"X-Forwarded-Proto": "https"})
    for _ in range(100):
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not answer /health/ within 20 s.")


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def cpu_times() -> dict[int, float]:
    """CPU seconds used so far: by each process (its pid), by its reaped children (minus its
    pid), and by the whole machine (0)."""
    tick = os.sysconf("SC_CLK_TCK")
    times = {}
    for pid in Path("/proc").glob("[0-9]*"):
        try:
            fields = (pid / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[int(pid.name)] = (int(fields[11]) + int(fields[12])) / tick
        times[-int(pid.name)] = (int(fields[13]) + int(fields[14])) / tick
    times[0] = busy_seconds()
    return times


def sample_cpu(
    locust: subprocess.Popen[bytes], url: str, web: int, worker: int, before: dict[int, float]
) -> dict[str, float]:
    """Wait for locust; the share of the machine (0 to 1) each part used meanwhile.

    Sampled every second, as PostgreSQL's backends for this database come and go, and
    gunicorn replaces its workers (``max_requests``; a replaced one is counted in its
    master's reaped children).
    """
    began, last = time.monotonic(), before
    groups = {
        "gunicorn": {web, -web},
        "worker": {worker},
        "locust": {locust.pid},
        "PostgreSQL (this database's connections)": set(),
    }
    with psycopg.connect(url, autocommit=True) as connection:
        while locust.poll() is None:
            groups["gunicorn"] |= set(children(web))
            groups["PostgreSQL (this database's connections)"] |= {
                pid
                for (pid,) in connection.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            }
            last = cpu_times()
            time.sleep(1)
    elapsed = (time.monotonic() - began) * os.cpu_count()
    used = {
        name: sum(last[pid] - before.get(pid, 0) for pid in group if pid in last)
        for name, group in groups.items()
    }
    used["the rest of the machine"] = last[0] - before[0] - sum(used.values())
    return {name: seconds / elapsed for name, seconds in used.items()}


def server_errors(log: Path) -> str:
    text = log.read_text()
    return text if "Traceback" in text or "Internal Server Error" in text else ""


def read_stats(path: Path) -> list[dict[str, object]]:
    with path.open() as file:
        return [
            {
                "name": row["Name"],
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"] or 0),
                "p95": float(row["95%"] or 0),
                "p99": float(row["99%"] or 0),
            }
            for row in csv.DictReader(file)
        ]


def failure_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open() as file:
        return [
            f"{row['Occurrences']}× {row['Name']}: {row['Error']}" for row in csv.DictReader(file)
        ]


def render(result: dict[str, object], plan: dict[str, float]) -> str:
    stats = result["stats"]
    baseline = next(row for row in stats if row["name"].startswith("trivial"))
    total = next(row for row in stats if row["name"] == "Aggregated")
    rows = [row for row in stats if row not in (baseline, total)]
    outcomes, messages, cpu = result["outcomes"], result["messages"], result["cpu"]

    def line(row: dict[str, object], label: str) -> str:
        return (
            f"| {label} | {row['requests']:,} | {row['rps']:.1f} | {row['p50']:.0f} | "
            f"{row['p95']:.0f} | {row['p99']:.0f} | {row['failures']} |"
        )

    table = [
        "| request | requests | req/s | p50 ms | p95 ms | p99 ms | failures |",
        "|---|---|---|---|---|---|---|",
        *(line(row, row["name"]) for row in rows),
        line(baseline, f"**baseline** {baseline['name']}"),
        line(total, "**all requests**"),
    ]
    failures = "".join(f"\n- {text}" for text in result["failure_lines"])
    failures += "\n\n" if failures else ""
    share = "; ".join(f"{name} {100 * value:.0f}%" for name, value in cpu.items())
    shared = (
        " Other programs were busy on the machine meanwhile: every figure here is worse for it."
        if cpu["the rest of the machine"] > 0.15
        else ""
    )
    # CPU seconds per request: cores * share of the machine / requests per second.
    per_request = {
        name: 1000 * os.cpu_count() * cpu[name] / total["rps"]
        for name in ("gunicorn", "PostgreSQL (this database's connections)")
    }
    sent, planned = messages.get("sent", 0), sum(messages.values())
    return f"""{START}
## Load

Written by `make load` (`python -m bench.load`) on {date.today():%-d %B %Y}.

Machine: {os.cpu_count()} CPUs ({cpu_model()}), {platform.system()} {platform.release()}; Python {platform.python_version()}; PostgreSQL {result["postgres"]}. Load average (1 min): {result["load"]}.

Set-up, all on this one machine over loopback: `gunicorn {result["gunicorn"]}` ({result["workers"]} sync workers) with production settings (DEBUG off, a fresh PostgreSQL database, static files collected and served by WhiteNoise), `needlepoint worker` beside it, and locust in one process: {plan["users"]} users started {plan["spawn_rate"]:g} a second, for {plan["seconds"]} s, each waiting 0.5–1.5 s between tasks. The data is the demo clinic (one location, three practitioners, two rooms, three pens) plus `bench.load.setup`. Users, by weight: a website reading a week of free times through the API (4); a front-desk program booking through the API (3: a day's free times, a new client with their health questions answered (a treatment booked through the API needs a cleared screening), a booking at one of the day's first three times — all of them want the next seven days, so they race — and cancelling its oldest booking past five, or when the day it looked at is full); staff signed in with password and code opening day and week calendars (2); practitioners opening charts and recording zones on the chart page (2); and `/health/` (1), the most trivial view the app serves through Django (the whole middleware stack and a `SELECT 1`), as the baseline.

{chr(10).join(table)}

Failures: {result["failures"]}.{failures} Double bookings afterwards (overlapping active holds): {result["overlaps"]}. Bookings made: {outcomes.get("booked", 0):,}; refused because another booker was faster: {outcomes.get("slot_taken", 0):,} `slot_taken` (409) and {outcomes.get("slot_unavailable", 0):,} `slot_unavailable` (400: the time went between reading and booking) — expected answers, counted as successes; cancelled: {outcomes.get("cancelled", 0):,}. Charts opened: {outcomes.get("charts_started", 0)}, zones recorded: {outcomes.get("zones_charted", 0):,}. Messages sent by the worker during the run: {sent:,} of {planned:,} planned; {result["overdue"]:,} were due and not yet sent when it stopped (the worker looks for due messages every second); the rest are reminders not yet due.

CPU used during the run, as a share of the whole machine: {share}.{shared} Per request of this mix, on average: {per_request["gunicorn"]:.0f} ms of CPU in gunicorn and {per_request["PostgreSQL (this database's connections)"]:.0f} ms in PostgreSQL.

How to read it: locust, the worker and PostgreSQL share the two cores with gunicorn, so these are the figures of one small server doing everything, with the load generator costing its share of CPU too. The baseline row is the cheapest request the same server answers in the same run. These users wait between requests, so the load is what they offered, not what the server can take: for that, and for ratios against `/health/`, see the Saturation section. Percentiles are locust's (rounded to 10 ms above 100 ms); the sign-in rows happen once per staff user. What one server holds, and what to do beyond it: [scaling.md](scaling.md).
{END}
"""


def write_section(section: str, begins: str = START, ends: str = END) -> None:
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    start, end = text.find(begins), text.find(ends)
    if start >= 0 and end > start:
        text = text[:start] + section.strip() + text[end + len(ends) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section.strip() + "\n"
    REPORT.write_text(text)


def cpu_model() -> str:
    lines = Path("/proc/cpuinfo").read_text().splitlines()
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else platform.machine()


if __name__ == "__main__":
    main()
