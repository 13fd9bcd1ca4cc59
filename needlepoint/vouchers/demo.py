"""The demo clinic's gift vouchers, through the same services as the desk: three sold in
the past months (one partly spent on a treatment, one used up) and one sold today."""

from __future__ import annotations

from datetime import datetime, timedelta

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core.money import Money
from needlepoint.payments import services as money
from needlepoint.payments.choices import Method
from needlepoint.vouchers.services import voucher_sell, voucher_spend

SALES = (  # (days ago, value, method, recipient, message, spent)
    (75, 10000, Method.TERMINAL, "Maya", "Happy birthday! Treat yourself.", 6000),
    (40, 5000, Method.CASH, "Grandma", "With love from all of us.", 5000),
    (12, 15000, Method.TERMINAL, "Chris", "For your anniversary.", 0),
    (0, 7500, Method.BANK_TRANSFER, "", "", 0),
)


def load(location: Location, desk: StaffMember, clients: list[Client], now: datetime) -> None:
    currency = location.organisation.currency
    for n, (days_ago, value, method, recipient, message, spent) in enumerate(SALES):
        sold_at = now - timedelta(days=days_ago)
        buyer, spender = clients[n], clients[-1 - n]
        voucher = voucher_sell(
            location=location,
            buyer=buyer,
            amount=Money(value, currency),
            method=method,
            recipient_name=recipient,
            message=message,
            by=desk.user,
            key=f"demo-voucher-{n}",
            now=sold_at,
        )
        if not spent:
            continue
        invoice = money.invoice_draft(location=location, client=spender)
        money.invoice_line_add(
            invoice=invoice, description="Microneedling — face", unit_minor=spent + 4000
        )
        invoice = money.invoice_issue(
            invoice=invoice, by=desk.user, now=sold_at + timedelta(days=20)
        )
        voucher_spend(
            code=voucher.code,
            invoice=invoice,
            amount=Money(spent, currency),
            by=desk.user,
            key=f"demo-voucher-spend-{n}",
            now=sold_at + timedelta(days=20),
        )
