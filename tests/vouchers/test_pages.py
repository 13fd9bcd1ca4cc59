"""Gift vouchers through the pages: spending one at the desk's "take a payment" (and
nowhere without its code), a refund put back, selling, the voucher's page, its PDF and
email, cancelling, the validity setting, the report, and the public balance check."""

from __future__ import annotations

import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from needlepoint.notifications.delivery import deliver_due
from needlepoint.payments import services as money
from needlepoint.payments.choices import Method, PaymentKind
from needlepoint.payments.models import Payment
from needlepoint.vouchers.choices import Country, VoucherStatus
from needlepoint.vouchers.models import GiftVoucher, VoucherSettings
from tests import factories
from tests.vouchers.helpers import SPENT, owing, sold

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(SPENT, tick=False):
        yield


def take(browser, invoice, **fields):
    data = {
        "method": Method.VOUCHER,
        "amount": "30.00",
        "currency": "GBP",
        "key": str(uuid.uuid4()),
        "note": "",
        "voucher_code": "",
    } | fields
    return browser.post(reverse("money:payment_take", args=[invoice.public_id]), data)


def test_the_desk_spends_a_voucher_by_its_code_when_taking_a_payment(clinic) -> None:
    voucher, invoice = sold(clinic, 10000), owing(clinic, 18000)
    desk = factories.signed_in(clinic.front_desk)
    answer = take(desk, invoice, voucher_code=voucher.shown_code.lower())
    assert answer.status_code == 302
    voucher.refresh_from_db()
    assert voucher.balance_minor == 7000
    assert money.balance(invoice) == 15000
    page = desk.get(reverse("money:invoice", args=[invoice.public_id])).content.decode()
    assert "Voucher" in page


def test_the_desk_cannot_take_a_voucher_payment_without_a_good_code(clinic) -> None:
    sold(clinic, 10000)
    invoice = owing(clinic)
    desk = factories.signed_in(clinic.front_desk)
    missing = take(desk, invoice).content.decode()
    assert "Give the voucher&#x27;s code." in missing
    unknown = take(desk, invoice, voucher_code="ABCD-EFGH-JKMN-PQRS").content.decode()
    assert "No active voucher matches that code." in unknown
    assert not Payment.objects.filter(method=Method.VOUCHER).exists()


def test_refunding_a_voucher_payment_at_the_desk_puts_it_back_on_the_voucher(clinic) -> None:
    voucher, invoice = sold(clinic, 5000), owing(clinic, 5000)
    desk = factories.signed_in(clinic.front_desk)
    take(desk, invoice, amount="50.00", voucher_code=voucher.code)
    paid = Payment.objects.get(method=Method.VOUCHER, kind=PaymentKind.PAYMENT)
    manager = factories.signed_in(clinic.manager)
    manager.post(
        reverse("money:refund", args=[paid.public_id]),
        {
            "amount": "20.00",
            "currency": "GBP",
            "to": "method",
            "reason": "Shorter session",
            "key": str(uuid.uuid4()),
        },
    )
    voucher.refresh_from_db()
    assert (voucher.balance_minor, voucher.status) == (2000, VoucherStatus.ACTIVE)


def test_selling_at_the_desk_issues_the_voucher_and_its_page_prints_and_emails_it(clinic) -> None:
    buyer = factories.client(clinic.organisation, email="buyer@example.test")
    desk = factories.signed_in(clinic.front_desk)
    form = desk.get(reverse("vouchers:sell") + f"?client={buyer.public_id}").content.decode()
    assert "buyer@example.test" in form
    answer = desk.post(
        reverse("vouchers:sell"),
        {
            "buyer_email": "buyer@example.test",
            "amount": "75",
            "method": Method.TERMINAL,
            "location": clinic.location.pk,
            "recipient_name": "Jo",
            "message": "Enjoy!",
            "key": str(uuid.uuid4()),
        },
    )
    voucher = GiftVoucher.objects.get()
    assert answer["Location"] == reverse("vouchers:detail", args=[voucher.public_id])
    assert voucher.initial_minor == 7500 and voucher.buyer == buyer
    page = desk.get(answer["Location"]).content.decode()
    assert voucher.shown_code in page and "£75.00" in page
    pdf = desk.get(reverse("vouchers:pdf", args=[voucher.public_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    desk.post(reverse("vouchers:email", args=[voucher.public_id]))
    deliver_due(worker_id="test", now=SPENT)
    [sent] = mail.outbox
    assert sent.to == ["buyer@example.test"]
    assert voucher.shown_code in sent.body
    assert sent.attachments[0][2] == "application/pdf"
    listed = desk.get(reverse("vouchers:list") + f"?q={voucher.code[-4:]}").content.decode()
    assert voucher.code[-4:] in listed and voucher.shown_code not in listed
    found = desk.get(reverse("vouchers:list") + f"?q={voucher.shown_code}")
    assert found["Location"] == reverse("vouchers:detail", args=[voucher.public_id])


def test_a_sale_to_an_unknown_email_is_refused_and_nothing_is_sold(clinic) -> None:
    desk = factories.signed_in(clinic.front_desk)
    page = desk.post(
        reverse("vouchers:sell"),
        {
            "buyer_email": "nobody@example.test",
            "amount": "75",
            "method": Method.CASH,
            "location": clinic.location.pk,
            "key": str(uuid.uuid4()),
        },
    ).content.decode()
    assert "No client has that email" in page
    assert not GiftVoucher.objects.exists()


def test_a_manager_cancels_a_voucher_with_a_reason(clinic) -> None:
    voucher = sold(clinic, 1000)
    manager = factories.signed_in(clinic.manager)
    page = manager.post(reverse("vouchers:cancel", args=[voucher.public_id]), {"reason": ""})
    assert page.status_code == 200
    manager.post(reverse("vouchers:cancel", args=[voucher.public_id]), {"reason": "Lost"})
    voucher.refresh_from_db()
    assert (voucher.status, voucher.cancelled_reason) == (VoucherStatus.CANCELLED, "Lost")


def test_the_validity_setting_refuses_less_than_the_countrys_minimum(clinic) -> None:
    owner = factories.signed_in(clinic.owner)
    url = reverse("vouchers:settings")
    page = owner.post(url, {"country": Country.DE, "validity_months": "12"}).content.decode()
    assert "Vouchers sold in Germany must stay valid for at least 36 months." in page
    assert not VoucherSettings.objects.exists()
    owner.post(url, {"country": Country.DE, "validity_months": "36"})
    assert VoucherSettings.objects.get().country == Country.DE


def test_the_report_shows_issued_redeemed_and_outstanding_with_its_csv(clinic) -> None:
    voucher, invoice = sold(clinic, 10000), owing(clinic, 18000)
    take(factories.signed_in(clinic.front_desk), invoice, voucher_code=voucher.code)
    owner = factories.signed_in(clinic.owner)
    query = "?start=2027-03-01&end=2027-05-31"
    page = owner.get(reverse("vouchers:report") + query).content.decode()
    assert "£100.00" in page and "£30.00" in page and "£70.00" in page
    csv = owner.get(reverse("vouchers:report_csv") + query).content.decode().splitlines()
    assert csv[0].startswith("month,issued_count,issued_minor")
    assert csv[1:] == ["2027-03,1,10000,0,0,GBP", "2027-05,0,0,3000,0,GBP"]


def test_the_public_check_answers_unknown_and_mistyped_codes_alike(clinic, settings) -> None:
    voucher = sold(clinic, 10000)
    url = reverse("vouchers_public:check", args=[clinic.organisation.slug])
    browser = factories.DjangoTestClient()
    known = browser.post(url, {"code": voucher.shown_code}).content.decode()
    assert "£100.00 left to spend" in known and "9 March 2028" in known
    unknown = browser.post(url, {"code": "ABCD-EFGH-JKMN-PQRS"}).content.decode()
    mistyped = browser.post(url, {"code": "hello"}).content.decode()
    assert "No active voucher matches that code." in unknown
    assert answer_of(unknown) == answer_of(mistyped)


def answer_of(page: str) -> str:
    return page[page.index('class="voucher-answer"') :].split("</div>")[0]


def test_the_public_check_is_rate_limited_per_address(clinic, settings) -> None:
    settings.THROTTLE_RATES = settings.THROTTLE_RATES | {"voucher_check": "3/hour"}
    url = reverse("vouchers_public:check", args=[clinic.organisation.slug])
    browser = factories.DjangoTestClient()
    answers = [browser.post(url, {"code": f"ABCD-EFGH-JKMN-PQR{n}"}).status_code for n in "2345"]
    assert answers == [200, 200, 200, 429]


def test_an_online_buyer_whose_email_is_on_file_must_give_its_date_of_birth(
    stripe_clinic,
) -> None:
    clinic = stripe_clinic
    factories.client(clinic.organisation, email="kept@example.test")  # born 1 May 1990
    url = reverse("vouchers_public:buy", args=[clinic.organisation.slug, clinic.location.slug])
    details = {
        "amount": "50",
        "first_name": "Kim",
        "last_name": "Kept",
        "email": "kept@example.test",
        "date_of_birth": "1990-05-02",
    }
    browser = factories.DjangoTestClient()
    refused = browser.post(url, details).content.decode()
    assert "These details don&#x27;t match our records." in refused
    answer = browser.post(url, details | {"date_of_birth": "1990-05-01"})
    assert answer["Location"].endswith("/gift-voucher/card/")
