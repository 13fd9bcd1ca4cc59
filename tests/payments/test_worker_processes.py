"""Two ``needlepoint worker`` processes side by side, as in production, charging the fees a
location charges automatically and processing Stripe's events: each card is charged
once (localstripe keeps every PaymentIntent it is asked for) and each event processed once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import timezone

from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, Method, PaymentStatus
from needlepoint.payments.models import Fee, Payment, SavedCard, StripeEvent
from needlepoint.payments.stripe_events import stripe_event_receive
from tests.notifications.test_worker import database_url, wait_for
from tests.payments.stripe_helpers import (
    DECIDED,
    event,
    intents_for,
    no_show,
    signature,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
]
ROOT = Path(__file__).resolve().parents[2]
FEES = 8


@pytest.fixture
def workers(tmp_path, stripe_server) -> Iterator[list[subprocess.Popen[bytes]]]:
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "NEEDLEPOINT_DATA_DIR": str(tmp_path),
        "NEEDLEPOINT_SCHEDULER_SECONDS": "0.3",
        "STRIPE_API_BASE": stripe_server,
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


def test_two_workers_charge_each_fee_once_and_process_each_event_once(
    stripe_clinic, stripe_server, settings, request
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    bookings = [no_show(stripe_clinic, stripe_server) for _ in range(FEES)]
    for booking in bookings:
        services.fee_open(booking=booking, now=DECIDED)
    policy = services.policy_for(stripe_clinic.location)
    policy.charge_fees_automatically = True
    policy.save()
    for kind in ("setup_intent.succeeded", "customer.created"):
        payload = json.dumps(event(kind, {"id": f"{kind}-1"})).encode()
        stripe_event_receive(
            organisation_slug="test-skin",
            payload=payload,
            signature=signature(payload, at=timezone.now()),
        )

    request.getfixturevalue("workers")
    charged = Payment.objects.filter(method=Method.CARD_ONLINE, status=PaymentStatus.SUCCEEDED)
    wait_for(lambda: charged.count() == FEES, 120)
    wait_for(lambda: not StripeEvent.objects.filter(processed_at=None).exists(), 30)

    assert set(Fee.objects.values_list("status", flat=True)) == {FeeStatus.CHARGED}
    assert Payment.objects.filter(method=Method.CARD_ONLINE).count() == FEES
    outcomes = dict(StripeEvent.objects.values_list("type", "outcome"))
    assert outcomes == {"setup_intent.succeeded": "noted", "customer.created": "unmatched"}
    for booking in bookings:
        customer = SavedCard.objects.get(client=booking.client).stripe_customer
        assert len(intents_for(stripe_server, customer)) == 1
