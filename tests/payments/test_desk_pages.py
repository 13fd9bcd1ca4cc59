"""Money at the desk, through the pages: the booking's fee, the invoice (lines, payments,
refunds, credit notes, PDF, email), the client's money and the day's cash-up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.core.money import Money
from needlepoint.notifications.delivery import deliver_due
from needlepoint.notifications.models import Message
from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, InvoiceKind, Method, PaymentKind, Purpose
from needlepoint.payments.models import CashUp, Fee, Invoice, Payment
from needlepoint.scheduling.services import booking_no_show
from tests import factories

pytestmark = pytest.mark.django_db
AT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London
LATER = AT + timedelta(hours=2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(LATER, tick=False):
        yield


@pytest.fixture
def booking(clinic):
    return factories.booked_treatment(clinic, AT)


def gbp(minor: int) -> Money:
    return Money(minor, "GBP")


def no_show(clinic, booking, fee: int = 2500):
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = fee
    policy.save()
    booking_no_show(booking=booking, now=AT + timedelta(minutes=20))
    booking.refresh_from_db()


def deposit(clinic, booking, minor: int = 5000) -> Payment:
    return services.payment_take(
        location=clinic.location,
        client=booking.client,
        amount=gbp(minor),
        method=Method.TERMINAL,
        by=None,
        key=f"deposit-{booking.pk}",
        booking=booking,
        purpose=Purpose.DEPOSIT,
        now=AT - timedelta(days=2),
    )


def issued(booking) -> Invoice:
    return services.invoice_issue(
        invoice=services.invoice_for_booking(booking=booking), by=None, now=AT
    )


def paid_in_cash(clinic, invoice: Invoice, minor: int) -> Payment:
    return services.payment_take(
        location=clinic.location,
        client=invoice.client,
        amount=gbp(minor),
        method=Method.CASH,
        by=None,
        key=f"cash-{invoice.pk}-{minor}",
        invoice=invoice,
        now=AT,
    )


def page_of(response) -> str:
    return response.content.decode()


def url(name: str, public_id: object, **more: object) -> str:
    return reverse(f"money:{name}", kwargs={"public_id": public_id, **more})


# ---- the booking's money ----------------------------------------------------------------------


def test_a_no_show_fee_is_charged_once_and_the_page_says_how(clinic, booking):
    deposit(clinic, booking)
    no_show(clinic, booking)
    desk = factories.signed_in(clinic.front_desk)
    shown = page_of(desk.get(reverse("scheduling:booking", args=[booking.public_id])))
    assert "Charge the fee (£25.00)" in shown and "£50.00 paid" in shown

    charged = desk.post(url("fee_charge", booking.public_id), follow=True)
    assert "No-show fee of £25.00 charged: £25.00 from the deposit." in page_of(charged)
    again = desk.post(url("fee_charge", booking.public_id), follow=True)
    assert "This fee was already charged." in page_of(again)
    fee = Fee.objects.get(booking=booking)
    assert fee.status == FeeStatus.CHARGED and fee.decided_by == clinic.front_desk.user
    assert Payment.objects.filter(purpose=Purpose.NO_SHOW_FEE).count() == 1
    assert "Charge the fee" not in page_of(again)


def test_a_fee_with_nothing_to_take_it_from_is_shown_as_owed(clinic, booking):
    no_show(clinic, booking)
    response = factories.signed_in(clinic.practitioner).post(
        url("fee_charge", booking.public_id), follow=True
    )
    fee = Fee.objects.get(booking=booking)
    assert fee.status == FeeStatus.DUE
    assert f"£25.00 owed on invoice {fee.invoice.reference}." in page_of(response)
    assert "There was no deposit or saved card to take it from." in page_of(response)


def test_waiving_a_fee_needs_a_reason_and_a_manager(clinic, booking):
    no_show(clinic, booking)
    manager = factories.signed_in(clinic.manager)
    refused = manager.post(url("fee_waive", booking.public_id), {"reason": "  "}, follow=True)
    assert "Say why the fee is waived." in page_of(refused)
    assert not Fee.objects.filter(status=FeeStatus.WAIVED).exists()
    desk = factories.signed_in(clinic.front_desk)
    assert desk.post(url("fee_waive", booking.public_id), {"reason": "Ill"}).status_code == 403
    assert "Waive the fee" not in page_of(
        desk.get(reverse("scheduling:booking", args=[booking.public_id]))
    )
    waived = manager.post(url("fee_waive", booking.public_id), {"reason": "Car broke down"})
    fee = Fee.objects.get(booking=booking)
    assert waived.status_code == 302 and fee.status == FeeStatus.WAIVED
    assert fee.reason == "Car broke down" and fee.decided_by == clinic.manager.user


def test_a_clinical_release_gives_the_deposit_back_and_needs_the_decision(clinic, booking):
    paid = deposit(clinic, booking)
    practitioner = factories.signed_in(clinic.practitioner)
    refused = practitioner.post(url("clinical_release", booking.public_id), follow=True)
    assert "Say what clinical decision stopped the visit." in page_of(refused)
    assert not Fee.objects.exists()
    released = practitioner.post(
        url("clinical_release", booking.public_id), {"reason": "Deferred: sunburn"}, follow=True
    )
    assert "Refunded £50.00 (card (clinic terminal))." in page_of(released)
    assert services.refundable(paid) == 0
    assert Fee.objects.get(booking=booking).status == FeeStatus.WAIVED
    assert "Stopped for a clinical reason" not in page_of(released)
    desk = factories.signed_in(clinic.front_desk)
    assert desk.post(url("clinical_release", booking.public_id), {"reason": "x"}).status_code == 403


def test_the_booking_invoice_is_made_once_and_opened_after(clinic, booking):
    desk = factories.signed_in(clinic.front_desk)
    first = desk.post(url("booking_invoice", booking.public_id))
    invoice = Invoice.objects.get()
    assert first["Location"] == url("invoice", invoice.public_id)
    assert desk.post(url("booking_invoice", booking.public_id))["Location"] == first["Location"]
    shown = page_of(desk.get(reverse("scheduling:booking", args=[booking.public_id])))
    assert "Draft invoice" in shown and "Open the invoice" in shown


# ---- the invoice ------------------------------------------------------------------------------


def test_a_draft_gets_a_line_is_issued_and_paid_with_the_balance_prefilled(clinic, booking):
    billing = services.billing_for(clinic.organisation)
    billing.legal_name, billing.tax_number = "Test Skin Clinic Ltd", "GB123456789"
    billing.save()
    invoice = services.invoice_for_booking(booking=booking)
    desk = factories.signed_in(clinic.front_desk)
    draft = page_of(desk.get(url("invoice", invoice.public_id)))
    assert "Test Skin Clinic Ltd" in draft and "GB123456789" in draft
    line = {"description": "Serum", "quantity": "2", "unit_price": "£12.50", "tax_percent": "20"}
    desk.post(url("invoice_line", invoice.public_id), line)
    assert invoice.lines.count() == 2
    desk.post(url("invoice_issue", invoice.public_id))
    invoice.refresh_from_db()
    assert invoice.reference == "HARBOUR-STREET-000001" and invoice.total_minor == 20500
    shown = page_of(desk.get(url("invoice", invoice.public_id)))
    assert 'name="amount" value="205.00"' in shown and "£4.17" in shown  # VAT on the serum
    key = str(uuid.uuid4())
    for _click in range(2):  # a double click takes it once
        desk.post(
            url("payment_take", invoice.public_id),
            {"method": "terminal", "amount": "205", "currency": "GBP", "key": key},
        )
    assert Payment.objects.get().amount_minor == 20500
    assert services.balance(invoice) == 0


@pytest.mark.parametrize(
    ("typed", "currency", "said"),
    [
        ("€50", "GBP", "Amounts here are in GBP: type the number only, e.g. 85.50."),
        ("50 usd", "GBP", "Amounts here are in GBP: type the number only, e.g. 85.50."),
        ("50", "EUR", "This clinic takes GBP."),
        ("50.005", "GBP", "Amounts in GBP have at most 2 decimal places."),
        ("-50", "GBP", "An amount can&#x27;t be negative."),
        ("0", "GBP", "An amount must be more than zero."),
        ("181", "GBP", "That is more than the balance due."),
        ("fifty", "GBP", "Give the amount as a number, e.g. 85.50."),
    ],
)
def test_a_payment_that_makes_no_sense_is_refused_and_nothing_written(
    clinic, booking, typed, currency, said
):
    invoice = issued(booking)
    response = factories.signed_in(clinic.front_desk).post(
        url("payment_take", invoice.public_id),
        {"method": "cash", "amount": typed, "currency": currency, "key": str(uuid.uuid4())},
    )
    assert response.status_code == 200 and said in page_of(response)
    assert not Payment.objects.exists()


def test_a_refund_is_at_most_what_is_left_and_can_go_to_account_credit(clinic, booking):
    invoice = issued(booking)
    paid = paid_in_cash(clinic, invoice, 5000)
    manager = factories.signed_in(clinic.manager)

    def refund(amount: str, to: str = "method", reason: str = "Unhappy") -> str:
        data = {"amount": amount, "to": to, "reason": reason, "currency": "GBP"}
        posted = manager.post(
            url("refund", paid.public_id), {**data, "key": str(uuid.uuid4())}, follow=True
        )
        return page_of(posted)

    assert "That is more than what is left of that payment." in refund("50.01")
    assert "Refunded £20.00 (account credit)." in refund("20", to="credit")
    assert services.credit_balance(booking.client) == 2000
    assert "That is more than what is left of that payment." in refund("30.01")
    assert "Refunded £30.00 (cash)." in refund("30")
    refunds = Payment.objects.filter(kind=PaymentKind.REFUND)
    assert sorted(r.amount_minor for r in refunds) == [2000, 3000]
    assert services.balance(invoice) == 18000


def test_the_front_desk_cannot_refund_nor_credit(clinic, booking):
    invoice = issued(booking)
    paid = paid_in_cash(clinic, invoice, 5000)
    desk = factories.signed_in(clinic.front_desk)
    data = {"amount": "10", "to": "method", "reason": "No", "currency": "GBP", "key": uuid.uuid4()}
    assert desk.post(url("refund", paid.public_id), data).status_code == 403
    credit = {"amount": "10", "reason": "Asked", "currency": "GBP", "credited_seen": "0"}
    assert desk.post(url("credit_note", invoice.public_id), credit).status_code == 403
    assert not Payment.objects.filter(kind=PaymentKind.REFUND).exists()
    assert not Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).exists()
    shown = page_of(desk.get(url("invoice", invoice.public_id)))
    assert "Give the money back" not in shown and "Issue a credit note" not in shown


def test_a_credit_note_corrects_the_invoice_once_per_click(clinic, booking):
    invoice = issued(booking)
    manager = factories.signed_in(clinic.manager)
    data = {"amount": "30", "reason": "Shorter session", "currency": "GBP", "credited_seen": "0"}
    made = manager.post(url("credit_note", invoice.public_id), data)
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert made["Location"] == url("invoice", note.public_id)
    again = manager.post(url("credit_note", invoice.public_id), data)
    assert "A credit note was just issued for this invoice" in page_of(again)
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1
    assert services.balance(invoice) == 15000
    shown = page_of(manager.get(url("invoice", note.public_id)))
    assert "Corrects invoice" in shown and invoice.reference in shown


def test_the_pdf_is_an_invoice_with_its_number_and_is_audited(clinic, booking):
    invoice = issued(booking)
    paid_in_cash(clinic, invoice, 5000)
    response = factories.signed_in(clinic.front_desk).get(url("invoice_pdf", invoice.public_id))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"Invoice {invoice.reference}".encode() in response.content  # its title
    assert AuditEvent.objects.filter(action="printed", target_id=str(invoice.public_id)).exists()


def test_the_invoice_is_emailed_through_the_outbox_with_its_pdf(clinic, booking):
    invoice = issued(booking)
    desk = factories.signed_in(clinic.front_desk)
    response = desk.post(url("invoice_email", invoice.public_id), follow=True)
    address = booking.client.email
    assert f"{invoice.reference} is on its way to {address}." in page_of(response)
    desk.post(url("invoice_email", invoice.public_id))  # a second click, still waiting
    message = Message.objects.get(kind="invoice")
    assert message.recipient == address and message.client == booking.client
    deliver_due(worker_id="test", now=LATER)
    (email,) = [sent for sent in mail.outbox if invoice.reference in sent.subject]
    assert email.to == [address] and invoice.reference in email.subject
    ((name, content, kind),) = email.attachments
    assert name == f"{invoice.reference}.pdf" and kind == "application/pdf"
    assert content.startswith(b"%PDF")


def test_another_clinics_money_is_not_found(clinic, other_clinic, booking):
    invoice = issued(booking)
    paid = paid_in_cash(clinic, invoice, 5000)
    outsider = factories.signed_in(other_clinic.owner)
    for response in (
        outsider.get(url("invoice", invoice.public_id)),
        outsider.get(url("invoice_pdf", invoice.public_id)),
        outsider.post(url("fee_charge", booking.public_id)),
        outsider.post(url("refund", paid.public_id), {}),
        outsider.post(url("invoice_email", invoice.public_id)),
    ):
        assert response.status_code == 404


# ---- the client's money and the cash-up -------------------------------------------------------


def test_the_client_page_shows_credit_invoices_and_payments_to_the_desk_only(clinic, booking):
    invoice = issued(booking)
    paid = paid_in_cash(clinic, invoice, 5000)
    services.refund_make(
        payment=paid, amount_minor=1000, to_credit=True, reason="Goodwill", by=None, key="r"
    )
    page = reverse("clients:detail", args=[booking.client.public_id])
    shown = page_of(factories.signed_in(clinic.front_desk).get(page))
    assert "Account credit:</strong> £10.00" in shown
    assert invoice.reference in shown and "£140.00" in shown  # 180 - 50 + 10 back
    assert "Account credit:" not in page_of(factories.signed_in(clinic.trainee).get(page))


def test_the_day_is_closed_once_with_the_cash_counted(clinic, booking):
    invoice = issued(booking)
    paid_in_cash(clinic, invoice, 4000)
    services.payment_take(
        location=clinic.location,
        client=booking.client,
        amount=gbp(6000),
        method=Method.TERMINAL,
        by=None,
        key="card",
        invoice=invoice,
        now=AT,
    )
    desk = factories.signed_in(clinic.front_desk)
    day = reverse("money:cash_up", args=[clinic.location.slug, "2027-03-09"])
    close = reverse("money:cash_up_close", args=[clinic.location.slug, "2027-03-09"])
    shown = page_of(desk.get(day))
    assert "£40.00" in shown and "£60.00" in shown and 'value="40.00"' in shown
    refused = desk.post(close, {"counted": "39.00", "notes": ""})
    assert "differs from the £40.00 expected" in page_of(refused)
    assert not CashUp.objects.exists()
    closed = desk.post(close, {"counted": "39.00", "notes": "£1 for the window cleaner"})
    assert closed["Location"] == day
    record = CashUp.objects.get()
    assert record.cash_difference_minor == -100 and record.closed_by == clinic.front_desk.user
    shown = page_of(desk.get(day))
    assert "−£1.00" in shown or "-£1.00" in shown
    assert "Close the day" not in shown and "£1 for the window cleaner" in shown
    assert "already closed" in page_of(desk.post(close, {"counted": "40"}, follow=True))
    ahead = reverse("money:cash_up_close", args=[clinic.location.slug, "2027-03-10"])
    assert "come yet" in page_of(desk.post(ahead, {"counted": "0"}))
    assert CashUp.objects.count() == 1
    assert factories.signed_in(clinic.practitioner).get(day).status_code == 403
    assert "Tue 9 Mar 2027" in page_of(desk.get(reverse("money:cash_ups")))
