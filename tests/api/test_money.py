"""Invoices and payments through the API: amounts in minor units and as decimals, balances,
filters on each location's own dates, and only the token's organisation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from needlepoint.audit.models import AuditEvent
from needlepoint.core.money import Money
from needlepoint.payments import services
from needlepoint.payments.choices import Method
from needlepoint.scheduling.choices import BookingStatus
from tests import factories
from tests.api.conftest import api_for
from tests.reports import builders

pytestmark = pytest.mark.django_db

ISSUED = datetime(2027, 2, 26, 23, 30, tzinfo=UTC)  # 23:30 on the 26th in London


def invoice_for(clinic, service, client, at=ISSUED):
    booking = builders.booking(
        service, clinic.practitioner, at, client=client, status=BookingStatus.COMPLETED
    )
    draft = services.invoice_for_booking(booking=booking)
    return services.invoice_issue(invoice=draft, by=None, now=at)


def take(clinic, client, minor, at, invoice=None, method=Method.CASH, key=""):
    return services.payment_take(
        location=clinic.location,
        client=client,
        amount=Money(minor, "GBP"),
        method=method,
        by=clinic.front_desk.user,
        key=key or f"{client.pk}-{minor}-{at.isoformat()}",
        invoice=invoice,
        now=at,
    )


@pytest.fixture
def books(clinic, offered, clock):
    offered.tax_rate_bp = 2000  # VAT at 20%, in the price
    offered.save()
    client = factories.client(clinic.organisation, first_name="Dana", last_name="Whitfield")
    invoice = invoice_for(clinic, offered, client)
    paid = take(clinic, client, 10000, ISSUED, invoice, Method.TERMINAL)
    services.refund_make(
        payment=paid,
        amount_minor=2000,
        to_credit=True,
        reason="Goodwill",
        by=clinic.manager.user,
        key="goodwill",
        now=datetime(2027, 2, 27, 10, tzinfo=UTC),
    )
    services.credit_note_issue(
        invoice=invoice,
        amount_minor=3000,
        reason="Shorter session",
        by=None,
        now=datetime(2027, 2, 27, 11, tzinfo=UTC),
    )
    later = invoice_for(clinic, offered, client, datetime(2027, 2, 28, 10, tzinfo=UTC))
    return client, invoice, later


def test_an_invoice_with_its_lines_totals_balance_and_payments(clinic, books):
    client, invoice, _ = books
    api = api_for(clinic.manager)
    body = api.get(f"/invoices/{invoice.public_id}").json()
    payments = body.pop("payments")
    note = invoice.credit_notes.get()
    assert body == {
        "id": str(invoice.public_id),
        "kind": "invoice",
        "status": "issued",
        "reference": "HARBOUR-STREET-000001",
        "number": 1,
        "client": str(client.public_id),
        "location": str(clinic.location.public_id),
        "booking": str(invoice.booking.public_id),
        "corrects": None,
        "currency": "GBP",
        "net": "150.00",
        "net_minor": 15000,
        "tax": "30.00",
        "tax_minor": 3000,
        "total": "180.00",
        "total_minor": 18000,
        "balance": "70.00",
        "balance_minor": 7000,  # 180 - 30 credited - (100 paid - 20 refunded)
        "issued_at": "2027-02-26T23:30:00Z",
        "created_at": "2027-03-01T08:00:00Z",
        "seller": body["seller"],
        "buyer": {"name": "Dana Whitfield", "email": client.email},
        "reason": "",
        "credited": "30.00",
        "credited_minor": 3000,
        "paid": "80.00",
        "paid_minor": 8000,
        "lines": [
            {
                "description": "Microneedling — face",
                "quantity": 1,
                "unit": "180.00",
                "unit_minor": 18000,
                "tax_rate_bp": 2000,
                "net": "150.00",
                "net_minor": 15000,
                "tax": "30.00",
                "tax_minor": 3000,
                "gross": "180.00",
                "gross_minor": 18000,
                "purpose": "balance",
            }
        ],
        "credit_notes": [str(note.public_id)],
    }
    assert body["seller"]["trading_as"] == "Harbour Street"
    assert [(p["kind"], p["method"], p["amount"], p["amount_minor"]) for p in payments] == [
        ("payment", "terminal", "100.00", 10000),
        ("refund", "credit", "20.00", 2000),
    ]
    assert payments[1]["refund_of"] == payments[0]["id"] and payments[1]["note"] == "Goodwill"
    assert AuditEvent.objects.filter(action="viewed", target_id=str(invoice.public_id)).exists()


def test_invoices_filter_by_client_status_kind_and_the_locations_own_dates(clinic, books):
    client, invoice, later = books
    note = invoice.credit_notes.get()
    services.invoice_for_booking(
        booking=builders.booking(
            later.booking.service, clinic.practitioner, ISSUED, status=BookingStatus.BOOKED
        )
    )
    api = api_for(clinic.owner)

    def ids(**query) -> list[str]:
        answer = api.get("/invoices", **query)
        assert answer.status_code == 200, answer.content
        return [item["id"] for item in answer.json()["items"]]

    assert len(ids()) == 4  # the draft too
    assert ids(client=client.public_id) == [str(i.public_id) for i in (invoice, note, later)]
    assert ids(status="draft", kind="invoice") != [] and len(ids(status="draft")) == 1
    assert ids(kind="credit_note") == [str(note.public_id)]
    # 23:30 UTC on the 26th is 23:30 on the 26th in London (GMT): the 26th, not the 27th
    assert ids(issued_from="2027-02-26", issued_to="2027-02-26") == [str(invoice.public_id)]
    assert ids(issued_from="2027-02-27") == [str(note.public_id), str(later.public_id)]
    balances = {item["id"]: item["balance_minor"] for item in api.get("/invoices").json()["items"]}
    assert balances[str(invoice.public_id)] == 7000 and balances[str(later.public_id)] == 18000
    refused = api.get("/invoices", issued_from="2027-03-01", issued_to="2027-02-01")
    assert (refused.status_code, refused.json()["code"]) == (400, "invalid_range")


def test_payments_filter_by_client_location_and_dates(clinic, books, other_clinic):
    client, invoice, _ = books
    someone = factories.client(clinic.organisation)
    take(clinic, someone, 4000, datetime(2027, 2, 28, 9, tzinfo=UTC))
    seafront = factories.location(clinic.organisation, "Seafront")
    services.payment_take(
        location=seafront,
        client=someone,
        amount=Money(700, "GBP"),
        method=Method.CASH,
        by=None,
        key="seafront",
        now=datetime(2027, 2, 28, 12, tzinfo=UTC),
    )
    elsewhere = factories.client(other_clinic.organisation)
    services.payment_take(
        location=other_clinic.location,
        client=elsewhere,
        amount=Money(900, "GBP"),
        method=Method.CASH,
        by=None,
        key="elsewhere",
        now=datetime(2027, 2, 28, 12, tzinfo=UTC),
    )
    api = api_for(clinic.manager)

    def amounts(**query) -> list[tuple[str, int]]:
        answer = api.get("/payments", **query)
        assert answer.status_code == 200, answer.content
        return [(item["kind"], item["amount_minor"]) for item in answer.json()["items"]]

    assert amounts() == [("payment", 10000), ("refund", 2000), ("payment", 4000), ("payment", 700)]
    assert amounts(client=client.public_id) == [("payment", 10000), ("refund", 2000)]
    assert amounts(location=seafront.public_id) == [("payment", 700)]
    assert amounts(taken_from="2027-02-27", taken_to="2027-02-27") == [("refund", 2000)]
    assert amounts(kind="refund") == [("refund", 2000)]
    page = api.get("/payments", limit=2).json()
    assert page["count"] == 4 and page["next"].endswith("/api/v1/payments?limit=2&offset=2")
    assert api.get("/payments", location=other_clinic.location.public_id).status_code == 404


def test_another_organisations_invoice_is_404_and_the_front_desk_403(
    clinic, books, other_clinic, offered
):
    _, invoice, _ = books
    outsider = api_for(other_clinic.owner)
    assert outsider.get(f"/invoices/{invoice.public_id}").status_code == 404
    assert outsider.get("/invoices").json()["count"] == 0
    refused = api_for(clinic.front_desk).get("/invoices")
    assert refused.status_code == 403
    assert refused.json()["message"] == "Invoices and payments are for managers and owners."
