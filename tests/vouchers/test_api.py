"""Gift vouchers through the API: find by code, sell, spend, and the refusals as JSON."""

from __future__ import annotations

import pytest
import time_machine

from needlepoint.payments.choices import Method
from needlepoint.payments.models import Payment
from tests.api.conftest import api_for
from tests.vouchers.helpers import SPENT, owing, sold

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SPENT, tick=False):
        yield


def test_a_program_finds_sells_and_spends_a_voucher(clinic) -> None:
    api = api_for(clinic.front_desk)
    voucher, invoice = sold(clinic, 10000), owing(clinic, 18000)
    found = api.post("/vouchers/lookup", {"code": voucher.shown_code.lower()})
    assert found.status_code == 200 and found.json()["balance_minor"] == 10000
    spent = api.post(
        "/vouchers/spend",
        {
            "code": voucher.code,
            "invoice": str(invoice.public_id),
            "amount_minor": 2500,
            "currency": "GBP",
        },
    )
    assert spent.status_code == 201
    assert spent.json()["voucher"]["balance_minor"] == 7500
    assert "code" not in spent.json()["voucher"]
    made = api.post(
        "/vouchers",
        {
            "buyer": str(invoice.client.public_id),
            "location": str(clinic.location.public_id),
            "amount_minor": 5000,
            "currency": "GBP",
            "method": "terminal",
        },
    )
    assert made.status_code == 201 and len(made.json()["code"]) == 19
    listed = api.get("/vouchers").json()
    assert listed["count"] == 2


def test_the_api_refuses_a_spend_in_another_currency_or_an_unknown_code(clinic) -> None:
    api = api_for(clinic.front_desk)
    voucher, invoice = sold(clinic, 10000), owing(clinic, 18000)
    body = {"code": voucher.code, "invoice": str(invoice.public_id), "amount_minor": 100}
    wrong = api.post("/vouchers/spend", body | {"currency": "EUR"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_currency"
    unknown = api.post("/vouchers/spend", body | {"currency": "GBP", "code": "nope"})
    assert unknown.json() == {
        "code": "voucher_unknown",
        "message": "No active voucher matches that code.",
        "field": "voucher_code",
    }
    assert api.post("/vouchers/lookup", {"code": "nope"}).status_code == 404
    assert not Payment.objects.filter(method=Method.VOUCHER).exists()
