"""Scheduled charges: instalments of an issued invoice and a membership's periods, each a
charge of the client's saved card on its day.

On the day the worker writes the charge's payment to the outbox (one pending card
payment, its key the charge's key and try number) and ``services.send_due`` carries it
out. A refused card is tried again after ``RETRY_DAYS`` and the client is emailed each
time; after the last try the charge has failed and the apps above are told
(``signals.charge_failed``). One row per charge and one payment per try: nothing is
charged twice, however many workers run.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit.choices import Action, Target
from needlepoint.core.errors import DomainError
from needlepoint.core.outbox import drain, due_ids
from needlepoint.notifications import planner
from needlepoint.notifications.choices import MessageKind
from needlepoint.payments import services, signals
from needlepoint.payments.choices import ChargeStatus, Method, PaymentStatus, Purpose
from needlepoint.payments.models import Invoice, Payment, SavedCard, ScheduledCharge

RETRY_DAYS = (1, 3, 7)  # after the first, second and third refusal; the fourth is final
CHARGE_AT = time(9)  # charges fall due at 09:00 in the location's time zone
OPEN = (ChargeStatus.SCHEDULED, ChargeStatus.RETRYING)
BATCH = 50


def charge_schedule(
    *,
    invoice: Invoice,
    amount_minor: int,
    due_on: date,
    purpose: str = Purpose.BALANCE,
    key: str,
    now: datetime | None = None,
) -> ScheduledCharge:
    """One charge of the client's saved card on ``due_on`` towards the issued ``invoice``.
    The same ``key`` twice returns the first charge."""
    done = ScheduledCharge.objects.filter(organisation_id=invoice.organisation_id, key=key).first()
    if done is not None:
        return done
    now = now or timezone.now()
    _check_chargeable(invoice)
    if amount_minor <= 0:
        raise DomainError("invalid_amount", _("A charge is more than zero."))
    return ScheduledCharge.objects.create(
        organisation=invoice.organisation,
        location=invoice.location,
        client=invoice.client,
        invoice=invoice,
        purpose=purpose,
        amount_minor=amount_minor,
        currency=invoice.currency,
        due_on=due_on,
        next_try_at=_due_at(invoice, due_on),
        key=key,
        created_at=now,
    )


@transaction.atomic
def instalments_plan(
    *,
    invoice: Invoice,
    count: int,
    first_due_on: date,
    every_days: int = 30,
    purpose: str = Purpose.BALANCE,
    by: User | None,
    now: datetime | None = None,
) -> list[ScheduledCharge]:
    """Split the issued invoice's balance into ``count`` charges ``every_days`` apart,
    the first on ``first_due_on``; any odd minor units go on the first."""
    now = now or timezone.now()
    if not 2 <= count <= 24:
        raise DomainError(
            "invalid_instalments", _("Instalments are from 2 to 24."), field="instalments"
        )
    if not 1 <= every_days <= 366:
        raise DomainError("invalid_instalments", _("Instalments are 1 to 366 days apart."))
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.scheduled_charges.filter(status__in=OPEN).exists():
        raise DomainError("already_planned", _("This invoice is already paid by instalments."))
    due = services.balance(invoice) if invoice.is_issued else 0
    if due < count:
        raise DomainError("nothing_due", _("There is no balance to pay by instalments."))
    share, odd = divmod(due, count)
    charges = [
        charge_schedule(
            invoice=invoice,
            amount_minor=share + (odd if number == 0 else 0),
            due_on=first_due_on + timedelta(days=every_days * number),
            purpose=purpose,
            key=f"instalment-{invoice.public_id}-{number + 1}",
            now=now,
        )
        for number in range(count)
    ]
    services._audit(
        Action.CREATED,
        Target.INVOICE,
        invoice.public_id,
        invoice.client,
        what="instalments",
        count=count,
        amount=due,
        by=by.pk if by else None,
    )
    return charges


@transaction.atomic
def charge_cancel(*, charge: ScheduledCharge, by: User | None, reason: str) -> ScheduledCharge:
    """Stop a charge not yet paid; one being tried right now finishes its try first."""
    if not reason.strip():
        raise DomainError("reason_missing", _("Say why the charge is cancelled."), field="reason")
    charge = ScheduledCharge.objects.select_for_update().get(pk=charge.pk)
    if charge.status not in OPEN:
        raise DomainError(
            "charge_decided",
            _("This charge is already %(status)s.")
            % {"status": charge.get_status_display().lower()},
        )
    if charge.payment is not None and charge.payment.status in services.OPEN_STATUSES:
        raise DomainError("charge_busy", _("The card is being charged now; try again shortly."))
    charge.status = ChargeStatus.CANCELLED
    charge.save(update_fields=["status"])
    services._audit(
        Action.CHANGED,
        Target.INVOICE,
        charge.invoice.public_id,
        charge.client,
        what="charge_cancelled",
        due_on=charge.due_on.isoformat(),
        amount=charge.amount_minor,
        reason=reason.strip()[:300],
    )
    return charge


def charges_due(limit: int | None = None, *, now: datetime | None = None) -> int:
    """The worker's part: write each charge that has fallen due to the payments outbox
    (claimed with SKIP LOCKED on PostgreSQL); ``services.send_due`` then charges the card."""
    moment = now or timezone.now()
    return drain(lambda: _claim_due(moment), lambda charge: _try(charge, moment), limit)


def _claim_due(now: datetime) -> list[ScheduledCharge]:
    with transaction.atomic():
        ids = due_ids(_due(now).order_by("next_try_at", "pk"), BATCH)
        return list(ScheduledCharge.objects.filter(pk__in=ids))


def _due(now: datetime) -> Any:
    busy = ScheduledCharge.objects.filter(payment__status__in=services.OPEN_STATUSES)
    return ScheduledCharge.objects.filter(status__in=OPEN, next_try_at__lte=now).exclude(
        pk__in=busy.values("pk")
    )


@transaction.atomic
def _try(charge: ScheduledCharge, now: datetime) -> None:
    charge = _due(now).select_for_update().filter(pk=charge.pk).first()
    if charge is None:  # another worker tried it meanwhile
        return
    left = services.balance(charge.invoice)
    if left <= 0:  # paid another way in the meantime: nothing to take
        charge.status = ChargeStatus.CANCELLED
        charge.save(update_fields=["status"])
        return
    if not SavedCard.objects.filter(client=charge.client).exists():
        charge.tries += 1
        charge.save(update_fields=["tries"])
        _refused(charge, now, _("no card is saved"))
        return
    charge.tries += 1
    charge.payment = Payment.objects.create(
        organisation=charge.organisation,
        location=charge.location,
        client=charge.client,
        invoice=charge.invoice,
        purpose=charge.purpose,
        method=Method.CARD_ONLINE,
        amount_minor=min(charge.amount_minor, left),
        currency=charge.currency,
        status=PaymentStatus.PENDING,
        idempotency_key=f"{charge.key}-try-{charge.tries}",
        taken_at=now,
    )
    charge.save(update_fields=["tries", "payment"])


@receiver(signals.payment_settled, dispatch_uid="payments.charges.payment_settled")
def _settled(sender: Any, payment: Payment, **kwargs: Any) -> None:
    charge = ScheduledCharge.objects.select_for_update().filter(payment=payment).first()
    if charge is None or charge.status not in OPEN:
        return
    if payment.status == PaymentStatus.SUCCEEDED:
        charge.status = ChargeStatus.PAID
        charge.save(update_fields=["status"])
        signals.charge_paid.send(sender=ScheduledCharge, charge=charge)
    elif payment.status == PaymentStatus.FAILED:
        _refused(charge, timezone.now(), payment.note)


def _refused(charge: ScheduledCharge, now: datetime, why: str) -> None:
    """A refused try: the next one planned and the client told, or the charge failed."""
    if charge.tries <= len(RETRY_DAYS):
        charge.status = ChargeStatus.RETRYING
        charge.next_try_at = now + timedelta(days=RETRY_DAYS[charge.tries - 1])
        charge.save(update_fields=["status", "next_try_at"])
        signals.charge_retrying.send(sender=ScheduledCharge, charge=charge)
    else:
        charge.status = ChargeStatus.FAILED
        charge.save(update_fields=["status"])
        signals.charge_failed.send(sender=ScheduledCharge, charge=charge)
    again = ""  # the day of the next try, as the client is told it now
    if charge.status == ChargeStatus.RETRYING:
        again = charge.next_try_at.astimezone(charge.location.zone).date().isoformat()
    planner.plan_email_now(
        organisation_id=charge.organisation_id,
        client=charge.client,
        kind=MessageKind.CHARGE_FAILED,
        subject=f"charge:{charge.pk}:{charge.tries}:{again}",
        to=charge.client.email,
    )
    services._audit(
        Action.CHANGED,
        Target.INVOICE,
        charge.invoice.public_id,
        charge.client,
        what="charge_refused",
        tries=charge.tries,
        status=charge.status,
        why=why[:300],
    )


def _check_chargeable(invoice: Invoice) -> None:
    if not invoice.is_issued:
        raise DomainError("invoice_draft", _("Issue the invoice before planning its charges."))
    if not SavedCard.objects.filter(client=invoice.client).exists():
        raise DomainError(
            "no_saved_card",
            _("The client has no saved card: they add one when they book or buy online."),
        )


def _due_at(invoice: Invoice, day: date) -> datetime:
    return datetime.combine(day, CHARGE_AT, tzinfo=invoice.location.zone)
