"""What the Stripe tests share: a no-show with a card on file, events signed as Stripe signs
them, a Stripe that can't be reached, and counting what localstripe charged."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import stripe
import time_machine
from django.test import Client as Browser
from django.urls import reverse

from needlepoint.payments import services
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_no_show
from tests import factories
from tests.payments.test_stripe import save_card

AT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # the visit; the fee is decided an hour later
DECIDED = AT + timedelta(hours=1)
SECRET = "whsec_needlepoint"  # the signing secret stripe_clinic seals
FEE = 3000


def no_show(clinic: factories.Clinic, server: str | None, *, fee: int = FEE) -> Booking:
    """A client who saved a card (when ``server`` is given) and didn't come: a fee to charge."""
    booking = factories.booked_treatment(clinic, AT)
    if server is not None:
        save_card(booking.client, server)
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = fee
    policy.save()
    booking_no_show(booking=booking, now=AT + timedelta(minutes=20))
    return booking


def unreachable() -> str:
    """The address of a port nothing listens on: every call is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def intents_for(server: str, customer: str) -> list[Any]:
    """Every PaymentIntent localstripe holds for ``customer`` (it lists all; we filter)."""
    sdk = stripe.StripeClient("sk_test_needlepoint", base_addresses={"api": server})
    every = sdk.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
    return [intent for intent in every if intent.customer == customer]


def event(kind: str, found: dict[str, Any], *, event_id: str = "") -> dict[str, Any]:
    """A Stripe event as Stripe posts it."""
    return {
        "id": event_id or f"evt_{uuid.uuid4().hex[:24]}",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(AT.timestamp()),
        "livemode": False,
        "type": kind,
        "data": {"object": found},
    }


def intent(intent_id: str, status: str = "succeeded", *, key: str = "", **more: Any) -> dict:
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": FEE,
        "currency": "gbp",
        "status": status,
        "metadata": {"needlepoint_key": key} if key else {},
        **more,
    }


def refund(refund_id: str, status: str = "succeeded", *, key: str = "") -> dict[str, Any]:
    return {
        "id": refund_id,
        "object": "refund",
        "amount": 1000,
        "currency": "gbp",
        "status": status,
        "metadata": {"needlepoint_key": key} if key else {},
    }


def signature(payload: bytes, *, secret: str = SECRET, at: datetime = AT) -> str:
    """``Stripe-Signature`` as Stripe makes it: ``t=<unix time>,v1=<hex HMAC-SHA256 of
    "<t>.<body>" keyed with the endpoint's secret>``."""
    timestamp = int(at.timestamp())
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + payload, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def post(
    content: dict[str, Any] | bytes,
    *,
    organisation: str = "test-skin",
    secret: str = SECRET,
    signed_at: datetime = AT,
    at: datetime = AT,
    header: str | None = None,
) -> Any:
    """Post to the organisation's Stripe endpoint as Stripe does (no session, no CSRF token)."""
    payload = content if isinstance(content, bytes) else json.dumps(content).encode()
    url = reverse("payments:stripe_webhook", kwargs={"organisation": organisation})
    browser = Browser(enforce_csrf_checks=True)
    with time_machine.travel(at, tick=False):
        return browser.post(
            url,
            payload,
            content_type="application/json",
            headers={
                "Stripe-Signature": signature(payload, secret=secret, at=signed_at)
                if header is None
                else header
            },
        )
