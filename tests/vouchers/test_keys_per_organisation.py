"""A voucher's code, its sale's key and a spend's key are each unique within one
organisation (docs/scaling.md, "Partitioning by organisation"), and every lookup names the
organisation: a code of another clinic is "not found", with the answer an unknown code gets."""

from __future__ import annotations

import uuid

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from needlepoint.payments.choices import Method
from needlepoint.vouchers import services
from needlepoint.vouchers.choices import RedemptionKind
from needlepoint.vouchers.models import GiftVoucher, VoucherRedemption
from tests import factories
from tests.api.conftest import api_for
from tests.vouchers.helpers import SPENT, gbp, owing, sold

pytestmark = pytest.mark.django_db

UNKNOWN = "ABCD-EFGH-JKMN-PQRS"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SPENT, tick=False):
        yield


def same_code(clinic, other_clinic) -> tuple[GiftVoucher, GiftVoucher]:
    """A voucher at each clinic, both with one code (80 random bits rarely meet; here they do)."""
    mine, theirs = sold(clinic, 10000), sold(other_clinic, 4000)
    GiftVoucher.objects.filter(pk=theirs.pk).update(code=mine.code)
    theirs.refresh_from_db()
    return mine, theirs


def check_page(organisation, code: str) -> str:
    url = reverse("vouchers_public:check", args=[organisation.slug])
    page = factories.DjangoTestClient().post(url, {"code": code}).content.decode()
    return page[page.index('class="voucher-answer"') :].split("</div>")[0]


def desk_take(member, invoice, code: str):
    data = {
        "method": Method.VOUCHER,
        "amount": "10.00",
        "currency": "GBP",
        "key": str(uuid.uuid4()),
        "note": "",
        "voucher_code": code,
    }
    desk = factories.signed_in(member)
    return desk.post(reverse("money:payment_take", args=[invoice.public_id]), data)


def test_two_clinics_may_hold_one_code_and_each_finds_its_own(clinic, other_clinic) -> None:
    mine, theirs = same_code(clinic, other_clinic)
    assert "£100.00 left to spend" in check_page(clinic.organisation, mine.shown_code)
    assert "£40.00 left to spend" in check_page(other_clinic.organisation, mine.shown_code)
    found = api_for(other_clinic.front_desk).post("/vouchers/lookup", {"code": mine.code})
    assert found.status_code == 200 and found.json()["id"] == str(theirs.public_id)
    answer = desk_take(clinic.front_desk, owing(clinic), mine.shown_code)
    assert answer.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.balance_minor, theirs.balance_minor) == (9000, 4000)


def test_one_clinic_never_holds_one_code_twice(clinic) -> None:
    first, second = sold(clinic), sold(clinic)
    with pytest.raises(IntegrityError), transaction.atomic():
        GiftVoucher.objects.filter(pk=second.pk).update(code=first.code)


def test_another_clinics_code_is_answered_as_an_unknown_code(clinic, other_clinic) -> None:
    mine = sold(clinic, 10000)
    elsewhere = other_clinic.organisation
    assert check_page(elsewhere, mine.shown_code) == check_page(elsewhere, UNKNOWN)
    assert "No active voucher matches that code." in check_page(elsewhere, mine.shown_code)
    api = api_for(other_clinic.front_desk)
    looked_up = api.post("/vouchers/lookup", {"code": mine.code})
    unknown = api.post("/vouchers/lookup", {"code": UNKNOWN})
    assert looked_up.status_code == unknown.status_code == 404
    assert looked_up.json() == unknown.json()
    invoice = owing(other_clinic)
    body = {"code": mine.code, "invoice": str(invoice.public_id), "amount_minor": 100}
    spent = api.post("/vouchers/spend", body | {"currency": "GBP"})
    assert spent.json()["code"] == "voucher_unknown"
    page = desk_take(other_clinic.front_desk, invoice, mine.shown_code).content.decode()
    assert "No active voucher matches that code." in page
    mine.refresh_from_db()
    assert mine.balance_minor == 10000 and not mine.redemptions.exists()


def test_a_new_code_is_one_its_clinic_does_not_hold(clinic, monkeypatch) -> None:
    taken = sold(clinic)
    fresh = "FRESH234FRESH234"
    drawn = iter([taken.code, fresh])
    monkeypatch.setattr(services, "new_code", lambda: next(drawn))
    assert sold(clinic).code == fresh


def test_a_sale_key_another_clinic_used_sells_here_once(clinic, other_clinic) -> None:
    theirs = sold(other_clinic, key="theirs")
    GiftVoucher.objects.filter(pk=theirs.pk).update(sale_key="till-7")
    mine = sold(clinic, 2500, key="till-7")
    assert mine.pk != theirs.pk and mine.organisation == clinic.organisation
    assert sold(clinic, 2500, key="till-7").pk == mine.pk
    assert GiftVoucher.objects.filter(organisation=clinic.organisation).count() == 1


def test_a_spend_key_another_clinic_used_spends_here_once(clinic, other_clinic) -> None:
    theirs = sold(other_clinic, 4000)
    their_spend = services.voucher_spend(
        code=theirs.code, invoice=owing(other_clinic), amount=gbp(100), by=None, key="theirs"
    )
    VoucherRedemption.objects.create(  # their refund's record, under the key used here next
        voucher=theirs,
        kind=RedemptionKind.REFUND,
        invoice=their_spend.invoice,
        payment=their_spend.payment,
        amount_minor=100,
        key="desk-1",
        at=SPENT,
    )
    mine, invoice = sold(clinic, 10000), owing(clinic)
    spent = services.voucher_spend(
        code=mine.code, invoice=invoice, amount=gbp(1000), by=None, key="desk-1"
    )
    again = services.voucher_spend(
        code=mine.code, invoice=invoice, amount=gbp(1000), by=None, key="desk-1"
    )
    assert spent.voucher_id == again.voucher_id == mine.pk and spent.pk == again.pk
    mine.refresh_from_db()
    assert mine.balance_minor == 9000


def test_the_same_keys_may_stand_in_two_clinics_but_not_twice_in_one(clinic) -> None:
    first, second = sold(clinic, key="a"), sold(clinic, key="b")
    with pytest.raises(IntegrityError), transaction.atomic():
        GiftVoucher.objects.filter(pk=second.pk).update(sale_key=first.sale_key)
