"""Money at online booking: the confirm step's terms, the card step through localstripe (the
browser's part done with the SDK, as Stripe.js would), one booking per deposit, a deposit
refunded when its time was taken, and booking as before without Stripe keys."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime
from html import escape

import pytest
import stripe
import time_machine
from django.core import mail

from needlepoint.core.errors import DomainError
from needlepoint.payments import billing, online, services
from needlepoint.payments.choices import DepositKind, Method, PaymentKind, PaymentStatus, Purpose
from needlepoint.payments.models import DepositRule, Payment, PolicyAcceptance, SavedCard
from needlepoint.public.services import online_booking_confirm
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.links import booking_link
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories
from tests.public.test_online_booking import NOW, WEDNESDAY_TEN, no_to_everything, through_to_health

pytestmark = pytest.mark.django_db
SAFETY = (
    "If your practitioner decides, for your safety, that the treatment can't go ahead, there "
    "is no fee and any deposit you paid is refunded in full."
)
DEFAULT_WORDING = (
    "If you can't come, please cancel at least 24 hours before your visit. Cancelling later "
    "than that may cost a late-cancellation fee of £40.00. Missing your visit without "
    f"cancelling may cost a no-show fee of £60.00. {SAFETY}"
)


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def offered(clinic):
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    return factories.service(clinic.location)  # £180.00


@pytest.fixture
def fees(clinic):
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = 6000
    policy.late_cancel_fee_minor = 4000
    policy.save()
    return policy


def deposit_rule(location, kind: str = DepositKind.PERCENT, percent: int = 20) -> DepositRule:
    return DepositRule.objects.create(location=location, kind=kind, percent=percent)


def sdk(server: str) -> stripe.StripeClient:
    return stripe.StripeClient("sk_test_needlepoint", base_addresses={"api": server})


def browser_saves(server: str, setup_intent: str, card: str = "pm_card_visa") -> None:
    """What Stripe.js does with the card typed: confirm the SetupIntent with it."""
    sdk(server).v1.setup_intents.confirm(setup_intent, params={"payment_method": card})


def card_typed(client, server: str, *, key: str = "online-test", card: str = "pm_card_visa"):
    """The card step up to the browser's part: the SetupIntent made and confirmed."""
    step = online.card_step_start(client=client, customer="", setup_intent="", key=key)
    browser_saves(server, step.setup.stripe_id, card)
    return step


# --- the terms and the policy's words -------------------------------------------------------


def test_the_default_policy_is_made_of_the_fees_and_the_window(clinic, fees) -> None:
    assert billing.cancellation_wording(clinic.location) == DEFAULT_WORDING
    fees.no_show_fee_minor = fees.late_cancel_fee_minor = 0
    fees.save()
    assert billing.cancellation_wording(clinic.location) == (
        f"If you can't come, please cancel at least 24 hours before your visit. {SAFETY}"
    )
    fees.cancellation_wording = "  Cancel 2 days ahead or lose your deposit.  "
    fees.save()
    assert billing.cancellation_wording(clinic.location) == (
        "Cancel 2 days ahead or lose your deposit."
    )


def test_the_terms_charge_nothing_without_stripe_keys(clinic, offered, fees) -> None:
    deposit_rule(clinic.location)
    terms = online.terms_for(offered)
    assert (terms.kind, terms.pay_now.minor, terms.takes_card) == ("percent", 0, False)
    assert terms.price.minor == 18000 and terms.to_accept and terms.wording == DEFAULT_WORDING


def test_the_terms_with_stripe_keys_ask_for_the_deposit_or_a_card(stripe_clinic, offered) -> None:
    rule = deposit_rule(stripe_clinic.location)
    terms = online.terms_for(offered)
    assert (terms.pay_now.minor, terms.takes_card, terms.to_accept) == (3600, True, True)
    rule.kind = DepositKind.CARD
    rule.save()
    terms = online.terms_for(offered)
    assert (terms.pay_now.minor, terms.card_only) == (0, True)
    rule.kind = DepositKind.NONE
    rule.save()
    terms = online.terms_for(offered)
    assert (terms.takes_card, terms.to_accept) == (False, False)  # no fees, no own wording


# --- the service: Stripe asked, everything recorded once --------------------------------------


def test_a_paid_deposit_books_with_the_payment_the_card_and_the_policy(
    stripe_clinic, stripe_server, offered, fees
) -> None:
    deposit_rule(stripe_clinic.location)
    someone = factories.screened_client(stripe_clinic.organisation)
    step = card_typed(someone, stripe_server)
    intent = online.deposit_charge(
        organisation=stripe_clinic.organisation,
        setup_intent=step.setup.stripe_id,
        amount=online.terms_for(offered).pay_now,
        key="online-test-deposit",
    )
    assert intent.succeeded and intent.amount == 3600

    def confirm() -> Booking:
        return online_booking_confirm(
            client=someone,
            service=offered,
            starts_at=WEDNESDAY_TEN,
            wording=DEFAULT_WORDING,
            accepted_at=NOW,
            setup_intent=step.setup.stripe_id,
            payment_intent=intent.stripe_id,
        )

    booking = confirm()
    assert confirm() == booking  # the confirm replayed: the same booking, nothing twice
    deposit = Payment.objects.get()
    assert (deposit.booking, deposit.purpose, deposit.method) == (
        booking,
        Purpose.DEPOSIT,
        Method.CARD_ONLINE,
    )
    assert (deposit.amount_minor, deposit.status, deposit.stripe_id) == (
        3600,
        PaymentStatus.SUCCEEDED,
        intent.stripe_id,
    )
    assert deposit.idempotency_key == f"online-deposit-{intent.stripe_id}"
    card = SavedCard.objects.get(client=someone)
    assert (card.stripe_customer, card.brand, card.last4) == (step.customer, "visa", "4242")
    accepted = PolicyAcceptance.objects.get(booking=booking)
    assert (accepted.wording, accepted.deposit_minor, accepted.card_saved) == (
        DEFAULT_WORDING,
        3600,
        True,
    )
    assert accepted.accepted_at == NOW
    assert Booking.objects.count() == 1


def test_a_taken_time_books_nothing_and_refunds_the_deposit(
    stripe_clinic, stripe_server, offered, fees
) -> None:
    deposit_rule(stripe_clinic.location)
    someone = factories.screened_client(stripe_clinic.organisation)
    step = card_typed(someone, stripe_server)
    intent = online.deposit_charge(
        organisation=stripe_clinic.organisation,
        setup_intent=step.setup.stripe_id,
        amount=online.terms_for(offered).pay_now,
        key="online-test-deposit",
    )
    other = factories.screened_client(stripe_clinic.organisation)
    booking_create(client=other, service=offered, starts_at=WEDNESDAY_TEN, channel=Channel.STAFF)
    with pytest.raises(DomainError) as refused:
        online_booking_confirm(
            client=someone,
            service=offered,
            starts_at=WEDNESDAY_TEN,
            wording=DEFAULT_WORDING,
            accepted_at=NOW,
            setup_intent=step.setup.stripe_id,
            payment_intent=intent.stripe_id,
        )
    assert refused.value.code == "slot_taken"
    assert "Your deposit of £36.00 is being refunded to your card." in refused.value.message
    deposit = Payment.objects.get(kind=PaymentKind.PAYMENT)
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert deposit.booking is None and services.refundable(deposit) == 0
    assert (refund.refund_of, refund.amount_minor, refund.method) == (
        deposit,
        3600,
        Method.CARD_ONLINE,
    )
    assert refund.status == PaymentStatus.SUCCEEDED and refund.stripe_id.startswith("re_")
    assert not Booking.objects.filter(client=someone).exists()
    assert not SavedCard.objects.exists() and not PolicyAcceptance.objects.exists()


def test_a_card_declined_when_charged_pays_and_books_nothing(
    stripe_clinic, stripe_server, offered
) -> None:
    deposit_rule(stripe_clinic.location)
    someone = factories.screened_client(stripe_clinic.organisation)
    step = card_typed(someone, stripe_server, card="pm_card_chargeCustomerFail")
    with pytest.raises(DomainError) as refused:
        online.deposit_charge(
            organisation=stripe_clinic.organisation,
            setup_intent=step.setup.stripe_id,
            amount=online.terms_for(offered).pay_now,
            key="online-test-deposit",
        )
    assert (refused.value.code, refused.value.message) == (
        "card_declined",
        "Your card was declined.",
    )
    assert not Payment.objects.exists() and not Booking.objects.exists()


def test_a_deposit_not_paid_is_not_booked_whatever_the_browser_says(
    stripe_clinic, stripe_server, offered
) -> None:
    someone = factories.screened_client(stripe_clinic.organisation)
    step = card_typed(someone, stripe_server)
    unpaid = sdk(stripe_server).v1.payment_intents.create(
        params={"amount": 3600, "currency": "gbp", "customer": step.customer}
    )
    with pytest.raises(DomainError) as refused:
        online_booking_confirm(
            client=someone,
            service=offered,
            starts_at=WEDNESDAY_TEN,
            setup_intent=step.setup.stripe_id,
            payment_intent=unpaid.id,
        )
    assert refused.value.code == "deposit_unpaid"
    assert not Booking.objects.exists() and not Payment.objects.exists()


# --- the pages --------------------------------------------------------------------------------


@pytest.fixture
def base(clinic) -> str:
    return f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book"


def to_confirm(client, base: str, offered) -> str:
    through_to_health(client, base, offered)
    client.post(f"{base}/health/", no_to_everything())
    return client.get(f"{base}/outcome/").content.decode()


def test_the_confirm_step_shows_the_deposit_and_the_policy_and_wants_the_tick(
    client, base, stripe_clinic, offered, fees
) -> None:
    deposit_rule(stripe_clinic.location)
    page = to_confirm(client, base, offered)
    assert "<dt>Price</dt><dd>£180.00</dd>" in page
    assert "<dt>To pay now</dt><dd><strong>£36.00</strong></dd>" in page
    assert "A deposit of £36.00 by card, taken off your bill" in page
    assert escape(DEFAULT_WORDING) in page
    assert "Continue to card details" in page
    page = client.post(f"{base}/outcome/").content.decode()
    assert "Please tick to accept the cancellation policy." in page
    response = client.post(f"{base}/outcome/", {"accept": "on"})
    assert response["Location"] == f"{base}/card/"
    assert not Booking.objects.exists()


def test_online_the_card_step_pays_the_deposit_and_books_once(
    client, base, stripe_clinic, stripe_server, offered, fees, django_capture_on_commit_callbacks
) -> None:
    deposit_rule(stripe_clinic.location)
    to_confirm(client, base, offered)
    client.post(f"{base}/outcome/", {"accept": "on"})
    response = client.get(f"{base}/card/")
    page = response.content.decode()
    assert "Pay £36.00 and book" in page
    assert f'src="{stripe_server}/js.stripe.com/v3/"' in page
    policy = response["Content-Security-Policy"]
    assert f"script-src 'self' {stripe_server}" in policy
    assert f"connect-src 'self' {stripe_server}" in policy
    setup = client.session[f"booking-draft-{stripe_clinic.location.pk}"]["card"]["setup"]
    assert f'data-setup-secret="{setup}_secret_' in page
    browser_saves(stripe_server, setup)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}/card/")
    booking = Booking.objects.get()
    assert response["Location"] == booking_link(booking)
    assert client.post(f"{base}/card/")["Location"] == f"{base}/"  # the draft is gone
    assert Payment.objects.get().amount_minor == 3600
    page = client.get(booking_link(booking)).content.decode()
    assert "<dt>Deposit paid</dt><dd>£36.00" in page
    assert "<dt>Card saved</dt><dd>Visa •••• 4242" in page
    assert escape(DEFAULT_WORDING) in page
    (email,) = [email for email in mail.outbox if "confirmed" in email.subject]
    assert "Deposit paid: £36.00, taken off your bill." in email.body
    assert "Your card is saved with our card processor" in email.body
    assert DEFAULT_WORDING in email.body


def test_online_a_bank_check_is_done_in_stripe_js_before_booking(
    client, base, stripe_clinic, stripe_server, offered
) -> None:
    deposit_rule(stripe_clinic.location, kind=DepositKind.FIXED)
    DepositRule.objects.update(fixed_minor=5000)
    to_confirm(client, base, offered)
    client.post(f"{base}/outcome/", {"accept": "on"})
    client.get(f"{base}/card/")
    setup = client.session[f"booking-draft-{stripe_clinic.location.pk}"]["card"]["setup"]
    three_d_secure = sdk(stripe_server).v1.payment_methods.create(
        params={
            "type": "card",
            "card": {"number": "4000002760003184", "exp_month": 12, "exp_year": 2031, "cvc": "123"},
        }
    )
    browser_saves(stripe_server, setup, three_d_secure.id)
    sdk(stripe_server).v1.setup_intents.confirm(setup)  # the bank said yes to saving it
    page = client.post(f"{base}/card/").content.decode()
    assert "Your bank asks you to confirm this payment." in page
    assert not Booking.objects.exists()
    paying = client.session[f"booking-draft-{stripe_clinic.location.pk}"]["card"]["payment"]
    secret = page.split('data-payment-secret="', 1)[1].split('"', 1)[0]
    assert secret.startswith(f"{paying}_secret_")
    said_yes = urllib.request.Request(  # what localstripe's Stripe.js does when the client agrees
        f"{stripe_server}/v1/payment_intents/{paying}/_authenticate?success=true",
        data=json.dumps({"key": "pk_test_needlepoint", "client_secret": secret}).encode(),
        method="POST",
    )
    urllib.request.urlopen(said_yes).close()
    response = client.post(f"{base}/card/")
    booking = Booking.objects.get()
    assert response["Location"] == booking_link(booking)
    assert Payment.objects.get(booking=booking).amount_minor == 5000


def test_online_a_card_only_rule_saves_the_card_and_charges_nothing(
    client, base, stripe_clinic, stripe_server, offered, fees
) -> None:
    deposit_rule(stripe_clinic.location, kind=DepositKind.CARD)
    page = to_confirm(client, base, offered)
    assert "We ask for a card, kept for any fee in the cancellation policy." in page
    client.post(f"{base}/outcome/", {"accept": "on"})
    assert "Save my card and book" in client.get(f"{base}/card/").content.decode()
    setup = client.session[f"booking-draft-{stripe_clinic.location.pk}"]["card"]["setup"]
    browser_saves(stripe_server, setup)
    client.post(f"{base}/card/")
    booking = Booking.objects.get()
    assert not Payment.objects.exists()
    assert SavedCard.objects.get(client=booking.client).last4 == "4242"
    accepted = booking.policy_acceptance
    assert (accepted.deposit_minor, accepted.card_saved) == (0, True)


def test_without_stripe_keys_there_is_no_card_step_and_nothing_is_charged(
    client, base, clinic, offered, fees
) -> None:
    deposit_rule(clinic.location)
    page = to_confirm(client, base, offered)
    assert "<dt>To pay now</dt><dd><strong>Nothing</strong></dd>" in page
    assert "Continue to card details" not in page
    assert client.get(f"{base}/card/")["Location"] == f"{base}/outcome/"
    response = client.post(f"{base}/outcome/", {"accept": "on"})
    booking = Booking.objects.get()
    assert response["Location"] == booking_link(booking)
    assert not Payment.objects.exists() and not SavedCard.objects.exists()
    accepted = booking.policy_acceptance
    assert (accepted.wording, accepted.deposit_minor, accepted.card_saved) == (
        DEFAULT_WORDING,
        0,
        False,
    )


def test_with_no_fees_and_no_deposit_nothing_is_accepted_or_kept(
    client, base, clinic, offered
) -> None:
    page = to_confirm(client, base, offered)
    assert "Cancellation policy" not in page
    client.post(f"{base}/outcome/")
    assert Booking.objects.exists() and not PolicyAcceptance.objects.exists()


def test_a_new_time_asks_for_the_policy_again_before_the_card(
    client, base, stripe_clinic, offered
) -> None:
    deposit_rule(stripe_clinic.location)
    to_confirm(client, base, offered)
    client.post(f"{base}/outcome/", {"accept": "on"})
    assert client.get(f"{base}/card/").status_code == 200
    later = datetime(2026, 11, 26, 10, tzinfo=UTC)
    client.post(f"{base}/{offered.public_id}/", {"start": later.isoformat()})
    assert client.get(f"{base}/card/")["Location"] == f"{base}/outcome/"
    assert client.session[f"booking-draft-{stripe_clinic.location.pk}"]["card"] == {}
