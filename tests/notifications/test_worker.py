"""The worker as it runs in production: separate processes, killed without warning.

Each test commits its data (a transactional test), starts ``needlepoint worker``
processes against the same database, and counts what the keyed file backend received.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from needlepoint.notifications.choices import MessageKind, MessageStatus
from needlepoint.notifications.models import Message, WorkerHeartbeat, idempotency_key
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGES = 500
ROOT = Path(__file__).resolve().parents[2]


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
def start_worker(outbox, tmp_path) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"file:{outbox}",
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "NEEDLEPOINT_SCHEDULER_SECONDS": "0.3",
        "NEEDLEPOINT_MESSAGE_LEASE_SECONDS": "3",
    }

    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "needlepoint.cli", "worker", "--interval", "0.1"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.fixture
def due_messages(clinic) -> list[Message]:
    """500 reminders due now, for one booking, each to its own address."""
    start = (timezone.now() + timedelta(days=7)).replace(hour=10, minute=0, second=0, microsecond=0)
    start += timedelta(days=max(0, 7 - start.weekday()) if start.weekday() >= 5 else 0)
    booking = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=factories.service(clinic.location),
        starts_at=start,  # a weekday morning a week ahead: open, whatever today is
        channel=Channel.STAFF,
    )
    Message.objects.all().delete()
    due = timezone.now() - timedelta(minutes=1)
    subject = f"booking:{booking.public_id}"
    rows = [
        Message(
            organisation=clinic.organisation,
            client=booking.client,
            kind=MessageKind.REMINDER,
            subject=subject,
            step="48h",
            channel="email",
            recipient=f"client{n}@example.test",
            due_at=due,
            next_attempt_at=due,
            idempotency_key=idempotency_key(
                "reminder", subject, "48h", "email", f"client{n}@example.test", due.isoformat()
            ),
        )
        for n in range(MESSAGES)
    ]
    return Message.objects.bulk_create(rows)


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


def test_the_worker_writes_a_heartbeat(start_worker):
    start_worker()
    wait_for(lambda: WorkerHeartbeat.objects.exists(), 30)
    beat = WorkerHeartbeat.objects.get()
    assert timezone.now() - beat.beat_at < timedelta(seconds=30)
    assert beat.started_at <= beat.beat_at
