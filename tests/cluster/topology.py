"""``make cluster-test``: Needlepoint as a deployment of several machines, on one.

Starts a PostgreSQL primary, a streaming replica and PgBouncer in transaction mode
(tests/tools/pgcluster.py), two web nodes (gunicorn with deploy/gunicorn.conf.py, DEBUG
off, one SECRET_KEY, each node its own data folder) and two workers, every one of them
on PgBouncer, with Redis (``CACHE_URL``) beside them and clients' photos in a bucket on
moto's S3 server (tests/tools/s3server.py, reached through a ``FaultyS3`` proxy). Then it
checks, over HTTP and in the database:

1. API bookings racing for the same times, split across both nodes: one winner a time,
   no overlapping holds;
2. the confirmations those bookings queue, with both workers running: every one sent
   exactly once (the workers' console mail output, counted by message key);
3. a practitioner's calendar feed, read on the replica (it misses a booking the replica
   has not applied yet), and, with the replica stopped while feeds are being read, still
   answered, now from the primary;
4. a practitioner signing in on node 1 as a browser does (the form, its CSRF token, the
   authenticator's code), starting a chart and uploading a photo: node 2 serves the
   bucket's bytes, and no node's data folder holds them; with the store failing, an
   upload on node 2 says so and writes no photo row; with it back, the retry is saved.

Prints what it found and exits non-zero on the first check that fails. It leaves nothing
running. Run with ``python -m tests.cluster.topology`` from the checkout.
"""

from __future__ import annotations

import html
import http.client
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
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from tests.tools import pgcluster, s3server
from tests.tools.services import free_port

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
class Bucket:
    """The nodes' object storage: moto's S3 server, reached through a ``FaultyS3`` proxy
    that the photos' check makes fail and recover."""

    name: str
    server: s3server.S3Server
    proxy: s3server.FaultyS3

    def client(self) -> Any:
        """The bucket read behind the app's back, past the proxy."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.server.endpoint_url,
            aws_access_key_id=s3server.ACCESS_KEY,
            aws_secret_access_key=s3server.SECRET_KEY,
            region_name=s3server.REGION,
        )

    def objects(self) -> dict[str, bytes]:
        s3 = self.client()
        listed = s3.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {
            item["Key"]: s3.get_object(Bucket=self.name, Key=item["Key"])["Body"].read()
            for item in listed
        }


@dataclass
class Topology:
    cluster: pgcluster.Cluster
    folder: Path
    environment: dict[str, str]
    nodes: list[str] = field(default_factory=list)  # base URLs of the web nodes
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    cleanups: list[Callable[[], None]] = field(default_factory=list)  # run last, newest first
    bucket: Bucket | None = None

    def log(self, name: str) -> Path:
        return self.folder / f"{name}.log"

    def data(self, name: str) -> Path:
        """A web node's own data folder (workers and this process share ``data``)."""
        return self.folder / name

    def start(self, name: str, command: list[str], **environment: str) -> None:
        with self.log(name).open("wb") as out:
            self.processes[name] = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.environment | environment,
                stdout=out,
                stderr=subprocess.STDOUT,
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
        while self.cleanups:
            self.cleanups.pop()()


def shared_environment(topology: Topology) -> dict[str, str]:
    """What every node and worker is started with: production settings, one database
    through PgBouncer, one replica, one cache, one bucket (and a data folder, which each
    web node replaces with its own)."""
    cluster, data = topology.cluster, topology.folder / "data"
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
    environment |= shared_services(topology)
    return environment


def shared_services(topology: Topology) -> dict[str, str]:
    """Services the nodes share besides PostgreSQL and Redis, as environment variables:
    a bucket for clients' photos on moto's S3 server, which the nodes reach through a
    proxy that can be made to fail (stopped with the topology)."""
    server = s3server.start_s3_server()
    topology.cleanups.append(server.stop)
    proxy = s3server.FaultyS3(server.endpoint_url)
    topology.cleanups.append(proxy.stop)
    topology.bucket = Bucket("needlepoint-photos", server, proxy)
    topology.bucket.client().create_bucket(Bucket=topology.bucket.name)  # the app makes none
    return {
        "NEEDLEPOINT_S3_BUCKET": topology.bucket.name,
        "NEEDLEPOINT_S3_ENDPOINT_URL": proxy.endpoint_url,
        "NEEDLEPOINT_S3_REGION": s3server.REGION,
        "AWS_ACCESS_KEY_ID": s3server.ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": s3server.SECRET_KEY,
    }


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
    """Each node on a data folder of its own, sharing only the collected static files: a
    photo one node stores can reach the other through the bucket alone."""
    for n in (1, 2):
        port = free_port()
        data = topology.data(f"node{n}")
        data.mkdir()
        (data / "static").symlink_to(topology.folder / "data" / "static")
        gunicorn = [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"]
        topology.start(
            f"node{n}",
            gunicorn,
            NEEDLEPOINT_BIND=f"127.0.0.1:{port}",
            NEEDLEPOINT_DATA_DIR=str(data),
        )
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


@dataclass
class Page:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return html.unescape(self.body.decode())

    def csrf_token(self) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.body.decode())
        check(found is not None, f"no CSRF token on the page ({self.status})")
        assert found is not None
        return found.group(1)


@dataclass
class Browser:
    """A staff member's browser behind the proxy: it keeps its cookies (all of them
    Secure, so by hand), sends the Origin and Referer of the HTTPS site, and follows no
    redirect by itself."""

    cookies: dict[str, str] = field(default_factory=dict)

    def send(
        self,
        url: str,
        fields: dict[str, str] | None = None,
        photo: bytes | None = None,
    ) -> Page:
        target = urllib.parse.urlsplit(url)
        path = target.path + (f"?{target.query}" if target.query else "")
        headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            headers |= {"Origin": "https://127.0.0.1", "Referer": f"https://127.0.0.1{path}"}
            body, headers["Content-Type"] = form_data(fields, photo)
        connection = http.client.HTTPConnection(target.netloc, timeout=60)
        try:
            connection.request("POST" if body is not None else "GET", path, body, headers)
            answer = connection.getresponse()
            page = Page(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        for header in page.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return page

    def post(self, url: str, fields: dict[str, str], photo: bytes | None = None) -> Page:
        """Post the form on the page at ``url`` as it was shown (its CSRF token) to ``url``
        itself, or to ``fields["action"]`` when the form posts elsewhere."""
        action = fields.pop("action", url)
        shown = self.send(url)
        check(shown.status == 200, f"{url} answered {shown.status}")
        page = self.send(action, fields | {"csrfmiddlewaretoken": shown.csrf_token()}, photo)
        check(page.status in (200, 302), f"posting to {action} answered {page.status}")
        return page


def form_data(fields: dict[str, str], photo: bytes | None) -> tuple[bytes, str]:
    """``multipart/form-data``, as a browser sends a form with a file input (``image``)."""
    boundary = secrets.token_hex(16)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    if photo is not None:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="image"; '
            f'filename="IMG_0001.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
            + photo
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


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
        for _ in range(RACERS * ROUNDS + SPREAD + 2)
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


def practitioner_signs_in(node: str, place: Clinic) -> Browser:
    """The sign-in form, then the authenticator's code, as the practitioner types them."""
    from django.urls import reverse

    from needlepoint.clinics.models import StaffMember
    from tests import factories

    user = StaffMember.objects.select_related("user").get(public_id=place.practitioner).user
    device = factories.authenticator(user)
    browser = Browser()
    login = node + reverse("accounts:login")
    signed = browser.post(login, {"username": user.email, "password": factories.PASSWORD})
    check(signed.status == 302, f"signing in answered {signed.status}")
    two_factor = node + reverse("accounts:two_factor")
    verified = browser.post(two_factor, {"code": factories.current_code(device), "next": "/"})
    check(verified.status == 302, f"the two-step code answered {verified.status}")
    return browser


def upload_photo(browser: Browser, node: str, chart: str, photo: bytes) -> str:
    """The photo form on the chart page; the chart page shown after, as text."""
    from django.urls import reverse

    action = node + reverse("treatments:action", args=[chart, "photo"])
    fields = {"action": action, "view": "front", "timing": "before"}
    posted = browser.post(node + reverse("treatments:chart", args=[chart]), fields, photo)
    check(posted.status == 302, f"the photo upload answered {posted.status}")
    shown = browser.send(node + reverse("treatments:chart", args=[chart]))
    check(shown.status == 200, f"the chart after the upload answered {shown.status}")
    return shown.text


def files_in(folder: Path) -> list[Path]:
    """Every file under ``folder``, not following links (a node's ``static`` is one)."""
    return [Path(top, name) for top, _, names in os.walk(folder) for name in names]


def photos_through_the_bucket(topology: Topology, place: Clinic) -> None:
    from django.urls import reverse

    from needlepoint.core.storage import NOT_SAVED
    from needlepoint.treatments.models import Photo
    from tests.factories import photo_bytes

    bucket = topology.bucket
    check(bucket is not None, "no bucket was started")
    assert bucket is not None
    first, second = topology.nodes
    starts_at = free_times(topology, place, apart=timedelta(hours=3))[-1]
    status, made = book(first, place, next(place.clients), starts_at)
    check(status == 201, f"the visit to chart answered {status}: {made}")

    browser = practitioner_signs_in(first, place)
    booking_page = first + reverse("scheduling:booking", args=[made["id"]])
    opened = browser.post(
        booking_page, {"action": first + reverse("treatments:open", args=[made["id"]])}
    )
    found = re.search(r"/sessions/([0-9a-f-]{36})/$", opened.headers.get("Location", ""))
    check(opened.status == 302 and found is not None, f"starting the chart: {opened.status}")
    assert found is not None
    chart = found.group(1)
    photos = Photo.objects.filter(session__public_id=chart)

    taken = photo_bytes((800, 600))
    shown = upload_photo(browser, first, chart, taken)
    check(str(NOT_SAVED) not in shown, "the upload on node 1 was refused")
    check(photos.count() == 1, f"{photos.count()} photos after one upload")
    photo = photos.get()
    stored = bucket.objects()
    check(
        set(stored) == {photo.image.name, photo.thumbnail.name},
        f"the bucket holds {sorted(stored)}",
    )
    seen = browser.send(second + reverse("treatments:photo", args=[photo.public_id, "full"]))
    check(seen.status == 200, f"the photo on node 2 answered {seen.status}")
    kind = seen.headers.get("Content-Type")
    check(kind == "image/jpeg", f"the photo on node 2 came as {kind}")
    check(seen.body == stored[photo.image.name], "node 2 served other bytes than the bucket's")
    on_disk = [
        path
        for folder in ("node1", "node2", "data")
        for path in files_in(topology.data(folder))
        if path.name in {Path(name).name for name in stored} or path.read_bytes() in stored.values()
    ]
    check(not on_disk, f"the photo is on disk too: {on_disk}")
    node_files = sum(len(files_in(topology.data(f"node{n}"))) for n in (1, 2))
    say(
        f"  practitioner signed in on node 1 (password, then the authenticator's code), "
        f"started a chart, uploaded a {len(taken)}-byte photo: {len(stored)} objects in "
        f"the bucket ({', '.join(f'{len(data)} bytes' for data in stored.values())}); "
        f"read on node 2: {seen.status}, {kind}, the bucket's {len(seen.body)} bytes; "
        f"files in the nodes' own data folders: {node_files}"
    )

    proxy = bucket.proxy
    proxy.failing = True
    try:
        shown = upload_photo(browser, second, chart, taken)
    finally:
        proxy.failing = False
    check(proxy.requests_refused > 0, "the upload never reached the failing store")
    check(str(NOT_SAVED) in shown, "the upload to a failing store did not say so")
    check(photos.count() == 1, f"{photos.count()} photos after the refused upload")
    check(bucket.objects() == stored, "the refused upload changed the bucket")
    refused = proxy.requests_refused
    shown = upload_photo(browser, second, chart, taken)
    check(str(NOT_SAVED) not in shown, "the retry on node 2 was refused")
    check(photos.count() == 2, f"{photos.count()} photos after the retry")
    check(len(bucket.objects()) == 4, f"the bucket holds {len(bucket.objects())} objects")
    later = photos.exclude(pk=photo.pk).get()
    again = browser.send(first + reverse("treatments:photo", args=[later.public_id, "thumb"]))
    check(again.status == 200, f"the retried photo on node 1 answered {again.status}")
    say(
        f'  store failing: an upload on node 2 answered "{NOT_SAVED}" '
        f"({refused} requests refused by the store), 1 photo row, the bucket unchanged; "
        f"store back: the retry on node 2 saved, 2 photo rows, 4 objects, read on node 1"
    )


CHECKS: list[tuple[str, Callable[[Topology, Clinic], None]]] = [
    ("API bookings racing across both nodes", bookings_race),
    ("confirmations sent exactly once by two workers", messages_once),
    ("calendar feeds on the replica, and without it", reports_on_the_replica),
    ("photos uploaded on one node, read on the other, from the bucket", photos_through_the_bucket),
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
        topology.environment = shared_environment(topology)
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
