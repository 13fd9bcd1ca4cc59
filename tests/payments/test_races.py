"""Money moves once when many try at once: ten clicks on "charge the fee", a desk payment
posted twice, several workers settling and sending.

Each racer runs in its own thread with its own database connection (PostgreSQL, or the
SQLite file whose writers queue on IMMEDIATE transactions and a busy timeout), released
together from a barrier; connections are closed as each thread ends.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connections, transaction

from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, Method, PaymentStatus, Purpose
from needlepoint.payments.models import Fee, Payment, SavedCard, StripeEvent
from needlepoint.payments.stripe_events import stripe_event_receive, stripe_events_process
from tests.payments.stripe_helpers import (
    AT,
    DECIDED,
    FEE,
    event,
    intent,
    intents_for,
    no_show,
    signature,
    unreachable,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),  # real commits, on SQLite and PostgreSQL
]
RACERS = 10


def race(attempts: list[Callable[[], Any]]) -> tuple[list[Any], list[DomainError], list[Any]]:
    """Run each attempt in its own thread, all at once; what they returned, the rules'
    refusals, and anything else raised (a crash, "database is locked")."""
    barrier = threading.Barrier(len(attempts))
    done: list[Any] = []
    refused: list[DomainError] = []
    crashed: list[BaseException] = []

    def run(attempt: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            done.append(attempt())
        except DomainError as error:
            refused.append(error)
        except BaseException as error:  # a crash is what this test looks for  # noqa: BLE001
            crashed.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return done, refused, crashed


def test_ten_clicks_on_charge_the_fee_charge_the_card_once(stripe_clinic, stripe_server) -> None:
    booking = no_show(stripe_clinic, stripe_server)
    customer = SavedCard.objects.get(client=booking.client).stripe_customer
    desk = stripe_clinic.front_desk.user

    def click() -> Fee:
        return services.fee_charge(booking=booking, by=desk, now=DECIDED)

    charged, refused, crashed = race([click] * RACERS)
    assert crashed == []
    assert len(charged) == 1 and len(refused) == RACERS - 1
    assert {error.code for error in refused} == {"fee_decided"}
    fee = Fee.objects.get(booking=booking)
    assert fee.status == FeeStatus.CHARGED
    [card] = Payment.objects.filter(booking=booking)
    assert (card.method, card.purpose, card.amount_minor) == (
        Method.CARD_ONLINE,
        Purpose.NO_SHOW_FEE,
        FEE,
    )
    assert card.status == PaymentStatus.SUCCEEDED and fee.payment == card
    [made] = intents_for(stripe_server, customer)  # one PaymentIntent at Stripe
    assert made.id == card.stripe_id


def test_a_desk_payment_posted_ten_times_at_once_is_recorded_once(clinic) -> None:
    booking = no_show(clinic, None)
    with time_machine.travel(DECIDED, tick=False):
        fee = services.fee_charge(booking=booking, by=None)  # no card: owed on its invoice
    assert fee.status == FeeStatus.DUE and fee.invoice is not None

    def post() -> Payment:
        return services.payment_take(
            location=clinic.location,
            client=booking.client,
            amount=Money(FEE, "GBP"),
            method=Method.CASH,
            by=clinic.front_desk.user,
            key="desk-form-7f3a",
            invoice=fee.invoice,
            now=DECIDED,
        )

    taken, refused, crashed = race([post] * RACERS)
    assert (crashed, refused) == ([], [])
    assert len({payment.pk for payment in taken}) == 1
    assert Payment.objects.filter(method=Method.CASH).count() == 1
    assert services.balance(fee.invoice) == 0


def test_workers_processing_stripes_events_at_once_settle_each_payment_once(
    stripe_clinic, stripe_server, settings
) -> None:
    bookings = [no_show(stripe_clinic, stripe_server) for _ in range(4)]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.STRIPE_API_BASE = unreachable()  # the worker's wake-up waits in the queue
    unknown = []
    for booking in bookings:
        fee = services.fee_charge(booking=booking, by=None, now=DECIDED)
        unknown.append(fee.payment)
    for n, payment in enumerate(unknown):  # each told twice: success, then a late retry
        for copy in range(2):
            told = event(
                "payment_intent.succeeded",
                intent(f"pi_{n}", key=payment.idempotency_key),
                event_id=f"evt_{n}_{copy}",
            )
            payload = json.dumps(told).encode()
            with time_machine.travel(AT, tick=False):
                stripe_event_receive(
                    organisation_slug="test-skin", payload=payload, signature=signature(payload)
                )

    handled, refused, crashed = race([stripe_events_process] * 4)
    assert (crashed, refused) == ([], [])
    assert sum(handled) == 8  # every event, each by one worker
    outcomes = sorted(StripeEvent.objects.values_list("outcome", flat=True))
    assert outcomes == ["already settled"] * 4 + sorted(
        f"settled: payment {p.pk} succeeded" for p in unknown
    )
    assert set(Payment.objects.values_list("status", flat=True)) == {PaymentStatus.SUCCEEDED}


def test_workers_sending_at_once_charge_each_card_once(
    stripe_clinic, stripe_server, settings
) -> None:
    bookings = [no_show(stripe_clinic, stripe_server) for _ in range(6)]
    settings.STRIPE_API_BASE = unreachable()
    with time_machine.travel(DECIDED, tick=False):  # the first try's lease, on our clock
        for booking in bookings:
            services.fee_charge(booking=booking, by=None, now=DECIDED)
    settings.STRIPE_API_BASE = stripe_server
    later = DECIDED + timedelta(minutes=2)

    def worker() -> int:
        return services.send_due(now=later)

    with time_machine.travel(later, tick=False):
        sent, refused, crashed = race([worker] * 4)
    assert (crashed, refused) == ([], [])
    assert sum(sent) == 6
    assert set(Payment.objects.values_list("status", flat=True)) == {PaymentStatus.SUCCEEDED}
    for booking in bookings:
        customer = SavedCard.objects.get(client=booking.client).stripe_customer
        assert len(intents_for(stripe_server, customer)) == 1


@pytest.mark.postgres
def test_a_worker_skips_a_payment_another_holds_instead_of_waiting(
    stripe_clinic, stripe_server, settings
) -> None:
    held_booking, free_booking = (no_show(stripe_clinic, stripe_server) for _ in range(2))
    settings.STRIPE_API_BASE = unreachable()
    with time_machine.travel(DECIDED, tick=False):  # the first try's lease, on our clock
        held, free = (
            services.fee_charge(booking=b, by=None, now=DECIDED).payment
            for b in (held_booking, free_booking)
        )
    settings.STRIPE_API_BASE = stripe_server
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:  # another worker, in the middle of claiming it
        try:
            with transaction.atomic():
                Payment.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        started = time.monotonic()
        with time_machine.travel(DECIDED + timedelta(minutes=2), tick=False):
            assert services.send_due(now=DECIDED + timedelta(minutes=2)) == 1
        assert time.monotonic() - started < 5  # skipped, not waited for
    finally:
        release.set()
        holder.join()
    statuses = dict(Payment.objects.values_list("pk", "status"))
    assert statuses == {held.pk: PaymentStatus.UNKNOWN, free.pk: PaymentStatus.SUCCEEDED}
    with time_machine.travel(DECIDED + timedelta(minutes=3), tick=False):
        assert services.send_due(now=DECIDED + timedelta(minutes=3)) == 1
    assert Payment.objects.get(pk=held.pk).status == PaymentStatus.SUCCEEDED
