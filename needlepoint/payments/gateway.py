"""Stripe, through its official SDK: the only module that talks to it.

Every call that moves money carries an idempotency key made from our own record, so a
retry (a double click, a worker run twice, a timeout tried again) never moves it twice.
A call that times out (``STRIPE_TIMEOUT_SECONDS``) or loses its connection leaves the
payment "unknown — check"; the SDK never retries by itself: the worker (``send_due``)
asks Stripe again with the same key, and Stripe's webhooks (verified here too) settle it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import stripe
from django.conf import settings

from needlepoint.clinics.models import Organisation
from needlepoint.payments.keys import unseal

StripeClient = stripe.StripeClient  # for the type of what ``client_for`` gives


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
    options: dict[str, Any] = {
        "max_network_retries": 0,  # we try again ourselves, with the same key
        "http_client": _http(settings.STRIPE_TIMEOUT_SECONDS),
    }
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(secret, **options)


@cache
def _http(timeout: float) -> stripe.HTTPClient:
    """One HTTP client per timeout (it keeps a session per thread), waiting at most
    ``timeout`` seconds to connect and as long for each answer."""
    return stripe.RequestsClient(timeout=timeout)


def _call(make: Any) -> Any:
    try:
        return make()
    except (stripe.CardError, stripe.InvalidRequestError) as error:
        raise GatewayRefused(error.user_message or str(error)) from error
    except stripe.StripeError as error:  # no connection, a timeout, a key in use, Stripe down
        raise GatewayUnknown(str(error) or type(error).__name__) from error


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
            params={
                "payment_intent": payment_intent,
                "amount": amount,
                "metadata": {"needlepoint_key": key},
            },
            options={"idempotency_key": key},
        )
    )
    return Outcome(made.id, made.status == "succeeded", made.status)


def payment_intent(client: stripe.StripeClient, intent_id: str) -> Outcome:
    intent = _call(lambda: client.v1.payment_intents.retrieve(intent_id))
    return Outcome(intent.id, intent.status == "succeeded", intent.status)


def refund_status(client: stripe.StripeClient, refund_id: str) -> Outcome:
    made = _call(lambda: client.v1.refunds.retrieve(refund_id))
    return Outcome(made.id, made.status == "succeeded", made.status)


def verified_event(payload: bytes, signature: str, secret: str) -> dict[str, Any]:
    """The event Stripe posted, once its ``Stripe-Signature`` (an HMAC of the exact bytes
    with the endpoint's signing secret, at most five minutes old) is checked by the SDK.
    Raises ``GatewayRefused`` for a bad or missing signature or a body that isn't an event."""
    if not secret:
        raise GatewayRefused("No webhook signing secret is set.")
    try:  # the check construct_event makes, without building the SDK's event object
        stripe.WebhookSignature.verify_header(
            payload, signature, secret, tolerance=stripe.Webhook.DEFAULT_TOLERANCE
        )
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise GatewayRefused(str(error)) from error
    if not (isinstance(event, dict) and isinstance(event.get("id"), str)):
        raise GatewayRefused("Not a Stripe event.")
    return event
