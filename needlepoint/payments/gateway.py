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
from urllib.parse import urlsplit

import stripe
from django.conf import settings

from needlepoint.clinics.models import Organisation
from needlepoint.payments.keys import unseal

StripeClient = stripe.StripeClient  # for the type of what ``client_for`` gives


STRIPE_JS = "https://js.stripe.com"  # the origins of Stripe's own script and API
STRIPE_API = "https://api.stripe.com"


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


def settled_amount(client: stripe.StripeClient, stripe_id: str) -> int:
    """What Stripe says moved for one of our card payments (a PaymentIntent) or refunds:
    its amount once it succeeded, else nothing."""
    if stripe_id.startswith("re_"):
        made = _call(lambda: client.v1.refunds.retrieve(stripe_id))
    else:
        made = _call(lambda: client.v1.payment_intents.retrieve(stripe_id))
    return int(made.amount) if made.status == "succeeded" else 0


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


# ---- online booking: the card step ------------------------------------------------------
# The client types their card into Stripe's own field (Stripe.js): the number goes from
# their browser to Stripe, never to us. We make the intents and then ask Stripe how they
# went; what the browser says is never taken as proof.


@dataclass(frozen=True)
class Intent:
    """A SetupIntent or PaymentIntent as Stripe reports it."""

    stripe_id: str
    status: str
    client_secret: str
    customer: str
    payment_method: str
    amount: int = 0
    currency: str = ""
    error: str = ""  # why the last attempt failed, in Stripe's words for the client

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


def _intent(made: Any) -> Intent:
    failure = _field(made, "last_payment_error") or _field(made, "last_setup_error")
    return Intent(
        stripe_id=made.id,
        status=made.status,
        client_secret=made.client_secret or "",
        customer=_id_of(made.customer),
        payment_method=_id_of(made.payment_method),
        amount=int(_field(made, "amount") or 0),
        currency=str(_field(made, "currency") or "").upper(),
        error=str(_field(failure, "message") or "") if failure else "",
    )


def _field(made: Any, name: str) -> Any:
    """A field Stripe may leave out (localstripe leaves out more than Stripe does)."""
    return made.to_dict().get(name) if hasattr(made, "to_dict") else made.get(name)


def _id_of(field: Any) -> str:
    """An expandable field's id, whether Stripe sent the id or the object."""
    if field is None:
        return ""
    return str(field if isinstance(field, str) else field.id)


def customer_create(client: stripe.StripeClient, *, email: str, name: str, key: str) -> str:
    made = _call(
        lambda: client.v1.customers.create(
            params={"email": email, "name": name}, options={"idempotency_key": key}
        )
    )
    return str(made.id)


def setup_intent_create(client: stripe.StripeClient, *, customer: str, key: str) -> Intent:
    """A card to keep for fees, charged later without the client there (``off_session``)."""
    made = _call(
        lambda: client.v1.setup_intents.create(
            params={
                "customer": customer,
                "usage": "off_session",
                "metadata": {"needlepoint_key": key},
            },
            options={"idempotency_key": key},
        )
    )
    return _intent(made)


def setup_intent(client: stripe.StripeClient, intent_id: str) -> Intent:
    return _intent(_call(lambda: client.v1.setup_intents.retrieve(intent_id)))


def deposit_intent_create(
    client: stripe.StripeClient,
    *,
    customer: str,
    payment_method: str,
    amount: int,
    currency: str,
    key: str,
) -> Intent:
    """Charge the deposit to the card the client has just saved, while they are on the page:
    Stripe may answer ``requires_action`` (their bank wants them to confirm), which the
    page then hands to Stripe.js. localstripe refuses ``setup_future_usage``; the card is
    kept for later through its SetupIntent instead."""
    made = _call(
        lambda: client.v1.payment_intents.create(
            params={
                "amount": amount,
                "currency": currency.lower(),
                "customer": customer,
                "payment_method": payment_method,
                # cards only, so confirming here needs no return_url for redirecting methods.
                # This SDK's API version calls it allowed_payment_method_types, which
                # localstripe refuses: check against Stripe's test mode when upgrading.
                "payment_method_types": ["card"],  # type: ignore[typeddict-unknown-key]
                "confirm": True,
                "metadata": {"needlepoint_key": key},
            },
            options={"idempotency_key": key},
        )
    )
    return _intent(made)


def payment_intent_details(client: stripe.StripeClient, intent_id: str) -> Intent:
    return _intent(_call(lambda: client.v1.payment_intents.retrieve(intent_id)))


def card_details(client: stripe.StripeClient, payment_method: str) -> tuple[str, str]:
    """The card's brand and last four digits, to tell the client which card we keep."""
    method = _call(lambda: client.v1.payment_methods.retrieve(payment_method))
    card = _field(method, "card") or {}
    return str(card.get("brand") or ""), str(card.get("last4") or "")


def card_page_csp() -> dict[str, list[str]]:
    """What the card page adds to the Content Security Policy, and no other page: Stripe.js
    from ``STRIPE_JS_URL``, its frames, and the API it calls (``STRIPE_API_BASE`` when set:
    localstripe in the tests, whose fake Stripe.js calls it from the page)."""
    script = _origin(settings.STRIPE_JS_URL)
    api = _origin(settings.STRIPE_API_BASE or STRIPE_API)
    frames = [script]
    if script == STRIPE_JS:  # Stripe's own script opens its card field and 3-D Secure in frames
        frames += ["https://*.js.stripe.com", "https://hooks.stripe.com"]
    return {"script-src": [script], "frame-src": frames, "connect-src": [api]}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
