"""Stripe's side of the wire: the webhook endpoint each organisation registers with Stripe.

Public (Stripe signs, it doesn't sign in) and exempt from CSRF: the ``Stripe-Signature``
over the exact body, with the organisation's signing secret, is the key. Nothing is
stored unless that checks out; a verified event is stored once and the worker processes
it (stripe_events.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from needlepoint.core.errors import DomainError
from needlepoint.payments.stripe_events import stripe_event_receive

LARGEST_EVENT = 256 * 1024  # bytes; Stripe's events are a few kilobytes


@csrf_exempt  # Stripe posts without our form; its signature is the key
@require_POST
def stripe_webhook(request: HttpRequest, organisation: str) -> HttpResponse:
    payload = request.read(LARGEST_EVENT + 1)
    if len(payload) > LARGEST_EVENT:
        return JsonResponse({"error": "too_large"}, status=413)
    try:
        event = stripe_event_receive(
            organisation_slug=organisation,
            payload=payload,
            signature=request.headers.get("Stripe-Signature", ""),
        )
    except DomainError as error:
        return JsonResponse({"error": error.code}, status=400)
    return JsonResponse({"received": event.event_id})
