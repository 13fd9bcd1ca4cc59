"""Stripe's webhooks: verified with the clinic's signing secret, stored once, and processed
once by the worker, settling our card payments and refunds or keeping what matches nothing
for a person to check."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import stripe
import time_machine

from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, Method, PaymentStatus, Purpose
from needlepoint.payments.keys import seal
from needlepoint.payments.models import Fee, Payment, StripeEvent
from needlepoint.payments.queries import to_check
from needlepoint.payments.stripe_events import stripe_events_process
from tests import factories
from tests.payments.stripe_helpers import (
    AT,
    DECIDED,
    SECRET,
    event,
    intent,
    no_show,
    post,
    refund,
    signature,
    unreachable,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing_clinic(clinic: factories.Clinic) -> factories.Clinic:
    """The test clinic with a webhook signing secret set (no Stripe server needed)."""
    billing = services.billing_for(clinic.organisation)
    billing.stripe_webhook_secret = seal(SECRET)
    billing.save()
    return clinic


def unknown_fee_payment(clinic, server, settings) -> Payment:
    """A fee charged while Stripe could not be reached: the card payment is unknown."""
    booking = no_show(clinic, server)
    settings.STRIPE_API_BASE = unreachable()
    with time_machine.travel(DECIDED, tick=False):
        fee = services.fee_charge(booking=booking, by=clinic.front_desk.user)
    settings.STRIPE_API_BASE = server
    assert fee.payment is not None
    return fee.payment


def process(at=AT + timedelta(hours=2)) -> int:
    with time_machine.travel(at, tick=False):
        return stripe_events_process()


# ---- the endpoint ------------------------------------------------------------------------


def test_our_test_signature_is_the_one_stripes_sdk_makes() -> None:
    payload = json.dumps(event("ping", {})).encode()
    made = stripe.WebhookSignature.generate_signature_header(
        payload.decode(), SECRET, timestamp=int(AT.timestamp())
    )
    assert signature(payload) == made


def test_a_verified_event_is_stored_once_and_a_replay_stores_nothing_new(signing_clinic) -> None:
    sent = event("setup_intent.succeeded", {"id": "seti_1", "object": "setup_intent"})
    first = post(sent)
    again = post(sent, at=AT + timedelta(minutes=3))  # Stripe's retry: the same event
    assert (first.status_code, again.status_code) == (200, 200)
    assert first.json() == {"received": sent["id"]}
    stored = StripeEvent.objects.get()
    assert stored.organisation == signing_clinic.organisation
    assert (stored.event_id, stored.type, stored.payload) == (sent["id"], sent["type"], sent)
    assert stored.received_at == AT and stored.processed_at is None


@pytest.mark.parametrize(
    "how",
    [
        "no signature",
        "another secret",
        "changed on the way",
        "signed too long ago",
        "unknown organisation",
        "not an event",
    ],
)
def test_what_is_not_verified_is_refused_and_nothing_is_stored(signing_clinic, how) -> None:
    sent = event("payment_intent.succeeded", intent("pi_1"))
    payload = json.dumps(sent).encode()
    response = {
        "no signature": lambda: post(sent, header=""),
        "another secret": lambda: post(sent, secret="whsec_someone_else"),
        "changed on the way": lambda: post(
            payload.replace(b"succeeded", b"failed"), header=signature(payload)
        ),
        "signed too long ago": lambda: post(sent, signed_at=AT - timedelta(minutes=6)),
        "unknown organisation": lambda: post(sent, organisation="nobody"),
        "not an event": lambda: post(b'["a list"]'),
    }[how]()
    assert response.status_code == 400
    assert response.json() == {"error": "not_verified"}
    assert not StripeEvent.objects.exists()


def test_a_clinic_without_a_signing_secret_accepts_nothing(clinic) -> None:
    response = post(event("payment_intent.succeeded", intent("pi_1")))
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_one_clinics_secret_does_not_sign_for_another(signing_clinic, other_clinic) -> None:
    billing = services.billing_for(other_clinic.organisation)
    billing.stripe_webhook_secret = seal("whsec_elsewhere")
    billing.save()
    sent = event("payment_intent.succeeded", intent("pi_1"))
    assert post(sent, organisation="elsewhere").status_code == 400  # signed with ours
    assert post(sent, organisation="elsewhere", secret="whsec_elsewhere").status_code == 200
    assert StripeEvent.objects.get().organisation == other_clinic.organisation
    # the same event id, signed by our own secret, is ours to keep: no clinic shadows another
    assert post(sent).status_code == 200
    assert StripeEvent.objects.filter(event_id=sent["id"]).count() == 2


def test_only_a_post_of_a_sensible_size_is_read(signing_clinic) -> None:
    from django.test import Client as Browser
    from django.urls import reverse

    url = reverse("payments:stripe_webhook", kwargs={"organisation": "test-skin"})
    with time_machine.travel(AT, tick=False):
        assert Browser().get(url).status_code == 405
    huge = event("setup_intent.succeeded", {"id": "seti_1", "padding": "x" * 300_000})
    assert post(huge).status_code == 413
    assert not StripeEvent.objects.exists()


# ---- processing --------------------------------------------------------------------------


def test_a_success_settles_the_unknown_fee_payment_by_its_key_once(
    stripe_clinic, stripe_server, settings
) -> None:
    payment = unknown_fee_payment(stripe_clinic, stripe_server, settings)
    assert payment.status == PaymentStatus.UNKNOWN and payment.stripe_id == ""
    sent = event(
        "payment_intent.succeeded", intent("pi_late", key=payment.idempotency_key)
    )  # the answer that never reached us, told by the webhook
    assert post(sent).status_code == 200
    assert process() == 1
    payment.refresh_from_db()
    assert (payment.status, payment.stripe_id) == (PaymentStatus.SUCCEEDED, "pi_late")
    assert Fee.objects.get().status == FeeStatus.CHARGED
    stored = StripeEvent.objects.get()
    assert stored.processed_at == AT + timedelta(hours=2)
    assert stored.outcome == f"settled: payment {payment.pk} succeeded"
    assert process() == 0  # processed once
    assert post(sent).status_code == 200 and process() == 0  # a replay: nothing again
    assert not to_check(stripe_clinic.organisation)


def test_a_failure_fails_the_fee_payment_and_the_fee_is_owed(
    stripe_clinic, stripe_server, settings
) -> None:
    payment = unknown_fee_payment(stripe_clinic, stripe_server, settings)
    declined = intent(
        "pi_declined",
        "requires_payment_method",
        key=payment.idempotency_key,
        last_payment_error={"message": "Your card was declined."},
    )
    post(event("payment_intent.payment_failed", declined))
    assert process() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.note == "Your card was declined."
    assert Fee.objects.get().status == FeeStatus.DUE


def test_an_event_for_a_settled_payment_changes_nothing(stripe_clinic, stripe_server) -> None:
    booking = no_show(stripe_clinic, stripe_server)
    with time_machine.travel(DECIDED, tick=False):
        fee = services.fee_charge(booking=booking, by=None)
    charge = fee.payment
    assert charge is not None and charge.status == PaymentStatus.SUCCEEDED
    post(event("payment_intent.succeeded", intent(charge.stripe_id)))
    post(
        event("payment_intent.payment_failed", intent(charge.stripe_id, "requires_payment_method"))
    )
    assert process() == 2
    outcomes = set(StripeEvent.objects.values_list("outcome", flat=True))
    assert outcomes == {"already settled"}  # the failure: an earlier try, told late
    charge.refresh_from_db()
    assert charge.status == PaymentStatus.SUCCEEDED


def test_money_taken_for_a_payment_recorded_as_failed_is_for_a_person_to_check(
    stripe_clinic, stripe_server, settings
) -> None:
    payment = unknown_fee_payment(stripe_clinic, stripe_server, settings)
    post(
        event(
            "payment_intent.payment_failed",
            intent("pi_x", "requires_payment_method", key=payment.idempotency_key),
        )
    )
    post(event("payment_intent.succeeded", intent("pi_x")))
    assert process() == 2
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED  # a settled payment never changes
    checked = to_check(stripe_clinic.organisation)
    assert [e.outcome for e in checked.events] == [
        f"check: Stripe says payment {payment.pk} succeeded, recorded as failed"
    ]


def test_a_payment_made_in_the_browser_waits_for_the_clients_next_try_and_settles(
    stripe_clinic, stripe_server
) -> None:
    booking = factories.booked_treatment(stripe_clinic, AT)
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
        stripe_id="pi_browser",
        taken_at=AT - timedelta(days=1),
    )
    declined = intent("pi_browser", "requires_payment_method")
    post(event("payment_intent.payment_failed", declined))
    assert process() == 1
    deposit.refresh_from_db()
    assert deposit.status == PaymentStatus.PENDING  # the client tries another card
    post(event("payment_intent.succeeded", intent("pi_browser")))
    assert process() == 1
    deposit.refresh_from_db()
    assert deposit.status == PaymentStatus.SUCCEEDED
    outcomes = list(StripeEvent.objects.order_by("pk").values_list("outcome", flat=True))
    assert outcomes == [
        "noted: declined, the client may try again",
        f"settled: payment {deposit.pk} succeeded",
    ]


def test_refunds_settle_by_their_id_or_key_and_a_stranger_is_unmatched(
    stripe_clinic, stripe_server
) -> None:
    booking = no_show(stripe_clinic, stripe_server)
    with time_machine.travel(DECIDED, tick=False):
        charge = services.fee_charge(booking=booking, by=None).payment
        assert charge is not None
        made = [
            services.refund_make(
                payment=charge, amount_minor=1000, to_credit=False, reason=why, by=None, key=key
            )
            for why, key in (("Half waived", "r1"), ("Goodwill", "r2"))
        ]
    assert all(r.status == PaymentStatus.PENDING for r in made)  # not sent yet
    post(event("refund.updated", refund("re_one", key="r1")))
    charge_refunded = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": charge.stripe_id,
        "refunds": {"object": "list", "data": [refund("re_two", key="r2"), refund("re_dash")]},
    }
    post(event("charge.refunded", charge_refunded))
    assert process() == 2
    first, second = (Payment.objects.get(pk=r.pk) for r in made)
    assert (first.status, first.stripe_id) == (PaymentStatus.SUCCEEDED, "re_one")
    assert (second.status, second.stripe_id) == (PaymentStatus.SUCCEEDED, "re_two")
    assert first.note == "Half waived"  # the reason stays
    outcome = StripeEvent.objects.get(type="charge.refunded").outcome
    assert outcome == f"unmatched; settled: refund {second.pk} succeeded"  # re_dash: not ours
    assert [e.type for e in to_check(stripe_clinic.organisation).events] == ["charge.refunded"]


def test_a_refund_that_fails_after_it_succeeded_is_for_a_person_to_check(
    stripe_clinic, stripe_server
) -> None:
    booking = no_show(stripe_clinic, stripe_server)
    with time_machine.travel(DECIDED, tick=False):
        charge = services.fee_charge(booking=booking, by=None).payment
        assert charge is not None
        given = services.payment_send(
            services.refund_make(
                payment=charge,
                amount_minor=1000,
                to_credit=False,
                reason="Waived",
                by=None,
                key="r",
            )
        )
    assert given.status == PaymentStatus.SUCCEEDED
    post(event("refund.failed", refund(given.stripe_id, "failed")))
    process()
    assert StripeEvent.objects.get().outcome.startswith("check: Stripe says refund")


def test_what_is_not_ours_is_kept_unmatched_and_a_saved_card_is_noted(signing_clinic) -> None:
    post(event("payment_intent.succeeded", intent("pi_from_the_dashboard")))
    post(event("customer.created", {"id": "cus_1", "object": "customer"}))
    post(event("setup_intent.succeeded", {"id": "seti_1", "object": "setup_intent"}))
    assert process() == 3
    outcomes = dict(StripeEvent.objects.values_list("type", "outcome"))
    assert outcomes == {
        "payment_intent.succeeded": "unmatched",
        "customer.created": "unmatched",
        "setup_intent.succeeded": "noted",
    }
    checked = to_check(signing_clinic.organisation)
    assert {e.type for e in checked.events} == {"payment_intent.succeeded", "customer.created"}
    assert checked.payments == []


def test_an_event_matches_only_its_own_clinics_payments(
    stripe_clinic, stripe_server, settings, other_clinic
) -> None:
    payment = unknown_fee_payment(stripe_clinic, stripe_server, settings)
    billing = services.billing_for(other_clinic.organisation)
    billing.stripe_webhook_secret = seal("whsec_elsewhere")
    billing.save()
    claimed = event("payment_intent.succeeded", intent("pi_z", key=payment.idempotency_key))
    post(claimed, organisation="elsewhere", secret="whsec_elsewhere")
    process()
    assert StripeEvent.objects.get().outcome == "unmatched"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.UNKNOWN
    assert to_check(stripe_clinic.organisation).payments == [payment]
    assert to_check(other_clinic.organisation).payments == []
