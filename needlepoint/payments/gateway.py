"""Stripe, through its official SDK: the only module that talks to it.

Every call that moves money carries an idempotency key made from our own record, so a
retry (a double click, a worker run twice, a timeout tried again) never moves it twice.
A call that times out or loses its connection leaves the payment "unknown — check"; the
reconciliation (``payments_reconcile``) asks Stripe again with the same key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings

from needlepoint.clinics.models import Organisation
from needlepoint.payments.keys import unseal


class GatewayUnknown(Exception):
    """Stripe could not be reached or did not answer: the outcome is not known."""


class GatewayRefused(Exception):
    """Stripe answered no (a declined card, a refund larger than the charge)."""


@dataclass(frozen=True)
class Outcome:
    stripe_id: str
    succeeded: bool
    status: str


def client_for(organisation: Organisation) -> stripe.StripeClient | None:
    billing = getattr(organisation, "billing", None)
    secret = unseal(billing.stripe_secret_key) if billing is not None else ""
    if not secret:
        return None
    options: dict[str, Any] = {"max_network_retries": 0}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(secret, **options)


def _call(make: Any) -> Any:
    try:
        return make()
    except stripe.CardError as error:
        raise GatewayRefused(error.user_message or str(error)) from error
    except stripe.InvalidRequestError as error:
        raise GatewayRefused(error.user_message or str(error)) from error
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise GatewayUnknown(str(error)) from error
    except stripe.APIError as error:
        raise GatewayUnknown(str(error)) from error


def charge_saved_card(
    client: stripe.StripeClient,
    *,
    customer: str,
    payment_method: str,
    amount: int,
    currency: str,
    key: str,
    description: str,
) -> Outcome:
    intent = _call(
        lambda: client.v1.payment_intents.create(
            params={
                "amount": amount,
                "currency": currency.lower(),
                "customer": customer,
                "payment_method": payment_method,
                "off_session": True,
                "confirm": True,
                "metadata": {"needlepoint_key": key, "for": description},
            },
            options={"idempotency_key": key},
        )
    )
    return Outcome(intent.id, intent.status == "succeeded", intent.status)


def refund(client: stripe.StripeClient, *, payment_intent: str, amount: int, key: str) -> Outcome:
    made = _call(
        lambda: client.v1.refunds.create(
            params={"payment_intent": payment_intent, "amount": amount},
            options={"idempotency_key": key},
        )
    )
    return Outcome(made.id, made.status == "succeeded", made.status)


def payment_intent(client: stripe.StripeClient, intent_id: str) -> Outcome:
    intent = _call(lambda: client.v1.payment_intents.retrieve(intent_id))
    return Outcome(intent.id, intent.status == "succeeded", intent.status)
