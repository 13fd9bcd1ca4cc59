"""Buying a voucher online: the card step as online booking has it (payments/online.py).
Stripe.js saves the card typed with our SetupIntent, we charge the voucher's value to it
while the buyer is on the page, and we ask Stripe how it went: the voucher is issued
only once Stripe says the payment succeeded (``online.card_step_outcome``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _

from needlepoint.clinics.models import Organisation
from needlepoint.core.errors import DomainError
from needlepoint.payments import gateway
from needlepoint.payments.online import CardStep
from needlepoint.payments.services import billing_for


def card_step_start(
    *, organisation: Organisation, email: str, name: str, customer: str, setup_intent: str, key: str
) -> CardStep:
    """The card form's SetupIntent: the one made already for this purchase, or a new one
    (with a Stripe customer for the buyer). ``key`` names the purchase in progress."""
    sdk = gateway.client_for(organisation)
    if sdk is None:
        raise DomainError("no_card_payments", _("This clinic does not sell vouchers online."))
    publishable = billing_for(organisation).stripe_publishable_key
    with stripe_errors():
        if setup_intent:
            setup = gateway.setup_intent(sdk, setup_intent)
            return CardStep(publishable, setup.customer, setup)
        if not customer:
            customer = gateway.customer_create(sdk, email=email, name=name, key=f"{key}-customer")
        setup = gateway.setup_intent_create(sdk, customer=customer, key=f"{key}-setup")
    return CardStep(publishable, customer, setup)


def sells_online(organisation: Organisation) -> bool:
    return gateway.client_for(organisation) is not None


@contextmanager
def stripe_errors() -> Iterator[None]:
    try:
        yield
    except gateway.GatewayRefused as error:
        raise DomainError("card_declined", str(error)) from error
    except gateway.GatewayUnknown as error:
        raise DomainError(
            "stripe_unreachable",
            _("We could not reach our card processor. Please try again in a moment."),
        ) from error
