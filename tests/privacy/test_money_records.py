"""A client's money in their data export, and through erasure and the purge: the accounts
are kept as issued (the law wants them), only the saved card goes."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from needlepoint.clients.models import Client
from needlepoint.core.money import Money
from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, Method, Purpose
from needlepoint.payments.models import (
    CreditEntry,
    Fee,
    Invoice,
    Payment,
    PolicyAcceptance,
    SavedCard,
)
from needlepoint.privacy.erasure import purge_due
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_no_show
from tests import factories
from tests.reports import builders

pytestmark = pytest.mark.django_db

VISIT = datetime(2026, 11, 24, 10, tzinfo=UTC)  # Tuesday; London is on UTC
ERASED = datetime(2026, 12, 1, 9, tzinfo=UTC)
NEXT_VISIT = datetime(2027, 1, 5, 10, tzinfo=UTC)
POLICY = "A £50 deposit holds your time. Cancel 24 hours ahead or it pays a £25 fee."


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with time_machine.travel(ERASED, tick=False):
        yield


@dataclass
class Account:
    clinic: factories.Clinic
    client: Client
    treated: Booking
    missed: Booking
    upcoming: Booking
    invoice: Invoice


def gbp(minor: int) -> Money:
    return Money(minor, "GBP")


@pytest.fixture
def account(clinic) -> Account:
    """Dana's money: a paid invoice with a refund into credit, a no-show fee owed, a deposit
    on a visit still booked with the policy she accepted, and a saved card."""
    client = factories.client(
        clinic.organisation, first_name="Dana", last_name="Whitfield", email="dana@example.test"
    )
    offered = factories.service(clinic.location)
    who = clinic.practitioner

    def visit(at, status):
        return builders.booking(offered, who, at, client=client, status=status)

    treated = visit(VISIT, BookingStatus.COMPLETED)
    invoice = services.invoice_issue(
        invoice=services.invoice_for_booking(booking=treated), by=None, now=VISIT
    )
    paid = services.payment_take(
        location=clinic.location,
        client=client,
        amount=gbp(18000),
        method=Method.TERMINAL,
        by=clinic.front_desk.user,
        key="paid",
        invoice=invoice,
        now=VISIT,
    )
    services.refund_make(
        payment=paid,
        amount_minor=3000,
        to_credit=True,
        reason="Goodwill",
        by=clinic.manager.user,
        key="goodwill",
        now=VISIT + timedelta(days=1),
    )
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = 2500
    policy.save()
    missed = visit(VISIT + timedelta(days=2), BookingStatus.BOOKED)
    booking_no_show(booking=missed, now=VISIT + timedelta(days=2, hours=1))
    services.fee_charge(booking=missed, by=None, now=VISIT + timedelta(days=2, hours=2))
    upcoming = visit(NEXT_VISIT, BookingStatus.BOOKED)
    services.payment_take(
        location=clinic.location,
        client=client,
        amount=gbp(5000),
        method=Method.TERMINAL,
        by=None,
        key="deposit",
        booking=upcoming,
        purpose=Purpose.DEPOSIT,
        now=ERASED - timedelta(days=1),
    )
    PolicyAcceptance.objects.create(
        booking=upcoming,
        wording=POLICY,
        deposit_minor=5000,
        currency="GBP",
        card_saved=True,
        accepted_at=ERASED - timedelta(days=1),
    )
    SavedCard.objects.create(
        client=client,
        stripe_customer="cus_123",
        stripe_payment_method="pm_123",
        brand="visa",
        last4="4242",
        saved_at=ERASED - timedelta(days=1),
    )
    return Account(clinic, client, treated, missed, upcoming, invoice)


def exported(account: Account) -> dict:
    browser = factories.signed_in(account.clinic.owner)
    response = browser.get(reverse("clients:export", args=[account.client.public_id]))
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "invoices and credit notes" in archive.read("README.txt").decode()
    return json.loads(archive.read("client.json"))


def test_the_export_holds_the_clients_money(account):
    data = exported(account)
    fee_invoice = Fee.objects.get(booking=account.missed).invoice
    assert [(i["reference"], i["total"], i["currency"]) for i in data["invoices"]] == [
        ("HARBOUR-STREET-000001", "180.00", "GBP"),
        (fee_invoice.reference, "25.00", "GBP"),
    ]
    first = data["invoices"][0]
    assert first["buyer"] == {"name": "Dana Whitfield", "email": "dana@example.test"}
    assert first["lines"] == [
        {
            "description": "Microneedling — face",
            "quantity": 1,
            "unit_price": "180.00",
            "tax_rate_percent": "0.00",
            "net": "180.00",
            "tax": "0.00",
            "gross": "180.00",
        }
    ]
    assert [(p["purpose"], p["method"], p["amount"], p["invoice"]) for p in data["payments"]] == [
        ("balance", "terminal", "180.00", "HARBOUR-STREET-000001"),
        ("deposit", "terminal", "50.00", None),
    ]
    (refund,) = data["refunds"]
    assert (refund["amount"], refund["to_account_credit"], refund["reason"]) == (
        "30.00",
        True,
        "Goodwill",
    )
    assert refund["refund_of"] == data["payments"][0]["id"]
    (fee,) = data["fees"]
    assert (fee["kind"], fee["status"], fee["amount"]) == ("no_show", FeeStatus.DUE, "25.00")
    assert data["account_credit"]["balance"] == "30.00"
    assert [e["reason"] for e in data["account_credit"]["entries"]] == ["Goodwill"]
    (accepted,) = data["accepted_policies"]
    assert (accepted["wording"], accepted["deposit"], accepted["card_saved"]) == (
        POLICY,
        "50.00",
        True,
    )
    assert data["saved_card"] == {
        "brand": "visa",
        "last4": "4242",
        "saved_at": "2026-11-30T09:00:00+00:00",
    }


def test_erasure_keeps_the_accounts_as_issued_and_removes_the_saved_card(account):
    browser = factories.signed_in(account.clinic.manager)
    url = reverse("clients:erasure", args=[account.client.public_id])
    done = browser.post(url, {"reason": "Asked by email", "confirm": "on"}, follow=True)
    assert "erased on 1 December 2026" in done.content.decode()
    client = Client.objects.get(pk=account.client.pk)
    assert client.full_name == "Erased client"
    assert not SavedCard.objects.exists()
    account.upcoming.refresh_from_db()
    assert account.upcoming.status == BookingStatus.CANCELLED
    invoice = Invoice.objects.get(pk=account.invoice.pk)
    assert invoice.buyer["name"] == "Dana Whitfield"  # issued to her; invoices never change
    # cancelling the visit still to come gave its deposit back, the way it came
    back = Payment.objects.get(kind="refund", refund_of__purpose=Purpose.DEPOSIT)
    assert (back.method, back.amount_minor) == (Method.TERMINAL, 5000)
    assert (Payment.objects.count(), CreditEntry.objects.count()) == (4, 1)
    assert services.balance(invoice) == 3000 and services.credit_balance(client) == 3000
    data = exported(account)
    assert data["client"]["last_name"] == "client" and len(data["invoices"]) == 2


def test_the_purge_keeps_the_accounts_and_the_bookings_they_name(account):
    lone = builders.booking(
        account.treated.service,
        account.clinic.practitioner,
        VISIT - timedelta(days=30),
        client=account.client,
        status=BookingStatus.COMPLETED,
    )
    browser = factories.signed_in(account.clinic.owner)
    url = reverse("clients:erasure", args=[account.client.public_id])
    browser.post(url, {"reason": "Asked by email", "confirm": "on"})
    client = Client.objects.get(pk=account.client.pk)
    with time_machine.travel(client.purge_after + timedelta(days=1), tick=False):
        (purged,) = purge_due()
    assert purged.pk == client.pk and purged.purged_at is not None
    assert not Booking.objects.filter(pk=lone.pk).exists()
    kept = {account.treated.pk, account.missed.pk, account.upcoming.pk}
    assert set(Booking.objects.filter(client=client).values_list("pk", flat=True)) == kept
    assert not Booking.objects.filter(client=client, events__isnull=False).exists()
    assert Invoice.objects.filter(client=client).count() == 2
    assert (Payment.objects.count(), Fee.objects.count()) == (4, 1)
    assert (CreditEntry.objects.count(), PolicyAcceptance.objects.count()) == (1, 1)
