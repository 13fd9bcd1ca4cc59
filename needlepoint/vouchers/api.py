"""The API's gift vouchers: list and read them, find one by its code, sell one and spend
one on an invoice — the same services as the desk's pages.

For the roles that take payments (owners, managers, practitioners, the front desk).
Reading needs the ``read`` scope; selling and spending write money at the desk, so they
need the ``book`` scope, the desk's writing scope. A code is sent in a body, never in a
URL (it would be kept in logs), and no answer but the lookup's and the sale's carries it.
"""

# Annotations stay real types (no __future__ import): ninja reads these signatures.

from datetime import date, datetime
from typing import cast
from uuid import UUID, uuid4

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from needlepoint.accounts.access import visible_locations
from needlepoint.accounts.permissions import MONEY as MONEY_ROLES
from needlepoint.api.auth import ApiTokenAuth, acting_staff
from needlepoint.api.choices import Scope
from needlepoint.api.errors import errors
from needlepoint.api.idempotency import KeyHeader, create_once
from needlepoint.api.lookup import referenced
from needlepoint.api.pagination import Page
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.payments.api import major
from needlepoint.payments.models import Invoice
from needlepoint.vouchers import services
from needlepoint.vouchers.choices import VoucherStatus
from needlepoint.vouchers.models import GiftVoucher, VoucherRedemption
from needlepoint.vouchers.queries import vouchers_at

REFUSAL = cast(str, _lazy("Gift vouchers are for the roles that take payments."))
READ = ApiTokenAuth(Scope.READ, MONEY_ROLES, REFUSAL)
WRITE = ApiTokenAuth(Scope.BOOK, MONEY_ROLES, REFUSAL)
router = Router(tags=["Gift vouchers"], auth=READ)
MINOR = "In the currency's smallest unit: 8550 is £85.50."


class VoucherOut(Schema):
    id: UUID
    code_ends: str = Field(description="The code's last four characters.")
    status: VoucherStatus
    currency: str
    value: str
    value_minor: int = Field(description=MINOR)
    balance: str
    balance_minor: int = Field(description=MINOR)
    expires_on: date = Field(description="The last day it can be spent, the location's own.")
    buyer: UUID
    location: UUID
    sale_invoice: UUID
    recipient_name: str
    issued_at: datetime

    @staticmethod
    def resolve_id(voucher: GiftVoucher) -> UUID:
        return voucher.public_id

    @staticmethod
    def resolve_code_ends(voucher: GiftVoucher) -> str:
        return voucher.code[-4:]

    @staticmethod
    def resolve_value(voucher: GiftVoucher) -> str:
        return major(voucher.initial_minor, voucher.currency)

    @staticmethod
    def resolve_value_minor(voucher: GiftVoucher) -> int:
        return voucher.initial_minor

    @staticmethod
    def resolve_balance(voucher: GiftVoucher) -> str:
        return major(voucher.balance_minor, voucher.currency)

    @staticmethod
    def resolve_buyer(voucher: GiftVoucher) -> UUID:
        return voucher.buyer.public_id

    @staticmethod
    def resolve_location(voucher: GiftVoucher) -> UUID:
        return voucher.location.public_id

    @staticmethod
    def resolve_sale_invoice(voucher: GiftVoucher) -> UUID:
        return voucher.sale_invoice.public_id


class VoucherWithCodeOut(VoucherOut):
    code: str = Field(description="The whole code, grouped: K7QF-2M9X-HN4T-WRCE.")

    @staticmethod
    def resolve_code(voucher: GiftVoucher) -> str:
        return voucher.shown_code


class VoucherFilters(Schema):
    status: VoucherStatus | None = None
    buyer: UUID | None = None


class CodeIn(Schema):
    code: str = Field(max_length=40, description="As printed; any case, dashes optional.")


class SellIn(Schema):
    buyer: UUID = Field(description="The client who buys it.")
    location: UUID
    amount_minor: int = Field(gt=0, description=MINOR)
    currency: str = Field(min_length=3, max_length=3)
    method: str = Field(description="cash, terminal, bank_transfer or credit.")
    recipient_name: str = Field("", max_length=120)
    message: str = Field("", max_length=500)


class SpendIn(Schema):
    code: str = Field(max_length=40)
    invoice: UUID = Field(description="An issued invoice with a balance due.")
    amount_minor: int = Field(gt=0, description=MINOR)
    currency: str = Field(min_length=3, max_length=3)


class RedemptionOut(Schema):
    voucher: VoucherOut
    invoice: UUID
    payment: UUID
    amount: str
    amount_minor: int
    currency: str

    @staticmethod
    def resolve_invoice(row: VoucherRedemption) -> UUID:
        return row.invoice.public_id

    @staticmethod
    def resolve_payment(row: VoucherRedemption) -> UUID:
        return row.payment.public_id

    @staticmethod
    def resolve_amount(row: VoucherRedemption) -> str:
        return major(row.amount_minor, row.voucher.currency)

    @staticmethod
    def resolve_currency(row: VoucherRedemption) -> str:
        return row.voucher.currency


def _vouchers(request: HttpRequest) -> QuerySet[GiftVoucher]:
    staff = acting_staff(request)
    return vouchers_at(visible_locations(staff)).filter(organisation_id=staff.organisation_id)


@router.get("/vouchers", response={200: list[VoucherOut], **errors(422)})
@paginate(Page)
def list_vouchers(request: HttpRequest, filters: Query[VoucherFilters]) -> QuerySet[GiftVoucher]:
    """Gift vouchers sold at your locations, newest first."""
    found = _vouchers(request)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.buyer:
        found = found.filter(buyer__public_id=filters.buyer)
    return found.order_by("-issued_at", "-pk")


@router.post("/vouchers/lookup", response={200: VoucherWithCodeOut, **errors(400, 404, 422)})
def find_voucher(request: HttpRequest, payload: CodeIn) -> GiftVoucher:
    """The voucher with this code (the desk's search); 404 when none of yours has it."""
    voucher = services.find(acting_staff(request).organisation, payload.code)
    if voucher is None or not _vouchers(request).filter(pk=voucher.pk).exists():
        raise DomainError("not_found", services.no_match(), field="code")
    audit.record(Action.VIEWED, Target.VOUCHER, voucher.public_id, client=voucher.buyer)
    return voucher


@router.post("/vouchers", auth=WRITE, response={201: VoucherWithCodeOut, **errors(400, 404, 422)})
def sell_voucher(
    request: HttpRequest, payload: SellIn, idempotency_key: KeyHeader = None
) -> HttpResponse:
    """Sell a voucher paid at the desk: its invoice is issued and paid, and the voucher
    (with its code) is answered. Send an ``Idempotency-Key`` to retry safely."""

    def sell() -> VoucherWithCodeOut:
        staff = acting_staff(request)
        buyer = referenced(
            Client.objects.filter(organisation_id=staff.organisation_id), payload.buyer, "buyer"
        )
        location = referenced(visible_locations(staff), payload.location, "location")
        voucher = services.voucher_sell(
            location=location,
            buyer=buyer,
            amount=Money(payload.amount_minor, payload.currency.upper()),
            method=payload.method,
            recipient_name=payload.recipient_name,
            message=payload.message,
            by=staff.user,
            key=f"api-voucher-{uuid4()}",
        )
        return VoucherWithCodeOut.from_orm(voucher)

    return create_once(request, idempotency_key, payload, 201, sell)


@router.post("/vouchers/spend", auth=WRITE, response={201: RedemptionOut, **errors(400, 404, 422)})
def spend_voucher(
    request: HttpRequest, payload: SpendIn, idempotency_key: KeyHeader = None
) -> HttpResponse:
    """Pay part or all of an issued invoice from a voucher. Refused (400) when the voucher
    is unknown, used up, expired, cancelled or in another currency, or the amount is more
    than its balance or the invoice's."""

    def spend() -> RedemptionOut:
        staff = acting_staff(request)
        invoices = Invoice.objects.filter(
            organisation_id=staff.organisation_id, location__in=visible_locations(staff)
        )
        invoice = referenced(invoices, payload.invoice, "invoice")
        redemption = services.voucher_spend(
            code=payload.code,
            invoice=invoice,
            amount=Money(payload.amount_minor, payload.currency.upper()),
            by=staff.user,
            key=f"api-spend-{uuid4()}",
        )
        return RedemptionOut.from_orm(redemption)

    return create_once(request, idempotency_key, payload, 201, spend)


# After /vouchers/lookup and /vouchers/spend: ninja matches paths in the order made.
@router.get("/vouchers/{voucher_id}", response={200: VoucherOut, **errors(404, 422)})
def read_voucher(request: HttpRequest, voucher_id: UUID) -> GiftVoucher:
    voucher = get_object_or_404(_vouchers(request), public_id=voucher_id)
    audit.record(Action.VIEWED, Target.VOUCHER, voucher.public_id, client=voucher.buyer)
    return voucher
