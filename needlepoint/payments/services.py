"""Every change to money: invoices, payments, refunds, credit, fees and the clinical rule.

Pages, the API, the worker and the receivers all come here. Money that leaves through
Stripe is written first as a *pending* payment or refund with its idempotency key (the
outbox), in the same transaction as the decision; ``payment_send`` then carries it out,
straight after the commit for a member of staff waiting on the page, or from the worker
(``send_due``) for what the rules decided on their own and what is still unknown. Either
way one row, one key: nothing is charged or refunded twice. Stripe's webhooks
(stripe_events.py) settle what its answers left open.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client, Screening
from needlepoint.clinics.models import Location, Organisation
from needlepoint.core.errors import DomainError
from needlepoint.core.money import HIGHEST_MINOR, Money, format_money
from needlepoint.core.outbox import CONNECTION_LOST, drain, due_ids
from needlepoint.notifications import planner
from needlepoint.notifications.choices import MessageKind, MessageStatus
from needlepoint.notifications.models import Message
from needlepoint.payments import gateway, signals
from needlepoint.payments.choices import (
    DESK_METHODS,
    ClinicalRefund,
    DepositKind,
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
    CashUp,
    CreditEntry,
    DepositRule,
    Fee,
    Invoice,
    InvoiceLine,
    InvoiceSeries,
    Payment,
    PaymentPolicy,
    SavedCard,
)
from needlepoint.payments.pricing import price_for
from needlepoint.payments.tax import line_amounts
from needlepoint.scheduling.models import Booking, Service
from needlepoint.webhooks import events as webhooks

logger = logging.getLogger(__name__)
OPEN_STATUSES = (PaymentStatus.PENDING, PaymentStatus.UNKNOWN)
COUNTED = (PaymentStatus.SUCCEEDED, PaymentStatus.PENDING, PaymentStatus.UNKNOWN)


# ---- set-up ---------------------------------------------------------------------------


def billing_for(organisation: Organisation) -> Billing:
    billing, _created = Billing.objects.get_or_create(organisation=organisation)
    return billing


def policy_for(location: Location) -> PaymentPolicy:
    policy, _created = PaymentPolicy.objects.get_or_create(location=location)
    return policy


def deposit_rule_for(service: Service) -> DepositRule | None:
    """The service's own rule, else its location's, else none."""
    own = DepositRule.objects.filter(service=service).first()
    return own or DepositRule.objects.filter(location_id=service.location_id, service=None).first()


def deposit_due(service: Service) -> tuple[str, Money]:
    """What booking ``service`` online asks for: the kind and the amount to pay now."""
    currency = service.location.organisation.currency
    rule = deposit_rule_for(service)
    kind = rule.kind if rule is not None else DepositKind.NONE
    price = service.price_minor
    amounts: dict[str, int] = {
        DepositKind.FIXED: min(rule.fixed_minor, price) if rule else 0,
        DepositKind.PERCENT: (price * rule.percent + 50) // 100 if rule else 0,
        DepositKind.FULL: price,
    }
    return kind, Money(amounts.get(kind, 0), currency)


def policy_has_terms(location: Location) -> bool:
    """Whether the location's policy asks anything of a client: a fee, or its own wording."""
    return (
        PaymentPolicy.objects.filter(location=location)
        .filter(
            Q(no_show_fee_minor__gt=0)
            | Q(late_cancel_fee_minor__gt=0)
            | ~Q(cancellation_wording="")
        )
        .exists()
    )


# ---- invoices -------------------------------------------------------------------------


@transaction.atomic
def invoice_for_booking(*, booking: Booking, by: User | None = None) -> Invoice:
    """The booking's invoice: the one already made, or a draft with the service on it."""
    existing = (
        booking.invoices.filter(kind=InvoiceKind.INVOICE)
        .exclude(lines__purpose__in=(Purpose.NO_SHOW_FEE, Purpose.LATE_CANCEL_FEE))
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    invoice = _draft(booking.location, booking.client, booking=booking)
    price = price_for(booking)
    invoice_line_add(
        invoice=invoice,
        description=price.description,
        unit_minor=price.unit_minor,
        tax_rate_bp=booking.service.tax_rate_bp,
    )
    return invoice


def invoice_draft(*, location: Location, client: Client) -> Invoice:
    """A draft invoice of ``location`` for ``client`` with no booking, for the apps above
    that sell something of their own (a voucher, a membership's period); lines go on with
    ``invoice_line_add``."""
    if client.organisation_id != location.organisation_id:
        raise DomainError("not_found", _("No such client."))
    return _draft(location, client)


def _draft(location: Location, client: Client, *, booking: Booking | None = None) -> Invoice:
    organisation = location.organisation
    return Invoice.objects.create(
        organisation=organisation,
        location=location,
        client=client,
        booking=booking,
        currency=organisation.currency,
        prices_include_tax=billing_for(organisation).prices_include_tax,
    )


def invoice_line_add(
    *,
    invoice: Invoice,
    description: str,
    unit_minor: int,
    quantity: int = 1,
    tax_rate_bp: int = 0,
    purpose: str = Purpose.BALANCE,
) -> InvoiceLine:
    _require_draft(invoice)
    if not description.strip():
        raise DomainError(
            "description_missing", _("Say what the line is for."), field="description"
        )
    if not 1 <= quantity <= 999:
        raise DomainError("invalid_quantity", _("Give a quantity from 1 to 999."), field="quantity")
    if not 0 <= unit_minor <= HIGHEST_MINOR:
        raise DomainError("invalid_amount", _("Give a price from zero up."), field="unit_minor")
    if not 0 <= tax_rate_bp <= 10_000:
        raise DomainError("invalid_tax_rate", _("A tax rate is from 0% to 100%."), field="tax_rate")
    amounts = line_amounts(unit_minor, quantity, tax_rate_bp, inclusive=invoice.prices_include_tax)
    return InvoiceLine.objects.create(
        invoice=invoice,
        description=description.strip()[:200],
        quantity=quantity,
        unit_minor=unit_minor,
        tax_rate_bp=tax_rate_bp,
        net_minor=amounts.net,
        tax_minor=amounts.tax,
        gross_minor=amounts.gross,
        purpose=purpose,
    )


def _require_draft(invoice: Invoice) -> None:
    if invoice.status != InvoiceStatus.DRAFT:
        raise DomainError(
            "invoice_issued",
            _("Invoice %(number)s is issued and can't change; issue a credit note instead.")
            % {"number": invoice.reference},
        )


@transaction.atomic
def invoice_issue(*, invoice: Invoice, by: User | None, now: datetime | None = None) -> Invoice:
    """Number the draft (the location's next number, never skipped), freeze its totals, the
    clinic's legal details and the client's, and take the booking's payments onto it."""
    now = now or timezone.now()
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _require_draft(invoice)
    lines = list(invoice.lines.all())
    if not lines:
        raise DomainError("invoice_empty", _("An invoice needs at least one line."))
    _number(invoice, now, by)
    invoice.net_minor = sum(line.net_minor for line in lines)
    invoice.tax_minor = sum(line.tax_minor for line in lines)
    invoice.total_minor = sum(line.gross_minor for line in lines)
    invoice.save()
    treatment = all(line.purpose == Purpose.BALANCE for line in lines)
    if invoice.booking_id is not None and invoice.kind == InvoiceKind.INVOICE and treatment:
        # the deposit (and anything paid ahead) is paid towards the treatment's invoice
        Payment.objects.filter(
            booking_id=invoice.booking_id,
            invoice=None,
            kind=PaymentKind.PAYMENT,
            purpose__in=(Purpose.DEPOSIT, Purpose.BALANCE),
        ).update(invoice=invoice)
    webhooks.invoice_issued(invoice)
    _audit(
        Action.CREATED,
        Target.INVOICE,
        invoice.public_id,
        invoice.client,
        what="issued",
        reference=invoice.reference,
        total=invoice.total_minor,
    )
    return invoice


def _number(invoice: Invoice, now: datetime, by: User | None) -> None:
    series, _created = InvoiceSeries.objects.get_or_create(
        location=invoice.location, kind=invoice.kind
    )
    series = InvoiceSeries.objects.select_for_update().get(pk=series.pk)
    # the location's slug is unique in the organisation, so references are too
    prefix = invoice.location.slug.upper()
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        prefix += "-CN"
    invoice.number = series.next_number
    invoice.reference = f"{prefix}-{series.next_number:06d}"
    series.next_number += 1
    series.save(update_fields=["next_number"])
    invoice.seller = seller_details(invoice.location, billing_for(invoice.organisation))
    client = invoice.client
    invoice.buyer = {"name": f"{client.first_name} {client.last_name}", "email": client.email}
    invoice.status = InvoiceStatus.ISSUED
    invoice.issued_at = now
    invoice.issued_by = by


def seller_details(location: Location, billing: Billing) -> dict[str, str]:
    """The clinic's legal details as an invoice of ``location`` states them."""
    return {
        "name": billing.legal_name or location.organisation.name,
        "trading_as": location.name,
        "address": billing.address or location.address,
        "tax_number": billing.tax_number,
        "email": location.email,
        "phone": location.phone,
        "note": billing.invoice_note,
    }


@transaction.atomic
def invoice_line_remove(*, invoice: Invoice, line: InvoiceLine) -> None:
    """Take a line off a draft (a slip of the keyboard); an issued invoice keeps its lines."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _require_draft(invoice)
    if line.invoice_id != invoice.pk:
        raise DomainError("not_found", _("That line is not on this invoice."))
    line.delete()


@transaction.atomic
def invoice_send(*, invoice: Invoice, by: User | None) -> str:
    """Email the issued invoice (or credit note) to the client through the outbox, its PDF
    attached when the worker sends it. Returns the address it goes to."""
    if not invoice.is_issued:
        raise DomainError("invoice_draft", _("Issue the invoice before sending it."))
    address = invoice.client.email
    if not address:
        raise DomainError("no_email", _("The client has no email address on file."))
    subject = f"invoice:{invoice.public_id}"
    waiting = Message.objects.filter(
        subject=subject,
        recipient=address,
        status__in=(MessageStatus.PENDING, MessageStatus.SENDING),
    )
    if waiting.exists():  # a second click while the first is still in the outbox
        return address
    planner.plan_email_now(
        organisation_id=invoice.organisation_id,
        client=invoice.client,
        kind=MessageKind.INVOICE,
        subject=subject,
        to=address,
    )
    _audit(
        Action.EXPORTED,
        Target.INVOICE,
        invoice.public_id,
        invoice.client,
        what="emailed",
        reference=invoice.reference,
    )
    return address


@transaction.atomic
def credit_note_issue(
    *,
    invoice: Invoice,
    amount_minor: int,
    reason: str,
    by: User | None,
    now: datetime | None = None,
    credited_seen: int | None = None,
) -> Invoice:
    """Correct an issued invoice by ``amount_minor`` (with tax): a numbered credit note at the
    tax rate of the invoice's first line. ``credited_seen``, what the page showed credited
    already, refuses a second click's second credit note."""
    now = now or timezone.now()
    if not invoice.is_issued or invoice.kind != InvoiceKind.INVOICE:
        raise DomainError("not_issued", _("Only an issued invoice can be credited."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Say why the invoice is corrected."), field="reason")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if credited_seen is not None and credited(invoice) != credited_seen:
        raise DomainError(
            "credited_meanwhile",
            _("A credit note was just issued for this invoice: check it before issuing another."),
        )
    creditable = invoice.total_minor - credited(invoice)
    _check_amount(amount_minor, creditable, _("what is left on the invoice"))
    note = Invoice.objects.create(
        organisation=invoice.organisation,
        location=invoice.location,
        client=invoice.client,
        booking=invoice.booking,
        kind=InvoiceKind.CREDIT_NOTE,
        corrects=invoice,
        currency=invoice.currency,
        prices_include_tax=True,
        reason=reason.strip(),
    )
    first = invoice.lines.first()
    invoice_line_add(
        invoice=note,
        description=_("Credit for %(reference)s") % {"reference": invoice.reference},
        unit_minor=amount_minor,
        tax_rate_bp=first.tax_rate_bp if first else 0,
    )
    return invoice_issue(invoice=note, by=by, now=now)


def credited(invoice: Invoice) -> int:
    total = invoice.credit_notes.filter(status=InvoiceStatus.ISSUED).aggregate(t=Sum("total_minor"))
    return int(total["t"] or 0)


def paid(invoice: Invoice) -> int:
    """What was paid against the invoice, less what was refunded of it."""
    rows = Payment.objects.filter(invoice=invoice, status__in=COUNTED)
    totals = {
        kind: int(rows.filter(kind=kind).aggregate(t=Sum("amount_minor"))["t"] or 0)
        for kind in PaymentKind
    }
    refunds = int(
        Payment.objects.filter(
            refund_of__invoice=invoice, kind=PaymentKind.REFUND, status__in=COUNTED
        )
        .exclude(invoice=invoice)
        .aggregate(t=Sum("amount_minor"))["t"]
        or 0
    )
    return totals[PaymentKind.PAYMENT] - totals[PaymentKind.REFUND] - refunds


def balance(invoice: Invoice) -> int:
    """What the client still owes on the invoice (negative: we owe them)."""
    if not invoice.is_issued:
        return sum(line.gross_minor for line in invoice.lines.all()) - paid(invoice)
    return invoice.total_minor - credited(invoice) - paid(invoice)


# ---- payments and refunds ---------------------------------------------------------------


def _check_amount(amount_minor: int, most: int | None, what: str) -> None:
    if amount_minor <= 0:
        raise DomainError("invalid_amount", _("An amount must be more than zero."), field="amount")
    if most is not None and amount_minor > most:
        raise DomainError(
            "amount_too_high",
            _("That is more than %(what)s.") % {"what": what},
            field="amount",
        )


def _existing(organisation_id: int, key: str) -> Payment | None:
    return Payment.objects.filter(organisation_id=organisation_id, idempotency_key=key).first()


@transaction.atomic
def payment_take(
    *,
    location: Location,
    client: Client,
    amount: Money,
    method: str,
    by: User | None,
    key: str,
    invoice: Invoice | None = None,
    booking: Booking | None = None,
    purpose: str = Purpose.BALANCE,
    note: str = "",
    now: datetime | None = None,
    voucher_checked: bool = False,
) -> Payment:
    """Record money taken at the desk. The same ``key`` twice (a double click, a retry)
    returns the first payment instead of taking it again. A voucher payment comes only
    from ``vouchers.services.voucher_spend`` (``voucher_checked``), which takes its value
    off the voucher in the same transaction."""
    done = _existing(location.organisation_id, key)
    if done is not None:
        return done
    now = now or timezone.now()
    organisation = location.organisation
    if method not in DESK_METHODS:
        raise DomainError("invalid_method", _("Choose how the client paid."), field="method")
    if method == Method.VOUCHER and not voucher_checked:
        raise DomainError(
            "voucher_code_needed",
            _("A voucher payment needs the voucher's code."),
            field="voucher_code",
        )
    if amount.currency != organisation.currency:
        raise DomainError(
            "wrong_currency",
            _("This clinic takes %(currency)s.") % {"currency": organisation.currency},
            field="amount",
        )
    if client.organisation_id != organisation.pk:
        raise DomainError("not_found", _("No such client."))
    if invoice is not None:
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        done = _existing(organisation.pk, key)  # taken while we waited for the invoice
        if done is not None:
            return done
        if not invoice.is_issued:
            raise DomainError("invoice_draft", _("Issue the invoice before taking payment."))
        _check_amount(amount.minor, balance(invoice), _("the balance due"))
    else:
        _check_amount(amount.minor, HIGHEST_MINOR, _("an amount can be"))
    if method == Method.CREDIT:
        _check_amount(amount.minor, credit_balance(client), _("the client's account credit"))
    try:
        with transaction.atomic():
            payment = Payment.objects.create(
                organisation=organisation,
                location=location,
                client=client,
                invoice=invoice,
                booking=booking or (invoice.booking if invoice else None),
                purpose=purpose,
                method=method,
                amount_minor=amount.minor,
                currency=amount.currency,
                idempotency_key=key,
                note=note[:300],
                taken_by=by,
                taken_at=now,
            )
    except IntegrityError:  # the same key, recorded a moment ago by another request
        done = _existing(organisation.pk, key)
        if done is None:
            raise
        return done
    if method == Method.CREDIT:
        _credit(client, -amount.minor, _("Paid with account credit"), payment, by, now)
    webhooks.payment_event(payment)
    _audit(
        Action.CREATED,
        Target.PAYMENT,
        payment.public_id,
        client,
        what="payment",
        method=method,
        amount=amount.minor,
    )
    return payment


def refundable(payment: Payment) -> int:
    refunded = payment.refunds.filter(status__in=COUNTED).aggregate(t=Sum("amount_minor"))["t"]
    return payment.amount_minor - int(refunded or 0)


@transaction.atomic
def refund_make(
    *,
    payment: Payment,
    amount_minor: int,
    to_credit: bool,
    reason: str,
    by: User | None,
    key: str,
    now: datetime | None = None,
    voucher_checked: bool = False,
) -> Payment:
    """Give back up to what is left of ``payment``: to the card or method it came from, or
    as account credit. A card refund is pending until ``payment_send`` hears from Stripe.
    A voucher payment goes back onto its voucher only through
    ``vouchers.services.voucher_refund`` (``voucher_checked``)."""
    done = _existing(payment.organisation_id, key)
    if done is not None:
        return done
    now = now or timezone.now()
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    done = _existing(payment.organisation_id, key)  # made while we waited for the payment
    if done is not None:
        return done
    if payment.kind != PaymentKind.PAYMENT or payment.status != PaymentStatus.SUCCEEDED:
        raise DomainError("not_refundable", _("Only a payment that went through can be refunded."))
    if not reason.strip():
        raise DomainError("reason_missing", _("Say why the money is given back."), field="reason")
    _check_amount(amount_minor, refundable(payment), _("what is left of that payment"))
    method = Method.CREDIT if to_credit else payment.method
    if method == Method.VOUCHER and not voucher_checked:
        raise DomainError(
            "voucher_refund_needed",
            _("A voucher payment goes back onto its voucher, or as account credit."),
        )
    pending = method == Method.CARD_ONLINE
    refund = Payment.objects.create(
        organisation=payment.organisation,
        location=payment.location,
        client=payment.client,
        invoice=payment.invoice,
        booking=payment.booking,
        kind=PaymentKind.REFUND,
        refund_of=payment,
        purpose=payment.purpose,
        method=method,
        amount_minor=amount_minor,
        currency=payment.currency,
        status=PaymentStatus.PENDING if pending else PaymentStatus.SUCCEEDED,
        idempotency_key=key,
        note=reason.strip()[:300],
        taken_by=by,
        taken_at=now,
    )
    if to_credit:
        _credit(payment.client, amount_minor, reason.strip(), refund, by, now)
    if refund.status == PaymentStatus.SUCCEEDED:
        webhooks.payment_event(refund)
    _audit(
        Action.CREATED,
        Target.PAYMENT,
        refund.public_id,
        payment.client,
        what="refund",
        method=method,
        amount=amount_minor,
        reason=reason.strip(),
    )
    return refund


def credit_balance(client: Client) -> int:
    return int(client.credit_entries.aggregate(t=Sum("amount_minor"))["t"] or 0)


def _credit(
    client: Client,
    amount: int,
    reason: str,
    payment: Payment | None,
    by: User | None,
    now: datetime,
) -> None:
    CreditEntry.objects.create(
        client=client,
        amount_minor=amount,
        currency=client.organisation.currency,
        reason=reason[:300],
        payment=payment,
        by=by,
        at=now,
    )


# ---- Stripe: carrying out what was decided ----------------------------------------------

SEND_BATCH = 5  # each call may take 2 x STRIPE_TIMEOUT_SECONDS: a batch stays inside the lease
RETRY_AFTER = timedelta(minutes=1)
# Stripe keeps an idempotency key for 24 hours; past that, asking again with it could
# charge twice. A payment tried before, with no Stripe id and older than this, is left
# "unknown — check" (queries.to_check) for its webhook or a person to settle.
KEY_KEPT = timedelta(hours=23)
# Stripe has not finished: ask again later.
STRIPE_BUSY = frozenset({"processing", "pending", "requires_capture"})
# A payment the client makes in the browser, not made yet: waited for, then failed.
NOT_PAID_YET = frozenset({"requires_payment_method", "requires_confirmation", "requires_action"})
WAIT_FOR_CLIENT = timedelta(hours=1)


def payment_send(payment: Payment) -> Payment:
    """Carry out a pending (or unknown) card payment or refund with its own idempotency key,
    unless another sender holds it or its time to try again has not come. Outside any
    transaction: the row was committed first, whatever Stripe says."""
    now = timezone.now()
    claim = uuid.uuid4()
    with transaction.atomic():
        claimed = (
            _sendable(now).filter(pk=payment.pk).update(claim=claim, leased_until=now + _lease())
        )
    payment = Payment.objects.get(pk=payment.pk)
    return _send_claimed(payment, claim) if claimed else payment


def send_due(limit: int | None = None, *, now: datetime | None = None) -> int:
    """The worker's part: every open card payment and refund free to send, each by one
    worker (claimed with SKIP LOCKED on PostgreSQL; SQLite serialises the claims)."""
    return drain(lambda: _claim_due(now or timezone.now()), _send_one, limit)


def _lease() -> timedelta:
    return timedelta(seconds=settings.MESSAGE_LEASE_SECONDS)


def _sendable(now: datetime) -> QuerySet[Payment]:
    """Open card payments and refunds free to send at ``now``: never tried, or known to
    Stripe by id (we only ask how it went), or tried within the life of their key."""
    free = Q(leased_until__isnull=True) | Q(leased_until__lte=now)
    safe = Q(claim__isnull=True) | ~Q(stripe_id="") | Q(taken_at__gt=now - KEY_KEPT)
    return Payment.objects.filter(free, safe, status__in=OPEN_STATUSES, method=Method.CARD_ONLINE)


def _claim_due(now: datetime) -> list[tuple[Payment, uuid.UUID]]:
    claim = uuid.uuid4()
    with transaction.atomic():
        ids = due_ids(_sendable(now).order_by("pk"), SEND_BATCH)
        if not ids:
            return []
        Payment.objects.filter(pk__in=ids).update(claim=claim, leased_until=now + _lease())
    mine = Payment.objects.filter(pk__in=ids, claim=claim).order_by("pk")
    return [(payment, claim) for payment in mine]


def _send_one(claimed: tuple[Payment, uuid.UUID]) -> None:
    payment, claim = claimed
    try:
        _send_claimed(payment, claim)
    except CONNECTION_LOST:
        raise
    except Exception:  # one payment's surprise must not hold up the others; its lease ends
        logger.exception("Sending payment %s to Stripe failed; it is tried again.", payment.pk)


def _send_claimed(payment: Payment, claim: uuid.UUID) -> Payment:
    stripe = gateway.client_for(payment.organisation)
    try:
        if stripe is None:
            raise gateway.GatewayRefused(_("Online card payments are not set up."))
        outcome = _send(stripe, payment)
    except gateway.GatewayUnknown as error:
        return _settle(payment, PaymentStatus.UNKNOWN, note=str(error), claim=claim)
    except gateway.GatewayRefused as error:
        return _settle(payment, PaymentStatus.FAILED, note=str(error), claim=claim)
    status = _status_of(payment, outcome)
    return _settle(payment, status, stripe_id=outcome.stripe_id, note=outcome.status, claim=claim)


def _status_of(payment: Payment, outcome: gateway.Outcome) -> str:
    if outcome.succeeded:
        return PaymentStatus.SUCCEEDED
    waiting = timezone.now() - payment.taken_at < WAIT_FOR_CLIENT
    if outcome.status in STRIPE_BUSY or (outcome.status in NOT_PAID_YET and waiting):
        return PaymentStatus.PENDING
    return PaymentStatus.FAILED


def _send(stripe: gateway.StripeClient, payment: Payment) -> gateway.Outcome:
    if payment.kind == PaymentKind.REFUND:
        if payment.stripe_id:  # made already: ask how it went
            return gateway.refund_status(stripe, payment.stripe_id)
        assert payment.refund_of is not None
        return gateway.refund(
            stripe,
            payment_intent=payment.refund_of.stripe_id,
            amount=payment.amount_minor,
            key=payment.idempotency_key,
        )
    if payment.stripe_id:  # paid by the client in the browser, or made already: ask how it went
        return gateway.payment_intent(stripe, payment.stripe_id)
    card = SavedCard.objects.filter(client=payment.client).first()
    if card is None:
        raise gateway.GatewayRefused(_("The client has no saved card."))
    return gateway.charge_saved_card(
        stripe,
        customer=card.stripe_customer,
        payment_method=card.stripe_payment_method,
        amount=payment.amount_minor,
        currency=payment.currency,
        key=payment.idempotency_key,
        description=payment.get_purpose_display(),
    )


@transaction.atomic
def payment_settle(
    *, payment: Payment, status: str, stripe_id: str = "", note: str = ""
) -> Payment:
    """Settle an open card payment or refund as Stripe's webhook reports it: succeeded or
    failed. One already settled stays as it is (compare its status to see)."""
    if status not in (PaymentStatus.SUCCEEDED, PaymentStatus.FAILED):
        raise DomainError("invalid_status", _("A payment settles as succeeded or failed."))
    return _settle(payment, status, stripe_id=stripe_id, note=note)


@transaction.atomic
def _settle(
    payment: Payment,
    status: str,
    *,
    stripe_id: str = "",
    note: str = "",
    claim: uuid.UUID | None = None,
) -> Payment:
    """Record Stripe's answer on an open payment: settled (succeeded, failed), or still
    open (pending, unknown) and tried again after ``RETRY_AFTER``. A settled payment never
    changes; an open answer from a sender whose claim was overtaken is dropped."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    still_open = status in OPEN_STATUSES
    if payment.status not in OPEN_STATUSES or (still_open and claim and payment.claim != claim):
        return payment
    before = (payment.status, payment.stripe_id)
    payment.status = status
    payment.stripe_id = payment.stripe_id or stripe_id
    if note and status != PaymentStatus.SUCCEEDED and payment.kind == PaymentKind.PAYMENT:
        payment.note = note[:300]  # a refund's note keeps its reason
    payment.leased_until = timezone.now() + RETRY_AFTER if still_open else None
    payment.save(update_fields=["status", "stripe_id", "note", "leased_until"])
    fee = Fee.objects.filter(payment=payment).first()
    if fee is not None and status == PaymentStatus.FAILED:
        fee.status = FeeStatus.DUE
        fee.save(update_fields=["status"])
        webhooks.fee_event(fee)  # the card refused it: owed on its invoice after all
    if status == PaymentStatus.SUCCEEDED:
        webhooks.payment_event(payment)
    if not still_open:
        signals.payment_settled.send(sender=Payment, payment=payment)
    if (payment.status, payment.stripe_id) != before:
        _audit(
            Action.CHANGED,
            Target.PAYMENT,
            payment.public_id,
            payment.client,
            what=payment.kind,
            status=status,
            stripe_id=payment.stripe_id,
        )
    return payment


# ---- fees -------------------------------------------------------------------------------


def fee_kind_for(booking: Booking) -> str | None:
    """A no-show, or a cancellation inside the late window; otherwise no fee applies."""
    from needlepoint.scheduling.choices import BookingEventKind, BookingStatus

    if booking.status == BookingStatus.NO_SHOW:
        return FeeKind.NO_SHOW
    late = booking.events.filter(kind=BookingEventKind.LATE_CANCELLED).exists()
    if booking.status == BookingStatus.CANCELLED and late:
        return FeeKind.LATE_CANCEL
    return None


def fee_amount(booking: Booking, kind: str) -> int:
    policy = policy_for(booking.location)
    return policy.no_show_fee_minor if kind == FeeKind.NO_SHOW else policy.late_cancel_fee_minor


@transaction.atomic
def fee_open(*, booking: Booking, now: datetime | None = None) -> Fee | None:
    """The fee the policy sets for a no-show or late cancellation, waiting to be charged or
    waived; none when the policy has no fee or one was already decided."""
    kind = fee_kind_for(booking)
    if kind is None or Fee.objects.filter(booking=booking).exists():
        return None
    amount = fee_amount(booking, kind)
    if amount <= 0:
        return None
    try:
        with transaction.atomic():
            return Fee.objects.create(
                booking=booking,
                kind=kind,
                amount_minor=amount,
                currency=booking.location.organisation.currency,
                created_at=now or timezone.now(),
            )
    except IntegrityError:  # opened at the same moment by another path
        return None


def fee_charge(*, booking: Booking, by: User | None, now: datetime | None = None) -> Fee:
    """Charge the booking's fee once: from its deposit first, the rest from the saved card;
    with neither, it is owed on an invoice. Ten clicks at once charge once (the fee row is
    locked and its payment's key is the fee's). The client is emailed the fee's invoice:
    their receipt, or the bill when it is owed."""
    fee, payment = _fee_claim(booking, by, now or timezone.now())
    if payment is not None:
        payment_send(payment)
        fee.refresh_from_db()
    if fee.invoice is not None and booking.client.email:
        invoice_send(invoice=fee.invoice, by=by)
    return fee


@transaction.atomic
def _fee_claim(booking: Booking, by: User | None, now: datetime) -> tuple[Fee, Payment | None]:
    fee = _pending_fee(booking, now)
    invoice = _fee_invoice(fee, by, now)
    owed = fee.amount_minor
    deposit = _held_deposit(booking)
    card_payment = None
    if deposit is not None:
        kept = min(owed, refundable(deposit))
        fee.payment = _deposit_to_fee(deposit, kept, invoice, fee, by, now)
        owed -= kept
    if owed > 0 and SavedCard.objects.filter(client=booking.client).exists():
        card_payment = Payment.objects.create(
            organisation=booking.location.organisation,
            location=booking.location,
            client=booking.client,
            invoice=invoice,
            booking=booking,
            purpose=_fee_purpose(fee),
            method=Method.CARD_ONLINE,
            amount_minor=owed,
            currency=fee.currency,
            status=PaymentStatus.PENDING,
            idempotency_key=f"fee-{fee.pk}",
            taken_by=by,
            taken_at=now,
        )
        fee.payment = card_payment
        owed = 0
    fee.status = FeeStatus.CHARGED if owed == 0 else FeeStatus.DUE
    fee.invoice = invoice
    fee.decided_by = by
    fee.decided_at = now
    fee.save()
    webhooks.fee_event(fee)
    _audit(
        Action.CREATED,
        Target.FEE,
        fee.pk,
        booking.client,
        what="fee_charged",
        kind=fee.kind,
        amount=fee.amount_minor,
        status=fee.status,
    )
    return fee, card_payment


def _pending_fee(booking: Booking, now: datetime) -> Fee:
    """The booking's fee, opened if the policy sets one, locked, and still to decide."""
    fee_open(booking=booking, now=now)
    fee = Fee.objects.select_for_update().filter(booking=booking).first()
    if fee is None:
        raise DomainError("no_fee", _("No fee applies to this booking."))
    if fee.status != FeeStatus.PENDING:
        raise DomainError(
            "fee_decided",
            _("This fee was already %(status)s.") % {"status": fee.get_status_display().lower()},
        )
    return fee


def _fee_purpose(fee: Fee) -> str:
    return Purpose.NO_SHOW_FEE if fee.kind == FeeKind.NO_SHOW else Purpose.LATE_CANCEL_FEE


def _fee_invoice(fee: Fee, by: User | None, now: datetime) -> Invoice:
    booking = fee.booking
    invoice = _draft(booking.location, booking.client, booking=booking)
    invoice_line_add(
        invoice=invoice,
        description=_("%(kind)s fee: %(service)s")
        % {"kind": fee.get_kind_display(), "service": booking.service.name},
        unit_minor=fee.amount_minor,
        purpose=_fee_purpose(fee),
    )
    return invoice_issue(invoice=invoice, by=by, now=now)


def _deposit_to_fee(
    deposit: Payment, kept: int, invoice: Invoice, fee: Fee, by: User | None, now: datetime
) -> Payment:
    """The deposit's money, ``kept`` of it, moved onto the fee's invoice: a refund of the
    deposit into account credit and a payment of the fee from that credit, both recorded."""
    refund_make(
        payment=deposit,
        amount_minor=kept,
        to_credit=True,
        reason=_("Kept for the %(kind)s fee") % {"kind": fee.get_kind_display().lower()},
        by=by,
        key=f"fee-{fee.pk}-deposit-out",
        now=now,
    )
    return payment_take(
        location=invoice.location,
        client=invoice.client,
        amount=Money(kept, fee.currency),
        method=Method.CREDIT,
        by=by,
        key=f"fee-{fee.pk}-deposit-in",
        invoice=invoice,
        purpose=_fee_purpose(fee),
        note=_("Kept from the deposit"),
        now=now,
    )


def _held_deposit(booking: Booking) -> Payment | None:
    deposits = Payment.objects.filter(
        booking=booking,
        kind=PaymentKind.PAYMENT,
        purpose=Purpose.DEPOSIT,
        status=PaymentStatus.SUCCEEDED,
    ).order_by("pk")
    return next((payment for payment in deposits if refundable(payment) > 0), None)


@transaction.atomic
def fee_waive(
    *, booking: Booking, by: User | None, reason: str, now: datetime | None = None
) -> Fee:
    """Waive the booking's fee, saying who and why; a waived fee is never charged later."""
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError("reason_missing", _("Say why the fee is waived."), field="reason")
    fee = _pending_fee(booking, now)
    fee.status = FeeStatus.WAIVED
    fee.reason = reason.strip()
    fee.decided_by = by
    fee.decided_at = now
    fee.save()
    webhooks.fee_event(fee)
    _audit(
        Action.CHANGED,
        Target.FEE,
        fee.pk,
        booking.client,
        what="fee_waived",
        kind=fee.kind,
        reason=fee.reason,
    )
    return fee


# ---- money follows the clinical decision -------------------------------------------------


@transaction.atomic
def clinical_release(
    *, booking: Booking, reason: str, by: User | None, now: datetime | None = None
) -> list[Payment]:
    """A clinical decision stopped this visit (screening deferred or declined it, or the
    practitioner stopped treatment): no fee, ever, and the deposit goes back (refund or
    account credit, as the location's policy says). Returns the refunds made; card refunds
    are pending for ``payment_send``."""
    now = now or timezone.now()
    if not reason.strip():
        raise DomainError(
            "reason_missing", _("Say what clinical decision stopped the visit."), field="reason"
        )
    why = _("Clinical decision: %(reason)s") % {"reason": reason.strip()}
    fee = Fee.objects.select_for_update().filter(booking=booking).first()
    if fee is None:
        Fee.objects.create(
            booking=booking,
            kind=fee_kind_for(booking) or FeeKind.LATE_CANCEL,
            amount_minor=0,
            currency=booking.location.organisation.currency,
            status=FeeStatus.WAIVED,
            reason=why,
            decided_by=by,
            decided_at=now,
            created_at=now,
        )
    elif fee.status in (FeeStatus.PENDING, FeeStatus.DUE):
        if fee.invoice is not None and balance(fee.invoice) > 0:  # owed: cancelled by a credit note
            credit_note_issue(
                invoice=fee.invoice, amount_minor=balance(fee.invoice), reason=why, by=by, now=now
            )
        fee.status = FeeStatus.WAIVED
        fee.reason = why
        fee.decided_by = by
        fee.decided_at = now
        fee.save()
        webhooks.fee_event(fee)
    to_credit = policy_for(booking.location).clinical_refund == ClinicalRefund.CREDIT
    refunds = _deposits_back(
        booking, to_credit=to_credit, reason=why, key="clinical", by=by, now=now
    )
    _audit(
        Action.CHANGED,
        Target.FEE,
        booking.public_id,
        booking.client,
        what="clinical_release",
        reason=reason,
        refunds=len(refunds),
    )
    return refunds


def bookings_stopped_by(screening: Screening, now: datetime) -> list[Booking]:
    """The client's booked visits a deferral (until its date) or a decline stops."""
    from needlepoint.scheduling.choices import BookingStatus

    upcoming = Booking.objects.filter(
        client_id=screening.client_id, status=BookingStatus.BOOKED, starts_at__gte=now
    ).select_related("location", "service")
    until = screening.deferred_until
    return [
        booking
        for booking in upcoming
        if booking.service.needs_clearance
        and (until is None or booking.starts_at.astimezone(booking.location.zone).date() < until)
    ]


@transaction.atomic
def deposit_return(*, booking: Booking, now: datetime | None = None) -> list[Payment]:
    """A cancellation in good time: the deposit goes back the way it came."""
    reason = _("Cancelled in good time")
    return _deposits_back(
        booking, to_credit=False, reason=reason, key="cancelled", by=None, now=now
    )


def _deposits_back(
    booking: Booking,
    *,
    to_credit: bool,
    reason: str,
    key: str,
    by: User | None,
    now: datetime | None,
) -> list[Payment]:
    """Whatever is left of the booking's deposits, refunded (card refunds stay pending for
    ``payment_send``) or put on the client's account."""
    deposits = Payment.objects.filter(
        booking=booking,
        purpose=Purpose.DEPOSIT,
        kind=PaymentKind.PAYMENT,
        status=PaymentStatus.SUCCEEDED,
    )
    return [
        refund_make(
            payment=deposit,
            amount_minor=refundable(deposit),
            to_credit=to_credit,
            reason=reason,
            by=by,
            key=f"{key}-{deposit.pk}",
            now=now,
        )
        for deposit in deposits
        if refundable(deposit) > 0
    ]


@transaction.atomic
def client_money_merge(*, kept: Client, duplicate: Client, by: User, now: datetime) -> None:
    """Two records of one person merged: the duplicate's account credit moves to ``kept``
    as a pair of entries (money records never change), and its saved card comes along
    when ``kept`` has none."""
    left = credit_balance(duplicate)
    if left:
        reason = _("Moved with the merged record")
        _credit(duplicate, -left, reason, None, by, now)
        _credit(kept, left, reason, None, by, now)
    if not SavedCard.objects.filter(client=kept).exists():
        SavedCard.objects.filter(client=duplicate).update(client=kept)


# ---- the day's cash-up ------------------------------------------------------------------


def takings(location: Location, day: date) -> dict[str, int]:
    """Money in less money out by method, for the location's day (in its time zone)."""
    from needlepoint.payments.queries import day_payments

    by_method: dict[str, int] = {}
    for payment in day_payments(location, day).filter(status=PaymentStatus.SUCCEEDED):
        sign = 1 if payment.kind == PaymentKind.PAYMENT else -1
        by_method[payment.method] = by_method.get(payment.method, 0) + sign * payment.amount_minor
    return by_method


def cash_up_close(
    *,
    location: Location,
    day: date,
    counted_cash: Money,
    notes: str,
    by: User,
    now: datetime | None = None,
) -> CashUp:
    """Close the day once: takings by method as recorded, the cash counted against what is
    expected, and any difference kept with the notes that explain it; the day's online card
    takings beside what Stripe itself says moved for them (asked before the transaction)."""
    reported = stripe_day_total(location, day)
    return _close_day(location, day, counted_cash, notes, by, now, reported)


def stripe_day_total(location: Location, day: date) -> int | None:
    """What Stripe says moved for the day's card payments less card refunds, for the cash-up
    to set beside our own figure; None when Stripe is not set up or does not answer."""
    from needlepoint.payments.queries import day_payments

    card = day_payments(location, day).filter(
        method=Method.CARD_ONLINE, status=PaymentStatus.SUCCEEDED
    )
    stripe = gateway.client_for(location.organisation)
    if stripe is None or not card.exists():
        return None
    try:
        return sum(
            (1 if row.kind == PaymentKind.PAYMENT else -1)
            * gateway.settled_amount(stripe, row.stripe_id)
            for row in card
        )
    except (gateway.GatewayUnknown, gateway.GatewayRefused):
        return None


@transaction.atomic
def _close_day(
    location: Location,
    day: date,
    counted_cash: Money,
    notes: str,
    by: User,
    now: datetime | None,
    stripe_reported_minor: int | None,
) -> CashUp:
    if CashUp.objects.filter(location=location, day=day).exists():
        raise DomainError("day_closed", _("This day is already closed."))
    if day > (now or timezone.now()).astimezone(location.zone).date():
        raise DomainError("day_ahead", _("That day hasn't come yet: close it at its end."))
    currency = location.organisation.currency
    if counted_cash.currency != currency:
        raise DomainError("wrong_currency", _("Count the cash in %(c)s.") % {"c": currency})
    if counted_cash.minor < 0:
        raise DomainError("negative_amount", _("An amount can't be negative."), field="counted")
    by_method = takings(location, day)
    expected = by_method.get(Method.CASH, 0)
    if counted_cash.minor != expected and not notes.strip():
        raise DomainError(
            "explain_difference",
            _("The cash counted differs from the %(expected)s expected: say why in the notes.")
            % {"expected": format_money(Money(expected, currency))},
            field="notes",
        )
    try:
        with transaction.atomic():
            cash_up = CashUp.objects.create(
                location=location,
                day=day,
                currency=currency,
                takings=by_method,
                expected_cash_minor=expected,
                counted_cash_minor=counted_cash.minor,
                card_online_minor=by_method.get(Method.CARD_ONLINE, 0),
                stripe_reported_minor=stripe_reported_minor,
                notes=notes.strip(),
                closed_by=by,
                closed_at=now or timezone.now(),
            )
    except IntegrityError as error:
        raise DomainError("day_closed", _("This day is already closed.")) from error
    _audit(
        Action.CREATED,
        Target.CASH_UP,
        cash_up.pk,
        None,
        what="cash_up",
        organisation_id=location.organisation_id,
        day=day.isoformat(),
        difference=cash_up.cash_difference_minor,
    )
    return cash_up


def _audit(
    action: str,
    target: str,
    target_id: object,
    client: Client | None,
    *,
    organisation_id: int | None = None,
    **detail: object,
) -> None:
    audit.record(
        Action(action),
        Target(target),
        target_id,
        client=client,
        organisation_id=organisation_id,
        detail=dict(detail),
    )
