"""``make cluster-test``: Needlepoint as a deployment of several machines, on one.

Starts a PostgreSQL primary, a streaming replica and PgBouncer in transaction mode
(tests/tools/pgcluster.py), two web nodes (gunicorn with deploy/gunicorn.conf.py, DEBUG
off, one SECRET_KEY, one data folder) and two workers, every one of them on PgBouncer,
with Redis (``CACHE_URL``) beside them. Then it checks, over HTTP and in the database:

1. API bookings racing for the same times, split across both nodes: one winner a time,
   no overlapping holds;
2. the confirmations those bookings queue, with both workers running: every one sent
   exactly once (the workers' console mail output, counted by message key);
3. a practitioner's calendar feed, read on the replica (it misses a booking the replica
   has not applied yet), and, with the replica stopped while feeds are being read, still
   answered, now from the primary.

Prints what it found and exits non-zero on the first check that fails. It leaves nothing
running. Run with ``python -m tests.cluster.topology`` from the checkout.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.tools import pgcluster

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "needlepoint"
REDIS_DB = 5  # the topology's own database number on the machine's Redis
RACERS = 8  # clients racing for each time, half on each node
ROUNDS = 4  # times raced for
SPREAD = 16  # then as many bookings for as many different times, at once, on both nodes
WAIT_SECONDS = 90


class CheckFailed(AssertionError):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def say(message: str) -> None:
    print(message, flush=True)


# The machines


@dataclass
class Topology:
    cluster: pgcluster.Cluster
    folder: Path
    environment: dict[str, str]
    nodes: list[str] = field(default_factory=list)  # base URLs of the web nodes
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def start(self, name: str, command: list[str]) -> None:
        with self.log(name).open("wb") as out:
            self.processes[name] = subprocess.Popen(
                command, cwd=ROOT, env=self.environment, stdout=out, stderr=subprocess.STDOUT
            )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def shared_environment(cluster: pgcluster.Cluster, folder: Path) -> dict[str, str]:
    """What every node and worker is started with: production settings, one database
    through PgBouncer, one replica, one data folder, one cache."""
    data = folder / "data"
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "NEEDLEPOINT_", "EMAIL_", "SMS_"))
    }
    environment |= {
        "DJANGO_SETTINGS_MODULE": "needlepoint.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "NEEDLEPOINT_TRUSTED_PROXIES": "127.0.0.1",
        "NEEDLEPOINT_DATA_DIR": str(data),
        "NEEDLEPOINT_SITE_URL": "https://clinic.example",
        "DATABASE_URL": cluster.url("bouncer", DATABASE),
        "DATABASE_POOLING": "transaction",
        "DATABASE_REPLICA_URL": cluster.url("replica", DATABASE),
        "CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "EMAIL_URL": "console:",
        "SMS_URL": "console:",
        "NEEDLEPOINT_SCHEDULER_SECONDS": "2",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    environment |= shared_services(folder)
    return environment


def shared_services(folder: Path) -> dict[str, str]:
    """Services the nodes share besides PostgreSQL and Redis, as environment variables.

    Object storage for clients' photos joins here: start tests/tools/s3server.py and
    return its settings, then add the photo check (upload on node 1, read on node 2) to
    CHECKS below."""
    return {}


def set_up(topology: Topology) -> None:
    """Migrate on the primary itself (as docs/deploy.md says: never through PgBouncer)
    while the web nodes boot (they touch the database only when asked); static files
    were collected into the shared folder while the cluster started."""
    direct = topology.environment | {"DATABASE_URL": topology.cluster.url("primary", DATABASE)}
    direct.pop("DATABASE_POOLING")
    migrate = [sys.executable, "-m", "needlepoint.cli", "migrate", "-v0", "--skip-checks"]
    migration = subprocess.Popen(migrate, cwd=ROOT, env=direct)
    start_nodes(topology)
    check(migration.wait() == 0, "migrate failed")
    os.environ.update(topology.environment)  # this process reads the database as a node does
    import django

    django.setup()


def collect_static(folder: Path) -> subprocess.Popen[bytes]:
    """Production's static files (DEBUG off needs their manifest), once for both nodes."""
    environment = os.environ | {
        "DEBUG": "false",
        "SECRET_KEY": "collectstatic-only-" + secrets.token_urlsafe(20),
        "NEEDLEPOINT_DATA_DIR": str(folder / "data"),
        "DATABASE_URL": "sqlite:///:memory:",
    }
    collect = [sys.executable, "-m", "needlepoint.cli", "collectstatic", "--noinput", "-v0"]
    return subprocess.Popen(collect, cwd=ROOT, env=environment)


def start_nodes(topology: Topology) -> None:
    for n in (1, 2):
        port = pgcluster.free_port()
        topology.environment["NEEDLEPOINT_BIND"] = f"127.0.0.1:{port}"
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
        topology.start(f"node{n}", gunicorn)
        topology.nodes.append(f"http://127.0.0.1:{port}")


def start_workers(topology: Topology) -> None:
    for n in (1, 2):
        worker = [sys.executable, "-m", "needlepoint.cli", "worker", "--interval", "0.5"]
        topology.start(f"worker{n}", worker)
    for node in topology.nodes:
        deadline = time.monotonic() + WAIT_SECONDS
        while get(node + "/health/")[0] != 200:
            check(time.monotonic() < deadline, f"{node} did not answer /health/")
            time.sleep(0.2)


# HTTP, as the proxy in front of the nodes would send it


def request(
    url: str, *, body: Any = None, token: str | None = None
) -> tuple[int, dict[str, Any] | str]:
    headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
        data = json.dumps(body).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=30) as r:
            status, content = r.status, r.read()
    except urllib.error.HTTPError as error:
        status, content = error.code, error.read()
    except OSError as error:
        return 0, str(error)
    text = content.decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def get(url: str, token: str | None = None) -> tuple[int, Any]:
    return request(url, token=token)


# The clinic


@dataclass
class Clinic:
    token: str
    service: str
    practitioner: str
    clients: Iterator[str]
    feed: str  # the practitioner's calendar feed path
    organisation_id: int


def clinic() -> Clinic:
    from needlepoint.api.tokens import token_create
    from needlepoint.notifications.services import calendar_feed_renew
    from tests import factories

    made = factories.clinic()
    offered = factories.service(made.location)
    clients = [
        str(factories.screened_client(made.organisation, answered_on=date.today()).public_id)
        for _ in range(RACERS * ROUNDS + SPREAD + 1)
    ]
    _, secret = token_create(user=made.owner.user, name="topology", scopes=["read", "book"])
    feed = calendar_feed_renew(staff=made.practitioner)
    return Clinic(
        token=secret,
        service=str(offered.public_id),
        practitioner=str(made.practitioner.public_id),
        clients=iter(clients),
        feed=f"/feeds/{feed}.ics",
        organisation_id=made.organisation.pk,
    )


def free_times(topology: Topology, place: Clinic, apart: timedelta) -> list[str]:
    start = date.today() + timedelta(days=1)
    query = (
        f"service={place.service}&practitioner={place.practitioner}"
        f"&start={start}&end={start + timedelta(days=20)}"
    )
    status, found = get(f"{topology.nodes[0]}/api/v1/availability?{query}", place.token)
    check(status == 200, f"availability answered {status}: {found}")
    times: list[str] = []
    last: datetime | None = None
    for slot in found["slots"]:
        at = datetime.fromisoformat(slot["starts_at"].replace("Z", "+00:00"))
        if last is None or at - last >= apart:
            times.append(slot["starts_at"])
            last = at
    return times


def book(node: str, place: Clinic, client: str, starts_at: str) -> tuple[int, Any]:
    body = {
        "client": client,
        "service": place.service,
        "starts_at": starts_at,
        "practitioner": place.practitioner,
    }
    return request(f"{node}/api/v1/bookings", body=body, token=place.token)


# The checks


def racer(
    barrier: threading.Barrier, results: list[int], node: str, place: Clinic, client: str, at: str
) -> None:
    barrier.wait()
    results.append(book(node, place, client, at)[0])


def bookings_race(topology: Topology, place: Clinic) -> None:
    times = free_times(topology, place, apart=timedelta(hours=3))[:ROUNDS]
    check(len(times) == ROUNDS, f"only {len(times)} free times to race for")
    answers: Counter[int] = Counter()
    for starts_at in times:
        barrier = threading.Barrier(RACERS)
        results: list[int] = []
        threads = [
            threading.Thread(
                target=racer,
                args=(barrier, results, topology.nodes[n % 2], place, next(place.clients)),
                kwargs={"at": starts_at},
            )
            for n in range(RACERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answers.update(results)
        check(results.count(201) == 1, f"{starts_at}: {results.count(201)} bookings made")
        check(set(results) <= {201, 409}, f"{starts_at}: answers {sorted(results)}")
    others = free_times(topology, place, apart=timedelta(hours=2))[:SPREAD]
    spread: list[int] = []
    threads = [
        threading.Thread(
            target=lambda n, at: spread.append(book(topology.nodes[n % 2], place, *at)[0]),
            args=(n, (next(place.clients), starts_at)),
        )
        for n, starts_at in enumerate(others)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check(spread == [201] * SPREAD, f"bookings for different times answered {sorted(spread)}")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM scheduling_hold a JOIN scheduling_hold b
               ON a.kind = b.kind AND a.resource_id = b.resource_id AND a.id < b.id
               AND a.active AND b.active AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"""
        )
        overlaps = cursor.fetchone()[0]
    check(overlaps == 0, f"{overlaps} overlapping holds")
    say(
        f"  {ROUNDS} times × {RACERS} racers over 2 nodes: {answers[201]} booked (201), "
        f"{answers[409]} refused (409), 0 other answers; then {SPREAD} bookings for "
        f"different times at once, all booked; overlapping holds: {overlaps}"
    )


def messages_once(topology: Topology, place: Clinic) -> None:
    from needlepoint.notifications.choices import Channel, MessageKind, MessageStatus
    from needlepoint.notifications.models import Message

    confirmations = Message.objects.filter(
        organisation_id=place.organisation_id, kind=MessageKind.BOOKING_CONFIRMED
    )
    deadline = time.monotonic() + WAIT_SECONDS
    while confirmations.exclude(status=MessageStatus.SENT).exists():
        check(time.monotonic() < deadline, "confirmations still waiting after 90 s")
        time.sleep(0.5)
    expected = {m.idempotency_key for m in confirmations.filter(channel=Channel.EMAIL)}
    check(bool(expected), "no confirmation emails were queued")
    sent: Counter[str] = Counter()
    by_worker = {}
    for name in ("worker1", "worker2"):
        keys = re.findall(r"^X-Idempotency-Key: (\S+)$", topology.log(name).read_text(), re.M)
        by_worker[name] = len([key for key in keys if key in expected])
        sent.update(keys)
    twice = sorted(key for key in expected if sent[key] > 1)
    lost = sorted(key for key in expected if sent[key] == 0)
    check(not twice, f"sent more than once: {twice}")
    check(not lost, f"never sent: {lost}")
    split = ", ".join(f"{name} {count}" for name, count in by_worker.items())
    say(
        f"  {len(expected)} confirmation emails, each sent once ({split}); "
        f"0 duplicates, 0 lost; {confirmations.count()} confirmations in all, all sent"
    )


def visits_in_feed(node: str, place: Clinic) -> int:
    status, body = get(node + place.feed)
    check(status == 200, f"the calendar feed on {node} answered {status}")
    return str(body).count("BEGIN:VEVENT")


def reports_on_the_replica(topology: Topology, place: Clinic) -> None:
    cluster = topology.cluster
    cluster.wait_for_replica()
    before = visits_in_feed(topology.nodes[1], place)
    cluster.pause_replay()
    later = free_times(topology, place, apart=timedelta(hours=3))[-1]
    status, made = book(topology.nodes[0], place, next(place.clients), later)
    check(status == 201, f"one more booking answered {status}: {made}")
    cluster.wait_for_wal_received()
    stale = [visits_in_feed(node, place) for node in topology.nodes for _ in range(3)]
    check(set(stale) == {before}, f"feeds counted {stale}, the replica has {before}")
    say(f"  replica paused, one more booking on the primary: feeds read {stale} (the replica)")

    answers: list[int] = []
    reading = threading.Event()
    reading.set()

    def keep_reading() -> None:
        while reading.is_set():
            for node in topology.nodes:
                answers.append(visits_in_feed(node, place))

    reader = threading.Thread(target=keep_reading)
    reader.start()
    try:
        time.sleep(0.5)
        cluster.stop_replica()
        time.sleep(2.5)  # past the one-second look at the replica, in every process
    finally:
        reading.clear()
        reader.join()
    check(all(answer in (before, before + 1) for answer in answers), f"feeds counted {answers}")
    after = [visits_in_feed(node, place) for node in topology.nodes]
    check(after == [before + 1] * 2, f"with the replica stopped the feeds counted {after}")
    mid_request = sum(
        topology.log(node).read_text().count("The replica failed during a report")
        for node in ("node1", "node2")
    )
    say(
        f"  replica stopped while {len(answers)} feeds were read: all answered (200), "
        f"{mid_request} of them made again on the primary after the replica failed under them; "
        f"afterwards both nodes count {before + 1} (the primary)"
    )


CHECKS: list[tuple[str, Callable[[Topology, Clinic], None]]] = [
    ("API bookings racing across both nodes", bookings_race),
    ("confirmations sent exactly once by two workers", messages_once),
    ("calendar feeds on the replica, and without it", reports_on_the_replica),
]


@contextmanager
def running() -> Iterator[Topology]:
    folder = Path(tempfile.mkdtemp(prefix="np-topology-"))
    (folder / "data").mkdir()
    static = collect_static(folder)
    cluster = pgcluster.start()
    topology = Topology(cluster, folder, {})
    try:
        cluster.create_database(DATABASE)
        check(static.wait() == 0, "collectstatic failed")
        topology.environment = shared_environment(cluster, folder)
        yield topology
    finally:
        topology.stop()
        cluster.stop()
        if os.environ.get("NEEDLEPOINT_KEEP_TOPOLOGY"):
            say(f"logs kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    began = time.monotonic()
    problem = pgcluster.missing()
    if problem:
        say(f"cluster-test needs {problem}")
        return 1
    with running() as topology:
        say(f"primary, replica, PgBouncer up in {time.monotonic() - began:.0f} s")
        set_up(topology)
        say(f"migrated at {time.monotonic() - began:.0f} s")
        start_workers(topology)
        say(f"2 web nodes, 2 workers up at {time.monotonic() - began:.0f} s")
        place = clinic()
        for title, run in CHECKS:
            say(f"{title}:")
            try:
                run(topology, place)
            except CheckFailed as failure:
                say(f"  FAILED: {failure}")
                for name in topology.processes:
                    say(f"--- {name} (last lines)")
                    say("\n".join(topology.log(name).read_text().splitlines()[-15:]))
                return 1
    say(f"cluster-test passed in {time.monotonic() - began:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
