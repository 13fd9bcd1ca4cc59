"""The worker's money: what Stripe didn't answer is asked again with the same key, once;
a Stripe that hangs is given up on; fees are charged where the policy says so."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
import stripe
import time_machine

from needlepoint.core.errors import DomainError
from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, InvoiceStatus, Method, PaymentStatus, Purpose
from needlepoint.payments.models import Fee, Invoice, Payment, SavedCard
from needlepoint.payments.queries import to_check
from needlepoint.payments.tasks import charge_fees_due, send_due_payments
from tests import factories
from tests.payments.stripe_helpers import AT, DECIDED, FEE, intents_for, no_show, unreachable

pytestmark = pytest.mark.django_db


def send_due_at(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return services.send_due()


def test_a_fee_charged_while_stripe_is_unreachable_is_unknown_then_charged_once(
    stripe_clinic, stripe_server, settings
) -> None:
    booking = no_show(stripe_clinic, stripe_server)
    customer = SavedCard.objects.get(client=booking.client).stripe_customer
    settings.STRIPE_API_BASE = unreachable()
    with time_machine.travel(DECIDED, tick=False):
        fee = services.fee_charge(booking=booking, by=stripe_clinic.front_desk.user)
    # Nothing half-written: the fee is decided, its invoice issued, one payment, unknown.
    assert fee.status == FeeStatus.CHARGED
    charge = Payment.objects.get(booking=booking)
    assert (charge.method, charge.purpose) == (Method.CARD_ONLINE, Purpose.NO_SHOW_FEE)
    assert (charge.status, charge.stripe_id) == (PaymentStatus.UNKNOWN, "")
    assert "connect" in charge.note.lower()
    invoice = Invoice.objects.get(booking=booking)
    assert invoice.status == InvoiceStatus.ISSUED and invoice.total_minor == FEE
    assert fee.payment == charge and fee.invoice == invoice
    assert to_check(stripe_clinic.organisation).payments == [charge]
    assert intents_for(stripe_server, customer) == []

    settings.STRIPE_API_BASE = stripe_server  # Stripe is back
    assert send_due_at(DECIDED + timedelta(seconds=30)) == 0  # too soon to try again
    assert send_due_at(DECIDED + timedelta(minutes=2)) == 1
    charge.refresh_from_db()
    assert charge.status == PaymentStatus.SUCCEEDED and charge.stripe_id.startswith("pi_")
    assert send_due_at(DECIDED + timedelta(minutes=5)) == 0
    [intent] = intents_for(stripe_server, customer)
    assert (intent.id, intent.amount, intent.status) == (charge.stripe_id, FEE, "succeeded")
    assert intent.metadata["needlepoint_key"] == charge.idempotency_key
    assert not to_check(stripe_clinic.organisation)
    assert services.balance(invoice) == 0


def test_an_unknown_payment_past_the_life_of_its_key_is_left_for_a_person(
    stripe_clinic, stripe_server, settings
) -> None:
    booking = no_show(stripe_clinic, stripe_server)
    settings.STRIPE_API_BASE = unreachable()
    with time_machine.travel(DECIDED, tick=False):
        services.fee_charge(booking=booking, by=None)
    settings.STRIPE_API_BASE = stripe_server
    assert send_due_at(DECIDED + timedelta(hours=24)) == 0  # asking again could charge twice
    charge = Payment.objects.get(booking=booking)
    assert charge.status == PaymentStatus.UNKNOWN
    assert to_check(stripe_clinic.organisation).payments == [charge]


@pytest.fixture
def silent_stripe() -> Iterator[tuple[str, list[socket.socket]]]:
    """A server that accepts connections and never answers; the connections it accepted."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    listener.close()
    for connection in accepted:
        connection.close()


def test_a_stripe_that_never_answers_is_given_up_on_after_the_timeout_once(
    stripe_clinic, stripe_server, settings, silent_stripe
) -> None:
    booking = no_show(stripe_clinic, stripe_server)
    address, accepted = silent_stripe
    settings.STRIPE_API_BASE = address
    settings.STRIPE_TIMEOUT_SECONDS = 0.5
    started = time.monotonic()
    with time_machine.travel(DECIDED, tick=False):
        fee = services.fee_charge(booking=booking, by=None)
    assert time.monotonic() - started < 5
    assert len(accepted) == 1  # the SDK tried once: retries are ours, with the same key
    assert fee.payment is not None and fee.payment.status == PaymentStatus.UNKNOWN


def test_fees_are_charged_by_the_worker_only_where_the_policy_says_so(
    stripe_clinic, stripe_server, other_clinic
) -> None:
    auto = [no_show(stripe_clinic, stripe_server) for _ in range(3)]
    by_hand = no_show(other_clinic, None)
    for booking in [*auto, by_hand]:
        services.fee_open(booking=booking, now=DECIDED)
    policy = services.policy_for(stripe_clinic.location)
    policy.charge_fees_automatically = True
    policy.save()
    with time_machine.travel(DECIDED, tick=False):
        waived = services.fee_waive(booking=auto[2], by=None, reason="Flat tyre")
        result = charge_fees_due.enqueue()
    assert result.return_value == 2
    fees = {fee.booking_id: fee.status for fee in Fee.objects.all()}
    assert fees == {
        auto[0].pk: FeeStatus.CHARGED,
        auto[1].pk: FeeStatus.CHARGED,
        waived.booking_id: FeeStatus.WAIVED,
        by_hand.pk: FeeStatus.PENDING,
    }
    charges = Payment.objects.filter(method=Method.CARD_ONLINE)
    assert sorted(charges.values_list("status", flat=True)) == [PaymentStatus.SUCCEEDED] * 2
    with time_machine.travel(DECIDED + timedelta(minutes=1), tick=False):
        assert charge_fees_due.enqueue().return_value == 0  # each once


def test_a_fee_someone_decided_meanwhile_does_not_stop_the_others(
    stripe_clinic, stripe_server, monkeypatch
) -> None:
    first, second = (no_show(stripe_clinic, stripe_server) for _ in range(2))
    for booking in (first, second):
        services.fee_open(booking=booking, now=DECIDED)
    policy = services.policy_for(stripe_clinic.location)
    policy.charge_fees_automatically = True
    policy.save()
    charge = services.fee_charge

    def decided_meanwhile(*, booking, by):
        if booking == first:  # a person waived it between the worker's list and its charge
            raise DomainError("fee_decided", "This fee was already waived.")
        return charge(booking=booking, by=by)

    monkeypatch.setattr(services, "fee_charge", decided_meanwhile)
    with time_machine.travel(DECIDED, tick=False):
        assert charge_fees_due.enqueue().return_value == 1
    assert Fee.objects.get(booking=second).status == FeeStatus.CHARGED


def test_the_send_task_sends_what_waits_and_settles_nothing_twice(
    stripe_clinic, stripe_server, settings
) -> None:
    bookings = [no_show(stripe_clinic, stripe_server) for _ in range(7)]  # more than a batch
    settings.STRIPE_API_BASE = unreachable()
    with time_machine.travel(DECIDED, tick=False):
        for booking in bookings:
            services.fee_charge(booking=booking, by=None)
    settings.STRIPE_API_BASE = stripe_server
    with time_machine.travel(DECIDED + timedelta(minutes=2), tick=False):
        assert send_due_payments.enqueue().return_value == 7
        assert send_due_payments.enqueue().return_value == 0
    statuses = Payment.objects.values_list("status", flat=True)
    assert list(statuses) == [PaymentStatus.SUCCEEDED] * 7
    for booking in bookings:
        customer = SavedCard.objects.get(client=booking.client).stripe_customer
        assert len(intents_for(stripe_server, customer)) == 1


def test_a_payment_the_client_has_not_made_in_the_browser_is_waited_for_then_failed(
    stripe_clinic, stripe_server
) -> None:
    booking = factories.booked_treatment(stripe_clinic, AT)
    sdk = stripe.StripeClient("sk_test_needlepoint", base_addresses={"api": stripe_server})
    started = sdk.v1.payment_intents.create(params={"amount": 5000, "currency": "gbp"})
    deposit = Payment.objects.create(  # as the card step of online booking leaves it
        organisation=stripe_clinic.organisation,
        location=stripe_clinic.location,
        client=booking.client,
        booking=booking,
        purpose=Purpose.DEPOSIT,
        method=Method.CARD_ONLINE,
        amount_minor=5000,
        currency="GBP",
        status=PaymentStatus.PENDING,
        idempotency_key="deposit-1",
        stripe_id=started.id,
        taken_at=DECIDED,
    )
    assert send_due_at(DECIDED + timedelta(minutes=10)) == 1
    deposit.refresh_from_db()
    assert deposit.status == PaymentStatus.PENDING  # still on the card form, perhaps
    assert send_due_at(DECIDED + timedelta(minutes=10, seconds=30)) == 0  # asked a minute apart
    assert send_due_at(DECIDED + timedelta(hours=2)) == 1
    deposit.refresh_from_db()
    assert (deposit.status, deposit.note) == (PaymentStatus.FAILED, "requires_payment_method")
