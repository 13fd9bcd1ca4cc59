"""Money when a client books online: what the confirm step asks of them, the card step
with Stripe, and what is kept with the booking (the deposit, the card saved for fees and
the policy accepted, word for word).

The card step runs only when the organisation has Stripe keys. Without them nothing is
charged or saved: the client books as before, and only the policy (if it has fees or its
own wording) is accepted and kept.

The card itself goes from the client's browser to Stripe (Stripe.js): we make a
SetupIntent, Stripe.js confirms it with the card typed, and then we charge the deposit to
that card while the client is still on the page. Whatever the browser says, what is
recorded is what Stripe answers when asked (``card_step_outcome``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, format_money
from needlepoint.payments import gateway
from needlepoint.payments.billing import cancellation_wording
from needlepoint.payments.choices import DepositKind, Method, PaymentKind, PaymentStatus, Purpose
from needlepoint.payments.models import Invoice, Payment, PolicyAcceptance, SavedCard
from needlepoint.payments.services import (
    balance,
    billing_for,
    deposit_due,
    policy_has_terms,
    refund_make,
    refundable,
)
from needlepoint.scheduling.models import Booking, Service
from needlepoint.webhooks import events as webhooks

CHARGED_NOW = (DepositKind.FIXED, DepositKind.PERCENT, DepositKind.FULL)


@dataclass(frozen=True)
class Terms:
    """What booking a service online asks of the client, as the confirm step shows it."""

    price: Money
    kind: str
    pay_now: Money  # nothing when nothing is charged now
    takes_card: bool  # a card step follows: a deposit to pay, or a card to leave for fees
    wording: str  # the cancellation policy
    to_accept: bool  # the client ticks that they accept it

    @property
    def card_only(self) -> bool:
        return self.takes_card and not self.pay_now.minor


def terms_for(service: Service) -> Terms:
    location = service.location
    currency = location.organisation.currency
    kind, deposit = deposit_due(service)
    charges = kind in CHARGED_NOW and deposit.minor > 0
    # No Stripe keys: no card step. The client books as before and nothing is charged.
    stripe_ready = gateway.client_for(location.organisation) is not None
    takes_card = stripe_ready and (charges or kind == DepositKind.CARD)
    return Terms(
        price=Money(service.price_minor, currency),
        kind=kind,
        pay_now=deposit if takes_card and charges else Money(0, currency),
        takes_card=takes_card,
        wording=cancellation_wording(location),
        to_accept=takes_card or policy_has_terms(location),
    )


# ---- the card step: Stripe ------------------------------------------------------------


@dataclass(frozen=True)
class CardStep:
    """What the card form needs: the organisation's publishable key and the SetupIntent
    its Stripe.js confirms with the card typed."""

    publishable_key: str
    customer: str
    setup: gateway.Intent


def card_step_start(
    *, client: Client, customer: str, setup_intent: str, key: str, attempt: int = 0
) -> CardStep:
    """The card form's SetupIntent for a client: their saved card's Stripe customer, else
    one made now. ``key`` names the booking in progress, ``attempt`` the card tried (a
    refused card is followed by a new SetupIntent)."""
    saved = SavedCard.objects.filter(client=client).first()
    return buyer_card_step(
        organisation=client.organisation,
        email=client.email,
        name=f"{client.first_name} {client.last_name}",
        customer=customer or (saved.stripe_customer if saved else ""),
        setup_intent=setup_intent,
        key=key,
        attempt=attempt,
    )


def buyer_card_step(
    *,
    organisation: Organisation,
    email: str,
    name: str,
    customer: str,
    setup_intent: str,
    key: str,
    attempt: int = 0,
) -> CardStep:
    """The card form's SetupIntent for anyone paying online (a voucher's buyer need not be
    a client yet): the one already made for this purchase, or a new one, with a Stripe
    customer made for the buyer when they have none."""
    sdk = _stripe(organisation)
    publishable = billing_for(organisation).stripe_publishable_key
    with stripe_errors():
        if setup_intent:
            setup = gateway.setup_intent(sdk, setup_intent)
            return CardStep(publishable, setup.customer, setup)
        if not customer:
            customer = gateway.customer_create(sdk, email=email, name=name, key=f"{key}-customer")
        setup = gateway.setup_intent_create(sdk, customer=customer, key=f"{key}-setup-{attempt}")
    return CardStep(publishable, customer, setup)


def sells_online(organisation: Organisation) -> bool:
    """Whether the clinic takes card payments online (its Stripe keys are set)."""
    return gateway.client_for(organisation) is not None


def deposit_charge(
    *, organisation: Organisation, setup_intent: str, amount: Money, key: str
) -> gateway.Intent:
    """Charge the deposit to the card just saved by ``setup_intent``. The answer may be
    ``requires_action`` (the bank asks the client to confirm, in Stripe.js); a declined
    card raises ``card_declined`` with Stripe's words."""
    sdk = _stripe(organisation)
    with stripe_errors():
        setup = gateway.setup_intent(sdk, setup_intent)
        if not setup.succeeded:
            raise DomainError("card_missing", _("Please enter your card details."))
        return gateway.deposit_intent_create(
            sdk,
            customer=setup.customer,
            payment_method=setup.payment_method,
            amount=amount.minor,
            currency=amount.currency,
            key=f"{key}-{setup.stripe_id}",
        )


def deposit_intent(*, organisation: Organisation, payment_intent: str) -> gateway.Intent:
    with stripe_errors():
        return gateway.payment_intent_details(_stripe(organisation), payment_intent)


@dataclass(frozen=True)
class Paid:
    """What Stripe confirms of the card step: the card saved and the deposit paid."""

    customer: str
    payment_method: str
    brand: str
    last4: str
    deposit: gateway.Intent | None = None

    @property
    def deposit_key(self) -> str:
        return f"online-deposit-{self.deposit.stripe_id}" if self.deposit else ""


def card_step_outcome(
    *, organisation: Organisation, setup_intent: str, payment_intent: str = ""
) -> Paid:
    """Ask Stripe how the card step went; anything short of done refuses the booking."""
    sdk = _stripe(organisation)
    with stripe_errors():
        setup = gateway.setup_intent(sdk, setup_intent)
        if not setup.succeeded:
            raise DomainError("card_missing", _("Please enter your card details."))
        deposit = gateway.payment_intent_details(sdk, payment_intent) if payment_intent else None
        brand, last4 = gateway.card_details(sdk, setup.payment_method)
    if deposit is not None and not (deposit.succeeded and deposit.customer == setup.customer):
        raise DomainError(
            "deposit_unpaid",
            deposit.error or _("Your deposit has not been paid. Please try again."),
        )
    return Paid(setup.customer, setup.payment_method, brand, last4, deposit)


def _stripe(organisation: Organisation) -> gateway.StripeClient:
    sdk = gateway.client_for(organisation)
    if sdk is None:
        raise DomainError("no_card_payments", _("This clinic does not take card payments online."))
    return sdk


@contextmanager
def stripe_errors() -> Iterator[None]:
    """Stripe's refusal in its own words for the client; an unreachable Stripe as a retry."""
    try:
        yield
    except gateway.GatewayRefused as error:
        raise DomainError("card_declined", str(error)) from error
    except gateway.GatewayUnknown as error:
        raise DomainError(
            "stripe_unreachable",
            _("We could not reach our card processor. Please try again in a moment."),
        ) from error


# ---- what is kept with the booking --------------------------------------------------------


def booking_paid_by(organisation: Organisation, paid: Paid | None) -> Booking | None:
    """The booking this deposit already paid for: a confirm sent twice books once."""
    if paid is None or paid.deposit is None:
        return None
    payment = Payment.objects.filter(
        organisation=organisation, idempotency_key=paid.deposit_key
    ).first()
    return payment.booking if payment is not None else None


@transaction.atomic
def online_money_record(
    *,
    booking: Booking,
    paid: Paid | None,
    wording: str,
    accepted_at: datetime | None,
    now: datetime | None = None,
) -> None:
    """The deposit paid, the card saved for fees and the policy accepted, with the booking
    they were for (call in the booking's own transaction)."""
    now = now or timezone.now()
    currency = booking.location.organisation.currency
    deposit = _deposit_record(booking.location, booking.client, paid, now, booking=booking)
    if paid is not None:
        _card_keep(booking.client, paid, now)
    if wording:
        PolicyAcceptance.objects.create(
            booking=booking,
            wording=wording,
            deposit_minor=deposit.amount_minor if deposit else 0,
            currency=deposit.currency if deposit else currency,
            card_saved=paid is not None,
            accepted_at=accepted_at or now,
        )
        _audit(
            Action.CREATED,
            Target.BOOKING,
            booking.public_id,
            booking.client,
            what="policy_accepted",
            deposit=deposit.amount_minor if deposit else 0,
            card_saved=paid is not None,
        )


def _deposit_record(
    location: Location, client: Client, paid: Paid | None, now: datetime, *, booking: Booking | None
) -> Payment | None:
    if paid is None or paid.deposit is None:
        return None
    done = Payment.objects.filter(
        organisation_id=location.organisation_id, idempotency_key=paid.deposit_key
    ).first()
    if done is not None:
        return done
    intent = paid.deposit
    payment = Payment.objects.create(
        organisation=location.organisation,
        location=location,
        client=client,
        booking=booking,
        purpose=Purpose.DEPOSIT,
        method=Method.CARD_ONLINE,
        amount_minor=intent.amount,
        currency=intent.currency,
        status=PaymentStatus.SUCCEEDED,
        idempotency_key=paid.deposit_key,
        stripe_id=intent.stripe_id,
        note=_("Deposit paid online"),
        taken_at=now,
    )
    webhooks.payment_event(payment)
    _audit(
        Action.CREATED,
        Target.PAYMENT,
        payment.public_id,
        client,
        what="payment",
        method=Method.CARD_ONLINE,
        amount=payment.amount_minor,
        purpose=Purpose.DEPOSIT,
    )
    return payment


def paid_online(organisation: Organisation, payment_intent: str) -> Payment | None:
    """The payment recorded against an invoice for this PaymentIntent, if it was."""
    key = _online_key(payment_intent)
    return Payment.objects.filter(organisation=organisation, idempotency_key=key).first()


def _online_key(payment_intent: str) -> str:
    return f"online-{payment_intent}"


@transaction.atomic
def invoice_paid_online(
    *,
    invoice: Invoice,
    intent: gateway.Intent,
    purpose: str,
    note: str,
    now: datetime | None = None,
) -> Payment:
    """A card payment Stripe confirmed (``intent``, asked of Stripe, never the browser's
    word) recorded against an issued invoice, once: the same intent twice returns the
    first payment."""
    done = paid_online(invoice.organisation, intent.stripe_id)
    if done is not None:
        return done
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if not invoice.is_issued:
        raise DomainError("invoice_draft", _("Issue the invoice before taking payment."))
    if not intent.succeeded:
        raise DomainError(
            "card_unpaid", intent.error or _("The card payment has not gone through.")
        )
    if intent.currency != invoice.currency or not 0 < intent.amount <= balance(invoice):
        raise DomainError("amount_mismatch", _("The card payment doesn't match the invoice."))
    return card_paid_record(
        invoice=invoice,
        amount=Money(intent.amount, intent.currency),
        stripe_id=intent.stripe_id,
        purpose=purpose,
        key=_online_key(intent.stripe_id),
        note=note,
        now=now or timezone.now(),
    )


def _card_keep(client: Client, paid: Paid, now: datetime) -> SavedCard:
    """The card the client left for fees: the newest replaces the one before."""
    card, _created = SavedCard.objects.update_or_create(
        client=client,
        defaults={
            "stripe_customer": paid.customer,
            "stripe_payment_method": paid.payment_method,
            "brand": paid.brand[:20],
            "last4": paid.last4[:4],
            "saved_at": now,
        },
    )
    _audit(
        Action.CHANGED, Target.CLIENT, client.public_id, client, what="card_saved", last4=card.last4
    )
    return card


@transaction.atomic
def unbooked_deposit_refund(
    *, location: Location, client: Client, paid: Paid, reason: str, now: datetime | None = None
) -> Payment | None:
    """A deposit paid for a visit that could not be booked: recorded, and refunded whole to
    the card (pending until ``payment_send``). Nothing when it paid for a booking after all."""
    now = now or timezone.now()
    payment = _deposit_record(location, client, paid, now, booking=None)
    if payment is None or payment.booking_id is not None or refundable(payment) <= 0:
        return None
    return refund_make(
        payment=payment,
        amount_minor=refundable(payment),
        to_credit=False,
        reason=reason,
        by=None,
        key=f"{paid.deposit_key}-unbooked",
        now=now,
    )


def _audit(action: str, target: str, target_id: object, client: Client, **detail: object) -> None:
    audit.record(Action(action), Target(target), target_id, client=client, detail=dict(detail))


def refund_notice(paid: Paid | None) -> str:
    """What a client whose visit could not be booked is told about their deposit."""
    if paid is None or paid.deposit is None:
        return ""
    amount = Money(paid.deposit.amount, paid.deposit.currency)
    return _("Your deposit of %(amount)s is being refunded to your card.") % {
        "amount": format_money(amount)
    }


@dataclass(frozen=True)
class BookingMoney:
    """What the client's own booking page says about money: the deposit still held for
    the visit, the card kept for fees and the policy they accepted."""

    deposit_held: Money | None
    card: SavedCard | None
    acceptance: PolicyAcceptance | None


def booking_money(booking: Booking) -> BookingMoney:
    acceptance = PolicyAcceptance.objects.filter(booking=booking).first()
    deposits = Payment.objects.filter(
        booking=booking,
        purpose=Purpose.DEPOSIT,
        kind=PaymentKind.PAYMENT,
        status=PaymentStatus.SUCCEEDED,
    )
    held = sum(refundable(deposit) for deposit in deposits)
    card = SavedCard.objects.filter(client_id=booking.client_id).first()
    return BookingMoney(
        deposit_held=Money(held, booking.location.organisation.currency) if held else None,
        card=card if acceptance is not None and acceptance.card_saved else None,
        acceptance=acceptance,
    )


# ---- a card paid while the client waits: for the apps above (memberships) -------------------


def saved_card_charge(*, client: Client, amount: Money, key: str, description: str) -> str:
    """Charge the client's saved card now, while staff wait (signing up at the desk); the
    PaymentIntent's id when it went through. A refused card, a missing card or an
    unreachable Stripe raise a ``DomainError``; ``key`` makes a retry charge once."""
    card = SavedCard.objects.filter(client=client).first()
    if card is None:
        raise DomainError(
            "no_saved_card",
            _("The client has no saved card: they must add one online first."),
        )
    sdk = _stripe(client.organisation)
    with stripe_errors():
        outcome = gateway.charge_saved_card(
            sdk,
            customer=card.stripe_customer,
            payment_method=card.stripe_payment_method,
            amount=amount.minor,
            currency=amount.currency,
            key=key,
            description=description,
        )
    if not outcome.succeeded:
        raise DomainError(
            "card_not_charged",
            _("The card was not charged (%(status)s): the client must confirm it online.")
            % {"status": outcome.status},
        )
    return outcome.stripe_id


def card_paid_record(
    *,
    invoice: Invoice,
    amount: Money,
    stripe_id: str,
    purpose: str,
    key: str,
    note: str,
    now: datetime,
) -> Payment:
    """A card payment Stripe has confirmed (``saved_card_charge``, or the client's own
    PaymentIntent checked with ``card_step_outcome``), recorded on its issued invoice once:
    the same ``key`` again gives back the first record. Call it inside the transaction
    that records what was paid for."""
    done = Payment.objects.filter(
        organisation_id=invoice.organisation_id, idempotency_key=key
    ).first()
    if done is not None:
        return done
    payment = Payment.objects.create(
        organisation=invoice.organisation,
        location=invoice.location,
        client=invoice.client,
        invoice=invoice,
        purpose=purpose,
        method=Method.CARD_ONLINE,
        amount_minor=amount.minor,
        currency=amount.currency,
        status=PaymentStatus.SUCCEEDED,
        idempotency_key=key,
        stripe_id=stripe_id,
        note=note[:300],
        taken_at=now,
    )
    webhooks.payment_event(payment)
    _audit(
        Action.CREATED,
        Target.PAYMENT,
        payment.public_id,
        invoice.client,
        what="payment",
        method=Method.CARD_ONLINE,
        amount=amount.minor,
        purpose=purpose,
    )
    return payment


def card_keep(*, client: Client, paid: Paid, now: datetime) -> SavedCard:
    """Keep the card the client just saved online (``card_step_outcome``) for later charges."""
    return _card_keep(client, paid, now)
