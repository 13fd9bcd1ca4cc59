"""The worker posts webhooks as it runs in production: separate processes, side by side."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from needlepoint.webhooks.models import DeliveryStatus, Event, WebhookDelivery, WebhookSubscription
from tests.notifications.test_worker import database_url, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

DELIVERIES = 300
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workers(tmp_path) -> Iterator[list[subprocess.Popen[bytes]]]:
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "NEEDLEPOINT_SCHEDULER_SECONDS": "0.3",
        "NEEDLEPOINT_WEBHOOK_ALLOW_HTTP": "true",
        "NEEDLEPOINT_WEBHOOK_ALLOW_PRIVATE": "true",
    }
    started = [
        subprocess.Popen(
            [sys.executable, "-m", "needlepoint.cli", "worker", "--interval", "0.1"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    yield started
    for process in started:
        process.kill()
        process.wait()


def test_two_workers_never_post_the_same_delivery_twice(clinic, receiver, request):
    subscription = WebhookSubscription.objects.create(
        organisation=clinic.organisation, url=receiver.url, events=["booking.created"]
    )
    now = timezone.now()
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            event=Event.BOOKING_CREATED,
            payload={"n": n},
            next_attempt_at=now,
            created_at=now,
        )
        for n in range(DELIVERIES)
    )
    request.getfixturevalue("workers")  # both start at once, with every row already due
    sent = WebhookDelivery.objects.filter(status=DeliveryStatus.SENT)
    wait_for(lambda: sent.count() == DELIVERIES, 120)
    posted = Counter(item.headers["X-Needlepoint-Delivery"] for item in receiver.received)
    assert sorted(posted) == sorted(str(row.idempotency_key) for row in rows)
    assert set(posted.values()) == {1}  # each posted once
    assert set(WebhookDelivery.objects.values_list("attempts", flat=True)) == {1}
