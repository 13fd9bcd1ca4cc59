"""A client pays a deposit online in a real browser, into localstripe's stand-in for Stripe's
card field; then money follows the visit: a no-show's fee is kept from the deposit and the
saved card, or a deferral gives the deposit back."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from needlepoint.clinical import default_rules
from needlepoint.payments import services
from needlepoint.payments.choices import (
    DepositKind,
    FeeStatus,
    Method,
    PaymentKind,
    PaymentStatus,
    Purpose,
)
from needlepoint.payments.models import DepositRule, Fee, Payment, PolicyAcceptance, SavedCard
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Booking
from tests import factories
from tests.web.test_browser import sign_in
from tests.web.test_browser_online_booking import (
    MONDAY_MORNING,
    answer_no_to_everything,
    checked,
    choose_first_time,
    fill_details,
    press,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WEDNESDAY_TEN = datetime(2026, 11, 25, 10, tzinfo=UTC)


@pytest.fixture
def clinic():
    """A clinic asking a 20% deposit online, with a £60 no-show fee (its Stripe keys are set
    by ``stripe_clinic``)."""
    clinic = factories.clinic()
    factories.service(clinic.location)  # £180.00
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    DepositRule.objects.create(location=clinic.location, kind=DepositKind.PERCENT, percent=20)
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = 6000
    policy.save()
    return clinic


def type_card(page, number: str) -> None:
    """Into localstripe's fake card field (Stripe's real one is a frame of Stripe's)."""
    field = page.locator("#card-element")
    field.locator("input[placeholder=number]").fill(number)
    field.locator("input[placeholder=exp_month]").fill("12")
    field.locator("input[placeholder=exp_year]").fill("31")
    field.locator("input[placeholder=cvc]").fill("123")
    field.locator("input[placeholder=postal_code]").fill("PO1 2AB")


def book_with_a_deposit(page, live_server, clinic) -> Booking:
    choose_first_time(page, live_server.url, clinic)
    fill_details(page)
    answer_no_to_everything(page)
    press(page.get_by_role("button", name="Check my answers"))
    page.get_by_role("heading", name="You're all set to book").wait_for()
    text = page.inner_text("main")
    assert "To pay now\n£36.00" in text.replace("\t", "\n")
    assert "Missing your visit without cancelling may cost a no-show fee of £60.00." in text
    checked(page, "deposit-confirm")
    press(page.get_by_role("button", name="Continue to card details"))
    page.get_by_text("Please tick to accept the cancellation policy.").wait_for()
    press(page.get_by_label("I accept the cancellation policy"))
    press(page.get_by_role("button", name="Continue to card details"))
    page.get_by_role("heading", name="Pay your deposit").wait_for()
    page.locator("#card-element input").first.wait_for()  # mounted by Stripe.js
    type_card(page, "4000000000000002")  # declined
    press(page.get_by_role("button", name="Pay £36.00 and book"))
    page.get_by_role("alert").get_by_text("Your card was declined.").wait_for()
    checked(page, "deposit-declined")
    assert not Booking.objects.exists() and not Payment.objects.exists()
    type_card(page, "4242424242424242")
    checked(page, "deposit-card")
    press(page.get_by_role("button", name="Pay £36.00 and book"))
    page.get_by_role("heading", name="Your appointment is booked").wait_for()
    text = page.inner_text("main")
    assert "£36.00" in text and "Visa •••• 4242" in text
    checked(page, "deposit-booked")
    return Booking.objects.get()


def test_a_deposit_paid_online_pays_towards_a_no_show_fee_and_the_day_takes_it(
    page, live_server, stripe_clinic, settings
):
    settings.SITE_URL = live_server.url
    with time_machine.travel(MONDAY_MORNING, tick=True):
        booking = book_with_a_deposit(page, live_server, stripe_clinic)

    deposit = Payment.objects.get()
    assert (deposit.booking, deposit.purpose, deposit.method, deposit.amount_minor) == (
        booking,
        Purpose.DEPOSIT,
        Method.CARD_ONLINE,
        3600,
    )
    assert deposit.status == PaymentStatus.SUCCEEDED and deposit.stripe_id.startswith("pi_")
    assert SavedCard.objects.get(client=booking.client).last4 == "4242"
    assert PolicyAcceptance.objects.get(booking=booking).deposit_minor == 3600
    (email,) = [email for email in mail.outbox if "confirmed" in email.subject]
    assert "Deposit paid: £36.00" in email.body

    with time_machine.travel(WEDNESDAY_TEN + timedelta(minutes=20), tick=True):
        sign_in(page, live_server, stripe_clinic.front_desk)
        page.goto(f"{live_server.url}/bookings/{booking.public_id}/")
        page.get_by_role("button", name="No-show").click()
        page.get_by_text("Saved.").wait_for()
        booking.refresh_from_db()
        assert booking.status == BookingStatus.NO_SHOW
        page.goto(f"{live_server.url}/bookings/{booking.public_id}/")
        page.wait_for_load_state("load")
        page.get_by_role("button", name="Charge the fee (£60.00)").click()
        page.get_by_text("card ending 4242").first.wait_for()
        fee = Fee.objects.get(booking=booking)
        page.goto(f"{live_server.url}/money/cash-up/{stripe_clinic.location.slug}/2026-11-25/")
        page.get_by_role(
            "heading", name="Cash-up: Harbour Street, Wednesday 25 November 2026"
        ).wait_for()
        text = page.inner_text("main")
        assert "£24.00" in text  # the card's part of the fee, taken today
        checked(page, "deposit-cash-up")

    assert (fee.status, fee.amount_minor) == (FeeStatus.CHARGED, 6000)
    from_card = Payment.objects.get(purpose=Purpose.NO_SHOW_FEE, method=Method.CARD_ONLINE)
    assert from_card.amount_minor == 2400 and from_card.status == PaymentStatus.SUCCEEDED
    assert services.balance(fee.invoice) == 0
    location = stripe_clinic.location
    assert services.takings(location, date(2026, 11, 23)) == {Method.CARD_ONLINE: 3600}
    assert services.takings(location, date(2026, 11, 25)) == {
        Method.CARD_ONLINE: 2400,
        Method.CREDIT: 0,  # the deposit kept for the fee: out of the deposit, into the fee
    }


def test_a_deferral_after_booking_gives_the_deposit_back_to_the_card(
    page, live_server, stripe_clinic, settings
):
    settings.SITE_URL = live_server.url
    sunburn = next(q for q in default_rules().questions() if q.key == "ci.sunburn_area")
    with time_machine.travel(MONDAY_MORNING, tick=True):
        booking = book_with_a_deposit(page, live_server, stripe_clinic)
        page.goto(f"{live_server.url}/my/{stripe_clinic.organisation.slug}/")
        page.get_by_label("Your email").fill("cleo@example.test")
        press(page.get_by_role("button", name="Email me a sign-in link"))
        page.get_by_role("heading", name="Check your inbox").wait_for()
        (email,) = [email for email in mail.outbox if "sign-in link" in email.subject]
        link = re.search(r"https?://[^/\s]+(/my/\S+/sign-in/\S+/)", email.body)
        assert link is not None
        page.goto(f"{live_server.url}{link.group(1)}")
        press(page.get_by_role("button", name="Sign me in"))
        press(page.get_by_role("link", name="Update my medical history"))
        question = page.get_by_role("group", name=sunburn.text)
        press(question.get_by_label("Yes", exact=True))
        question.get_by_label(sunburn.date_question).fill("2026-11-22")
        press(page.get_by_role("button", name="Save my answers"))
        page.get_by_text("Some treatments need to wait").wait_for()

    deposit = Payment.objects.get(kind=PaymentKind.PAYMENT)
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert (refund.refund_of, refund.amount_minor, refund.method) == (
        deposit,
        3600,
        Method.CARD_ONLINE,
    )
    assert refund.status == PaymentStatus.PENDING  # the worker carries it out
    assert services.send_due() == 1
    refund.refresh_from_db()
    assert refund.status == PaymentStatus.SUCCEEDED and refund.stripe_id.startswith("re_")
    assert services.refundable(deposit) == 0
    assert booking.fee.status == FeeStatus.WAIVED  # and no fee can follow a clinical decision
