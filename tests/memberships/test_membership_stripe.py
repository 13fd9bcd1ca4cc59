"""Signing up at the desk through Stripe (localstripe): the first period is charged to the
saved card before anything is written; a refused card writes nothing."""

from __future__ import annotations

import pytest
import stripe

from needlepoint.core.errors import DomainError
from needlepoint.memberships import services
from needlepoint.memberships.choices import MembershipStatus
from needlepoint.memberships.models import Membership
from needlepoint.payments.choices import Method, PaymentStatus
from needlepoint.payments.models import Invoice, Payment, SavedCard
from tests import factories
from tests.memberships.helpers import AT, PRICE, plan
from tests.payments.stripe_helpers import intents_for
from tests.payments.test_stripe import save_card

pytestmark = pytest.mark.django_db


def test_the_desk_signs_a_client_up_and_the_first_period_is_charged_once(
    stripe_clinic, stripe_server
) -> None:
    gold = plan(stripe_clinic)
    client = factories.screened_client(stripe_clinic.organisation)
    card = save_card(client, stripe_server)
    by = stripe_clinic.front_desk.user
    membership = services.membership_start(client=client, plan=gold, by=by, key="form-1", now=AT)
    again = services.membership_start(client=client, plan=gold, by=by, key="form-1", now=AT)
    assert again == membership and membership.status == MembershipStatus.ACTIVE
    payment = Payment.objects.get()
    assert (payment.method, payment.status, payment.amount_minor) == (
        Method.CARD_ONLINE,
        PaymentStatus.SUCCEEDED,
        PRICE,
    )
    charged = intents_for(stripe_server, card.stripe_customer)
    assert [(intent.amount, intent.status) for intent in charged] == [(PRICE, "succeeded")]
    assert payment.stripe_id == charged[0].id


def test_a_refused_card_at_the_desk_writes_nothing(stripe_clinic, stripe_server) -> None:
    gold = plan(stripe_clinic)
    client = factories.screened_client(stripe_clinic.organisation)
    sdk = stripe.StripeClient("sk_test_needlepoint", base_addresses={"api": stripe_server})
    customer = sdk.v1.customers.create(params={"email": client.email})
    method = sdk.v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4000000000000341", "exp_month": 12, "exp_year": 2031, "cvc": "123"},
        }
    )
    sdk.v1.payment_methods.attach(method.id, params={"customer": customer.id})
    SavedCard.objects.create(
        client=client,
        stripe_customer=customer.id,
        stripe_payment_method=method.id,
        saved_at=AT,
    )
    with pytest.raises(DomainError) as refused:
        services.membership_start(client=client, plan=gold, by=None, key="form-2", now=AT)
    assert refused.value.code == "card_declined"
    assert not Membership.objects.exists()
    assert not Invoice.objects.exists() and not Payment.objects.exists()
