"""Sending the outbox: due messages once, with their key; failures retried, then shown."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.db import InterfaceError, OperationalError

from needlepoint.core import outbox
from needlepoint.notifications.channels import HttpSms, message_id, send_email
from needlepoint.notifications.choices import MessageStatus
from needlepoint.notifications.delivery import STOPPED, claim, deliver_due, resend, send_one
from needlepoint.notifications.management.commands.worker import run_reconnecting
from needlepoint.notifications.models import Message
from needlepoint.notifications.planner import GIVE_UP_AFTER
from needlepoint.notifications.rendering import render
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from tests import factories

BOOKED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
VISIT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture
def booking(clinic):
    return booking_create(
        client=factories.screened_client(clinic.organisation, first_name="Nia"),
        service=factories.service(clinic.location),
        starts_at=VISIT,
        channel=Channel.STAFF,
        now=BOOKED_AT,
    )


def test_only_due_messages_go_and_each_carries_its_key(booking):
    sent = deliver_due(worker_id="test", now=BOOKED_AT)
    assert sent == 1
    (email,) = mail.outbox
    confirmation = Message.objects.get(kind="booking_confirmed")
    assert confirmation.status == MessageStatus.SENT
    assert email.extra_headers["X-Idempotency-Key"] == confirmation.idempotency_key
    assert email.message()["Message-ID"] == f"<{confirmation.idempotency_key}@127.0.0.1>"
    assert email.subject == "Your appointment is confirmed: Wednesday 25 November 2026 at 10:00"
    assert "Hello Nia" in email.body
    assert email.alternatives[0][1] == "text/html"
    assert email.attachments[0][0] == "appointment.ics"
    assert Message.objects.filter(status=MessageStatus.PENDING).count() == 3


def test_reminders_go_when_their_time_comes(booking):
    with time_machine.travel(VISIT - timedelta(hours=47), tick=False):
        deliver_due(worker_id="test")
    subjects = [email.subject for email in mail.outbox]
    assert subjects == [
        "Your appointment is confirmed: Wednesday 25 November 2026 at 10:00",
        "Getting ready for your treatment on Wednesday 25 November 2026 at 10:00",
        "Reminder: your appointment on Wednesday 25 November 2026 at 10:00",
    ]
    assert Message.objects.get(step="2h").status == MessageStatus.PENDING


def test_a_failing_channel_is_retried_with_delays_then_shown_as_failed(booking, settings):
    settings.EMAIL_BACKEND = "tests.notifications.backends.BrokenEmail"
    confirmation = Message.objects.get(kind="booking_confirmed")
    moments = [BOOKED_AT, BOOKED_AT + timedelta(minutes=2), BOOKED_AT + timedelta(minutes=8)]
    moments.append(BOOKED_AT + timedelta(minutes=40))
    for moment in moments:
        with time_machine.travel(moment, tick=False):
            deliver_due(worker_id="test", now=moment)
    confirmation.refresh_from_db()
    assert confirmation.status == MessageStatus.FAILED
    assert confirmation.attempts == 4
    assert "ConnectionRefusedError: the mail server is down" in confirmation.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    resend(confirmation)
    deliver_due(worker_id="test")
    confirmation.refresh_from_db()
    assert confirmation.status == MessageStatus.SENT


def test_a_crash_after_sending_is_resent_under_the_same_message_id(booking, settings, tmp_path):
    """Sent, then the worker dies before marking it: the retry carries the same key and
    Message-ID, and the row says what happened."""
    settings.EMAIL_BACKEND = "needlepoint.notifications.channels.KeyedFileEmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.MESSAGE_LEASE_SECONDS = 60
    claimed = claim(worker_id="crashes", now=BOOKED_AT)
    assert claimed is not None
    in_database = Message.objects.get(pk=claimed.pk)  # the try is recorded before the send
    assert (in_database.status, in_database.attempts, in_database.claimed_by) == (
        "sending",
        1,
        "crashes",
    )
    send_email(claimed.recipient, render(claimed), claimed.idempotency_key)  # then it dies
    first = next(Path(tmp_path).iterdir()).read_bytes()
    deliver_due(worker_id="restarted", now=BOOKED_AT + timedelta(seconds=30))
    claimed.refresh_from_db()
    assert claimed.status == MessageStatus.SENDING  # still leased to the dead worker
    deliver_due(worker_id="restarted", now=BOOKED_AT + timedelta(seconds=61))
    claimed.refresh_from_db()
    assert (claimed.status, claimed.attempts, claimed.claimed_by) == ("sent", 2, "restarted")
    assert claimed.last_error.startswith(STOPPED)
    assert "crashes" in claimed.last_error
    assert [path.name for path in Path(tmp_path).iterdir()] == [f"{claimed.idempotency_key}.eml"]
    assert f"Message-ID: {message_id(claimed.idempotency_key)}".encode() in first


def test_a_worker_whose_claim_was_taken_over_does_not_mark_the_message(booking, settings):
    settings.MESSAGE_LEASE_SECONDS = 60
    slow = claim(worker_id="slow", now=BOOKED_AT)
    assert slow is not None
    taken = claim(worker_id="other", now=BOOKED_AT + timedelta(seconds=61))
    assert taken is not None and taken.pk == slow.pk
    send_one(slow, worker_id="slow")  # it finishes at last: the row is the other's now
    taken.refresh_from_db()
    assert (taken.status, taken.claimed_by, taken.attempts) == ("sending", "other", 2)
    send_one(taken, worker_id="other")
    taken.refresh_from_db()
    assert taken.status == MessageStatus.SENT
    assert {email.extra_headers["Message-ID"] for email in mail.outbox} == {
        message_id(taken.idempotency_key)
    }


def test_a_message_that_keeps_stopping_its_worker_is_failed_not_sent_forever(booking, settings):
    settings.MESSAGE_LEASE_SECONDS = 60
    moment = BOOKED_AT
    for _ in range(GIVE_UP_AFTER):
        crashed = claim(worker_id="crashes", now=moment)
        assert crashed is not None and crashed.kind == "booking_confirmed"
        moment += timedelta(seconds=61)
    assert claim(worker_id="crashes", now=moment) is None  # nothing else is due yet
    crashed.refresh_from_db()
    assert crashed.status == MessageStatus.FAILED
    assert crashed.last_error == f"{STOPPED}, {GIVE_UP_AFTER} times; it may have arrived."
    assert mail.outbox == []


def test_marking_waits_for_a_lost_database_connection(monkeypatch):
    monkeypatch.setattr(outbox.time, "sleep", lambda seconds: None)
    answers: list[object] = [OperationalError("server closed the connection"), InterfaceError(), 1]

    def write() -> object:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert outbox.reconnecting(write, patience=60, what="marking") == 1
    answers[:] = [OperationalError("still down")] * 100
    with pytest.raises(OperationalError):
        outbox.reconnecting(write, patience=3, what="marking")  # 0.5 + 1 s, then gives up


def test_the_worker_starts_again_after_losing_the_database_and_backs_off(monkeypatch):
    closed: list[bool] = []
    monkeypatch.setattr(
        "needlepoint.notifications.management.commands.worker.drop_connection",
        lambda: closed.append(True),
    )
    failures = [OperationalError("terminated"), InterfaceError("closed"), OperationalError("down")]
    runs: list[int] = []

    def run() -> None:
        runs.append(1)
        if failures:
            raise failures.pop(0)

    slept: list[float] = []
    run_reconnecting(run, sleep=slept.append, first_delay=1, longest_delay=3)
    assert (len(runs), slept, len(closed)) == (4, [1, 2, 3], 3)

    def broken() -> None:
        raise ValueError("a bug, not the database")

    with pytest.raises(ValueError):
        run_reconnecting(broken, sleep=slept.append)


def test_texts_go_to_the_file_backend_once_per_key(clinic, settings, tmp_path):
    settings.SMS_URL = f"file:{tmp_path}"
    client = factories.screened_client(clinic.organisation, message_channel="sms")
    booking_create(
        client=client,
        service=factories.service(clinic.location),
        starts_at=VISIT,
        channel=Channel.STAFF,
        now=BOOKED_AT,
    )
    deliver_due(worker_id="test", now=BOOKED_AT)
    (text,) = list(Path(tmp_path).iterdir())
    content = text.read_text()
    assert content.startswith(f"To: {client.phone}")
    assert "confirmed for Wednesday 25 November 2026 at 10:00" in content


def test_the_http_sms_adapter_sends_the_key_as_its_idempotency_header():
    received: list[tuple[dict[str, str], dict[str, str]]] = []

    class Provider(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((dict(self.headers), body))
            self.send_response(202)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=server.handle_request, daemon=True).start()
    url = f"http://acct:secret@127.0.0.1:{server.server_port}/messages"
    HttpSms(url).send("+447400123456", "Reminder", "key-123")
    server.server_close()
    ((headers, body),) = received
    assert headers["Idempotency-Key"] == "key-123"
    assert headers["Authorization"].startswith("Basic ")
    assert body == {"to": "+447400123456", "text": "Reminder"}
