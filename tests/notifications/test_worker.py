"""The worker as it runs in production: separate processes, killed without warning.

Each test commits its data (a transactional test), starts ``needlepoint worker``
processes against the same database, and counts what arrived: files in the keyed file
backend, or emails at a slow local SMTP server (``smtp_sink.py``), which, like any real
one, keeps every copy it is sent.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from needlepoint.notifications.choices import MessageKind, MessageStatus
from needlepoint.notifications.models import Message, WorkerHeartbeat, idempotency_key
from needlepoint.notifications.tasks import deliver_due_messages
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories
from tests.notifications.smtp_sink import Received, SlowSmtpSink

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = 300
ROOT = Path(__file__).resolve().parents[2]
Start = Callable[..., "subprocess.Popen[bytes]"]


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def outbox(tmp_path) -> Path:
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def start_worker(outbox, tmp_path) -> Iterator[Start]:
    """Starts ``needlepoint worker`` processes; each one's output goes to worker-N.log."""
    started: list[subprocess.Popen[bytes]] = []
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"file:{outbox}",
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "NEEDLEPOINT_SCHEDULER_SECONDS": "0.3",
        "NEEDLEPOINT_MESSAGE_LEASE_SECONDS": "3",
        "LOG_FORMAT": "text",
    }

    def start(**overrides: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "needlepoint.cli", "worker", "--interval", "0.1"],
            cwd=ROOT,
            env=environment | overrides,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.fixture
def booking(clinic) -> Booking:
    start = (timezone.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    start += timedelta(days=max(0, 7 - start.weekday()) if start.weekday() >= 5 else 0)
    booking = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=factories.service(clinic.location),
        starts_at=start,  # a weekday morning a week ahead: open, whatever today is
        channel=Channel.STAFF,
    )
    Message.objects.all().delete()
    return booking


def plan_due(booking: Booking, count: int, tag: str = "") -> list[Message]:
    """``count`` reminders due now, for one booking, each to its own address."""
    due = timezone.now() - timedelta(minutes=1)
    subject = f"booking:{booking.public_id}"
    addresses = [f"client{tag}{n}@example.test" for n in range(count)]
    rows = [
        Message(
            organisation_id=booking.client.organisation_id,
            client=booking.client,
            kind=MessageKind.REMINDER,
            subject=subject,
            step="48h",
            channel="email",
            recipient=address,
            due_at=due,
            next_attempt_at=due,
            idempotency_key=idempotency_key(
                "reminder", subject, "48h", "email", address, due.isoformat()
            ),
        )
        for address in addresses
    ]
    return Message.objects.bulk_create(rows)


@pytest.fixture
def due_messages(booking) -> list[Message]:
    return plan_due(booking, MESSAGES)


def wait_for(condition: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.1)


def sent() -> int:
    return Message.objects.filter(status=MessageStatus.SENT).count()


def delivered(outbox: Path) -> list[str]:
    return sorted(path.stem for path in outbox.glob("*.eml"))


def copies_by_key(received: list[Received]) -> dict[str, list[Received]]:
    """What the SMTP server got, by message key; each copy's Message-ID names its key."""
    copies: dict[str, list[Received]] = defaultdict(list)
    for email in received:
        assert email.message_id.startswith(f"<{email.key}@"), email
        copies[email.key].append(email)
    return copies


def test_killed_mid_batch_and_restarted_every_message_arrives_exactly_once(
    due_messages, start_worker, outbox
):
    first = start_worker()
    wait_for(lambda: len(delivered(outbox)) >= 60, 60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert len(delivered(outbox)) < MESSAGES  # it really died mid-way
    start_worker()
    wait_for(lambda: sent() == MESSAGES, 120)
    keys = {message.idempotency_key for message in due_messages}
    assert delivered(outbox) == sorted(keys)  # one file per message, none twice, none lost


def test_two_workers_at_once_never_send_the_same_message_twice(due_messages, start_worker, outbox):
    start_worker()
    start_worker()
    wait_for(lambda: sent() == MESSAGES, 120)
    attempts = set(Message.objects.values_list("attempts", flat=True))
    assert attempts == {1}  # each message was claimed, and so sent, by one worker only
    assert len(delivered(outbox)) == MESSAGES
    workers = set(Message.objects.values_list("claimed_by", flat=True))
    assert len(workers) >= 1
    assert WorkerHeartbeat.objects.count() == 2


@pytest.mark.parametrize("workers", [2, 4])
def test_workers_sharing_a_slow_smtp_server_send_each_message_exactly_once(
    booking, start_worker, workers
):
    """A real SMTP server keeps every copy: the count there is the count clients get."""
    with SlowSmtpSink(delay=0.1) as sink:
        for _ in range(workers):
            start_worker(EMAIL_URL=sink.url)
        # Every worker is up and polling before anything is due, however slowly a loaded
        # machine starts them, so they really share the work.
        wait_for(lambda: WorkerHeartbeat.objects.count() == workers, 60)
        messages = plan_due(booking, 80)
        wait_for(lambda: sent() == len(messages), 60)
        time.sleep(0.5)  # anything still on its way arrives
        received = sink.messages()
    copies = copies_by_key(received)
    assert len(received) == len(messages)  # not one more
    assert set(copies) == {message.idempotency_key for message in messages}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}
    assert len(set(Message.objects.values_list("claimed_by", flat=True))) > 1  # they shared


def test_a_send_slower_than_the_lease_is_not_taken_over_by_another_worker(booking, start_worker):
    """The lease is renewed while a send goes on, however slow the server is."""
    messages = plan_due(booking, 4)
    with SlowSmtpSink(delay=3) as sink:
        for _ in range(2):
            start_worker(EMAIL_URL=sink.url, NEEDLEPOINT_MESSAGE_LEASE_SECONDS="2")
        wait_for(lambda: sent() == len(messages), 60)
        received = sink.messages()
    assert len(received) == len(messages)
    assert set(copies_by_key(received)) == {message.idempotency_key for message in messages}
    assert set(Message.objects.values_list("attempts", flat=True)) == {1}


def test_workers_killed_at_random_points_lose_nothing_and_repeat_only_under_one_message_id(
    booking, start_worker
):
    """SIGKILL mid-send: the message in flight may arrive twice, never as a new message."""
    seed = random.randrange(1_000_000)
    chance = random.Random(seed)
    messages = plan_due(booking, 100)
    kills = 0
    with SlowSmtpSink(delay=0.1) as sink:
        settings = {"EMAIL_URL": sink.url, "NEEDLEPOINT_MESSAGE_LEASE_SECONDS": "2"}
        workers = [start_worker(**settings), start_worker(**settings)]
        wait_for(lambda: len(sink.messages()) >= 2, 60)
        while kills < 4 and sent() < len(messages) - 10:
            time.sleep(chance.uniform(0.1, 1.0))
            victim = workers.pop(chance.randrange(len(workers)))
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            kills += 1
            workers.append(start_worker(**settings))
        wait_for(lambda: sent() == len(messages), 90)
        time.sleep(0.5)
        received = sink.messages()
    copies = copies_by_key(received)
    assert set(copies) == {message.idempotency_key for message in messages}, seed  # none lost
    for key, each in copies.items():
        assert len({email.message_id for email in each}) == 1, (seed, key)  # a repeat is one
    repeated = {key for key, each in copies.items() if len(each) > 1}
    assert len(received) - len(messages) <= kills, seed  # at most the one in flight per kill
    again = Message.objects.filter(idempotency_key__in=repeated)
    assert all(message.attempts >= 2 for message in again), seed  # the crash is on record
    assert all("stopped while sending" in message.last_error for message in again), seed
    assert kills == 4, seed


def test_a_booking_confirmation_leaves_at_the_next_poll_not_the_next_tick(
    clinic, start_worker, outbox, settings
):
    """A booking writes no wake-up row on the database queue: the worker looks for due
    messages at every poll, so its confirmation leaves within seconds even when the
    scheduler's next tick is an hour away."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    start_worker(NEEDLEPOINT_SCHEDULER_SECONDS="3600")
    first_tick = DBTaskResult.objects.filter(
        task_path=deliver_due_messages.module_path, status=TaskResultStatus.SUCCESSFUL
    )
    wait_for(first_tick.exists, 60)  # the first tick's delivery ran, with nothing due
    start = (timezone.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    start += timedelta(days=max(0, 7 - start.weekday()) if start.weekday() >= 5 else 0)
    booking = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=factories.service(clinic.location),
        starts_at=start,
        channel=Channel.STAFF,
    )
    confirmation = Message.objects.get(
        subject=f"booking:{booking.public_id}", kind=MessageKind.BOOKING_CONFIRMED
    )
    wait_for(lambda: confirmation.idempotency_key in delivered(outbox), 20)


def terminate_worker_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return len(cursor.fetchall())


@pytest.mark.postgres
def test_the_worker_reconnects_after_losing_its_database_connection(booking, start_worker):
    worker = start_worker()
    plan_due(booking, 5, "before")
    wait_for(lambda: sent() == 5, 60)
    for round in range(2):
        cut_at = timezone.now()
        assert terminate_worker_connections() >= 1  # the worker's threads were connected
        plan_due(booking, 5, f"after{round}")
        wait_for(lambda expected=5 * (round + 2): sent() == expected, 60)
        wait_for(lambda cut_at=cut_at: WorkerHeartbeat.objects.get().beat_at > cut_at, 30)
    assert worker.poll() is None  # still running


def test_the_worker_writes_a_heartbeat(start_worker):
    start_worker()
    wait_for(lambda: WorkerHeartbeat.objects.exists(), 30)
    beat = WorkerHeartbeat.objects.get()
    assert timezone.now() - beat.beat_at < timedelta(seconds=30)
    assert beat.started_at <= beat.beat_at
