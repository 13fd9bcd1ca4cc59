"""The front desk at the end of a day: a client didn't come, so the desk charges the
no-show fee, takes it in cash on the fee's invoice and closes the day with the cash
counted. In a real browser, at desktop and 375 px, axe-core clean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus
from needlepoint.payments.models import CashUp, Fee, Payment, SavedCard, ScheduledCharge
from needlepoint.scheduling.services import booking_no_show
from tests import factories
from tests.browser import checked, screenshot
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
VISIT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London


def without_screenshot_traces(page) -> None:
    """Playwright's screenshots leave empty style attributes on form fields, which htmx
    copies onto the page it swaps in: a CSP violation no person would meet."""
    page.evaluate(
        "document.querySelectorAll('[style=\"\"]').forEach(e => e.removeAttribute('style'))"
    )


def test_the_desk_charges_a_no_show_fee_takes_it_and_closes_the_day(page, live_server):
    clinic = factories.clinic()
    billing = services.billing_for(clinic.organisation)
    billing.legal_name, billing.tax_number = "Test Skin Clinic Ltd", "GB123456789"
    billing.address = "1 Harbour Street\nPortsmouth PO1 2AB"
    billing.save()
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = 2500
    policy.save()
    booking = factories.booked_treatment(clinic, VISIT)
    booking_no_show(booking=booking, now=VISIT + timedelta(minutes=20))

    with time_machine.travel(VISIT + timedelta(hours=7), tick=True):
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/bookings/{booking.public_id}/")
        page.wait_for_load_state("load")
        page.get_by_role("heading", name="Money").wait_for()
        checked(page, "money-booking-before")
        without_screenshot_traces(page)

        page.get_by_role("button", name="Charge the fee (£25.00)").click()
        page.get_by_text("There was no deposit or saved card to take it from.").first.wait_for()
        checked(page, "money-booking")
        fee = Fee.objects.get(booking=booking)
        assert fee.status == FeeStatus.DUE

        page.get_by_role("link", name=fee.invoice.reference).click()
        page.get_by_role("heading", name=f"Invoice {fee.invoice.reference}").wait_for()
        page.wait_for_load_state("load")
        assert page.get_by_label("Amount").input_value() == "25.00"
        page.get_by_label("How the client paid").select_option("cash")
        page.get_by_role("button", name="Take the payment").click()
        page.get_by_text("Took £25.00 (cash).").wait_for()
        assert services.balance(fee.invoice) == 0
        checked(page, "money-invoice")

        page.get_by_role("link", name="Today").click()
        page.get_by_role("link", name="Cash-up").click()
        page.get_by_role("heading", name="Cash-up: Harbour Street, Tuesday 9 March 2027").wait_for()
        assert page.get_by_label("Cash counted").input_value() == "25.00"
        checked(page, "money-cash-up-open")
        page.get_by_role("button", name="Close the day").click()
        page.get_by_text("The day is closed: £25.00 counted, as expected.").wait_for()
        checked(page, "money-cash-up")
        page.get_by_role("link", name="All cash-ups").click()
        page.get_by_role("link", name="Tue 9 Mar 2027").wait_for()
        checked(page, "money-cash-ups")

    record = CashUp.objects.get()
    assert record.expected_cash_minor == record.counted_cash_minor == 2500
    assert record.closed_by == clinic.front_desk.user


def test_a_manager_corrects_an_invoice_and_gives_the_difference_back_as_credit(page, live_server):
    clinic = factories.clinic()
    booking = factories.booked_treatment(clinic, VISIT)

    with time_machine.travel(VISIT + timedelta(hours=2), tick=True):
        sign_in(page, live_server, clinic.manager)
        page.goto(f"{live_server.url}/bookings/{booking.public_id}/")
        page.get_by_role("button", name="Invoice", exact=True).click()
        page.get_by_role("heading", name="Draft invoice").wait_for()
        page.wait_for_load_state("load")
        page.get_by_label("Description").fill("Hyaluronic serum")
        page.get_by_label("Unit price").fill("24.00")
        page.get_by_label("Tax %").fill("20")
        page.get_by_role("button", name="Add the line").click()
        page.get_by_text("Line added.").wait_for()
        checked(page, "money-invoice-draft")
        without_screenshot_traces(page)

        page.get_by_role("button", name="Issue the invoice").click()
        page.get_by_text("Issued as HARBOUR-STREET-000001.").wait_for()
        page.get_by_label("How the client paid").select_option("terminal")
        page.get_by_role("button", name="Take the payment").click()
        page.get_by_text("Took £204.00 (card (clinic terminal)).").wait_for()
        paid = Payment.objects.get()

        page.get_by_text("Issue a credit note").click()
        page.locator("#credit_amount").fill("24")
        page.locator("#credit_reason").fill("The serum was out of stock")
        page.get_by_role("button", name="Issue the credit note").click()
        page.get_by_role("heading", name="Credit note HARBOUR-STREET-CN-000001").wait_for()
        checked(page, "money-credit-note")
        page.get_by_role("link", name="HARBOUR-STREET-000001").click()
        page.get_by_text("(to give back)").wait_for()
        page.wait_for_load_state("load")

        page.get_by_text("Refund the £204.00 paid by Card (clinic terminal)").click()
        page.locator(f"#refund{paid.pk}_amount").fill("24")
        page.get_by_label("As account credit").check()
        page.locator(f"#refund{paid.pk}_reason").fill("The serum was out of stock")
        screenshot(page, "money-invoice-refund-desktop")
        without_screenshot_traces(page)
        page.get_by_role("button", name="Give the money back").click()
        page.get_by_text("Refunded £24.00 (account credit).").wait_for()
        checked(page, "money-invoice-refunded")

    invoice = paid.invoice
    assert services.balance(invoice) == 0 and services.credited(invoice) == 2400
    assert services.credit_balance(booking.client) == 2400


def test_the_desk_spreads_a_balance_over_instalments_on_the_saved_card(page, live_server):
    clinic = factories.clinic()
    booking = factories.booked_treatment(clinic, VISIT)
    invoice = services.invoice_issue(
        invoice=services.invoice_for_booking(booking=booking), by=None, now=VISIT
    )
    SavedCard.objects.create(
        client=booking.client,
        stripe_customer="cus_x",
        stripe_payment_method="pm_x",
        brand="visa",
        last4="4242",
        saved_at=VISIT,
    )
    with time_machine.travel(VISIT + timedelta(hours=1), tick=True):
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/money/invoices/{invoice.public_id}/")
        page.get_by_text("Pay the balance by instalments").click()
        page.get_by_label("Number of instalments").fill("3")
        page.get_by_label("First charge on").fill("2027-03-16")
        page.get_by_role("button", name="Plan the instalments").click()
        page.get_by_text("charged to the saved card in 3 instalments").wait_for()
        checked(page, "money-instalments")
    due = list(ScheduledCharge.objects.values_list("due_on", flat=True))
    assert [day.isoformat() for day in due] == ["2027-03-16", "2027-04-15", "2027-05-15"]
