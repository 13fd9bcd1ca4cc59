"""Every change to course packages: the clinic's offers, a sale, each session redeemed, the
clock's pauses, expiry, and the ways a package ends.

Pages, the API, the worker and the receivers all come here. Money moves only through the
payments services (an issued sale invoice, payments, credit notes, refunds, account
credit), in the same transaction as the package's own change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.choices import ScreeningOutcome
from needlepoint.clients.models import Client, Screening
from needlepoint.core.errors import DomainError
from needlepoint.core.languages import long_date
from needlepoint.core.money import HIGHEST_MINOR, Money, format_money, parse_money
from needlepoint.core.plain_sql import rows
from needlepoint.packages.choices import ENDED, PackageStatus, PauseReason
from needlepoint.packages.models import MOST_SESSIONS, Package, PackageOffer, Pause, Redemption
from needlepoint.payments import charges
from needlepoint.payments import services as money
from needlepoint.payments.choices import (
    FeeStatus,
    Method,
    PaymentKind,
    PaymentStatus,
    Purpose,
)
from needlepoint.payments.models import Fee, Invoice, Payment, SavedCard, ScheduledCharge
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.courses import Preferences, course_book
from needlepoint.scheduling.models import Booking, Course, Service
from needlepoint.scheduling.services import booking_cancel
from needlepoint.treatments.models import AdverseEvent
from needlepoint.webhooks.events import emit
from needlepoint.webhooks.models import Event

DESK_METHODS = (Method.CASH, Method.TERMINAL, Method.BANK_TRANSFER)
INSTALMENTS = "instalments"
INSTALMENT_DAYS = 30
LONGEST_VALIDITY_DAYS = 3 * 365
AHEAD = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
ANY_TIME = Preferences()


# ---- value, liability, breakage ---------------------------------------------------------


def session_value(price_minor: int, sessions: int, number: int) -> int:
    """What session ``number`` (1..sessions) of a package is worth: the price shared so
    that the sessions always add up to it exactly."""
    return price_minor * number // sessions - price_minor * (number - 1) // sessions


def delivered(package: Package) -> int:
    """The value of the sessions given so far."""
    return package.price_minor * package.used // package.sessions


def paid(package: Package) -> int:
    """What the client paid for the package: on its sale invoice (less refunds), or, for a
    package received by transfer, the value that came with it."""
    if package.invoice_id is None:
        return package.price_minor
    assert package.invoice is not None
    return money.paid(package.invoice)


def liability(package: Package) -> int:
    """Sessions paid for but not given yet: what the clinic still owes in treatment.
    An ended or expired package owes nothing more."""
    if package.status not in (PackageStatus.ACTIVE, PackageStatus.USED_UP):
        return 0
    return paid(package) - delivered(package)


def breakage(package: Package) -> int:
    """The value an expired package never delivered: paid, and kept by the clinic."""
    if package.status != PackageStatus.EXPIRED:
        return 0
    return max(paid(package) - delivered(package), 0)


def unused_value(package: Package) -> int:
    return package.price_minor - delivered(package)


# ---- offers (Settings → Packages) ---------------------------------------------------------


@dataclass(frozen=True)
class OfferTerms:
    name: str
    sessions: int
    price: Money | str
    valid_days: int
    sold_online: bool = False
    is_active: bool = True


@transaction.atomic
def offer_create(*, service: Service, terms: OfferTerms, by: User | None) -> PackageOffer:
    offer = PackageOffer(service=service)
    _offer_fill(offer, terms)
    offer.save()
    _audit(Action.CREATED, Target.PACKAGE_OFFER, offer.public_id, None, offer, what="offer")
    return offer


@transaction.atomic
def offer_update(*, offer: PackageOffer, terms: OfferTerms, by: User | None) -> PackageOffer:
    offer = PackageOffer.objects.select_for_update().get(pk=offer.pk)
    _offer_fill(offer, terms)
    offer.save()
    _audit(Action.CHANGED, Target.PACKAGE_OFFER, offer.public_id, None, offer, what="offer")
    return offer


def _offer_fill(offer: PackageOffer, terms: OfferTerms) -> None:
    service = offer.service
    if not service.area:
        raise DomainError(
            "not_a_treatment",
            _("%(service)s is not a treatment, so it is not sold as a course.")
            % {"service": service.name},
            field="service",
        )
    if not terms.name.strip():
        raise DomainError("name_missing", _("Give the offer a name."), field="name")
    currency = service.location.organisation.currency
    offer.name = terms.name.strip()[:120]
    offer.sessions = _sessions(terms.sessions)
    offer.price_minor = _price(terms.price, currency)
    offer.valid_days = _valid_days(terms.valid_days)
    offer.sold_online = bool(terms.sold_online)
    offer.is_active = bool(terms.is_active)


def _sessions(sessions: int) -> int:
    if not 1 <= sessions <= MOST_SESSIONS:
        raise DomainError(
            "invalid_sessions",
            _("A course has from 1 to %(most)s sessions.") % {"most": MOST_SESSIONS},
            field="sessions",
        )
    return sessions


def _valid_days(days: int) -> int:
    if not 1 <= days <= LONGEST_VALIDITY_DAYS:
        raise DomainError(
            "invalid_validity",
            _("A package is valid for 1 to %(most)s days.") % {"most": LONGEST_VALIDITY_DAYS},
            field="valid_days",
        )
    return days


def _price(price: Money | str, currency: str) -> int:
    if not isinstance(price, Money):
        price = parse_money(str(price).strip(), currency, field="price")
    if price.currency != currency:
        raise DomainError(
            "wrong_currency",
            _("This clinic sells in %(currency)s.") % {"currency": currency},
            field="price",
        )
    if not 0 <= price.minor <= HIGHEST_MINOR:
        raise DomainError("invalid_amount", _("Give a price from zero up."), field="price")
    return price.minor


# ---- selling ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sale:
    """What is sold: an offer, or a service with its own sessions, price and validity."""

    service: Service
    sessions: int
    price: Money
    valid_days: int
    offer: PackageOffer | None = None

    @classmethod
    def of(cls, offer: PackageOffer) -> Sale:
        if not offer.is_active:
            raise DomainError("offer_closed", _("This offer is no longer on sale."))
        currency = offer.service.location.organisation.currency
        return cls(
            offer.service,
            offer.sessions,
            Money(offer.price_minor, currency),
            offer.valid_days,
            offer,
        )


def require_can_hold(client: Client) -> None:
    """A package belongs to a living record: not erased, not merged away."""
    if client.anonymised_at or client.purged_at or client.erasure_requested_at:
        raise DomainError(
            "client_erased",
            _("This client's record was erased at their request: it can't hold a package."),
        )
    if client.merged_into_id is not None:
        raise DomainError(
            "client_merged",
            _("This record was merged into another: use the client's kept record."),
        )


def check_sale(client: Client, sale: Sale) -> None:
    require_can_hold(client)
    service = sale.service
    organisation = service.location.organisation
    if client.organisation_id != organisation.pk:
        raise DomainError("not_found", _("No such client."))
    if not service.is_active:
        raise DomainError("service_closed", _("This service is no longer offered."))
    _sessions(sale.sessions)
    _valid_days(sale.valid_days)
    _price(sale.price, organisation.currency)


@transaction.atomic
def package_sell(
    *,
    client: Client,
    sale: Sale,
    start_on: date,
    method: str,
    by: User | None,
    preferences: Preferences = ANY_TIME,
    instalments: int = 0,
    now: datetime | None = None,
) -> Package:
    """Sell a course at the desk, all or nothing: the screening gate and the plan at safe
    intervals (every session booked), the issued sale invoice, and its payment in full or
    by ``instalments`` monthly charges of the client's saved card, the first today."""
    now = now or timezone.now()
    check_sale(client, sale)
    if method not in (*DESK_METHODS, INSTALMENTS):
        raise DomainError("invalid_method", _("Choose how the client pays."), field="method")
    if method == INSTALMENTS and not SavedCard.objects.filter(client=client).exists():
        raise DomainError(
            "no_saved_card",
            _(
                "The client has no saved card to pay by instalments: take the payment at the "
                "desk, or ask them to save a card when they book online."
            ),
            field="method",
        )
    course = course_book(
        client=client,
        service=sale.service,
        sessions=sale.sessions,
        start_on=start_on,
        preferences=preferences,
        by=by,
        now=now,
    )
    package = record_sale(client, sale, course, by, now)
    if method == INSTALMENTS:
        assert package.invoice is not None
        charges.instalments_plan(
            invoice=package.invoice,
            count=instalments,
            first_due_on=local_today(package, now),
            every_days=INSTALMENT_DAYS,
            purpose=Purpose.PACKAGE,
            by=by,
            now=now,
        )
    elif sale.price.minor:
        money.payment_take(
            location=sale.service.location,
            client=client,
            amount=sale.price,
            method=method,
            by=by,
            key=f"package-{package.public_id}-sale",
            invoice=package.invoice,
            purpose=Purpose.PACKAGE,
            now=now,
        )
    return package


def record_sale(
    client: Client, sale: Sale, course: Course, by: User | None, now: datetime
) -> Package:
    """The package and its issued sale invoice (one line, purpose PACKAGE, at the service's
    tax rate), written with the plan; the caller takes the payment."""
    service = sale.service
    location = service.location
    invoice = money.invoice_draft(location=location, client=client)
    money.invoice_line_add(
        invoice=invoice,
        description=_("Course package: %(service)s × %(sessions)s")
        % {"service": service.name, "sessions": sale.sessions},
        unit_minor=sale.price.minor,
        tax_rate_bp=service.tax_rate_bp,
        purpose=Purpose.PACKAGE,
    )
    invoice = money.invoice_issue(invoice=invoice, by=by, now=now)
    sold_on = now.astimezone(location.zone).date()
    package = Package.objects.create(
        client=client,
        service=service,
        offer=sale.offer,
        course=course,
        sessions=sale.sessions,
        price_minor=sale.price.minor,
        currency=sale.price.currency,
        invoice=invoice,
        sold_at=now,
        expires_on=sold_on + timedelta(days=sale.valid_days),
        sold_by=by,
    )
    _event(package, Event.PACKAGE_SOLD)
    _audit(
        Action.CREATED,
        Target.PACKAGE,
        package.public_id,
        client,
        package,
        what="sold",
        invoice=invoice.reference,
    )
    return package


# ---- redemption ---------------------------------------------------------------------------


def package_of(booking: Booking) -> Package | None:
    if booking.course_id is None:
        return None
    return Package.objects.filter(course_id=booking.course_id).first()


def require_open(package: Package, today: date | None = None) -> None:
    """Refuse a session of a package that is used up, expired or ended, saying which."""
    if package.status == PackageStatus.USED_UP:
        raise DomainError(
            "package_used_up",
            _("All %(sessions)s sessions of this course package are used.")
            % {"sessions": package.sessions},
        )
    if package.status == PackageStatus.EXPIRED:
        raise DomainError(
            "package_expired",
            _(
                "This course package expired on %(day)s: sell a new one, or book and charge "
                "the visit on its own."
            )
            % {
                "day": long_date(
                    effective_expiry(package, local_today(package, package.ended_at))
                    if package.ended_at
                    else package.expires_on
                )
            },
        )
    if package.status in ENDED:
        raise DomainError(
            "package_ended",
            _("This course package was %(status)s: its sessions can't be used.")
            % {"status": package.get_status_display().lower()},
        )


def package_claim(booking: Booking) -> Package | None:
    """A visit of a package's treatment booked outside its plan (online, say, or from the
    calendar) joins the client's oldest active package that still has a session to book:
    it is then priced at nothing and redeemed when done."""
    if booking.course_id is not None:
        return None
    # Plain SQL: every booking asks, and almost every client has no package at all.
    active = rows(
        "SELECT id, course_id, sessions FROM packages_package"
        " WHERE client_id = %s AND service_id = %s AND status = %s ORDER BY sold_at, id",
        [booking.client_id, booking.service_id, PackageStatus.ACTIVE.value],
    )
    for package_id, course_id, sessions in active:
        taken = Booking.objects.filter(
            course_id=course_id, status__in=(*AHEAD, BookingStatus.COMPLETED)
        ).count()
        if taken < sessions:
            package = Package.objects.select_related("course").get(pk=package_id)
            Booking.objects.filter(pk=booking.pk, course=None).update(course=package.course)
            booking.course = package.course
            return package
    return None


def booking_refused(booking: Booking) -> None:
    """A booking made in a package's course: refused when the package can't give it."""
    package = package_of(booking)
    if package is None:
        return
    require_open(package)
    taken = (
        Booking.objects.filter(
            course_id=package.course_id, status__in=(*AHEAD, BookingStatus.COMPLETED)
        )
        .exclude(pk=booking.pk)
        .count()
    )
    if taken >= package.sessions:
        raise DomainError(
            "package_fully_booked",
            _("All %(sessions)s sessions of this course package are booked or used.")
            % {"sessions": package.sessions},
        )


@transaction.atomic
def package_redeem(*, booking: Booking, now: datetime | None = None) -> Redemption | None:
    """The completed booking takes one session of its course's package (once per booking).
    The counter moves with a conditional UPDATE; the database refuses it past ``sessions``."""
    package = package_of(booking)
    if package is None:
        return None
    # one redemption at a time per package: the booking's own, if any, is seen first
    package = Package.objects.select_for_update().get(pk=package.pk)
    done = Redemption.objects.filter(booking=booking).first()
    if done is not None:
        return done
    now = now or timezone.now()
    require_open(package)
    moved = Package.objects.filter(
        pk=package.pk, status=PackageStatus.ACTIVE, used__lt=F("sessions")
    ).update(used=F("used") + 1)
    if not moved:
        package.refresh_from_db()
        require_open(package)
        raise DomainError("package_used_up", _("Every session of this course package is used."))
    package.refresh_from_db()
    redemption = Redemption.objects.create(
        package=package,
        booking=booking,
        number=package.used,
        value_minor=session_value(package.price_minor, package.sessions, package.used),
        at=now,
    )
    if package.used == package.sessions:
        Package.objects.filter(pk=package.pk, status=PackageStatus.ACTIVE).update(
            status=PackageStatus.USED_UP
        )
        package.refresh_from_db()
    _event(package, Event.PACKAGE_REDEEMED, booking=str(booking.public_id), number=package.used)
    _audit(
        Action.CHANGED,
        Target.PACKAGE,
        package.public_id,
        package.client,
        package,
        what="redeemed",
        booking=str(booking.public_id),
        number=redemption.number,
    )
    return redemption


def booking_price(booking: Booking) -> tuple[str, int] | None:
    """What a session of a package costs at the visit: nothing, it was paid up front."""
    package = package_of(booking)
    if package is None:
        return None
    redeemed = Redemption.objects.filter(booking=booking).first()
    if redeemed is None and package.status != PackageStatus.ACTIVE:
        return None
    number = redeemed.number if redeemed else package.used + 1
    return (
        _("Session %(number)s of %(sessions)s — course package")
        % {"number": number, "sessions": package.sessions},
        0,
    )


# ---- the clock: pauses and expiry -----------------------------------------------------------


def local_today(package: Package, now: datetime) -> date:
    return now.astimezone(package.service.location.zone).date()


def effective_expiry(package: Package, today: date) -> date:
    """The day the package expires after (it is valid through this day): the expiry as
    sold, moved on by every day its clock was paused, and never before a session of its
    course still booked ahead nor before the earliest day the interval allows the next."""
    expiry = package.expires_on
    sold_on = package.sold_at.astimezone(package.service.location.zone).date()
    for start, end in _merged(package.pauses.all(), today, sold_on):
        if start > expiry:
            break
        expiry += end - start
    zone = package.service.location.zone
    bookings = Booking.objects.filter(course_id=package.course_id)
    ahead = bookings.filter(status__in=AHEAD).order_by("-starts_at").first()
    if ahead is not None:
        expiry = max(expiry, ahead.starts_at.astimezone(zone).date())
    last = bookings.filter(status=BookingStatus.COMPLETED).order_by("-starts_at").first()
    if last is not None and package.left:
        earliest = last.starts_at.astimezone(zone).date() + timedelta(
            days=package.course.interval_days
        )
        expiry = max(expiry, earliest)
    return expiry


def _merged(pauses: Iterable[Pause], today: date, sold_on: date) -> list[tuple[date, date]]:
    """Pauses as half-open day ranges [start, end), overlaps joined; an open one runs to
    tomorrow (it holds the clock today)."""
    spans = sorted(
        (max(pause.starts_on, sold_on), pause.ends_on or today + timedelta(days=1))
        for pause in pauses
    )
    merged: list[tuple[date, date]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _pause(
    package: Package, reason: str, source: str, starts_on: date, ends_on: date | None
) -> None:
    try:
        with transaction.atomic():
            Pause.objects.create(
                package=package,
                reason=reason,
                source=source,
                starts_on=starts_on,
                ends_on=ends_on,
                created_at=timezone.now(),
            )
    except IntegrityError:  # this event paused it already
        return
    _audit(
        Action.CHANGED,
        Target.PACKAGE,
        package.public_id,
        package.client,
        package,
        what="paused",
        reason=reason,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat() if ends_on else None,
    )


def _active(client_id: int) -> list[Package]:
    return list(Package.objects.filter(client_id=client_id, status=PackageStatus.ACTIVE))


@transaction.atomic
def screening_pauses(screening: Screening) -> None:
    """A deferral pauses the client's packages until its date; a review or a decline until a
    later screening clears; a cleared screening ends those open pauses."""
    packages = _active(screening.client_id)
    day = screening.screened_on
    source = f"screening:{screening.pk}"
    if screening.outcome == ScreeningOutcome.CLEARED:
        Pause.objects.filter(
            package__in=packages,
            reason__in=(PauseReason.SCREENING_DEFERRED, PauseReason.SCREENING_REVIEW),
            ends_on=None,
            starts_on__lte=day,
        ).update(ends_on=day)
        return
    if screening.outcome == ScreeningOutcome.DEFERRED and screening.deferred_until:
        reason, until = PauseReason.SCREENING_DEFERRED, max(screening.deferred_until, day)
    else:
        reason, until = PauseReason.SCREENING_REVIEW, None
    for package in packages:
        _pause(package, reason, source, day, until)


@transaction.atomic
def adverse_event_pauses(event: AdverseEvent) -> None:
    """An open adverse event pauses the client's packages from its onset until it resolves."""
    source = f"adverse_event:{event.pk}"
    if event.resolved_on is not None:
        Pause.objects.filter(source=source, ends_on=None).update(ends_on=event.resolved_on)
        return
    for package in _active(event.client_id):
        _pause(package, PauseReason.ADVERSE_EVENT, source, event.onset_on, None)


def expire_due(now: datetime | None = None) -> int:
    """Mark expired every active package whose effective expiry has passed (in its
    location's day); returns how many. Each is decided on its own, under a row lock."""
    now = now or timezone.now()
    earliest_today = (now - timedelta(days=1)).date()  # no zone is more than a day behind UTC
    candidates = Package.objects.filter(
        status=PackageStatus.ACTIVE, expires_on__lt=earliest_today + timedelta(days=2)
    ).values_list("pk", flat=True)
    return sum(1 for pk in candidates if _expire_one(pk, now))


@transaction.atomic
def _expire_one(pk: int, now: datetime) -> bool:
    package = Package.objects.select_for_update().get(pk=pk)
    if package.status != PackageStatus.ACTIVE:
        return False
    today = local_today(package, now)
    if effective_expiry(package, today) >= today:
        return False
    package.status = PackageStatus.EXPIRED
    package.ended_at = now
    package.save(update_fields=["status", "ended_at"])
    _event(package, Event.PACKAGE_ENDED)
    _audit(
        Action.CHANGED,
        Target.PACKAGE,
        package.public_id,
        package.client,
        package,
        what="expired",
        breakage=breakage(package),
    )
    return True


# ---- ending a package -------------------------------------------------------------------------


def _ending(package: Package, reason: str, *, needs_reason: bool = True) -> Package:
    locked = Package.objects.select_for_update().get(pk=package.pk)
    if locked.status != PackageStatus.ACTIVE:
        require_open(locked)
    if needs_reason and not reason.strip():
        raise DomainError("reason_missing", _("Say why the package ends."), field="reason")
    return locked


def _close(
    package: Package, status: str, by: User | None, now: datetime, reason: str, **extra: object
) -> Package:
    """The package ended: its sessions still booked are cancelled without a fee, and the
    instalments still to come are cancelled."""
    if package.invoice_id is not None:
        for charge in ScheduledCharge.objects.filter(
            invoice_id=package.invoice_id, status__in=charges.OPEN
        ):
            charges.charge_cancel(charge=charge, by=by, reason=reason)
    for booking in Booking.objects.filter(course_id=package.course_id, status=BookingStatus.BOOKED):
        booking_cancel(booking=booking, by=by, reason=reason, now=now)
        fee = Fee.objects.filter(booking=booking, status=FeeStatus.PENDING).first()
        if fee is not None:
            money.fee_waive(booking=booking, by=by, reason=reason, now=now)
    package.status = status
    package.ended_at = now
    package.ended_by = by
    package.end_reason = reason.strip()
    for name, value in extra.items():
        setattr(package, name, value)
    package.save()
    _event(package, Event.PACKAGE_ENDED)
    _audit(
        Action.CHANGED,
        Target.PACKAGE,
        package.public_id,
        package.client,
        package,
        what=status,
        reason=reason.strip(),
        **{k: v for k, v in extra.items() if isinstance(v, int | bool | str)},
    )
    return package


@transaction.atomic
def package_transfer(
    *,
    package: Package,
    to: Client,
    client_agreed: bool,
    by: User | None,
    reason: str = "",
    now: datetime | None = None,
) -> Package:
    """Give the unused sessions to another client of the clinic, with the giver's consent:
    a new package for them, valid as long as the giver's was; the giver's booked sessions
    are cancelled without a fee. Returns the new package."""
    now = now or timezone.now()
    package = _ending(package, reason, needs_reason=False)
    if not client_agreed:
        raise DomainError(
            "consent_missing",
            _("Record that the client agreed to give their sessions away."),
            field="client_agreed",
        )
    if to.organisation_id != package.client.organisation_id:
        raise DomainError("not_found", _("No such client."), field="to")
    if to.pk == package.client_id:
        raise DomainError("same_client", _("Choose another client to receive it."), field="to")
    require_can_hold(to)
    left = package.left
    value = unused_value(package)
    today = local_today(package, now)
    expiry = max(effective_expiry(package, today), today)
    why = reason.strip() or _("Transferred with the client's consent")
    course = Course.objects.create(
        client=to,
        service=package.service,
        planned_sessions=left,
        interval_days=package.course.interval_days,
        created_by=by,
    )
    received = Package.objects.create(
        client=to,
        service=package.service,
        offer=package.offer,
        course=course,
        sessions=left,
        price_minor=value,
        currency=package.currency,
        transferred_from=package,
        sold_at=now,
        expires_on=expiry,
        sold_by=by,
    )
    _close(
        package,
        PackageStatus.TRANSFERRED,
        by,
        now,
        why,
        consent_recorded=True,
        end_amount_minor=value,
    )
    _event(received, Event.PACKAGE_SOLD, transferred_from=str(package.public_id))
    _audit(
        Action.CREATED,
        Target.PACKAGE,
        received.public_id,
        to,
        received,
        what="received",
        transferred_from=str(package.public_id),
    )
    return received


def _percent(percent: int) -> int:
    if not 0 <= percent <= 100:
        raise DomainError("invalid_percent", _("Give a percentage from 0 to 100."), field="percent")
    return percent


def _money_back(package: Package, percent: int) -> int:
    """What goes back: the stated percentage of the unused value, never more than what
    was paid and not yet given in treatment."""
    if package.invoice_id is None:
        raise DomainError(
            "no_sale",
            _(
                "This package was received by transfer: it has no sale of its own to give "
                "money back on. Void it, or end the package it came from."
            ),
        )
    amount = unused_value(package) * _percent(percent) // 100
    most = paid(package) - delivered(package)
    if amount > most:
        raise DomainError(
            "more_than_paid",
            _("That is %(amount)s, more than the %(most)s paid and not yet used.")
            % {
                "amount": format_money(Money(amount, package.currency)),
                "most": format_money(Money(max(most, 0), package.currency)),
            },
            field="percent",
        )
    return amount


def _give_back(
    package: Package, amount: int, *, to_credit: bool, reason: str, by: User | None, now: datetime
) -> None:
    """A credit note for ``amount`` on the sale invoice, and the money back from its
    payments (latest first): to account credit, or the way it came."""
    if amount <= 0:
        return
    invoice: Invoice = package.invoice  # type: ignore[assignment]
    money.credit_note_issue(invoice=invoice, amount_minor=amount, reason=reason, by=by, now=now)
    left = amount
    payments = Payment.objects.filter(
        invoice=invoice, kind=PaymentKind.PAYMENT, status=PaymentStatus.SUCCEEDED
    ).order_by("-taken_at", "-pk")
    for payment in payments:
        part = min(left, money.refundable(payment))
        if part <= 0:
            continue
        money.refund_make(
            payment=payment,
            amount_minor=part,
            to_credit=to_credit,
            reason=reason,
            by=by,
            key=f"package-{package.public_id}-back-{payment.pk}",
            now=now,
        )
        left -= part
        if left == 0:
            break
    if left:
        raise DomainError(
            "not_refundable",
            _("Only payments that went through can be given back: %(left)s is still open.")
            % {"left": format_money(Money(left, package.currency))},
        )


def package_credit(
    *, package: Package, percent: int, reason: str, by: User | None, now: datetime | None = None
) -> Package:
    """End the package with the stated percentage of its unused value as account credit
    (a credit note on the sale invoice and the money onto the client's account)."""
    return _end_giving_back(package, percent, reason, by, now, to_credit=True)


def package_refund(
    *, package: Package, percent: int, reason: str, by: User | None, now: datetime | None = None
) -> Package:
    """End the package with the stated percentage of its unused value refunded to the
    payment it came from (a credit note and a refund; a card refund goes to Stripe from
    the outbox)."""
    return _end_giving_back(package, percent, reason, by, now, to_credit=False)


@transaction.atomic
def _end_giving_back(
    package: Package,
    percent: int,
    reason: str,
    by: User | None,
    now: datetime | None,
    *,
    to_credit: bool,
) -> Package:
    now = now or timezone.now()
    package = _ending(package, reason)
    amount = _money_back(package, percent)
    _give_back(package, amount, to_credit=to_credit, reason=reason.strip(), by=by, now=now)
    return _close(
        package,
        PackageStatus.CREDITED if to_credit else PackageStatus.REFUNDED,
        by,
        now,
        reason,
        end_percent=percent,
        end_amount_minor=amount,
    )


@transaction.atomic
def package_void(
    *, package: Package, reason: str, by: User | None, now: datetime | None = None
) -> Package:
    """End the package without moving money (sold in error, say), saying why."""
    now = now or timezone.now()
    package = _ending(package, reason)
    return _close(package, PackageStatus.VOIDED, by, now, reason)


def packages_anonymise(client: Client) -> int:
    """An erased client's packages stay (they are the clinic's accounts) without the free
    text staff wrote about them."""
    return Package.objects.filter(client=client).exclude(end_reason="").update(end_reason="")


# ---- telling -------------------------------------------------------------------------------


def _event(package: Package, event: str, **extra: object) -> int:
    def payload() -> dict[str, object]:
        return {
            "package": str(package.public_id),
            "client": str(package.client.public_id),
            "service": {"id": str(package.service.public_id), "name": package.service.name},
            "sessions": package.sessions,
            "used": package.used,
            "price": {"amount_minor": package.price_minor, "currency": package.currency},
            "expires_on": package.expires_on.isoformat(),
            "status": package.status,
        } | extra

    return emit(package.client.organisation_id, event, payload)


def _audit(
    action: str,
    target: str,
    target_id: object,
    client: Client | None,
    row: Package | PackageOffer,
    **detail: object,
) -> None:
    organisation_id = (
        row.service.location.organisation_id if isinstance(row, PackageOffer) else None
    )
    audit.record(
        Action(action),
        Target(target),
        target_id,
        client=client,
        organisation_id=organisation_id,
        detail=dict(detail),
    )
