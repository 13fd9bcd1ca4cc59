"""A voucher in the rest of the clinic's records: its webhooks (never the code), the
buyer's data export, an erasure that keeps it spendable, and the demo clinic's vouchers."""

from __future__ import annotations

import json

import pytest
import time_machine

from needlepoint.privacy.erasure import erasure_request
from needlepoint.privacy.export import client_data
from needlepoint.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.vouchers.helpers import SPENT, owing, sold
from tests.vouchers.test_voucher_rules import spend

pytestmark = pytest.mark.django_db


def test_issued_and_redeemed_webhooks_carry_amounts_and_never_the_code(clinic) -> None:
    WebhookSubscription.objects.create(
        organisation=clinic.organisation,
        url="https://hooks.example.test/np",
        events=["voucher.issued", "voucher.redeemed"],
    )
    voucher = sold(clinic, 5000)
    spend(voucher, owing(clinic, 3000), 3000)
    issued, redeemed = WebhookDelivery.objects.order_by("pk")
    assert issued.event == "voucher.issued" and redeemed.event == "voucher.redeemed"
    assert issued.payload["value_minor"] == 5000 and issued.payload["currency"] == "GBP"
    assert (redeemed.payload["amount_minor"], redeemed.payload["balance_minor"]) == (3000, 2000)
    for delivery in (issued, redeemed):
        text = json.dumps(delivery.payload)
        assert voucher.code not in text and voucher.code[-4:] not in text
        assert "Happy birthday" not in text and "Jo" not in text


def test_the_buyers_export_lists_their_vouchers_without_the_code(clinic) -> None:
    voucher = sold(clinic, 5000)
    spend(voucher, owing(clinic, 3000), 1000)
    with time_machine.travel(SPENT, tick=False):
        [exported] = client_data(voucher.buyer)["gift_vouchers"]
    assert exported["value"] == "50.00" and exported["balance"] == "40.00"
    assert exported["code_ends"] == voucher.code[-4:]
    assert voucher.code not in json.dumps(exported)
    assert [row["amount"] for row in exported["spent_and_put_back"]] == ["10.00"]


def test_erasing_the_buyer_keeps_the_voucher_spendable_and_drops_its_words(clinic) -> None:
    voucher = sold(clinic, 5000)
    erasure_request(voucher.buyer, by=clinic.manager.user, reason="Asked to", now=SPENT)
    voucher.refresh_from_db()
    assert (voucher.recipient_name, voucher.message) == ("", "")
    assert spend(voucher, owing(clinic, 3000), 3000).amount_minor == 3000


def test_the_money_report_counts_a_voucher_when_sold_not_again_when_spent(clinic) -> None:
    from datetime import date

    from needlepoint.reports.queries import Scope, takings

    voucher = sold(clinic, 5000)  # cash, on 9 March
    spend(voucher, owing(clinic, 3000), 3000)  # on 4 May
    scope = Scope(clinic.organisation.pk, [clinic.location], date(2027, 3, 1), date(2027, 5, 31))
    figures = takings(scope)
    assert figures.net == 5000
    assert {m.method: m.net for m in figures.methods}["voucher"] == 3000  # shown, apart
