"""Gift vouchers through their services: selling, spending across invoices, refunds put
back, expiry by the clinic's country, and every refusal with nothing written."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.core.errors import DomainError
from needlepoint.core.models import ImmutableRecordError
from needlepoint.core.money import Money
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from needlepoint.payments import services as money
from needlepoint.payments.choices import Method, PaymentKind, Purpose
from needlepoint.payments.models import Payment
from needlepoint.vouchers import services
from needlepoint.vouchers.choices import Country, RedemptionKind, VoucherStatus
from needlepoint.vouchers.codes import ALPHABET, LENGTH, grouped, new_code, normalise
from needlepoint.vouchers.law import expiry
from needlepoint.vouchers.models import GiftVoucher, VoucherRedemption
from tests import factories
from tests.vouchers.helpers import SOLD, SPENT, gbp, owing, sold

pytestmark = pytest.mark.django_db


def spend(voucher: GiftVoucher, invoice, amount: int, key: str = "k1", **kwargs):
    return services.voucher_spend(
        code=kwargs.pop("code", voucher.shown_code),
        invoice=invoice,
        amount=kwargs.pop("money", gbp(amount)),
        by=None,
        key=key,
        now=kwargs.pop("now", SPENT),
    )


# ---- codes ------------------------------------------------------------------------------


def test_a_code_carries_at_least_80_bits_from_an_alphabet_without_look_alikes() -> None:
    assert LENGTH * math.log2(len(ALPHABET)) >= 80
    assert not set("01IO") & set(ALPHABET)
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = codes.pop()
    assert len(grouped(code)) == 19 and grouped(code).count("-") == 3


def test_a_code_is_read_in_any_case_with_or_without_dashes_and_nonsense_is_no_code() -> None:
    code = new_code()
    assert normalise(grouped(code).lower()) == code
    assert normalise(f" {code[:8]} {code[8:]} ") == code
    assert normalise(code[:-1]) is None
    assert normalise("0" * 16) is None
    assert normalise("'; DROP TABLE x; --") is None


# ---- selling ------------------------------------------------------------------------------


def test_a_desk_sale_is_an_issued_untaxed_invoice_paid_in_full_and_a_voucher(clinic) -> None:
    voucher = sold(clinic, 5000)
    invoice = voucher.sale_invoice
    [line] = invoice.lines.all()
    assert (line.purpose, line.tax_rate_bp, line.gross_minor) == (Purpose.GIFT_VOUCHER, 0, 5000)
    assert invoice.is_issued and money.balance(invoice) == 0
    assert voucher.sale_payment.method == Method.CASH
    assert voucher.sale_payment.purpose == Purpose.GIFT_VOUCHER
    assert (voucher.initial_minor, voucher.balance_minor, voucher.currency) == (5000, 5000, "GBP")
    assert voucher.status == VoucherStatus.ACTIVE
    assert voucher.expires_on == date(2028, 3, 9)  # twelve months, the UK default


def test_a_sale_posted_twice_sells_one_voucher(clinic) -> None:
    first = sold(clinic, 5000, key="desk-1")
    again = services.voucher_sell(
        location=clinic.location,
        buyer=first.buyer,
        amount=gbp(5000),
        method=Method.CASH,
        recipient_name="",
        message="",
        by=None,
        key="desk-1",
        now=SOLD,
    )
    assert again == first and GiftVoucher.objects.count() == 1


@pytest.mark.parametrize(
    ("amount", "method", "code"),
    [
        (gbp(0), Method.CASH, "invalid_amount"),
        (Money(5000, "EUR"), Method.CASH, "wrong_currency"),
        (gbp(5000), Method.VOUCHER, "invalid_method"),
        (gbp(5000), Method.CARD_ONLINE, "invalid_method"),
    ],
)
def test_a_sale_refused_writes_nothing(clinic, amount, method, code) -> None:
    buyer = factories.client(clinic.organisation)
    with pytest.raises(DomainError) as refused:
        services.voucher_sell(
            location=clinic.location,
            buyer=buyer,
            amount=amount,
            method=method,
            recipient_name="",
            message="",
            by=None,
            key="k",
            now=SOLD,
        )
    assert refused.value.code == code
    assert (GiftVoucher.objects.count(), Payment.objects.count()) == (0, 0)
    assert not buyer.invoices.exists()


# ---- spending -------------------------------------------------------------------------------


def test_a_voucher_pays_part_of_an_invoice_and_its_balance_spends_across_invoices(clinic) -> None:
    voucher = sold(clinic, 10000)
    first, second = owing(clinic, 6000), owing(clinic, 18000)
    redemption = spend(voucher, first, 6000, key="a")
    voucher.refresh_from_db()
    assert voucher.balance_minor == 4000 and money.balance(first) == 0
    payment = redemption.payment
    assert (payment.method, payment.amount_minor, payment.invoice) == (Method.VOUCHER, 6000, first)
    spend(voucher, second, 4000, key="b")
    voucher.refresh_from_db()
    assert (voucher.balance_minor, voucher.status) == (0, VoucherStatus.SPENT)
    assert money.balance(second) == 14000
    assert list(voucher.redemptions.values_list("amount_minor", flat=True)) == [6000, 4000]


def test_the_same_spend_twice_spends_once(clinic) -> None:
    voucher = sold(clinic, 10000)
    invoice = owing(clinic)
    first = spend(voucher, invoice, 3000, key="same")
    assert spend(voucher, invoice, 3000, key="same") == first
    voucher.refresh_from_db()
    assert voucher.balance_minor == 7000
    assert Payment.objects.filter(method=Method.VOUCHER).count() == 1


def test_no_voucher_payment_can_be_recorded_without_a_voucher(clinic) -> None:
    invoice = owing(clinic)
    with pytest.raises(DomainError) as refused:
        money.payment_take(
            location=clinic.location,
            client=invoice.client,
            amount=gbp(1000),
            method=Method.VOUCHER,
            by=None,
            key="desk-x",
            invoice=invoice,
            now=SPENT,
        )
    assert refused.value.code == "voucher_code_needed"
    assert not Payment.objects.filter(method=Method.VOUCHER).exists()


def test_a_refund_of_a_voucher_payment_goes_back_onto_the_voucher(clinic) -> None:
    voucher = sold(clinic, 5000)
    invoice = owing(clinic, 5000)
    paid = spend(voucher, invoice, 5000).payment
    with pytest.raises(DomainError) as refused:  # not past the voucher
        money.refund_make(
            payment=paid, amount_minor=2000, to_credit=False, reason="x", by=None, key="r0"
        )
    assert refused.value.code == "voucher_refund_needed"
    refund = services.voucher_refund(
        payment=paid, amount_minor=2000, reason="Treatment shortened", by=None, key="r1", now=SPENT
    )
    assert (refund.kind, refund.method, refund.amount_minor) == (
        PaymentKind.REFUND,
        Method.VOUCHER,
        2000,
    )
    voucher.refresh_from_db()
    assert (voucher.balance_minor, voucher.status) == (2000, VoucherStatus.ACTIVE)
    assert voucher.redemptions.filter(kind=RedemptionKind.REFUND).get().amount_minor == 2000
    assert money.balance(invoice) == 2000


def test_nothing_goes_back_onto_a_cancelled_voucher(clinic) -> None:
    voucher = sold(clinic, 5000)
    paid = spend(voucher, owing(clinic, 5000), 3000).payment
    services.voucher_cancel(voucher=voucher, reason="Lost", by=None)
    with pytest.raises(DomainError) as refused:
        services.voucher_refund(
            payment=paid, amount_minor=1000, reason="Back", by=None, key="r", now=SPENT
        )
    assert refused.value.code == "voucher_closed"
    voucher.refresh_from_db()
    assert voucher.balance_minor == 2000 and not paid.refunds.exists()


def test_a_voucher_payment_refunded_as_account_credit_leaves_the_voucher_alone(clinic) -> None:
    voucher = sold(clinic, 5000)
    paid = spend(voucher, owing(clinic, 5000), 5000).payment
    money.refund_make(
        payment=paid, amount_minor=1000, to_credit=True, reason="Goodwill", by=None, key="c"
    )
    voucher.refresh_from_db()
    assert voucher.balance_minor == 0
    assert money.credit_balance(paid.client) == 1000


# ---- bad input: a clear message, and nothing written ------------------------------------------


def _nothing_spent(voucher: GiftVoucher, before: int) -> None:
    voucher.refresh_from_db()
    assert voucher.balance_minor == before
    assert not Payment.objects.filter(method=Method.VOUCHER).exists()
    assert not VoucherRedemption.objects.exists()


def test_an_expired_voucher_is_refused_on_the_day_after_its_last(clinic) -> None:
    voucher = sold(clinic, 5000)
    last_day_evening = SOLD.replace(year=2028, hour=22)  # 9 March 2028, 22:00 in London
    spend(voucher, owing(clinic), 100, key="last", now=last_day_evening)
    with pytest.raises(DomainError) as refused:
        spend(voucher, owing(clinic), 100, key="late", now=last_day_evening + timedelta(days=1))
    assert refused.value.code == "voucher_expired"
    assert refused.value.message == "This voucher expired on 9 March 2028."


def test_spending_refuses_each_bad_case_clearly_and_writes_nothing(clinic, other_clinic) -> None:
    voucher = sold(clinic, 5000)
    invoice = owing(clinic, 18000)
    cases = {
        "voucher_unknown": {"code": "ABCD-EFGH-JKMN-PQRS"},
        "voucher_unknown_format": {"code": "not a code"},
        "amount_too_high": {"amount": 5001},
        "wrong_currency": {"money": Money(1000, "EUR")},
    }
    for name, kwargs in cases.items():
        with pytest.raises(DomainError) as refused:
            spend(voucher, invoice, kwargs.pop("amount", 1000), **kwargs)
        assert refused.value.code == name.removesuffix("_format"), name
        _nothing_spent(voucher, 5000)
    assert refused.value.message == "This voucher is in GBP and can't pay an amount in EUR."
    small = owing(clinic, 1000)
    with pytest.raises(DomainError) as refused:  # more than the invoice's balance
        spend(voucher, small, 2000)
    assert refused.value.code == "amount_too_high"
    assert refused.value.message == "That is more than the balance due."
    _nothing_spent(voucher, 5000)
    elsewhere = owing(other_clinic, 1000)  # another clinic's invoice never finds it
    with pytest.raises(DomainError) as refused:
        spend(voucher, elsewhere, 1000)
    assert refused.value.message == "No active voucher matches that code."
    _nothing_spent(voucher, 5000)


def test_a_used_up_or_cancelled_voucher_is_refused(clinic) -> None:
    used = sold(clinic, 1000)
    spend(used, owing(clinic), 1000, key="all")
    with pytest.raises(DomainError) as refused:
        spend(used, owing(clinic), 1, key="more")
    assert refused.value.message == "This voucher is used up: nothing is left on it."
    cancelled = sold(clinic, 1000)
    with pytest.raises(DomainError):
        services.voucher_cancel(voucher=cancelled, reason=" ", by=None)
    services.voucher_cancel(voucher=cancelled, reason="Sold in error", by=None)
    with pytest.raises(DomainError) as refused:
        spend(cancelled, owing(clinic), 1, key="c")
    assert refused.value.message == "This voucher was cancelled."


def test_a_voucher_sold_in_another_currency_cannot_pay_this_clinics_invoice(clinic) -> None:
    voucher = sold(clinic, 5000)
    clinic.organisation.currency = "EUR"  # the clinic moved to euros after the sale
    clinic.organisation.save()
    invoice = owing(clinic, 5000)
    with pytest.raises(DomainError) as refused:
        spend(voucher, invoice, 1000, money=Money(1000, "EUR"))
    assert refused.value.code == "wrong_currency"
    _nothing_spent(voucher, 5000)


# ---- the database's own word ------------------------------------------------------------------


def test_the_database_refuses_a_negative_balance_or_more_than_the_value(clinic) -> None:
    voucher = sold(clinic, 1000)
    for balance in (-1, 1001):
        with pytest.raises(IntegrityError), transaction.atomic():
            GiftVoucher.objects.filter(pk=voucher.pk).update(balance_minor=balance)


def test_a_redemption_is_never_changed(clinic) -> None:
    redemption = spend(sold(clinic, 1000), owing(clinic), 500)
    with pytest.raises(ImmutableRecordError):
        redemption.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        VoucherRedemption.objects.filter(pk=redemption.pk).update(amount_minor=1)


@settings(max_examples=20, deadline=None)
@given(
    moves=st.lists(
        st.tuples(st.sampled_from(["spend", "refund"]), st.integers(1, 4000)),
        min_size=1,
        max_size=8,
    )
)
def test_a_balance_is_always_its_value_less_spends_plus_refunds_and_never_negative(moves) -> None:
    with transaction.atomic():
        clinic = factories.clinic(slug=f"c{next(factories._sequence)}")
        voucher = sold(clinic, 10000)
        spent_payments: list[Payment] = []
        for n, (move, amount) in enumerate(moves):
            try:
                with transaction.atomic():
                    if move == "spend":
                        made = spend(voucher, owing(clinic, 4000), amount, key=f"s{n}")
                        spent_payments.append(made.payment)
                    elif spent_payments:
                        paid = spent_payments[-1]
                        services.voucher_refund(
                            payment=paid,
                            amount_minor=min(amount, money.refundable(paid)),
                            reason="Back",
                            by=None,
                            key=f"r{n}",
                            now=SPENT,
                        )
            except DomainError:
                pass  # more than the balance, or nothing left to refund: refused whole
            voucher.refresh_from_db()
            rows = voucher.redemptions.all()
            spent = sum(r.amount_minor for r in rows if r.kind == RedemptionKind.SPEND)
            back = sum(r.amount_minor for r in rows if r.kind == RedemptionKind.REFUND)
            assert voucher.balance_minor == voucher.initial_minor - spent + back
            assert 0 <= voucher.balance_minor <= voucher.initial_minor
        transaction.set_rollback(True)


# ---- expiry by law -------------------------------------------------------------------------------


def test_expiry_adds_months_to_the_day_and_germany_runs_to_the_end_of_the_year() -> None:
    assert expiry(date(2027, 1, 31), 1, Country.GB) == date(2027, 2, 28)
    assert expiry(date(2027, 3, 9), 12, Country.GB) == date(2028, 3, 9)
    assert expiry(date(2027, 3, 9), 36, Country.DE) == date(2030, 12, 31)
    assert expiry(date(2027, 3, 9), 60, Country.IE) == date(2032, 3, 9)


def test_a_validity_shorter_than_the_countrys_minimum_is_refused(clinic) -> None:
    org = clinic.organisation
    with pytest.raises(DomainError) as refused:
        services.voucher_settings_update(
            organisation=org, country=Country.IE, validity_months=12, by=None
        )
    assert refused.value.message == (
        "Vouchers sold in Ireland must stay valid for at least 60 months."
    )
    assert services.settings_for(org).pk is None  # nothing saved
    services.voucher_settings_update(
        organisation=org, country=Country.IE, validity_months=60, by=None
    )
    assert sold(clinic, 1000).expires_on == date(2032, 3, 9)


def test_the_worker_marks_vouchers_past_their_last_day_as_expired(clinic) -> None:
    kept, lapsed = sold(clinic, 1000), sold(clinic, 1000)
    GiftVoucher.objects.filter(pk=lapsed.pk).update(expires_on=date(2027, 5, 3))
    GiftVoucher.objects.filter(pk=kept.pk).update(expires_on=date(2027, 5, 4))
    assert services.vouchers_expire(now=SPENT) == 1
    assert GiftVoucher.objects.get(pk=lapsed.pk).status == VoucherStatus.EXPIRED
    assert GiftVoucher.objects.get(pk=kept.pk).status == VoucherStatus.ACTIVE
    assert services.vouchers_expire(now=SPENT) == 0


def test_the_voucher_is_emailed_to_its_buyer_once_per_click_while_it_waits(clinic) -> None:
    voucher = sold(clinic, 1000)
    assert services.voucher_send(voucher=voucher, by=None) == voucher.buyer.email
    services.voucher_send(voucher=voucher, by=None)
    [message] = Message.objects.filter(kind=MessageKind.GIFT_VOUCHER)
    assert message.subject == f"voucher:{voucher.public_id}"


# ---- bought online ---------------------------------------------------------------------------


def intent(status: str = "succeeded", amount: int = 5000, currency: str = "GBP"):
    from needlepoint.payments.gateway import Intent

    return Intent("pi_123", status, "", "cus_1", "pm_1", amount=amount, currency=currency)


def test_a_voucher_bought_online_is_issued_once_when_stripe_says_it_is_paid(clinic) -> None:
    buyer = factories.client(clinic.organisation)
    made = [
        services.voucher_sell_online(
            location=clinic.location, buyer=buyer, intent=intent(), recipient_name="Jo", message=""
        )
        for _ in range(2)
    ]
    assert made[0] == made[1] and GiftVoucher.objects.count() == 1
    payment = made[0].sale_payment
    assert (payment.method, payment.stripe_id, payment.amount_minor) == (
        Method.CARD_ONLINE,
        "pi_123",
        5000,
    )
    assert money.balance(made[0].sale_invoice) == 0
    assert Message.objects.filter(kind=MessageKind.GIFT_VOUCHER, recipient=buyer.email).exists()


def test_an_unpaid_online_purchase_issues_nothing(clinic) -> None:
    buyer = factories.client(clinic.organisation)
    with pytest.raises(DomainError) as refused:
        services.voucher_sell_online(
            location=clinic.location,
            buyer=buyer,
            intent=intent("requires_payment_method"),
            recipient_name="",
            message="",
        )
    assert refused.value.code == "card_unpaid"
    assert not GiftVoucher.objects.exists() and not buyer.invoices.exists()


def test_a_voucher_sold_ahead_of_utc_expires_at_the_end_of_its_own_last_day(clinic) -> None:
    clinic.location.time_zone = "Australia/Sydney"
    clinic.location.save()
    voucher = sold(clinic, 1000)
    GiftVoucher.objects.filter(pk=voucher.pk).update(expires_on=date(2027, 5, 4))
    before = SPENT.replace(hour=13)  # 23:00 on 4 May in Sydney
    assert services.vouchers_expire(now=before) == 0
    assert services.vouchers_expire(now=before + timedelta(hours=2)) == 1  # 01:00 on 5 May
