"""A voucher's balance holds when many spend it at once: each racer in its own thread and
database connection (PostgreSQL, or the SQLite file whose writers queue), released
together from a barrier (see tests/payments/test_races.py)."""

from __future__ import annotations

import pytest

from needlepoint.payments import services as money
from needlepoint.payments.choices import Method
from needlepoint.payments.models import Payment
from needlepoint.vouchers import services
from needlepoint.vouchers.models import GiftVoucher, VoucherRedemption
from tests.payments.test_races import race
from tests.vouchers.helpers import SPENT, gbp, owing, sold

pytestmark = [pytest.mark.django_db(transaction=True)]
RACERS = 10


def test_ten_desks_spending_one_voucher_at_once_never_take_it_below_zero(clinic) -> None:
    voucher = sold(clinic, 10000)
    invoices = [owing(clinic, 3000) for _ in range(RACERS)]

    def spender(n: int):
        return lambda: services.voucher_spend(
            code=voucher.code,
            invoice=invoices[n],
            amount=gbp(3000),
            by=None,
            key=f"desk-{n}",
            now=SPENT,
        )

    spent, refused, crashed = race([spender(n) for n in range(RACERS)])
    assert crashed == []
    assert len(spent) == 3 and len(refused) == RACERS - 3
    assert {error.code for error in refused} <= {"amount_too_high", "voucher_spent"}
    voucher.refresh_from_db()
    assert voucher.balance_minor == 1000
    assert VoucherRedemption.objects.count() == 3
    assert Payment.objects.filter(method=Method.VOUCHER).count() == 3
    assert sum(money.balance(invoice) for invoice in invoices) == RACERS * 3000 - 9000


def test_the_same_spend_clicked_ten_times_at_once_spends_once(clinic) -> None:
    voucher = sold(clinic, 10000)
    invoice = owing(clinic, 18000)

    def click():
        return services.voucher_spend(
            code=voucher.code,
            invoice=invoice,
            amount=gbp(2500),
            by=None,
            key="one-click",
            now=SPENT,
        )

    spent, refused, crashed = race([click] * RACERS)
    assert (crashed, refused) == ([], [])
    assert len({redemption.pk for redemption in spent}) == 1
    assert GiftVoucher.objects.get(pk=voucher.pk).balance_minor == 7500
