"""Every change to memberships: plans, signing up, each period billed, benefits used,
cancelling, and what a charge's outcome does.

Money moves only through payments: each period is an issued invoice (purpose
MEMBERSHIP) paid by the client's saved card. The first period is charged while the client
or the desk waits, and the membership is written only once Stripe says it was paid; each
later period is a ``ScheduledCharge`` the payments worker carries out, trying a refused
card again on its own schedule (payments/charges.py), and its outcome arrives here as a
signal (receivers.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location
from needlepoint.core.errors import DomainError
from needlepoint.core.money import HIGHEST_MINOR, Money, format_money
from needlepoint.memberships import events, periods
from needlepoint.memberships.choices import (
    LIVE,
    MembershipStatus,
    Period,
    PeriodStatus,
    SessionsEvery,
)
from needlepoint.memberships.models import (
    Membership,
    MembershipPeriod,
    MembershipPlan,
    MembershipUse,
)
from needlepoint.notifications import planner
from needlepoint.notifications.choices import MessageKind
from needlepoint.payments import charges, online
from needlepoint.payments import services as money
from needlepoint.payments.choices import ChargeStatus, Purpose
from needlepoint.payments.dates import short_month_date
from needlepoint.payments.models import Invoice, Payment, SavedCard, ScheduledCharge
from needlepoint.payments.pricing import Price
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.models import Booking, Service

logger = logging.getLogger(__name__)
LONGEST_NAME = 80


# ---- plans ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanTerms:
    """What a plan is, as Settings or the API sends it."""

    name: str
    price: Money
    period: str
    included_sessions: int = 0
    included_service: Service | None = None
    sessions_every: str = SessionsEvery.PERIOD
    discount_percent: int = 0
    active: bool = True
    sold_online: bool = False


@transaction.atomic
def plan_save(
    *, location: Location, terms: PlanTerms, by: User | None, plan: MembershipPlan | None = None
) -> MembershipPlan:
    """Add a plan to ``location`` or change ``plan``. Members keep what they were sold."""
    _check_terms(location, terms)
    if plan is None:
        plan = MembershipPlan(organisation=location.organisation, location=location)
    elif plan.location_id != location.pk:
        raise DomainError("not_found", _("No such plan."))
    plan.name = terms.name.strip()
    plan.price_minor = terms.price.minor
    plan.currency = terms.price.currency
    plan.period = terms.period
    plan.included_sessions = terms.included_sessions
    plan.included_service = terms.included_service if terms.included_sessions else None
    plan.sessions_every = terms.sessions_every
    plan.discount_percent = terms.discount_percent
    plan.active = terms.active
    plan.sold_online = terms.sold_online
    if (
        MembershipPlan.objects.filter(location=location, name=plan.name)
        .exclude(pk=plan.pk)
        .exists()
    ):
        raise DomainError(
            "plan_name_taken", _("This location already has a plan of that name."), field="name"
        )
    created = plan.pk is None
    plan.save()
    _audit(
        Action.CREATED if created else Action.CHANGED,
        plan.public_id,
        None,
        organisation_id=location.organisation_id,
        what="plan",
        name=plan.name,
        price=plan.price_minor,
        period=plan.period,
        active=plan.active,
    )
    return plan


def _check_terms(location: Location, terms: PlanTerms) -> None:
    name = terms.name.strip()
    if not name or len(name) > LONGEST_NAME:
        raise DomainError("name_missing", _("Give the plan a name."), field="name")
    if terms.price.currency != location.organisation.currency:
        raise DomainError(
            "wrong_currency",
            _("This clinic charges in %(currency)s.")
            % {"currency": location.organisation.currency},
            field="price",
        )
    if not 0 < terms.price.minor <= HIGHEST_MINOR:
        raise DomainError("invalid_amount", _("A plan's price is more than zero."), field="price")
    if terms.period not in Period.values:
        raise DomainError("invalid_period", _("Bill monthly or yearly."), field="period")
    if terms.sessions_every not in SessionsEvery.values:
        raise DomainError("invalid_every", _("Choose how often sessions are included."))
    if not 0 <= terms.discount_percent <= 100:
        raise DomainError(
            "invalid_discount", _("A discount is from 0% to 100%."), field="discount_percent"
        )
    if not 0 <= terms.included_sessions <= 99:
        raise DomainError(
            "invalid_sessions", _("Include from 0 to 99 sessions."), field="included_sessions"
        )
    service = terms.included_service
    if terms.included_sessions and (service is None or service.location_id != location.pk):
        raise DomainError(
            "service_missing",
            _("Choose which of this location's services the included sessions are."),
            field="included_service",
        )


# ---- signing up -------------------------------------------------------------------------


def membership_start(
    *, client: Client, plan: MembershipPlan, by: User | None, key: str, now: datetime | None = None
) -> Membership:
    """Sign the client up at the desk: the first period is charged to their saved card
    now, and the membership starts once Stripe says it was paid. A refused card leaves
    nothing written. ``key`` (the form's) makes a double click charge once."""
    now = now or timezone.now()
    done = _started_by(client, key)
    if done is not None:
        return done
    check_may_join(client=client, plan=plan)
    stripe_id = online.saved_card_charge(
        client=client,
        amount=Money(plan.price_minor, plan.currency),
        key=f"membership-start-{key}",
        description=plan.name,
    )
    return membership_record_start(
        client=client, plan=plan, stripe_id=stripe_id, by=by, key=key, now=now
    )


def check_may_join(
    *, client: Client, plan: MembershipPlan, online_sale: bool = False, needs_card: bool = True
) -> None:
    """Why the client can't join ``plan`` now, as a ``DomainError``; nothing when they can.
    Online, the plan must be sold online; at the desk, the client needs a saved card."""
    if client.organisation_id != plan.organisation_id or client.anonymised_at is not None:
        raise DomainError("not_found", _("No such client."))
    if not plan.active or (online_sale and not plan.sold_online):
        raise DomainError(
            "plan_inactive", _("The %(plan)s plan is no longer sold.") % {"plan": plan.name}
        )
    if plan.currency != plan.organisation.currency:
        raise DomainError(
            "wrong_currency",
            _("The %(plan)s plan is priced in %(currency)s, which this clinic no longer takes.")
            % {"plan": plan.name, "currency": plan.currency},
        )
    if Membership.objects.filter(client=client, plan=plan, status__in=LIVE).exists():
        raise DomainError(
            "already_member",
            _("%(name)s is already a member of %(plan)s.")
            % {"name": client.first_name, "plan": plan.name},
        )
    if needs_card and not SavedCard.objects.filter(client=client).exists():
        raise DomainError(
            "no_saved_card",
            _(
                "%(name)s has no saved card: they must add one online first "
                "(when booking online, or by joining online)."
            )
            % {"name": client.first_name},
        )


def _started_by(client: Client, key: str) -> Membership | None:
    first = MembershipPeriod.objects.filter(
        payment__organisation_id=client.organisation_id,
        payment__idempotency_key=f"membership-{key}",
    ).first()
    return first.membership if first is not None else None


# Refusals that can come after the first period was charged: the client joined the plan
# a moment ago by another way, or the plan was taken off sale while they paid.
REFUSED_AFTER_PAYING = frozenset({"already_member", "plan_inactive", "not_found", "wrong_currency"})


def membership_record_start(
    *,
    client: Client,
    plan: MembershipPlan,
    stripe_id: str,
    by: User | None,
    key: str,
    now: datetime,
) -> Membership:
    """The membership, its first period's issued invoice and the card payment Stripe
    confirmed for it, written together (the same ``key`` twice writes once). Refused
    now that the card was charged, the payment is recorded and refunded to the card."""
    try:
        return _record_start(client, plan, stripe_id, by, key, now)
    except DomainError as refusal:
        if refusal.code not in REFUSED_AFTER_PAYING:
            raise
        _refund_unrecorded(client, plan, stripe_id, key, refusal.message, now)
        refunded = _("The payment taken for it is being refunded to the card.")
        raise DomainError(refusal.code, f"{refusal.message} {refunded}") from refusal


@transaction.atomic
def _refund_unrecorded(
    client: Client, plan: MembershipPlan, stripe_id: str, key: str, why: str, now: datetime
) -> None:
    """The first period paid for a membership that could not start: recorded on an issued
    invoice, cancelled by a credit note and refunded to the card (sent after the commit).
    Once per key."""
    paid_key = f"membership-{key}"
    if Payment.objects.filter(
        organisation_id=client.organisation_id, idempotency_key=paid_key
    ).exists():
        return
    invoice = money.invoice_draft(location=plan.location, client=client)
    money.invoice_line_add(
        invoice=invoice,
        description=_("%(plan)s membership (not started)") % {"plan": plan.name},
        unit_minor=plan.price_minor,
        purpose=Purpose.MEMBERSHIP,
    )
    invoice = money.invoice_issue(invoice=invoice, by=None, now=now)
    payment = online.card_paid_record(
        invoice=invoice,
        amount=Money(plan.price_minor, plan.currency),
        stripe_id=stripe_id,
        purpose=Purpose.MEMBERSHIP,
        key=paid_key,
        note=_("First period of %(plan)s") % {"plan": plan.name},
        now=now,
    )
    reason = _("Membership not started: %(why)s") % {"why": why}
    money.credit_note_issue(
        invoice=invoice, amount_minor=plan.price_minor, reason=reason, by=None, now=now
    )
    refund = money.refund_make(
        payment=payment,
        amount_minor=plan.price_minor,
        to_credit=False,
        reason=reason,
        by=None,
        key=f"{paid_key}-back",
        now=now,
    )
    transaction.on_commit(lambda: money.payment_send(refund))


@transaction.atomic
def _record_start(
    client: Client,
    plan: MembershipPlan,
    stripe_id: str,
    by: User | None,
    key: str,
    now: datetime,
) -> Membership:
    done = _started_by(client, key)
    if done is not None:
        return done
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one sign-up at a time
    check_may_join(client=client, plan=plan, needs_card=False)
    location = plan.location
    today = now.astimezone(location.zone).date()
    months = periods.MONTHS[plan.period]
    first, last = periods.period_bounds(today, months, 0)
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                organisation=plan.organisation,
                location=location,
                client=client,
                plan=plan,
                plan_name=plan.name,
                price_minor=plan.price_minor,
                currency=plan.currency,
                period=plan.period,
                included_sessions=plan.included_sessions,
                included_service=plan.included_service,
                sessions_every=plan.sessions_every,
                discount_percent=plan.discount_percent,
                started_on=today,
                period_start=first,
                period_end=last,
                created_at=now,
                created_by=by,
            )
    except IntegrityError as error:  # joined a moment ago by another request
        raise DomainError(
            "already_member", _("The client is already a member of this plan.")
        ) from error
    invoice = _period_invoice(membership, first, last, by, now)
    payment = online.card_paid_record(
        invoice=invoice,
        amount=Money(membership.price_minor, membership.currency),
        stripe_id=stripe_id,
        purpose=Purpose.MEMBERSHIP,
        key=f"membership-{key}",
        note=_("First period of %(plan)s") % {"plan": membership.plan_name},
        now=now,
    )
    MembershipPeriod.objects.create(
        membership=membership,
        number=0,
        starts_on=first,
        ends_on=last,
        invoice=invoice,
        payment=payment,
        status=PeriodStatus.PAID,
    )
    events.membership_event(membership, events.STARTED)
    _audit(
        Action.CREATED,
        membership.public_id,
        client,
        what="membership_started",
        plan=membership.plan_name,
        price=membership.price_minor,
    )
    return membership


def _period_invoice(
    membership: Membership, first: date, last: date, by: User | None, now: datetime
) -> Invoice:
    """The period's invoice, issued: "Gold membership, 1 March – 31 March"."""
    invoice = money.invoice_draft(location=membership.location, client=membership.client)
    money.invoice_line_add(
        invoice=invoice,
        description=period_words(membership.plan_name, first, last),
        unit_minor=membership.price_minor,
        purpose=Purpose.MEMBERSHIP,
    )
    return money.invoice_issue(invoice=invoice, by=by, now=now)


def period_words(plan_name: str, first: date, last: date) -> str:
    """ "Gold membership, 1 March – 31 March 2027", in the active language's month names."""
    start = date_format(first, "j F" if first.year == last.year else "j F Y")
    return _("%(plan)s membership, %(first)s – %(last)s") % {
        "plan": plan_name,
        "first": start,
        "last": date_format(last, "j F Y"),
    }


# ---- each period ------------------------------------------------------------------------


def periods_roll(*, now: datetime | None = None) -> int:
    """The worker's part, run every minute: each live membership whose period ended moves
    on (a new period invoiced and its charge scheduled for its first day), or ends when it
    was set to end there. How many moved or ended."""
    now = now or timezone.now()
    moved = 0
    # no time zone is a day ahead of UTC's date + 1: only those can be due anywhere
    ended = Membership.objects.filter(status__in=LIVE, period_end__lte=now.date())
    for membership in ended.select_related("location"):
        today = now.astimezone(membership.location.zone).date()
        if membership.period_end < today:
            try:
                period_next(membership=membership, now=now)
            except DomainError as error:
                logger.info("Membership %s not rolled: %s", membership.pk, error.code)
            else:
                moved += 1
    return moved


@transaction.atomic
def period_next(*, membership: Membership, now: datetime) -> Membership:
    """Move ``membership`` on from its ended period: to an end if it was set to end
    there, else to the next period, invoiced and its charge scheduled."""
    membership = _locked(membership)
    today = now.astimezone(membership.location.zone).date()
    if membership.status not in LIVE or membership.period_end >= today:
        raise DomainError("not_due", _("This membership's period has not ended."))
    if membership.cancel_at_period_end:
        return _end(membership, MembershipStatus.CANCELLED, membership.period_end, now)
    months = periods.MONTHS[membership.period]
    number = periods.period_number(membership.started_on, months, membership.period_end) + 1
    first, last = periods.period_bounds(membership.started_on, months, number)
    invoice = _period_invoice(membership, first, last, None, now)
    charge = charges.charge_schedule(
        invoice=invoice,
        amount_minor=membership.price_minor,
        due_on=first,
        purpose=Purpose.MEMBERSHIP,
        key=f"membership-{membership.pk}-period-{number}",
        now=now,
    )
    MembershipPeriod.objects.create(
        membership=membership,
        number=number,
        starts_on=first,
        ends_on=last,
        invoice=invoice,
        charge=charge,
    )
    membership.period_start, membership.period_end = first, last
    membership.save(update_fields=["period_start", "period_end"])
    return membership


def _locked(membership: Membership) -> Membership:
    return (
        Membership.objects.select_for_update()
        .select_related("location__organisation", "client", "plan")
        .get(pk=membership.pk)
    )


@transaction.atomic
def charge_paid(*, charge: ScheduledCharge) -> MembershipPeriod | None:
    """A period's charge went through: the period is paid and a past-due membership is
    active again. None when the charge is not a membership's."""
    period = _period_of(charge)
    if period is None or period.status == PeriodStatus.PAID:
        return period
    period.status = PeriodStatus.PAID
    period.payment = charge.payment
    period.save(update_fields=["status", "payment"])
    membership = _locked(period.membership)
    if membership.status == MembershipStatus.PAST_DUE:
        membership.status = MembershipStatus.ACTIVE
        membership.save(update_fields=["status"])
    events.membership_event(membership, events.RENEWED, period=period)
    _audit(Action.CHANGED, membership.public_id, membership.client, what="period_paid")
    return period


@transaction.atomic
def charge_refused(
    *, charge: ScheduledCharge, final: bool, now: datetime | None = None
) -> MembershipPeriod | None:
    """A try of a period's charge was refused. Not the last: the membership is past due
    (benefits go on while the card is tried again). The last: the membership lapses, its
    benefits stop, and the period's unpaid invoice is cancelled by a credit note. Payments
    emails the client about each refusal and when the card is tried again; the lapse is
    told here."""
    now = now or timezone.now()
    period = _period_of(charge)
    if period is None or period.status != PeriodStatus.DUE:
        return period
    membership = _locked(period.membership)
    if membership.status not in LIVE:
        return period
    if not final:
        if membership.status != MembershipStatus.PAST_DUE:
            membership.status = MembershipStatus.PAST_DUE
            membership.save(update_fields=["status"])
            events.membership_event(membership, events.PAYMENT_FAILED, period=period)
            _audit(Action.CHANGED, membership.public_id, membership.client, what="past_due")
        return period
    why = _("Membership lapsed: the period was not paid")
    for unpaid in membership.periods.filter(status=PeriodStatus.DUE).select_related("charge"):
        unpaid.status = PeriodStatus.UNPAID
        unpaid.save(update_fields=["status"])
        _cancel_unpaid(unpaid, why, None, now)
    period.refresh_from_db()
    _end(membership, MembershipStatus.LAPSED, period.starts_on, now)
    _tell(membership, "lapsed")
    return period


def _period_of(charge: ScheduledCharge) -> MembershipPeriod | None:
    return (
        MembershipPeriod.objects.select_for_update()
        .select_related("membership")
        .filter(charge_id=charge.pk)
        .first()
    )


def _end(membership: Membership, status: str, ended_on: date, now: datetime) -> Membership:
    membership.status = status
    membership.ended_on = ended_on
    membership.save(update_fields=["status", "ended_on"])
    events.membership_event(membership, events.ENDED)
    _audit(Action.CHANGED, membership.public_id, membership.client, what=f"membership_{status}")
    return membership


def _cancel_unpaid(period: MembershipPeriod, reason: str, by: User | None, now: datetime) -> None:
    """A period that will not be paid: its charge stops and its invoice's balance is
    cancelled by a credit note."""
    charge = period.charge
    if charge is not None and charge.status in (ChargeStatus.SCHEDULED, ChargeStatus.RETRYING):
        charges.charge_cancel(charge=charge, by=by, reason=reason)
    owed = money.balance(period.invoice)
    if owed > 0:
        money.credit_note_issue(
            invoice=period.invoice, amount_minor=owed, reason=reason, by=by, now=now
        )


def _tell(membership: Membership, what: str) -> None:
    client = membership.client
    planner.plan_email_now(
        organisation_id=membership.organisation_id,
        client=client,
        kind=MessageKind.MEMBERSHIP,
        subject=f"membership:{membership.public_id}:{what}",
        to=client.email,
    )


# ---- cancelling -------------------------------------------------------------------------


@transaction.atomic
def membership_cancel(
    *,
    membership: Membership,
    reason: str,
    by: User | None,
    now_too: bool = False,
    refund_minor: int = 0,
    now: datetime | None = None,
) -> Membership:
    """Cancel at the end of the period (the default: it is paid for), or now, giving back
    ``refund_minor`` of the current period (staff decide, up to what was paid: see
    ``refund_suggested``) with a credit note and a refund to the card."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise DomainError("reason_missing", _("Say why the membership ends."), field="reason")
    membership = _locked(membership)
    if membership.status not in LIVE:
        raise DomainError(
            "already_ended",
            _("This membership already ended (%(status)s).")
            % {"status": membership.get_status_display().lower()},
        )
    if membership.cancel_at_period_end and not now_too:
        raise DomainError(
            "already_cancelled",
            _("This membership is already set to end on %(day)s.")
            % {"day": short_month_date(membership.period_end)},
        )
    membership.cancelled_at = now
    membership.cancel_reason = reason[:300]
    if not now_too:
        if refund_minor:
            raise DomainError(
                "refund_needs_now", _("Money is given back only when it ends now."), field="refund"
            )
        membership.cancel_at_period_end = True
        membership.save(update_fields=["cancelled_at", "cancel_reason", "cancel_at_period_end"])
        _audit(
            Action.CHANGED,
            membership.public_id,
            membership.client,
            what="cancel_at_end",
            reason=reason,
            ends_on=membership.period_end.isoformat(),
        )
        return membership
    membership.save(update_fields=["cancelled_at", "cancel_reason"])
    for unpaid in membership.periods.filter(status=PeriodStatus.DUE).select_related("charge"):
        unpaid.status = PeriodStatus.VOID  # not paid: nothing more is charged, nothing owed
        unpaid.save(update_fields=["status"])
        _cancel_unpaid(unpaid, reason, by, now)
    paid = membership.periods.filter(status=PeriodStatus.PAID).order_by("-number").first()
    if refund_minor:
        _give_back(paid, refund_minor, reason, by, now)
    _audit(
        Action.CHANGED,
        membership.public_id,
        membership.client,
        what="cancel_now",
        reason=reason,
        refund=refund_minor,
    )
    today = now.astimezone(membership.location.zone).date()
    return _end(membership, MembershipStatus.CANCELLED, today, now)


def _give_back(
    period: MembershipPeriod | None,
    refund_minor: int,
    reason: str,
    by: User | None,
    now: datetime,
) -> None:
    """``refund_minor`` of the latest paid period given back: a credit note on its
    invoice and a refund to the card it was paid with."""
    if period is None:
        raise DomainError("nothing_paid", _("No period was paid: nothing to give back."))
    payment = period.payment
    most = money.refundable(payment) if payment is not None else 0
    if not 0 < refund_minor <= most:
        raise DomainError(
            "refund_too_high",
            _("Give back at most %(most)s, what was paid for this period.")
            % {"most": format_money(Money(most, period.invoice.currency))},
            field="refund",
        )
    assert payment is not None
    money.credit_note_issue(
        invoice=period.invoice, amount_minor=refund_minor, reason=reason, by=by, now=now
    )
    refund = money.refund_make(
        payment=payment,
        amount_minor=refund_minor,
        to_credit=False,
        reason=reason,
        by=by,
        key=f"membership-cancel-{period.pk}",
        now=now,
    )
    transaction.on_commit(lambda: money.payment_send(refund))


def refund_suggested(membership: Membership, today: date) -> int:
    """The current period's unused days' share of what was paid for it (today counts
    as used): what staff are offered to give back when ending a membership now."""
    period = membership.periods.order_by("-number").first()
    if period is None or period.status != PeriodStatus.PAID or period.payment is None:
        return 0
    unused, length = periods.days_left(period.starts_on, period.ends_on, today)
    return min(
        periods.pro_rata(membership.price_minor, unused, length), money.refundable(period.payment)
    )


# ---- benefits ---------------------------------------------------------------------------


def window_for(membership: Membership, day: date) -> date:
    """The first day of the allowance window holding ``day``: the billing period's, or
    the quarter's (three months from the start)."""
    months = (
        periods.QUARTER
        if membership.sessions_every == SessionsEvery.QUARTER
        else periods.MONTHS[membership.period]
    )
    return periods.window_start(membership.started_on, months, day)


def _covering(booking: Booking) -> list[Membership]:
    return list(
        Membership.objects.filter(
            client_id=booking.client_id,
            location_id=booking.location_id,
            status__in=LIVE,
        ).order_by("pk")
    )


def price_offered(booking: Booking) -> Price | None:
    """What the client's membership makes the booking cost: nothing when an included
    session is left in its window (or this booking already used one), else the discount
    on a treatment. Reads only."""
    day = booking.starts_at.astimezone(booking.location.zone).date()
    offers = []
    for membership in _covering(booking):
        if membership.started_on > day:
            continue
        if _included_left(membership, booking, day):
            words = _("Included in %(plan)s membership") % {"plan": membership.plan_name}
            offers.append(Price(words, 0))
        elif membership.discount_percent and booking.service.kind == ServiceKind.TREATMENT:
            price = booking.service.price_minor
            less = (price * membership.discount_percent + 50) // 100
            words = _("%(service)s, %(plan)s membership −%(percent)s%%") % {
                "service": booking.service.name,
                "plan": membership.plan_name,
                "percent": membership.discount_percent,
            }
            offers.append(Price(words, price - less))
    return min(offers, key=lambda offer: offer.unit_minor) if offers else None


def _included_left(membership: Membership, booking: Booking, day: date) -> bool:
    if not membership.included_sessions or membership.included_service_id != booking.service_id:
        return False
    if membership.status == MembershipStatus.LAPSED:
        return False
    uses = MembershipUse.objects.filter(membership=membership, period=window_for(membership, day))
    if uses.filter(booking=booking).exists():
        return True
    return uses.count() < membership.included_sessions


@transaction.atomic
def use_record(*, booking: Booking, now: datetime | None = None) -> MembershipUse | None:
    """The completed booking uses one of its included sessions, if one is left in its
    window: counted under the membership's lock, once per booking."""
    now = now or timezone.now()
    if MembershipUse.objects.filter(booking=booking).exists():
        return None
    day = booking.starts_at.astimezone(booking.location.zone).date()
    for membership in _covering(booking):
        if membership.included_service_id != booking.service_id or membership.started_on > day:
            continue
        membership = _locked(membership)
        if MembershipUse.objects.filter(booking=booking).exists():
            return None  # recorded while we waited for the lock
        if membership.status not in LIVE:
            continue
        window = window_for(membership, day)
        used = MembershipUse.objects.filter(membership=membership, period=window).count()
        if used < membership.included_sessions:
            try:
                with transaction.atomic():
                    use = MembershipUse.objects.create(
                        membership=membership, booking=booking, period=window, used_at=now
                    )
            except IntegrityError:  # the visit used another plan's session meanwhile
                return None
            _audit(
                Action.CHANGED,
                membership.public_id,
                membership.client,
                what="session_used",
                booking=str(booking.public_id),
            )
            return use
    return None


def _audit(
    action: str,
    target_id: object,
    client: Client | None,
    *,
    organisation_id: int | None = None,
    **detail: object,
) -> None:
    audit.record(
        Action(action),
        Target.MEMBERSHIP,
        target_id,
        client=client,
        organisation_id=organisation_id,
        detail=dict(detail),
    )


ERASED = "The client's data was erased."


def memberships_erase(*, client: Client, by: User | None, now: datetime) -> int:
    """The client's data is erased (privacy/erasure.py): each live membership ends today,
    nothing more is charged, and the reasons staff typed go (they may be personal); the
    memberships themselves stay with the accounts. How many were ended."""
    ended = 0
    for membership in Membership.objects.filter(client=client, status__in=LIVE):
        membership_cancel(membership=membership, reason=ERASED, by=by, now_too=True, now=now)
        ended += 1
    Membership.objects.filter(client=client).exclude(cancelled_at=None).update(cancel_reason=ERASED)
    return ended
