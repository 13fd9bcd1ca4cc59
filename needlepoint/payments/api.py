"""The API's money, read only: invoices and credit notes with their lines and balance, and
payments and refunds.

For owners and managers, as the Money report is: a token of another role is refused
(403). Amounts come in the currency's smallest unit (``total_minor``: 8550 is £85.50),
beside the same amount in major units as a string (``total``: "85.50") and the
``currency``, as a service's price does. Dates in filters are the location's own.
"""

# Annotations stay real types (no __future__ import): ninja reads these signatures,
# some through its paginate wrapper, whose module can't resolve names given as strings.

from datetime import date, datetime
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from needlepoint.accounts.access import visible_locations
from needlepoint.api.auth import MONEY, acting_staff
from needlepoint.api.errors import errors
from needlepoint.api.fields import Day
from needlepoint.api.lookup import referenced
from needlepoint.api.pagination import Page
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.models import Location
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, as_decimal
from needlepoint.core.replica import reads_replica
from needlepoint.payments.choices import (
    InvoiceKind,
    InvoiceStatus,
    Method,
    PaymentKind,
    PaymentStatus,
    Purpose,
)
from needlepoint.payments.models import Invoice, InvoiceLine, Payment
from needlepoint.payments.queries import day_bounds, with_balance

router = Router(tags=["Money"], auth=MONEY)
MAJOR = "The same amount in major units, to the currency's precision: 85.50 (GBP), 8500 (JPY)."
MINOR = "In the currency's smallest unit: 8550 is £85.50."


def major(minor: int, currency: str) -> str:
    return str(as_decimal(Money(minor, currency)))


def _id(record: Invoice | Payment | None) -> UUID | None:
    return record.public_id if record is not None else None


class LineOut(Schema):
    description: str
    quantity: int
    unit: str = Field(description=f"The price of one, as written on the invoice. {MAJOR}")
    unit_minor: int = Field(description=MINOR)
    tax_rate_bp: int = Field(description="The tax rate in basis points: 2000 is 20%.")
    net: str
    net_minor: int
    tax: str
    tax_minor: int
    gross: str
    gross_minor: int
    purpose: Purpose


def line_out(line: InvoiceLine, currency: str) -> LineOut:
    return LineOut(
        description=line.description,
        quantity=line.quantity,
        unit=major(line.unit_minor, currency),
        unit_minor=line.unit_minor,
        tax_rate_bp=line.tax_rate_bp,
        net=major(line.net_minor, currency),
        net_minor=line.net_minor,
        tax=major(line.tax_minor, currency),
        tax_minor=line.tax_minor,
        gross=major(line.gross_minor, currency),
        gross_minor=line.gross_minor,
        purpose=Purpose(line.purpose),
    )


class InvoiceOut(Schema):
    id: UUID
    kind: InvoiceKind = Field(description="An invoice, or a credit note correcting one.")
    status: InvoiceStatus = Field(description="A draft can still change; an issued one never.")
    reference: str = Field(description="e.g. HARBOUR-STREET-000012; empty on a draft.")
    number: int | None
    client: UUID
    location: UUID
    booking: UUID | None
    corrects: UUID | None = Field(description="The invoice a credit note corrects.")
    currency: str = Field(description="ISO 4217 code, e.g. GBP.")
    net: str = Field(description=MAJOR)
    net_minor: int = Field(description=MINOR)
    tax: str
    tax_minor: int
    total: str
    total_minor: int = Field(description="What the invoice is for, tax included; 0 on a draft.")
    balance: str
    balance_minor: int = Field(
        description="Still owed: the total less credit notes and what was paid (less "
        "refunds). On a draft, its lines' total less what was paid."
    )
    issued_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_id(invoice: Invoice) -> UUID:
        return invoice.public_id

    @staticmethod
    def resolve_client(invoice: Invoice) -> UUID:
        return invoice.client.public_id

    @staticmethod
    def resolve_location(invoice: Invoice) -> UUID:
        return invoice.location.public_id

    @staticmethod
    def resolve_booking(invoice: Invoice) -> UUID | None:
        return invoice.booking.public_id if invoice.booking is not None else None

    @staticmethod
    def resolve_corrects(invoice: Invoice) -> UUID | None:
        return _id(invoice.corrects)

    @staticmethod
    def resolve_net(invoice: Invoice) -> str:
        return major(invoice.net_minor, invoice.currency)

    @staticmethod
    def resolve_tax(invoice: Invoice) -> str:
        return major(invoice.tax_minor, invoice.currency)

    @staticmethod
    def resolve_total(invoice: Invoice) -> str:
        return major(invoice.total_minor, invoice.currency)

    @staticmethod
    def resolve_balance(invoice: Invoice) -> str:
        return major(invoice.balance_minor, invoice.currency)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_balance_minor(invoice: Invoice) -> int:
        return int(invoice.balance_minor)  # type: ignore[attr-defined]


class PaymentOut(Schema):
    id: UUID
    kind: PaymentKind = Field(description="Money in (payment) or given back (refund).")
    refund_of: UUID | None = Field(description="The payment a refund gives back.")
    client: UUID
    location: UUID
    invoice: UUID | None
    booking: UUID | None
    purpose: Purpose
    method: Method = Field(
        description="For a refund: where the money went (credit: kept as account credit)."
    )
    status: PaymentStatus = Field(
        description="Only succeeded money went through; a card payment or refund is pending "
        "until Stripe answers."
    )
    amount: str = Field(description=MAJOR)
    amount_minor: int = Field(description=MINOR)
    currency: str
    note: str = Field(description="The desk's note; for a refund, why it was given back.")
    taken_at: datetime

    @staticmethod
    def resolve_id(payment: Payment) -> UUID:
        return payment.public_id

    @staticmethod
    def resolve_refund_of(payment: Payment) -> UUID | None:
        return _id(payment.refund_of)

    @staticmethod
    def resolve_client(payment: Payment) -> UUID:
        return payment.client.public_id

    @staticmethod
    def resolve_location(payment: Payment) -> UUID:
        return payment.location.public_id

    @staticmethod
    def resolve_invoice(payment: Payment) -> UUID | None:
        return _id(payment.invoice)

    @staticmethod
    def resolve_booking(payment: Payment) -> UUID | None:
        return payment.booking.public_id if payment.booking is not None else None

    @staticmethod
    def resolve_amount(payment: Payment) -> str:
        return major(payment.amount_minor, payment.currency)


class InvoiceDetailOut(InvoiceOut):
    seller: dict[str, str] = Field(description="The clinic's details as issued.")
    buyer: dict[str, str] = Field(description="The client's name and email as issued.")
    reason: str = Field(description="Why a credit note was issued.")
    credited: str
    credited_minor: int = Field(description="The total of the credit notes issued against it.")
    paid: str
    paid_minor: int = Field(description="Paid against it, less what was refunded of that.")
    lines: list[LineOut]
    payments: list[PaymentOut] = Field(description="Its payments and their refunds, in order.")
    credit_notes: list[UUID] = Field(description="The issued credit notes correcting it.")

    @staticmethod
    def resolve_seller(invoice: Invoice) -> dict[str, str]:
        return {key: str(value) for key, value in invoice.seller.items()}

    @staticmethod
    def resolve_buyer(invoice: Invoice) -> dict[str, str]:
        return {key: str(value) for key, value in invoice.buyer.items()}

    @staticmethod
    def resolve_credited(invoice: Invoice) -> str:
        return major(invoice.credited_minor, invoice.currency)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_paid(invoice: Invoice) -> str:
        return major(invoice.paid_minor, invoice.currency)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_lines(invoice: Invoice) -> list[LineOut]:
        return [line_out(line, invoice.currency) for line in invoice.lines.all()]

    @staticmethod
    def resolve_payments(invoice: Invoice) -> list[Payment]:
        return list(
            Payment.objects.filter(Q(invoice=invoice) | Q(refund_of__invoice=invoice))
            .select_related("client", "location", "invoice", "booking", "refund_of")
            .order_by("taken_at", "pk")
        )

    @staticmethod
    def resolve_credit_notes(invoice: Invoice) -> list[UUID]:
        notes = invoice.credit_notes.filter(status=InvoiceStatus.ISSUED).order_by("pk")
        return list(notes.values_list("public_id", flat=True))


class InvoiceFilters(Schema):
    client: UUID | None = None
    status: InvoiceStatus | None = None
    kind: InvoiceKind | None = None
    issued_from: Day | None = Field(None, description="Issued on or after this date.")
    issued_to: Day | None = Field(None, description="Issued on or before this date.")


class PaymentFilters(Schema):
    client: UUID | None = None
    location: UUID | None = None
    kind: PaymentKind | None = None
    status: PaymentStatus | None = None
    taken_from: Day | None = Field(None, description="Taken on or after this date.")
    taken_to: Day | None = Field(None, description="Taken on or before this date.")


def _locations(request: HttpRequest) -> QuerySet[Location]:
    return visible_locations(acting_staff(request))


def _invoices(request: HttpRequest) -> QuerySet[Invoice]:
    staff = acting_staff(request)
    return with_balance(
        Invoice.objects.filter(
            organisation_id=staff.organisation_id, location__in=_locations(request)
        ).select_related("client", "location", "booking", "corrects")
    )


def _payments(request: HttpRequest) -> QuerySet[Payment]:
    staff = acting_staff(request)
    return Payment.objects.filter(
        organisation_id=staff.organisation_id, location__in=_locations(request)
    ).select_related("client", "location", "invoice", "booking", "refund_of")


def _between(locations: QuerySet[Location], field: str, first: date | None, last: date | None) -> Q:
    """``field`` within the dates, each location's own (none given: no condition)."""
    if first is None and last is None:
        return Q()
    if first is not None and last is not None and last < first:
        raise DomainError("invalid_range", _("Give an end on or after the start."))
    matches = Q(pk__in=[])
    for place in locations:
        here = Q(location=place)
        if first is not None:
            here &= Q(**{f"{field}__gte": day_bounds(place, first)[0]})
        if last is not None:
            here &= Q(**{f"{field}__lt": day_bounds(place, last)[1]})
        matches |= here
    return matches


@router.get("/invoices", response={200: list[InvoiceOut], **errors(400, 422)})
@reads_replica  # the books, read a period at a time: seconds stale is fine (docs/scaling.md)
@paginate(Page)
def list_invoices(request: HttpRequest, filters: Query[InvoiceFilters]) -> QuerySet[Invoice]:
    """Invoices and credit notes, oldest first, each with its balance; filter by client,
    status, kind and the dates they were issued (the location's own, both included)."""
    invoices = _invoices(request).filter(
        _between(_locations(request), "issued_at", filters.issued_from, filters.issued_to)
    )
    if filters.client is not None:
        invoices = invoices.filter(client__public_id=filters.client)
    if filters.status is not None:
        invoices = invoices.filter(status=filters.status)
    if filters.kind is not None:
        invoices = invoices.filter(kind=filters.kind)
    return invoices.order_by("created_at", "pk")


@router.get("/invoices/{invoice_id}", response={200: InvoiceDetailOut, **errors(404, 422)})
def read_invoice(request: HttpRequest, invoice_id: UUID) -> Invoice:
    """An invoice or credit note: its lines, totals, balance, payments and refunds."""
    invoice: Invoice = get_object_or_404(_invoices(request), public_id=invoice_id)
    audit.record(Action.VIEWED, Target.INVOICE, invoice.public_id, client=invoice.client)
    return invoice


@router.get("/payments", response={200: list[PaymentOut], **errors(400, 404, 422)})
@reads_replica
@paginate(Page)
def list_payments(request: HttpRequest, filters: Query[PaymentFilters]) -> QuerySet[Payment]:
    """Payments and refunds, in the order they were taken; filter by client, location,
    kind, status and the dates they were taken (the location's own, both included).
    Only ``succeeded`` ones went through."""
    locations = _locations(request)
    payments = _payments(request)
    if filters.location is not None:
        place = referenced(locations, filters.location, "location")
        payments = payments.filter(location=place)
        locations = locations.filter(pk=place.pk)
    payments = payments.filter(
        _between(locations, "taken_at", filters.taken_from, filters.taken_to)
    )
    if filters.client is not None:
        payments = payments.filter(client__public_id=filters.client)
    if filters.kind is not None:
        payments = payments.filter(kind=filters.kind)
    if filters.status is not None:
        payments = payments.filter(status=filters.status)
    return payments.order_by("taken_at", "pk")
