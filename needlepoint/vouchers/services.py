"""Every change to gift vouchers: selling (at the desk, online), spending at checkout,
putting a refund back, cancelling, emailing, expiring, and the validity setting.

Money moves only through payments.services: a sale is an issued invoice with a
GIFT_VOUCHER line at 0% tax (a multi-purpose voucher is taxed when it is spent, not when
sold) paid by a desk method or by card online; a spend is a VOUCHER payment that only
``voucher_spend`` may record (``payment_take(voucher_checked=True)``), in the same
transaction as the conditional UPDATE that takes the value off the voucher.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation
from needlepoint.core.errors import DomainError
from needlepoint.core.languages import long_date
from needlepoint.core.money import HIGHEST_MINOR, Money, format_money
from needlepoint.notifications import planner
from needlepoint.notifications.choices import MessageKind, MessageStatus
from needlepoint.notifications.models import Message
from needlepoint.payments import gateway, online
from needlepoint.payments import services as money
from needlepoint.payments.choices import DESK_METHODS, Method, Purpose
from needlepoint.payments.models import Invoice, Payment
from needlepoint.vouchers import events
from needlepoint.vouchers.choices import Country, RedemptionKind, VoucherStatus
from needlepoint.vouchers.codes import new_code, normalise
from needlepoint.vouchers.law import LONGEST_MONTHS, expiry, validity_for
from needlepoint.vouchers.models import GiftVoucher, VoucherRedemption, VoucherSettings

SALE_METHODS = tuple(method for method in DESK_METHODS if method != Method.VOUCHER)


# ---- the validity setting ------------------------------------------------------------------


def settings_for(organisation: Organisation) -> VoucherSettings:
    """The organisation's setting, or the default for a clinic that never set one."""
    found = VoucherSettings.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    return VoucherSettings(
        organisation=organisation,
        country=Country.GB,
        validity_months=validity_for(Country.GB).default_months,
    )


@transaction.atomic
def voucher_settings_update(
    *, organisation: Organisation, country: str, validity_months: int, by: User | None
) -> VoucherSettings:
    """Set the country whose law applies and how long vouchers sold from now on stay valid;
    shorter than the country's minimum is refused."""
    if country not in Country.values:
        raise DomainError("invalid_country", _("Choose a country."), field="country")
    law = validity_for(country)
    if validity_months < law.minimum_months:
        raise DomainError(
            "validity_too_short",
            _("Vouchers sold in %(country)s must stay valid for at least %(months)s months.")
            % {"country": Country(country).label, "months": law.minimum_months},
            field="validity_months",
        )
    if validity_months > LONGEST_MONTHS:
        raise DomainError(
            "validity_too_long",
            _("Give at most %(months)s months.") % {"months": LONGEST_MONTHS},
            field="validity_months",
        )
    found, _created = VoucherSettings.objects.update_or_create(
        organisation=organisation,
        defaults={"country": country, "validity_months": validity_months},
    )
    audit.record(
        Action.CHANGED,
        Target.VOUCHER,
        organisation.slug,
        organisation_id=organisation.pk,
        detail={"what": "validity", "country": country, "months": validity_months},
    )
    return found


def expires_on_for(organisation: Organisation, sold_on: date) -> date:
    setting = settings_for(organisation)
    return expiry(sold_on, setting.validity_months, setting.country)


# ---- selling -------------------------------------------------------------------------------


def _check_sale(location: Location, buyer: Client, amount: Money) -> None:
    organisation = location.organisation
    if buyer.organisation_id != organisation.pk:
        raise DomainError("not_found", _("No such client."))
    if amount.currency != organisation.currency:
        raise DomainError(
            "wrong_currency",
            _("This clinic sells vouchers in %(currency)s.") % {"currency": organisation.currency},
            field="amount",
        )
    if not 0 < amount.minor <= HIGHEST_MINOR:
        raise DomainError(
            "invalid_amount", _("A voucher's value must be more than zero."), field="amount"
        )


def _sale_invoice(
    location: Location, buyer: Client, amount: Money, by: User | None, now: datetime
) -> Invoice:
    invoice = money.invoice_draft(location=location, client=buyer)
    money.invoice_line_add(
        invoice=invoice,
        description=_("Gift voucher, %(value)s") % {"value": format_money(amount)},
        unit_minor=amount.minor,
        tax_rate_bp=0,
        purpose=Purpose.GIFT_VOUCHER,
    )
    return money.invoice_issue(invoice=invoice, by=by, now=now)


@transaction.atomic
def voucher_sell(
    *,
    location: Location,
    buyer: Client,
    amount: Money,
    method: str,
    recipient_name: str,
    message: str,
    by: User | None,
    key: str,
    now: datetime | None = None,
) -> GiftVoucher:
    """Sell a voucher at the desk: an issued invoice for its value, paid in full by a desk
    method, and the voucher with its new code. The same ``key`` twice sells once."""
    done = _sold_under(location, key)
    if done is not None:
        return done
    now = now or timezone.now()
    _check_sale(location, buyer, amount)
    if method not in SALE_METHODS:
        raise DomainError(
            "invalid_method", _("Choose how the buyer paid (not by voucher)."), field="method"
        )
    invoice = _sale_invoice(location, buyer, amount, by, now)
    payment = money.payment_take(
        location=location,
        client=buyer,
        amount=amount,
        method=method,
        by=by,
        key=f"{key}-payment",
        invoice=invoice,
        purpose=Purpose.GIFT_VOUCHER,
        now=now,
    )
    return _issue(location, buyer, amount, invoice, payment, recipient_name, message, by, key, now)


@transaction.atomic
def voucher_sell_online(
    *,
    location: Location,
    buyer: Client,
    intent: gateway.Intent,
    recipient_name: str,
    message: str,
    now: datetime | None = None,
) -> GiftVoucher:
    """A voucher bought online, once Stripe has said the card payment (``intent``) went
    through: issued, and emailed to the buyer with its PDF. The same intent twice sells once."""
    key = f"online-voucher-{intent.stripe_id}"
    done = _sold_under(location, key)
    if done is not None:
        return done
    now = now or timezone.now()
    amount = Money(intent.amount, intent.currency)
    _check_sale(location, buyer, amount)
    invoice = _sale_invoice(location, buyer, amount, None, now)
    payment = online.invoice_paid_online(
        invoice=invoice,
        intent=intent,
        purpose=Purpose.GIFT_VOUCHER,
        note=_("Gift voucher bought online"),
        now=now,
    )
    voucher = _issue(
        location, buyer, amount, invoice, payment, recipient_name, message, None, key, now
    )
    voucher_send(voucher=voucher, by=None)
    return voucher


def _sold_under(location: Location, key: str) -> GiftVoucher | None:
    """The voucher the organisation already sold under ``key`` (a sale sent again)."""
    sold = GiftVoucher.objects.filter(organisation_id=location.organisation_id, sale_key=key)
    return sold.first()


def _issue(
    location: Location,
    buyer: Client,
    amount: Money,
    invoice: Invoice,
    payment: Payment,
    recipient_name: str,
    message: str,
    by: User | None,
    key: str,
    now: datetime,
) -> GiftVoucher:
    voucher = GiftVoucher.objects.create(
        organisation=location.organisation,
        location=location,
        code=_unused_code(location.organisation),
        currency=amount.currency,
        initial_minor=amount.minor,
        balance_minor=amount.minor,
        buyer=buyer,
        recipient_name=recipient_name.strip()[:120],
        message=message.strip()[:500],
        issued_at=now,
        expires_on=expires_on_for(location.organisation, now.astimezone(location.zone).date()),
        sale_invoice=invoice,
        sale_payment=payment,
        sale_key=key,
        issued_by=by,
    )
    events.voucher_issued(voucher)
    _audit(Action.CREATED, voucher, what="issued", value=amount.minor, invoice=invoice.reference)
    return voucher


def _unused_code(organisation: Organisation) -> str:
    """A code the organisation holds on no other voucher (codes are unique within it)."""
    while True:  # 80 bits: a clash is all but impossible, and the unique index is the backstop
        code = new_code()
        if not GiftVoucher.objects.filter(organisation=organisation, code=code).exists():
            return code


# ---- spending ------------------------------------------------------------------------------


def no_match() -> str:
    """The one answer for a code that is unknown, mistyped or not spendable (public pages)."""
    return _("No active voucher matches that code.")


def find(organisation: Organisation, typed: str) -> GiftVoucher | None:
    """The organisation's voucher with the code typed (any case, with or without dashes)."""
    code = normalise(typed)
    if code is None:
        return None
    return GiftVoucher.objects.filter(organisation=organisation, code=code).first()


def local_today(voucher: GiftVoucher, now: datetime) -> date:
    return now.astimezone(voucher.location.zone).date()


def spendable(voucher: GiftVoucher, now: datetime) -> bool:
    return (
        voucher.status == VoucherStatus.ACTIVE and local_today(voucher, now) <= voucher.expires_on
    )


def _refuse_unspendable(voucher: GiftVoucher, now: datetime) -> None:
    if voucher.status == VoucherStatus.CANCELLED:
        raise DomainError(
            "voucher_cancelled", _("This voucher was cancelled."), field="voucher_code"
        )
    if voucher.status == VoucherStatus.SPENT or voucher.balance_minor == 0:
        raise DomainError(
            "voucher_spent",
            _("This voucher is used up: nothing is left on it."),
            field="voucher_code",
        )
    if voucher.status == VoucherStatus.EXPIRED or local_today(voucher, now) > voucher.expires_on:
        raise DomainError(
            "voucher_expired",
            _("This voucher expired on %(day)s.") % {"day": _day(voucher.expires_on)},
            field="voucher_code",
        )


def _day(day: date) -> str:
    return long_date(day)


@transaction.atomic
def voucher_spend(
    *,
    code: str,
    invoice: Invoice,
    amount: Money,
    by: User | None,
    key: str,
    now: datetime | None = None,
) -> VoucherRedemption:
    """Pay ``amount`` of the issued ``invoice`` from the voucher with ``code``: the voucher
    is locked and checked (its clinic, currency, status, expiry and balance), the value
    taken off it by a conditional UPDATE, the VOUCHER payment recorded and the redemption
    kept, all in one transaction. The same ``key`` twice spends once."""
    mine = VoucherRedemption.objects.filter(organisation_id=invoice.organisation_id)
    done = mine.filter(key=key).first()
    if done is not None:
        return done
    now = now or timezone.now()
    wanted = normalise(code)
    voucher = (
        GiftVoucher.objects.select_for_update()
        .filter(organisation_id=invoice.organisation_id, code=wanted or "")
        .first()
    )
    if voucher is None:
        raise DomainError("voucher_unknown", no_match(), field="voucher_code")
    done = mine.filter(key=key).first()  # spent while we waited
    if done is not None:
        return done
    if amount.currency != voucher.currency or invoice.currency != voucher.currency:
        raise DomainError(
            "wrong_currency",
            _("This voucher is in %(voucher)s and can't pay an amount in %(other)s.")
            % {
                "voucher": voucher.currency,
                "other": amount.currency
                if amount.currency != voucher.currency
                else invoice.currency,
            },
            field="amount",
        )
    _refuse_unspendable(voucher, now)
    if amount.minor > voucher.balance_minor:
        raise DomainError(
            "amount_too_high",
            _("That is more than the voucher's balance of %(balance)s.")
            % {"balance": format_money(Money(voucher.balance_minor, voucher.currency))},
            field="amount",
        )
    payment = money.payment_take(
        location=invoice.location,
        client=invoice.client,
        amount=amount,
        method=Method.VOUCHER,
        by=by,
        key=f"voucher-{key}",
        invoice=invoice,
        purpose=_purpose(invoice),
        note=_("Gift voucher …%(end)s") % {"end": voucher.code[-4:]},
        now=now,
        voucher_checked=True,
    )
    taken = GiftVoucher.objects.filter(
        pk=voucher.pk, status=VoucherStatus.ACTIVE, balance_minor__gte=amount.minor
    ).update(balance_minor=F("balance_minor") - amount.minor)
    if taken != 1:  # the lock makes this unreachable; the database would refuse it anyway
        raise DomainError("voucher_spent", _("This voucher is used up: nothing is left on it."))
    GiftVoucher.objects.filter(pk=voucher.pk, balance_minor=0).update(status=VoucherStatus.SPENT)
    redemption = VoucherRedemption.objects.create(
        voucher=voucher,
        kind=RedemptionKind.SPEND,
        invoice=invoice,
        payment=payment,
        amount_minor=amount.minor,
        key=key,
        by=by,
        at=now,
    )
    voucher.refresh_from_db()
    events.voucher_redeemed(voucher, redemption)
    _audit(Action.CHANGED, voucher, what="spent", amount=amount.minor, invoice=invoice.reference)
    return redemption


def _purpose(invoice: Invoice) -> str:
    purposes = set(invoice.lines.values_list("purpose", flat=True))
    return purposes.pop() if len(purposes) == 1 else Purpose.BALANCE


@transaction.atomic
def voucher_refund(
    *,
    payment: Payment,
    amount_minor: int,
    reason: str,
    by: User | None,
    key: str,
    now: datetime | None = None,
) -> Payment:
    """Give back (part of) a voucher payment onto the voucher it came from: the refund is
    recorded by payments and the value put back in the same transaction. A used-up
    voucher is active again; onto one cancelled or past its last day, nothing could be
    spent, so that is refused (give it back as account credit instead)."""
    done = Payment.objects.filter(
        organisation_id=payment.organisation_id, idempotency_key=key
    ).first()
    if done is not None:
        return done
    now = now or timezone.now()
    spent = (
        VoucherRedemption.objects.filter(payment=payment, kind=RedemptionKind.SPEND)
        .select_related("voucher")
        .first()
    )
    if payment.method != Method.VOUCHER or spent is None:
        raise DomainError("not_a_voucher_payment", _("That payment was not made with a voucher."))
    voucher = GiftVoucher.objects.select_for_update().get(pk=spent.voucher_id)
    if voucher.status == VoucherStatus.CANCELLED or local_today(voucher, now) > voucher.expires_on:
        raise DomainError(
            "voucher_closed",
            _("That voucher can't be spent any more: give the money back as account credit."),
        )
    refund = money.refund_make(
        payment=payment,
        amount_minor=amount_minor,
        to_credit=False,
        reason=reason,
        by=by,
        key=key,
        now=now,
        voucher_checked=True,
    )
    GiftVoucher.objects.filter(pk=voucher.pk).update(
        balance_minor=F("balance_minor") + amount_minor
    )
    GiftVoucher.objects.filter(pk=voucher.pk, status=VoucherStatus.SPENT).update(
        status=VoucherStatus.ACTIVE
    )
    VoucherRedemption.objects.create(
        voucher=voucher,
        kind=RedemptionKind.REFUND,
        invoice=spent.invoice,
        payment=refund,
        amount_minor=amount_minor,
        key=key,
        by=by,
        at=now,
    )
    _audit(Action.CHANGED, voucher, what="put_back", amount=amount_minor, reason=reason.strip())
    return refund


def voucher_of(payment: Payment) -> GiftVoucher | None:
    """The voucher a VOUCHER payment was made with."""
    spent = VoucherRedemption.objects.filter(payment=payment, kind=RedemptionKind.SPEND).first()
    return spent.voucher if spent is not None else None


# ---- ending --------------------------------------------------------------------------------


@transaction.atomic
def voucher_cancel(
    *, voucher: GiftVoucher, reason: str, by: User | None, now: datetime | None = None
) -> GiftVoucher:
    """Stop a voucher being spent (lost, sold in error, refunded to the buyer), saying why.
    Its sale stays as it was: money back to the buyer is a refund of the sale's payment."""
    if not reason.strip():
        raise DomainError("reason_missing", _("Say why the voucher is cancelled."), field="reason")
    voucher = GiftVoucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.status == VoucherStatus.CANCELLED:
        raise DomainError("voucher_cancelled", _("This voucher was cancelled."))
    voucher.status = VoucherStatus.CANCELLED
    voucher.cancelled_reason = reason.strip()
    voucher.cancelled_by = by
    voucher.cancelled_at = now or timezone.now()
    voucher.save(update_fields=["status", "cancelled_reason", "cancelled_by", "cancelled_at"])
    _audit(Action.CHANGED, voucher, what="cancelled", reason=voucher.cancelled_reason)
    return voucher


def vouchers_expire(*, now: datetime | None = None) -> int:
    """Mark every active voucher past its last day as expired; returns how many. (Spending
    checks the date itself, so a voucher is never spent late while this waits to run.)"""
    now = now or timezone.now()
    expired = 0
    candidates = GiftVoucher.objects.filter(
        status=VoucherStatus.ACTIVE,
        expires_on__lte=now.date(),  # zones ahead of UTC too
    ).select_related("location")
    for voucher in candidates:
        if local_today(voucher, now) <= voucher.expires_on:
            continue  # still its last day where it was sold
        with transaction.atomic():
            changed = GiftVoucher.objects.filter(pk=voucher.pk, status=VoucherStatus.ACTIVE).update(
                status=VoucherStatus.EXPIRED
            )
            if changed:
                expired += 1
                _audit(Action.CHANGED, voucher, what="expired", balance=voucher.balance_minor)
    return expired


# ---- the voucher to the buyer ----------------------------------------------------------------


@transaction.atomic
def voucher_send(*, voucher: GiftVoucher, by: User | None) -> str:
    """Email the voucher (its PDF attached) to the buyer through the outbox. Returns the
    address it goes to; a second click while the first waits sends nothing more."""
    address = voucher.buyer.email
    if not address:
        raise DomainError("no_email", _("The buyer has no email address on file."))
    subject = f"voucher:{voucher.public_id}"
    waiting = Message.objects.filter(
        subject=subject,
        recipient=address,
        status__in=(MessageStatus.PENDING, MessageStatus.SENDING),
    )
    if not waiting.exists():
        planner.plan_email_now(
            organisation_id=voucher.organisation_id,
            client=voucher.buyer,
            kind=MessageKind.GIFT_VOUCHER,
            subject=subject,
            to=address,
        )
        _audit(Action.EXPORTED, voucher, what="emailed")
    return address


def _audit(action: str, voucher: GiftVoucher, **detail: object) -> None:
    audit.record(
        Action(action),
        Target.VOUCHER,
        voucher.public_id,
        client=voucher.buyer,
        detail=dict(detail),
    )
