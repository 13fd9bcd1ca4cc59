"""Reading money: a location's day of payments, an invoice as it reads, a booking's and a
client's money for their pages, what to check against Stripe, balances worked out by
the database, the takings of a range of days, deposits held and account credit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _

from needlepoint.accounts.permissions import access_for
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.core.languages import word_list
from needlepoint.core.money import Money, format_money
from needlepoint.payments import services
from needlepoint.payments.choices import (
    ClinicalRefund,
    FeeKind,
    FeeStatus,
    InvoiceKind,
    InvoiceStatus,
    Method,
    PaymentKind,
    PaymentStatus,
    Purpose,
)
from needlepoint.payments.models import (
    Billing,
    CreditEntry,
    Fee,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentPolicy,
    SavedCard,
    StripeEvent,
)
from needlepoint.payments.stripe_events import TO_CHECK
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Booking

FEE_PURPOSES = (Purpose.NO_SHOW_FEE, Purpose.LATE_CANCEL_FEE)
COUNTED = services.COUNTED
"""What a balance counts: money that went through or is on its way."""
HOLDING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
"""A booking whose deposit the clinic still holds: the visit hasn't happened nor been
called off."""


def day_bounds(location: Location, day: date) -> tuple[datetime, datetime]:
    """The location's local day as a UTC range (23 or 25 hours on the clock-change days)."""
    zone = location.zone
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def days_bounds(location: Location, first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of the location's ``first`` day to the end of its ``last``."""
    return day_bounds(location, first)[0], day_bounds(location, last)[1]


def day_payments(location: Location, day: date) -> QuerySet[Payment]:
    start, end = day_bounds(location, day)
    return Payment.objects.filter(location=location, taken_at__gte=start, taken_at__lt=end)


@dataclass(frozen=True)
class ToCheck:
    """What a person should look at in Stripe's dashboard: card payments and refunds whose
    outcome we don't know, and Stripe's events that matched nothing of ours or disagreed."""

    payments: list[Payment]
    events: list[StripeEvent]

    def __bool__(self) -> bool:
        return bool(self.payments or self.events)


def to_check(organisation: Organisation) -> ToCheck:
    payments = Payment.objects.filter(organisation=organisation, status=PaymentStatus.UNKNOWN)
    events = StripeEvent.objects.filter(organisation=organisation).filter(
        reduce(or_, (Q(outcome__startswith=start) for start in TO_CHECK))
    )
    return ToCheck(
        payments=list(payments.select_related("client").order_by("taken_at", "pk")),
        events=list(events.order_by("received_at", "pk")),
    )


def fees_charged_automatically() -> list[Fee]:
    """Fees still to charge at locations whose policy charges them without a person."""
    rows = Fee.objects.filter(
        status=FeeStatus.PENDING,
        booking__location__payment_policy__charge_fees_automatically=True,
    )
    return list(rows.select_related("booking").order_by("created_at", "pk"))


def may(staff: StaffMember, page: str) -> bool:
    """Whether the staff member's role may use a money page (accounts/permissions.py)."""
    return staff.role in access_for(page).who


# ---- an invoice ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxRate:
    rate_bp: int
    net: int
    tax: int
    gross: int


@dataclass(frozen=True)
class Movement:
    """A payment or refund on the invoice, and what is left of a payment to give back."""

    payment: Payment
    refundable: int


@dataclass(frozen=True)
class InvoiceSummary:
    invoice: Invoice
    lines: list[InvoiceLine]
    rates: list[TaxRate]
    net: int
    tax: int
    total: int
    credited: int
    paid: int
    balance: int
    movements: list[Movement]
    credit_notes: list[Invoice]
    seller: dict[str, str]
    buyer: dict[str, str]

    @property
    def is_credit_note(self) -> bool:
        return self.invoice.kind == InvoiceKind.CREDIT_NOTE


def invoice_summary(invoice: Invoice) -> InvoiceSummary:
    """The invoice as it reads: lines, tax per rate, totals, the money moved against it, and
    the parties (as frozen when issued; the clinic's details as they stand on a draft)."""
    lines = list(invoice.lines.all())
    by_rate: dict[int, list[InvoiceLine]] = {}
    for line in lines:
        by_rate.setdefault(line.tax_rate_bp, []).append(line)
    rates = [
        TaxRate(
            rate_bp=rate,
            net=sum(line.net_minor for line in group),
            tax=sum(line.tax_minor for line in group),
            gross=sum(line.gross_minor for line in group),
        )
        for rate, group in sorted(by_rate.items())
    ]
    movements = [
        Movement(payment, services.refundable(payment) if _refundable(payment) else 0)
        for payment in Payment.objects.filter(Q(invoice=invoice) | Q(refund_of__invoice=invoice))
        .select_related("taken_by", "refund_of")
        .distinct()
        .order_by("taken_at", "pk")
    ]
    credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE
    return InvoiceSummary(
        invoice=invoice,
        lines=lines,
        rates=rates,
        net=sum(rate.net for rate in rates),
        tax=sum(rate.tax for rate in rates),
        total=sum(rate.gross for rate in rates),
        credited=0 if credit_note else services.credited(invoice),
        paid=services.paid(invoice),
        balance=0 if credit_note else services.balance(invoice),
        movements=movements,
        credit_notes=list(invoice.credit_notes.filter(status=InvoiceStatus.ISSUED)),
        seller=invoice.seller if invoice.is_issued else seller_now(invoice.location),
        buyer=invoice.buyer if invoice.is_issued else _buyer(invoice.client),
    )


def _refundable(payment: Payment) -> bool:
    return payment.kind == PaymentKind.PAYMENT and payment.status == PaymentStatus.SUCCEEDED


def seller_now(location: Location) -> dict[str, str]:
    """The clinic's legal details as they stand (read only: nothing is created to read them)."""
    billing = Billing.objects.filter(organisation_id=location.organisation_id).first()
    return services.seller_details(location, billing or Billing(organisation=location.organisation))


def _buyer(client: Client) -> dict[str, str]:
    return {"name": f"{client.first_name} {client.last_name}", "email": client.email}


# ---- a booking's money ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeeState:
    """A no-show or late-cancellation fee: what the policy sets, and what became of it."""

    kind: str
    amount: int
    fee: Fee | None
    from_deposit: int = 0
    card: Payment | None = None
    card_last4: str = ""
    owed: int = 0

    @property
    def status(self) -> str:
        return self.fee.status if self.fee is not None else FeeStatus.PENDING

    @property
    def label(self) -> str:
        return str(FeeKind(self.kind).label)

    @property
    def status_label(self) -> str:
        return str(FeeStatus(self.status).label)


@dataclass(frozen=True)
class BookingMoney:
    currency: str
    invoice: Invoice | None
    invoice_balance: int
    other_invoices: list[tuple[Invoice, int, str]]
    treatment_invoice: bool
    deposit_paid: int
    deposit_held: int
    fee: FeeState | None
    fee_said: str
    waived: bool
    waived_reason: str
    release_to_credit: bool
    completed: bool
    may_take: bool
    may_waive: bool
    may_release: bool

    @property
    def to_give_back(self) -> int:
        return max(-self.invoice_balance, 0)


def booking_money(booking: Booking, staff: StaffMember) -> BookingMoney:
    """The booking page's money panel: its invoice, deposit and fee, and what the staff
    member may do about them."""
    invoices = list(booking.invoices.order_by("pk"))
    treatment = next((i for i in invoices if _is_treatment_invoice(i)), None)
    deposits = Payment.objects.filter(
        booking=booking,
        kind=PaymentKind.PAYMENT,
        purpose=Purpose.DEPOSIT,
        status=PaymentStatus.SUCCEEDED,
    )
    fee = Fee.objects.filter(booking=booking).select_related("decided_by", "invoice").first()
    waived = fee is not None and fee.status == FeeStatus.WAIVED
    state = None if fee is not None and fee.amount_minor == 0 else fee_state(booking, fee)
    currency = booking.location.organisation.currency
    return BookingMoney(
        currency=currency,
        invoice=treatment,
        invoice_balance=services.balance(treatment) if treatment is not None else 0,
        other_invoices=[_other(invoice, fee) for invoice in invoices if invoice != treatment],
        treatment_invoice=treatment is not None
        or booking.status not in (BookingStatus.NO_SHOW, BookingStatus.CANCELLED),
        deposit_paid=int(deposits.aggregate(t=Sum("amount_minor"))["t"] or 0),
        deposit_held=sum(services.refundable(deposit) for deposit in deposits),
        fee=state,
        fee_said=fee_outcome(state, currency, named=False) if state is not None else "",
        waived=waived,
        waived_reason=fee.reason if fee is not None and waived else "",
        release_to_credit=PaymentPolicy.objects.filter(
            location_id=booking.location_id, clinical_refund=ClinicalRefund.CREDIT
        ).exists(),
        completed=booking.status == BookingStatus.COMPLETED,
        may_take=may(staff, "money:fee_charge"),
        may_waive=may(staff, "money:fee_waive"),
        may_release=may(staff, "money:clinical_release"),
    )


def _other(invoice: Invoice, fee: Fee | None) -> tuple[Invoice, int, str]:
    """A booking's invoice besides the treatment's: its fee's, a credit note."""
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return invoice, 0, str(InvoiceKind.CREDIT_NOTE.label)
    label = _("Fee invoice") if fee is not None and fee.invoice_id == invoice.pk else _("Invoice")
    return invoice, services.balance(invoice), label


def _is_treatment_invoice(invoice: Invoice) -> bool:
    return invoice.kind == InvoiceKind.INVOICE and not any(
        line.purpose in FEE_PURPOSES for line in invoice.lines.all()
    )


def fee_state(booking: Booking, fee: Fee | None = None) -> FeeState | None:
    """The booking's fee: none when it was neither a no-show nor a late cancellation."""
    fee = fee or Fee.objects.filter(booking=booking).first()
    if fee is None:
        kind = services.fee_kind_for(booking)
        if kind is None:
            return None
        policy = PaymentPolicy.objects.filter(location_id=booking.location_id).first()
        if policy is None:
            return None
        no_show = kind == FeeKind.NO_SHOW
        amount = policy.no_show_fee_minor if no_show else policy.late_cancel_fee_minor
        return FeeState(kind=kind, amount=amount, fee=None) if amount > 0 else None
    if fee.invoice is None:
        return FeeState(kind=fee.kind, amount=fee.amount_minor, fee=fee)
    charged = Payment.objects.filter(
        organisation_id=fee.organisation_id, invoice=fee.invoice, kind=PaymentKind.PAYMENT
    )
    kept = charged.filter(idempotency_key=f"fee-{fee.pk}-deposit-in").first()
    card = charged.filter(idempotency_key=f"fee-{fee.pk}").first()
    saved = SavedCard.objects.filter(client_id=booking.client_id).first()
    return FeeState(
        kind=fee.kind,
        amount=fee.amount_minor,
        fee=fee,
        from_deposit=kept.amount_minor if kept else 0,
        card=card,
        card_last4=saved.last4 if saved else "",
        owed=max(services.balance(fee.invoice), 0),
    )


def fee_outcome(state: FeeState, currency: str, *, named: bool = True) -> str:
    """What became of the fee, in a sentence for the desk (``named``: saying which fee)."""

    def amount(minor: int) -> str:
        return format_money(Money(minor, currency))

    fee = state.fee
    head = amount(state.amount)
    if named:
        head = _("%(kind)s fee of %(amount)s") % {"kind": state.label, "amount": head}
    if fee is None or fee.status == FeeStatus.PENDING:
        return _("%(fee)s: not charged yet.") % {"fee": head}
    if fee.status == FeeStatus.WAIVED:
        return _("%(fee)s waived by %(who)s: %(reason)s") % {
            "fee": head,
            "who": fee.decided_by.full_name if fee.decided_by else _("the clinic"),
            "reason": fee.reason,
        }
    reference = fee.invoice.reference if fee.invoice else ""
    parts = []
    if state.from_deposit:
        parts.append(_("%(amount)s from the deposit") % {"amount": amount(state.from_deposit)})
    if state.card is not None and state.card.status != PaymentStatus.FAILED:
        parts.append(_card_part(state, amount(state.card.amount_minor)))
    if parts:
        how = word_list(parts)
        text = _("%(fee)s charged: %(how)s.") % {"fee": head, "how": how}
        if state.owed:
            text += " " + _("%(amount)s still owed on invoice %(reference)s.") % {
                "amount": amount(state.owed),
                "reference": reference,
            }
        return text + _declined(state)
    if not state.owed:
        return _("%(fee)s paid on invoice %(reference)s.") % {"fee": head, "reference": reference}
    text = _("%(fee)s owed on invoice %(reference)s.") % {"fee": head, "reference": reference}
    if state.card is not None:
        return text + _declined(state)
    return text + " " + _("There was no deposit or saved card to take it from.")


def _declined(state: FeeState) -> str:
    if state.card is None or state.card.status != PaymentStatus.FAILED:
        return ""
    return " " + _("The card was not charged: %(why)s") % {"why": state.card.note}


def _card_part(state: FeeState, amount: str) -> str:
    card = state.card
    assert card is not None
    text = _("%(amount)s to the card ending %(last4)s") % {
        "amount": amount,
        "last4": state.card_last4 or "····",
    }
    if card.status != PaymentStatus.SUCCEEDED:
        text += f" ({card.get_status_display().lower()})"
    return text


# ---- a client's money ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClientMoney:
    currency: str
    credit: int
    invoices: list[tuple[Invoice, int]]
    payments: list[Payment]


def client_money(client: Client, locations: QuerySet[Location], *, limit: int = 20) -> ClientMoney:
    """The client page's money: account credit, recent invoices with what is owed on each,
    and recent payments and refunds, at the locations the staff member sees."""
    invoices = (
        Invoice.objects.filter(client=client, location__in=locations)
        .select_related("location")
        .order_by("-created_at", "-pk")[:limit]
    )
    payments = (
        Payment.objects.filter(client=client, location__in=locations)
        .select_related("invoice", "location")
        .order_by("-taken_at", "-pk")[:limit]
    )
    return ClientMoney(
        currency=client.organisation.currency,
        credit=services.credit_balance(client),
        invoices=[
            (invoice, services.balance(invoice) if invoice.kind == InvoiceKind.INVOICE else 0)
            for invoice in invoices
        ],
        payments=list(payments),
    )


# ---- the day's cash-up ---------------------------------------------------------------------


@dataclass(frozen=True)
class Takings:
    method: str
    label: str
    amount: int


def takings_rows(taken: dict[str, int]) -> list[Takings]:
    """Every method's net takings, in the order the desk counts them."""
    return [Takings(method.value, str(method.label), taken.get(method, 0)) for method in Method]


def _sum(rows: QuerySet[Any], per: str, field: str = "amount_minor") -> Coalesce:
    """A correlated sum of ``field`` over ``rows`` (filtered on an OuterRef), zero if none."""
    summed = rows.order_by().values(per).annotate(total=Sum(field)).values("total")
    return Coalesce(Subquery(summed, output_field=BigIntegerField()), Value(0))


def with_balance(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """Each invoice with ``paid_minor``, ``credited_minor`` and ``balance_minor``, worked out
    in the same query, as ``services.paid``, ``credited`` and ``balance`` do for one."""
    counted = Payment.objects.filter(status__in=COUNTED)
    refunds = counted.filter(kind=PaymentKind.REFUND)
    paid_in = _sum(counted.filter(invoice=OuterRef("pk"), kind=PaymentKind.PAYMENT), "invoice")
    refunded = _sum(refunds.filter(invoice=OuterRef("pk")), "invoice")
    # a refund of one of its payments recorded without the invoice (or on another)
    refunded_apart = _sum(
        refunds.filter(refund_of__invoice=OuterRef("pk")).exclude(invoice=OuterRef("pk")),
        "refund_of__invoice",
    )
    credited = _sum(
        Invoice.objects.filter(corrects=OuterRef("pk"), status=InvoiceStatus.ISSUED),
        "corrects",
        "total_minor",
    )
    lines = _sum(InvoiceLine.objects.filter(invoice=OuterRef("pk")), "invoice", "gross_minor")
    return invoices.annotate(
        paid_minor=paid_in - refunded - refunded_apart,
        credited_minor=credited,
        balance_minor=Case(
            When(
                status=InvoiceStatus.ISSUED,
                then=F("total_minor") - F("credited_minor") - F("paid_minor"),
            ),
            default=lines - F("paid_minor"),
            output_field=BigIntegerField(),
        ),
    )


def takings_by_day(location: Location, first: date, last: date) -> dict[tuple[date, str, str], int]:
    """Money that went through at the location from its ``first`` to its ``last`` day, by
    the location's calendar day, method and kind (payment or refund): one grouped query."""
    start, end = days_bounds(location, first, last)
    rows = (
        Payment.objects.filter(
            location=location,
            status=PaymentStatus.SUCCEEDED,
            taken_at__gte=start,
            taken_at__lt=end,
        )
        .annotate(day=TruncDate("taken_at", tzinfo=location.zone))
        .order_by()
        .values("day", "method", "kind")
        .annotate(total=Sum("amount_minor"))
    )
    return {(row["day"], row["method"], row["kind"]): int(row["total"]) for row in rows}


def held_deposits(locations: Iterable[Location]) -> QuerySet[Payment]:
    """Deposits that went through, are not all given back, and whose visit is still to come
    (booked or checked in): each with ``refunded_minor`` and ``held_minor``."""
    refunded = _sum(
        Payment.objects.filter(
            refund_of=OuterRef("pk"), kind=PaymentKind.REFUND, status__in=COUNTED
        ),
        "refund_of",
    )
    return (
        Payment.objects.filter(
            location__in=list(locations),
            kind=PaymentKind.PAYMENT,
            purpose=Purpose.DEPOSIT,
            status=PaymentStatus.SUCCEEDED,
            booking__status__in=HOLDING,
        )
        .annotate(refunded_minor=refunded)
        .annotate(held_minor=F("amount_minor") - F("refunded_minor"))
        .filter(held_minor__gt=0)
    )


def credit_balances(organisation_id: int) -> QuerySet[CreditEntry, dict[str, Any]]:
    """Each client of the organisation holding account credit, with ``balance``: one query."""
    return (
        CreditEntry.objects.filter(client__organisation_id=organisation_id)
        .order_by()
        .values("client_id", "client__public_id", "client__first_name", "client__last_name")
        .annotate(balance=Sum("amount_minor"))
        .filter(balance__gt=0)
    )
