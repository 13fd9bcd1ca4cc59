"""What the voucher tests share: a voucher sold at the desk and an issued invoice to pay."""

from __future__ import annotations

from datetime import UTC, datetime

from needlepoint.clients.models import Client
from needlepoint.core.money import Money
from needlepoint.payments import services as money
from needlepoint.payments.choices import Method
from needlepoint.payments.models import Invoice
from needlepoint.vouchers import services
from needlepoint.vouchers.models import GiftVoucher
from tests import factories

SOLD = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London
SPENT = datetime(2027, 5, 4, 15, 0, tzinfo=UTC)


def gbp(minor: int) -> Money:
    return Money(minor, "GBP")


def sold(
    clinic: factories.Clinic, value: int = 10000, *, now: datetime = SOLD, key: str = ""
) -> GiftVoucher:
    buyer = factories.client(clinic.organisation, first_name="Sam", last_name="Buyer")
    return services.voucher_sell(
        location=clinic.location,
        buyer=buyer,
        amount=Money(value, clinic.organisation.currency),
        method=Method.CASH,
        recipient_name="Jo",
        message="Happy birthday!",
        by=clinic.front_desk.user,
        key=key or f"sale-{buyer.pk}",
        now=now,
    )


def owing(clinic: factories.Clinic, total: int = 18000, client: Client | None = None) -> Invoice:
    """An issued invoice for a treatment, nothing paid yet."""
    client = client or factories.client(clinic.organisation)
    invoice = money.invoice_draft(location=clinic.location, client=client)
    money.invoice_line_add(invoice=invoice, description="Microneedling — face", unit_minor=total)
    return money.invoice_issue(invoice=invoice, by=None, now=SOLD)
