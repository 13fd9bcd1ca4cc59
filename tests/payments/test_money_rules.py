"""The money rules through the payments services: invoices, payments, refunds, fees, the
clinical rule and the cash-up (Stripe itself: test_stripe.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.core.errors import DomainError
from needlepoint.core.models import ImmutableRecordError
from needlepoint.core.money import Money
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, Method, PaymentKind, PaymentStatus, Purpose
from needlepoint.payments.models import CashUp, CreditEntry, Fee, Invoice, InvoiceLine, Payment
from needlepoint.payments.tax import LineAmounts, line_amounts
from needlepoint.scheduling.services import booking_cancel, booking_no_show
from tests import factories

pytestmark = pytest.mark.django_db
AT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London


@pytest.fixture
def clinic() -> factories.Clinic:
    return factories.clinic()


@pytest.fixture
def booking(clinic: factories.Clinic):
    return factories.booked_treatment(clinic, AT)


def gbp(minor: int) -> Money:
    return Money(minor, "GBP")


@given(
    unit=st.integers(0, 10_000_000),
    quantity=st.integers(1, 50),
    rate=st.integers(0, 10_000),
    inclusive=st.booleans(),
)
def test_a_line_always_adds_up(unit: int, quantity: int, rate: int, inclusive: bool) -> None:
    amounts = line_amounts(unit, quantity, rate, inclusive=inclusive)
    assert amounts.net + amounts.tax == amounts.gross
    assert amounts.tax >= 0
    assert (amounts.gross if inclusive else amounts.net) == unit * quantity


def test_vat_is_taken_out_of_an_inclusive_price_and_added_to_an_exclusive_one() -> None:
    assert line_amounts(18000, 1, 2000, inclusive=True) == LineAmounts(15000, 3000, 18000)
    assert line_amounts(10000, 1, 825, inclusive=False) == LineAmounts(10000, 825, 10825)
    assert line_amounts(999, 1, 2000, inclusive=True).tax == 167  # 166.5 rounds half up


@settings(max_examples=15, deadline=None)
@given(
    lines=st.lists(
        st.tuples(st.integers(1, 500_000), st.integers(1, 5), st.sampled_from([0, 500, 2000])),
        min_size=1,
        max_size=5,
    ),
    paid=st.integers(1, 100),
)
def test_invoice_totals_and_balance_always_add_up(lines, paid) -> None:
    with transaction.atomic():
        clinic = factories.clinic(slug=f"c{next(factories._sequence)}")
        client = factories.client(clinic.organisation)
        invoice = services._draft(clinic.location, client)
        for unit, quantity, rate in lines:
            services.invoice_line_add(
                invoice=invoice,
                description="Line",
                unit_minor=unit,
                quantity=quantity,
                tax_rate_bp=rate,
            )
        invoice = services.invoice_issue(invoice=invoice, by=None, now=AT)
        rows = list(invoice.lines.all())
        assert (
            invoice.total_minor
            == sum(r.gross_minor for r in rows)
            == invoice.net_minor + invoice.tax_minor
        )
        part = invoice.total_minor * paid // 100
        if part:
            services.payment_take(
                location=clinic.location,
                client=client,
                amount=gbp(part),
                method=Method.CASH,
                by=None,
                key=f"k{invoice.pk}",
                invoice=invoice,
                now=AT,
            )
        assert services.balance(invoice) == invoice.total_minor - part
        transaction.set_rollback(True)


def test_invoices_are_numbered_without_gaps_per_location(clinic, booking) -> None:
    client = booking.client
    numbers = []
    for _ in range(3):
        draft = services._draft(clinic.location, client)
        services.invoice_line_add(invoice=draft, description="Serum", unit_minor=2500)
        numbers.append(services.invoice_issue(invoice=draft, by=None, now=AT).reference)
    # a draft that fails to issue takes no number
    empty = services._draft(clinic.location, client)
    with pytest.raises(DomainError) as refused:
        services.invoice_issue(invoice=empty, by=None, now=AT)
    assert refused.value.code == "invoice_empty"
    draft = services._draft(clinic.location, client)
    services.invoice_line_add(invoice=draft, description="Serum", unit_minor=2500)
    numbers.append(services.invoice_issue(invoice=draft, by=None, now=AT).reference)
    assert numbers == [f"HARBOUR-STREET-00000{n}" for n in (1, 2, 3, 4)]
    other = factories.location(clinic.organisation, name="Dock Road")
    draft = services._draft(other, client)
    services.invoice_line_add(invoice=draft, description="Serum", unit_minor=2500)
    assert services.invoice_issue(invoice=draft, by=None, now=AT).number == 1


def test_an_issued_invoice_never_changes_by_any_path(clinic, booking) -> None:
    invoice = services.invoice_issue(
        invoice=services.invoice_for_booking(booking=booking), by=None, now=AT
    )
    with pytest.raises(DomainError) as refused:
        services.invoice_line_add(invoice=invoice, description="Extra", unit_minor=100)
    assert refused.value.code == "invoice_issued"
    for write in (
        lambda: Invoice.objects.filter(pk=invoice.pk).update(total_minor=1),
        lambda: InvoiceLine.objects.filter(invoice=invoice).update(unit_minor=1),
        lambda: InvoiceLine.objects.create(invoice=invoice, description="x", unit_minor=1),
    ):
        with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
            write()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE payments_invoice SET total_minor = 0 WHERE id = %s", [invoice.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM payments_invoice WHERE id = %s", [invoice.pk])
    invoice.refresh_from_db()
    assert invoice.total_minor == 18000


def test_a_credit_note_corrects_an_invoice_and_its_balance(clinic, booking) -> None:
    invoice = services.invoice_issue(
        invoice=services.invoice_for_booking(booking=booking), by=None, now=AT
    )
    note = services.credit_note_issue(
        invoice=invoice, amount_minor=3000, reason="Shorter session", by=None, now=AT
    )
    assert note.reference == "HARBOUR-STREET-CN-000001" and note.corrects == invoice
    assert services.balance(invoice) == 15000
    with pytest.raises(DomainError) as refused:
        services.credit_note_issue(
            invoice=invoice, amount_minor=15001, reason="Too much", by=None, now=AT
        )
    assert refused.value.code == "amount_too_high"


def test_a_desk_payment_is_taken_once_and_within_the_balance(clinic, booking) -> None:
    invoice = services.invoice_issue(
        invoice=services.invoice_for_booking(booking=booking), by=None, now=AT
    )
    take = {
        "location": clinic.location,
        "client": booking.client,
        "method": Method.CASH,
        "by": clinic.front_desk.user,
        "invoice": invoice,
        "now": AT,
    }
    first = services.payment_take(amount=gbp(10000), key="desk-1", **take)
    again = services.payment_take(amount=gbp(10000), key="desk-1", **take)
    assert first.pk == again.pk and services.balance(invoice) == 8000
    for amount, code in (
        (gbp(8001), "amount_too_high"),
        (gbp(0), "invalid_amount"),
        (Money(100, "EUR"), "wrong_currency"),
    ):
        with pytest.raises(DomainError) as refused:
            services.payment_take(amount=amount, key=f"desk-{code}", **take)
        assert refused.value.code == code
    assert Payment.objects.count() == 1


def test_a_refund_to_credit_can_be_spent_later(clinic, booking) -> None:
    paid = services.payment_take(
        location=clinic.location,
        client=booking.client,
        amount=gbp(5000),
        method=Method.TERMINAL,
        by=None,
        key="p",
        booking=booking,
        now=AT,
    )
    services.refund_make(
        payment=paid, amount_minor=2000, to_credit=True, reason="Goodwill", by=None, key="r", now=AT
    )
    assert services.credit_balance(booking.client) == 2000
    with pytest.raises(DomainError) as refused:
        services.refund_make(
            payment=paid,
            amount_minor=3001,
            to_credit=False,
            reason="Too much",
            by=None,
            key="r2",
            now=AT,
        )
    assert refused.value.code == "amount_too_high"
    services.payment_take(
        location=clinic.location,
        client=booking.client,
        amount=gbp(2000),
        method=Method.CREDIT,
        by=None,
        key="c",
        now=AT,
    )
    assert services.credit_balance(booking.client) == 0
    with pytest.raises(ImmutableRecordError):
        CreditEntry.objects.first().delete()


def _no_show(clinic, booking, fee=2500):
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = fee
    policy.save()
    booking_no_show(booking=booking, now=AT + timedelta(minutes=20))
    booking.refresh_from_db()


def test_a_no_show_fee_comes_from_the_deposit_once(clinic, booking) -> None:
    deposit = services.payment_take(
        location=clinic.location,
        client=booking.client,
        amount=gbp(5000),
        method=Method.TERMINAL,
        by=None,
        key="dep",
        booking=booking,
        purpose=Purpose.DEPOSIT,
        now=AT - timedelta(days=2),
    )
    _no_show(clinic, booking)
    fee = services.fee_charge(
        booking=booking, by=clinic.front_desk.user, now=AT + timedelta(hours=1)
    )
    assert fee.status == FeeStatus.CHARGED and fee.invoice.total_minor == 2500
    assert services.balance(fee.invoice) == 0
    assert services.refundable(deposit) == 2500
    with pytest.raises(DomainError) as refused:
        services.fee_charge(booking=booking, by=clinic.front_desk.user, now=AT + timedelta(hours=1))
    assert refused.value.code == "fee_decided"
    with pytest.raises(DomainError):
        services.fee_waive(booking=booking, by=clinic.manager.user, reason="Sorry")


def test_a_fee_with_no_deposit_and_no_card_is_owed(clinic, booking) -> None:
    _no_show(clinic, booking)
    fee = services.fee_charge(booking=booking, by=None, now=AT + timedelta(hours=1))
    assert fee.status == FeeStatus.DUE and services.balance(fee.invoice) == 2500
    (bill,) = Message.objects.filter(kind=MessageKind.INVOICE)  # the bill, emailed
    assert (bill.recipient, bill.subject) == (
        booking.client.email,
        f"invoice:{fee.invoice.public_id}",
    )


def test_a_waived_fee_says_who_and_why_and_is_never_charged(clinic, booking) -> None:
    _no_show(clinic, booking)
    with pytest.raises(DomainError):
        services.fee_waive(booking=booking, by=clinic.manager.user, reason=" ")
    fee = services.fee_waive(booking=booking, by=clinic.manager.user, reason="Car broke down")
    assert fee.decided_by == clinic.manager.user and fee.reason == "Car broke down"
    with pytest.raises(DomainError):
        services.fee_charge(booking=booking, by=None)
    assert not Payment.objects.filter(purpose=Purpose.NO_SHOW_FEE).exists()


def test_a_cancellation_in_time_has_no_fee(clinic, booking) -> None:
    policy = services.policy_for(clinic.location)
    policy.late_cancel_fee_minor = 2000
    policy.save()
    booking_cancel(booking=booking, now=AT - timedelta(days=5))
    with pytest.raises(DomainError) as refused:
        services.fee_charge(booking=booking, by=None)
    assert refused.value.code == "no_fee"


def test_a_clinical_decision_gives_the_deposit_back_and_blocks_any_fee(clinic, booking) -> None:
    deposit = services.payment_take(
        location=clinic.location,
        client=booking.client,
        amount=gbp(5000),
        method=Method.TERMINAL,
        by=None,
        key="dep",
        booking=booking,
        purpose=Purpose.DEPOSIT,
        now=AT - timedelta(days=2),
    )
    policy = services.policy_for(clinic.location)
    policy.clinical_refund = "credit"
    policy.late_cancel_fee_minor = 2000
    policy.save()
    refunds = services.clinical_release(
        booking=booking, reason="Deferred: sunburn", by=None, now=AT - timedelta(hours=3)
    )
    assert [r.amount_minor for r in refunds] == [5000] and refunds[0].method == Method.CREDIT
    assert services.credit_balance(booking.client) == 5000
    booking_cancel(booking=booking, now=AT - timedelta(hours=2))
    with pytest.raises(DomainError):
        services.fee_charge(booking=booking, by=None)
    assert Fee.objects.get(booking=booking).status == FeeStatus.WAIVED
    assert services.refundable(deposit) == 0


def test_the_cash_up_counts_the_day_in_the_locations_time_zone(clinic, booking) -> None:
    day = date(2027, 3, 28)  # the clocks go forward in London: a 23-hour day
    late = datetime(2027, 3, 28, 22, 30, tzinfo=UTC)  # 23:30 BST, still the 28th
    early = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)  # 23:30 GMT on the 27th
    closing = datetime(2027, 3, 28, 23, 0, tzinfo=UTC)  # midnight in London, the day ended
    for key, at, method, amount in (
        ("a", late, Method.CASH, 4000),
        ("b", early, Method.CASH, 999),
        ("c", late, Method.TERMINAL, 6000),
    ):
        services.payment_take(
            location=clinic.location,
            client=booking.client,
            amount=gbp(amount),
            method=method,
            by=None,
            key=key,
            now=at,
        )
    assert services.takings(clinic.location, day) == {Method.CASH: 4000, Method.TERMINAL: 6000}
    with pytest.raises(DomainError) as refused:
        services.cash_up_close(
            location=clinic.location,
            day=day,
            counted_cash=gbp(3900),
            notes="",
            by=clinic.manager.user,
            now=closing,
        )
    assert refused.value.code == "explain_difference"
    closed = services.cash_up_close(
        location=clinic.location,
        day=day,
        counted_cash=gbp(3900),
        notes="£1 short: float",
        by=clinic.manager.user,
        now=closing,
    )
    assert closed.cash_difference_minor == -100
    with pytest.raises(DomainError):
        services.cash_up_close(
            location=clinic.location,
            day=day,
            counted_cash=gbp(4000),
            notes="",
            by=clinic.manager.user,
            now=closing,
        )
    assert CashUp.objects.count() == 1


def test_a_recorded_payment_never_changes(clinic, booking) -> None:
    paid = services.payment_take(
        location=clinic.location,
        client=booking.client,
        amount=gbp(5000),
        method=Method.CASH,
        by=None,
        key="p",
        now=AT,
    )
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        Payment.objects.filter(pk=paid.pk).update(amount_minor=1)
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        Payment.objects.filter(pk=paid.pk).update(status=PaymentStatus.FAILED)
    assert Payment.objects.get(pk=paid.pk).kind == PaymentKind.PAYMENT


def test_merging_two_records_moves_the_account_credit_and_keeps_the_money_records(
    clinic, booking
) -> None:
    from needlepoint.privacy.merge import client_merge

    duplicate = factories.client(
        clinic.organisation, first_name=booking.client.first_name, email="", phone=""
    )
    paid = services.payment_take(
        location=clinic.location,
        client=duplicate,
        amount=gbp(4000),
        method=Method.CASH,
        by=None,
        key="p",
        now=AT,
    )
    services.refund_make(
        payment=paid,
        amount_minor=1500,
        to_credit=True,
        reason="Goodwill",
        by=None,
        key="r",
        now=AT,
    )
    client_merge(kept=booking.client, duplicate=duplicate, by=clinic.manager.user, reason="Same")
    assert services.credit_balance(booking.client) == 1500
    assert services.credit_balance(duplicate) == 0
    assert Payment.objects.get(pk=paid.pk).client == duplicate  # money records never move
