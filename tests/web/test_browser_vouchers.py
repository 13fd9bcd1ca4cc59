"""A gift voucher in a real browser: bought online with localstripe's test card, part of it
spent at the desk on an invoice, and its balance checked on the public page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail

from needlepoint.payments import services as money
from needlepoint.payments.choices import Method, PaymentStatus, Purpose
from needlepoint.payments.models import Payment
from needlepoint.vouchers.models import GiftVoucher
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in
from tests.web.test_browser_online_booking import press
from tests.web.test_browser_online_deposits import type_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MONDAY_MORNING = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_a_voucher_bought_online_is_spent_at_the_desk_and_its_balance_checked(
    page, live_server, stripe_clinic, settings
):
    settings.SITE_URL = live_server.url
    clinic = stripe_clinic
    base = f"{live_server.url}/c/{clinic.organisation.slug}/{clinic.location.slug}"
    with time_machine.travel(MONDAY_MORNING, tick=True):
        page.goto(f"{base}/gift-voucher/")
        page.get_by_role("heading", name="Buy a gift voucher").wait_for()
        page.get_by_label("Value").fill("50")
        page.get_by_label("Who is it for?").fill("Jo")
        page.get_by_label("Your message").fill("Happy birthday!")
        page.get_by_label("Your first name").fill("Sam")
        page.get_by_label("Your last name").fill("Giver")
        page.get_by_label("Your email").fill("sam@example.test")
        page.get_by_label("Your date of birth").fill("1985-06-01")
        checked(page, "voucher-buy")
        press(page.get_by_role("button", name="Continue to payment"))
        page.get_by_role("heading", name="Pay for your gift voucher").wait_for()
        page.locator("#card-element input").first.wait_for()  # mounted by Stripe.js
        type_card(page, "4242424242424242")
        checked(page, "voucher-card")
        press(page.get_by_role("button", name="Pay £50.00"))
        page.get_by_role("heading", name="Thank you: here is your gift voucher").wait_for()
        code = page.locator("#voucher-code").inner_text()
        checked(page, "voucher-thanks")

    voucher = GiftVoucher.objects.get()
    assert voucher.shown_code == code and voucher.balance_minor == 5000
    sale = voucher.sale_payment
    assert (sale.method, sale.purpose, sale.status) == (
        Method.CARD_ONLINE,
        Purpose.GIFT_VOUCHER,
        PaymentStatus.SUCCEEDED,
    )
    assert sale.stripe_id.startswith("pi_")
    (email,) = [email for email in mail.outbox if "gift voucher" in email.subject]
    assert email.to == ["sam@example.test"] and code in email.body
    assert email.attachments[0][2] == "application/pdf"

    treated = factories.client(clinic.organisation, first_name="Jo", last_name="Friend")
    invoice = money.invoice_draft(location=clinic.location, client=treated)
    money.invoice_line_add(invoice=invoice, description="Microneedling — face", unit_minor=18000)
    invoice = money.invoice_issue(invoice=invoice, by=None, now=MONDAY_MORNING)
    with time_machine.travel(MONDAY_MORNING.replace(hour=14), tick=True):
        sign_in(page, live_server, clinic.manager)
        page.goto(f"{live_server.url}/money/invoices/{invoice.public_id}/")
        page.get_by_label("How the client paid").select_option("voucher")
        page.get_by_label("Amount").first.fill("30.00")
        page.get_by_label("Voucher code").fill(code.lower())
        page.get_by_role("button", name="Take the payment").click()
        page.get_by_text("Took £30.00 (voucher).").wait_for()
        checked(page, "voucher-spent-invoice")
        page.goto(f"{live_server.url}/money/vouchers/?q={code}")
        page.get_by_role("heading", name=f"Gift voucher {code}").wait_for()
        assert "£20.00" in page.inner_text("main")
        checked(page, "voucher-page")
        page.goto(f"{live_server.url}/money/vouchers/")
        checked(page, "voucher-list")
        page.get_by_role("link", name="Sell a gift voucher").click()
        page.get_by_role("heading", name="Sell a gift voucher").wait_for()
        checked(page, "voucher-sell")
        page.goto(f"{live_server.url}/settings/gift-vouchers/")
        checked(page, "voucher-settings")
        page.goto(f"{live_server.url}/reports/vouchers/?start=2026-11-01&end=2026-11-30")
        page.get_by_role("heading", name="Gift vouchers").wait_for()
        checked(page, "voucher-report")

        page.goto(f"{live_server.url}/v/{clinic.organisation.slug}/balance/")
        page.get_by_label("Voucher code").fill(code)
        press(page.get_by_role("button", name="Check the balance"))
        page.get_by_text("£20.00 left to spend").wait_for()
        checked(page, "voucher-check")
        page.get_by_label("Voucher code").fill("ABCD-EFGH-JKMN-PQRS")
        press(page.get_by_role("button", name="Check the balance"))
        page.get_by_text("No active voucher matches that code.").wait_for()

    assert Payment.objects.get(method=Method.VOUCHER).amount_minor == 3000
    assert money.balance(invoice) == 15000
