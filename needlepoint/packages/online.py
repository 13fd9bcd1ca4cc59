"""A course bought online: after the screening clears, the client chooses a course on
sale online, keeps the time they picked as its first session, and pays the full price by
card in the card step (payments/online.py: Stripe.js and a server-side check).

One service records it all or nothing: the plan (session 1 booked at the chosen time, the
others booked later at the course's interval), the package with its issued invoice, the
card payment on that invoice, the card kept and the policy accepted. Stripe is asked
before the transaction; a paid charge whose visit can't be booked after all is refunded.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.clients.models import Client
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.packages import services
from needlepoint.packages.models import Package, PackageOffer
from needlepoint.payments import gateway, online
from needlepoint.payments.billing import cancellation_wording
from needlepoint.payments.choices import DepositKind, Purpose
from needlepoint.payments.services import payment_send
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.courses import course_interval
from needlepoint.scheduling.models import Booking, Course, Service
from needlepoint.scheduling.services import booking_create


def online_offers(service: Service) -> list[PackageOffer]:
    """The courses of ``service`` a client may buy online: on sale, sold online, and only
    where the clinic takes card payments."""
    if gateway.client_for(service.location.organisation) is None:
        return []
    return list(
        PackageOffer.objects.filter(service=service, sold_online=True, is_active=True).order_by(
            "sessions"
        )
    )


def course_terms(offer: PackageOffer) -> online.Terms:
    """What buying the course online asks: its full price by card now, and the policy."""
    location = offer.service.location
    price = Money(offer.price_minor, location.organisation.currency)
    return online.Terms(
        price=price,
        kind=DepositKind.FULL,
        pay_now=price,
        takes_card=True,
        wording=cancellation_wording(location),
        to_accept=True,
    )


def package_paid_by(client: Client, paid: online.Paid) -> Booking | None:
    """The first session of the course this charge already bought: a confirm sent twice
    buys once."""
    deposit = paid.deposit
    payment = online.paid_online(client.organisation, deposit.stripe_id) if deposit else None
    if payment is None or payment.invoice_id is None:
        return None
    package = Package.objects.filter(invoice_id=payment.invoice_id).first()
    if package is None:
        return None
    return Booking.objects.filter(course_id=package.course_id).order_by("starts_at").first()


def package_buy_online(
    *,
    client: Client,
    offer: PackageOffer,
    starts_at: datetime,
    setup_intent: str,
    payment_intent: str,
    wording: str,
    accepted_at: datetime | None,
    now: datetime | None = None,
) -> Booking:
    """Record the course the client paid for online; returns its first session. A card
    step short of paid (declined, not confirmed) refuses it and nothing is booked."""
    now = now or timezone.now()
    if not payment_intent:
        raise DomainError("deposit_unpaid", _("Your course has not been paid. Please try again."))
    paid = online.card_step_outcome(
        organisation=client.organisation, setup_intent=setup_intent, payment_intent=payment_intent
    )
    done = package_paid_by(client, paid)
    if done is not None:
        return done
    try:
        return _record(client, offer, starts_at, paid, wording, accepted_at, now)
    except DomainError as error:
        refund = online.unbooked_deposit_refund(
            location=offer.service.location, client=client, paid=paid, reason=error.message, now=now
        )
        if refund is None:
            done = package_paid_by(client, paid)
            if done is not None:
                return done
            raise
        payment_send(refund)
        raise DomainError(
            error.code, f"{error.message} {online.refund_notice(paid)}", field=error.field
        ) from error


@transaction.atomic
def _record(
    client: Client,
    offer: PackageOffer,
    starts_at: datetime,
    paid: online.Paid,
    wording: str,
    accepted_at: datetime | None,
    now: datetime,
) -> Booking:
    sale = services.Sale.of(offer)
    services.check_sale(client, sale)
    if paid.deposit is None or paid.deposit.amount != sale.price.minor:
        raise DomainError(
            "amount_mismatch", _("The amount paid does not match the course's price.")
        )
    service = offer.service
    course = Course.objects.create(
        client=client,
        service=service,
        planned_sessions=offer.sessions,
        interval_days=course_interval(service),
    )
    first = booking_create(
        client=client,
        service=service,
        starts_at=starts_at,
        channel=Channel.ONLINE,
        course=course,
        now=now,
    )
    package = services.record_sale(client, sale, course, None, now)
    assert package.invoice is not None
    if paid.deposit is None:
        raise DomainError("card_missing", _("Please enter your card details."))
    online.invoice_paid_online(
        invoice=package.invoice,
        intent=paid.deposit,
        purpose=Purpose.PACKAGE,
        note=_("Course package bought online"),
        now=now,
    )
    online.online_money_record(
        booking=first,
        paid=replace(paid, deposit=None),  # the charge is the package's, recorded above
        wording=wording,
        accepted_at=accepted_at,
        now=now,
    )
    return first
