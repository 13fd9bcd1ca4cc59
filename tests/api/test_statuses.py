"""Every status the schema documents for an operation is one the operation really answers.

The test walks the OpenAPI schema: for each operation and each status it documents,
``EXAMPLES`` must hold a request that gets exactly that status. So a status documented
without a real example fails, an example for an undocumented status fails, and a new
operation fails until it has its examples.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import pytest
from django.utils import timezone

from needlepoint.memberships import services as membership_services
from needlepoint.scheduling.services import booking_cancel
from tests import factories
from tests.api.conftest import ALL_SCOPES, Api, api_for
from tests.api.test_roles import CALLS, call, operations
from tests.api.world import World, world

pytestmark = pytest.mark.django_db

NOBODY = str(uuid4())
"""An id no record has."""


@dataclass
class Example:
    """One request: whose token (``None``: no token), its scopes, and what it sends."""

    request: dict[str, Any]
    role: str | None = "owner"
    scopes: tuple[str, ...] = ALL_SCOPES
    raw_body: str | None = None
    over_the_rate: bool = False
    headers: dict[str, str] = field(default_factory=dict)


Make = Callable[[World, str], Example]


def ok(w: World, operation: str) -> Example:
    return Example(CALLS[operation](w))


def no_token(w: World, operation: str) -> Example:
    return Example(CALLS[operation](w), role=None)


def over_the_rate(w: World, operation: str) -> Example:
    return Example(CALLS[operation](w), over_the_rate=True)


def lacking(scope: str) -> Make:
    def make(w: World, operation: str) -> Example:
        others = tuple(s for s in ALL_SCOPES if s != scope)
        return Example(CALLS[operation](w), scopes=others)

    return make


def front_desk(w: World, operation: str) -> Example:
    return Example(CALLS[operation](w), role="front_desk")


def changed(part: str, **values: Any) -> Make:
    """The operation's usual request with some path, query or body values replaced."""

    def make(w: World, operation: str) -> Example:
        request = CALLS[operation](w)
        request[part] = {**request.get(part, {}), **values}
        return Example(request)

    return make


def without(name: str) -> Make:
    def make(w: World, operation: str) -> Example:
        request = CALLS[operation](w)
        request["body"] = {k: v for k, v in request["body"].items() if k != name}
        return Example(request)

    return make


def not_json(w: World, operation: str) -> Example:
    return Example(CALLS[operation](w), raw_body="{")


def usual(scope: str, success: int = 200) -> dict[int, Make]:
    """What every operation answers: success, no token, no scope, too many requests."""
    return {success: ok, 401: no_token, 403: lacking(scope), 429: over_the_rate}


def slot_taken(w: World, operation: str) -> Example:
    request = CALLS[operation](w)
    request["body"]["starts_at"] = w.booking.starts_at.isoformat()
    return Example(request)


def cancelled(w: World, operation: str) -> Example:
    request = CALLS[operation](w)
    booking = w.fresh_booking()
    booking_cancel(booking=booking)
    request["path"] = {"booking_id": booking.public_id}
    return Example(request)


def email_on_file(w: World, operation: str) -> Example:
    request = CALLS[operation](w)
    other = factories.client(w.clinic.organisation)
    request["body"] = {**request["body"], "email": other.email}
    return Example(request)


def signed_up_before(w: World, operation: str) -> Example:
    """A sign-up sent again after its answer was lost: its card was charged the first time
    (the charge itself: tests/memberships), so the membership is the answer."""
    request = CALLS[operation](w)
    client = w.fresh_client()
    membership_services.membership_record_start(
        client=client,
        plan=w.plan,
        stripe_id=f"pi_{client.pk}",
        by=None,
        key=f"api-{w.clinic.owner.pk}-again-{client.pk}",
        now=timezone.now(),
    )
    request["body"]["client"] = str(client.public_id)
    return Example(request, headers={"Idempotency-Key": f"again-{client.pk}"})


def membership_cancelled(w: World, operation: str) -> Example:
    request = CALLS[operation](w)
    membership = w.fresh_member()
    membership_services.membership_cancel(membership=membership, reason="Moving", by=None)
    request["path"] = {"membership_id": membership.public_id}
    return Example(request)


BAD_ID = "not-an-id"
NIGHT = "2027-03-02T03:00:00Z"

EXAMPLES: dict[str, dict[int, Make]] = {
    "list_locations": {**usual("read"), 422: changed("query", limit=0)},
    "list_services": {
        **usual("read"),
        404: changed("path", location_id=NOBODY),
        422: changed("path", location_id=BAD_ID),
    },
    "list_practitioners": {
        **usual("read"),
        404: changed("query", location=NOBODY),
        422: changed("query", location=BAD_ID),
    },
    "read_availability": {
        **usual("read"),
        400: changed("query", end="2027-03-01"),
        404: changed("query", service=NOBODY),
        422: changed("query", start="2 March"),
    },
    "list_bookings": {**usual("read"), 422: changed("query", status="lost")},
    "create_booking": {
        **usual("book", 201),
        400: changed("body", starts_at=NIGHT),
        404: changed("body", client=NOBODY),
        409: slot_taken,
        422: without("service"),
    },
    "read_booking": {
        **usual("read"),
        404: changed("path", booking_id=NOBODY),
        422: changed("path", booking_id=BAD_ID),
    },
    "reschedule_booking": {
        **usual("book"),
        400: changed("body", starts_at=NIGHT),
        404: changed("path", booking_id=NOBODY),
        409: cancelled,
        422: without("starts_at"),
    },
    "cancel_booking": {
        **usual("book"),
        400: not_json,
        404: changed("path", booking_id=NOBODY),
        409: cancelled,
        422: changed("body", reason=["not", "text"]),
    },
    "list_courses": {
        **usual("read"),
        404: changed("path", client_id=NOBODY),
        422: changed("path", client_id=BAD_ID),
    },
    "list_clients": {**usual("read"), 422: changed("query", q="x" * 101)},
    "create_client": {
        **usual("book", 201),
        400: changed("body", phone="12"),
        404: changed("body", home_location=NOBODY),
        409: email_on_file,
        422: without("last_name"),
    },
    "read_client": {
        **usual("read"),
        404: changed("path", client_id=NOBODY),
        422: changed("path", client_id=BAD_ID),
    },
    "update_client": {
        **usual("book"),
        400: changed("body", phone="12"),
        404: changed("path", client_id=NOBODY),
        409: email_on_file,
        422: changed("body", message_channel="pigeon"),
    },
    "read_questionnaire": usual("read"),
    "submit_questionnaire": {
        **usual("book", 201),
        400: changed("body", answers={}),
        404: changed("path", client_id=NOBODY),
        422: without("answered_on"),
    },
    "list_screenings": {
        **usual("read"),
        404: changed("path", client_id=NOBODY),
        422: changed("path", client_id=BAD_ID),
    },
    "list_signed_consents": {
        **usual("read"),
        404: changed("path", client_id=NOBODY),
        422: changed("path", client_id=BAD_ID),
    },
    "list_sessions": {
        **usual("chart"),
        404: changed("path", client_id=NOBODY),
        422: changed("path", client_id=BAD_ID),
    },
    "read_session": {
        **usual("chart"),
        404: changed("path", session_id=NOBODY),
        422: changed("path", session_id=BAD_ID),
    },
    "list_outcomes": {
        **usual("chart"),
        404: changed("path", client_id=NOBODY),
        422: changed("path", client_id=BAD_ID),
    },
    "list_invoices": {
        **usual("read"),
        400: changed("query", issued_from="2027-03-10", issued_to="2027-03-01"),
        422: changed("query", client=BAD_ID),
    },
    "read_invoice": {
        **usual("read"),
        404: changed("path", invoice_id=NOBODY),
        422: changed("path", invoice_id=BAD_ID),
    },
    "list_payments": {
        **usual("read"),
        400: changed("query", taken_from="2027-03-10", taken_to="2027-03-01"),
        404: changed("query", location=NOBODY),
        422: changed("query", location=BAD_ID),
    },
    "list_packages": {
        **usual("read"),
        404: changed("path", client_id=NOBODY),
        422: changed("path", client_id=BAD_ID),
    },
    "read_package": {
        **usual("read"),
        404: changed("path", package_id=NOBODY),
        422: changed("path", package_id=BAD_ID),
    },
    "sell_package": {
        **usual("book", 201),
        400: changed("body", currency="EUR"),
        404: changed("body", service=NOBODY),
        422: without("start_on"),
    },
    "transfer_package": {
        **usual("book"),
        400: changed("body", client_agreed=False),
        404: changed("path", package_id=NOBODY),
        422: without("to"),
    },
    "credit_package": {
        **usual("book"),
        400: changed("body", reason=" "),
        404: changed("path", package_id=NOBODY),
        422: changed("body", percent=101),
    },
    "refund_package": {
        **usual("book"),
        400: changed("body", reason=" "),
        404: changed("path", package_id=NOBODY),
        422: changed("body", percent=101),
    },
    "void_package": {
        **usual("book"),
        400: changed("body", reason=" "),
        404: changed("path", package_id=NOBODY),
        422: without("reason"),
    },
    "list_vouchers": {**usual("read"), 422: changed("query", status="lost")},
    "read_voucher": {
        **usual("read"),
        404: changed("path", voucher_id=NOBODY),
        422: changed("path", voucher_id=BAD_ID),
    },
    "find_voucher": {
        **usual("read"),
        400: not_json,
        404: changed("body", code="ABCD-EFGH-JKMN-PQRS"),
        422: changed("body", code="x" * 41),
    },
    "sell_voucher": {
        **usual("book", 201),
        400: changed("body", currency="EUR"),
        404: changed("body", buyer=NOBODY),
        422: without("amount_minor"),
    },
    "spend_voucher": {
        **usual("book", 201),
        400: changed("body", currency="EUR"),
        404: changed("body", invoice=NOBODY),
        422: without("code"),
    },
    "list_membership_plans": {**usual("read"), 422: changed("query", limit=0)},
    "list_memberships": {**usual("read"), 422: changed("query", client=BAD_ID)},
    "read_membership": {
        **usual("read"),
        404: changed("path", membership_id=NOBODY),
        422: changed("path", membership_id=BAD_ID),
    },
    "create_membership": {
        **usual("book", 201),
        201: signed_up_before,
        400: ok,  # the world's clients have no saved card
        404: changed("body", plan=NOBODY),
        422: without("plan"),
    },
    "cancel_membership": {
        **usual("book"),
        400: membership_cancelled,
        404: changed("path", membership_id=NOBODY),
        422: without("reason"),
    },
}


def documented() -> dict[str, set[int]]:
    """operationId → the statuses the schema documents for it."""
    schema = Api().http.get("/api/v1/openapi.json").json()
    return {
        details["operationId"]: {int(status) for status in details["responses"]}
        for item in schema["paths"].values()
        for details in item.values()
    }


def test_every_documented_status_has_an_example_and_every_example_is_documented():
    examples = {operation: set(by_status) for operation, by_status in EXAMPLES.items()}
    assert examples == documented()


def send(example: Example, apis: dict[tuple[str | None, tuple[str, ...]], Api], route: Any) -> Any:
    method, path = route
    key = (example.role, example.scopes)
    api = apis[key]
    if example.raw_body is None and not example.headers:
        return call(api, method, path, example.request)
    url = path.format(**example.request.get("path", {}))
    body = example.raw_body
    if body is None:
        body = json.dumps(example.request.get("body", {}))
    return getattr(api.http, method)(
        url, body, content_type="application/json", headers=api.headers() | example.headers
    )


def test_each_example_gets_exactly_its_status(clinic, offered, clock, settings):
    w = world(clinic, offered)
    routes = operations()
    apis: dict[tuple[str | None, tuple[str, ...]], Api] = {}
    wrong = []
    for operation, by_status in sorted(EXAMPLES.items()):
        for status, make in sorted(by_status.items()):
            example = make(w, operation)
            key = (example.role, example.scopes)
            if key not in apis:
                member = getattr(clinic, example.role) if example.role else None
                apis[key] = api_for(member, example.scopes) if member else Api()
            rates = settings.THROTTLE_RATES
            if example.over_the_rate:
                settings.THROTTLE_RATES = {**rates, "api": "0/minute"}
            answer = send(example, apis, routes[operation])
            settings.THROTTLE_RATES = rates
            body = json.loads(answer.content) if answer.content else None
            if answer.status_code != status:
                wrong.append(f"{operation} {status}: got {answer.status_code} {body}")
            elif status >= 400 and not {"code", "message"} <= set(body or {}):
                wrong.append(f"{operation} {status}: not the error body: {body}")
    assert wrong == []
