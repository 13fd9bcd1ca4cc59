"""Money through Stripe (localstripe): fees from a saved card, card refunds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import stripe

from needlepoint.core.money import Money
from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, Method, PaymentStatus, Purpose
from needlepoint.payments.models import Payment, SavedCard
from needlepoint.scheduling.services import booking_no_show
from tests import factories

pytestmark = pytest.mark.django_db
AT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)


def save_card(client, server: str) -> SavedCard:
    """What the card step of online booking leaves: a customer with a card on file."""
    sdk = stripe.StripeClient("sk_test_needlepoint", base_addresses={"api": server})
    customer = sdk.v1.customers.create(params={"email": client.email})
    method = sdk.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2031, "cvc": "123"},
        }
    )
    sdk.v1.payment_methods.attach(method.id, params={"customer": customer.id})
    return SavedCard.objects.create(
        client=client,
        stripe_customer=customer.id,
        stripe_payment_method=method.id,
        brand="visa",
        last4="4242",
        saved_at=AT,
    )


def test_a_no_show_fee_is_charged_to_the_saved_card_once(stripe_clinic, stripe_server) -> None:
    booking = factories.booked_treatment(stripe_clinic, AT)
    save_card(booking.client, stripe_server)
    policy = services.policy_for(stripe_clinic.location)
    policy.no_show_fee_minor = 3000
    policy.save()
    booking_no_show(booking=booking, now=AT + timedelta(minutes=20))
    fee = services.fee_charge(
        booking=booking, by=stripe_clinic.front_desk.user, now=AT + timedelta(hours=1)
    )
    assert fee.status == FeeStatus.CHARGED
    charge = Payment.objects.get(purpose=Purpose.NO_SHOW_FEE, method=Method.CARD_ONLINE)
    assert charge.status == PaymentStatus.SUCCEEDED and charge.stripe_id.startswith("pi_")
    assert services.balance(fee.invoice) == 0
    refund = services.refund_make(
        payment=charge, amount_minor=1000, to_credit=False, reason="Half waived", by=None, key="r1"
    )
    assert services.payment_send(refund).status == PaymentStatus.SUCCEEDED
    assert refund.__class__.objects.get(pk=refund.pk).stripe_id.startswith("re_")


def test_the_cash_up_sets_stripes_own_figure_beside_ours(stripe_clinic, stripe_server) -> None:
    booking = factories.booked_treatment(stripe_clinic, AT)
    save_card(booking.client, stripe_server)
    policy = services.policy_for(stripe_clinic.location)
    policy.no_show_fee_minor = 3000
    policy.save()
    booking_no_show(booking=booking, now=AT + timedelta(minutes=20))
    services.fee_charge(booking=booking, by=None, now=AT + timedelta(hours=1))
    closed = services.cash_up_close(
        location=stripe_clinic.location,
        day=AT.date(),
        counted_cash=Money(0, "GBP"),
        notes="",
        by=stripe_clinic.manager.user,
        now=AT + timedelta(hours=9),
    )
    assert closed.card_online_minor == closed.stripe_reported_minor == 3000
