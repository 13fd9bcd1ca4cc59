"""Every operation of the API, with each role's token and with none, answers as expected.

The operations come from the OpenAPI schema, so a new operation without a line in
``CALLS`` and ``SUCCESS`` fails ``test_every_operation_has_an_expectation``. Tokens here
have every scope: what differs is the role (charts are for clinical roles only, as on
the pages; invoices and payments for owners and managers, as the Money report) and
having a token at all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from needlepoint.clinics.choices import Role
from needlepoint.core.money import Money
from needlepoint.payments.choices import Method
from needlepoint.vouchers.models import GiftVoucher
from needlepoint.vouchers.services import voucher_sell
from tests.api.conftest import Api, api_for
from tests.api.world import World, world

pytestmark = pytest.mark.django_db

Request = dict[str, Any]
"""``path`` parameters, ``query`` and ``body`` of one call."""


def _client(w: World) -> Request:
    return {"path": {"client_id": w.client.public_id}}


def _new_booking(w: World) -> Request:
    client = w.fresh_client()
    return {
        "body": {
            "client": str(client.public_id),
            "service": str(w.service.public_id),
            "starts_at": next(w.starts).isoformat(),
        }
    }


def _reschedule(w: World) -> Request:
    booking = w.fresh_booking()
    return {
        "path": {"booking_id": booking.public_id},
        "body": {"starts_at": next(w.starts).isoformat()},
    }


def _voucher(w: World) -> GiftVoucher:
    """The world's voucher: sold once, with enough on it for every role's spend."""
    found = GiftVoucher.objects.filter(buyer=w.client).first()
    return found or voucher_sell(
        location=w.clinic.location,
        buyer=w.client,
        amount=Money(10000, "GBP"),
        method=Method.CASH,
        recipient_name="",
        message="",
        by=None,
        key="api-world-voucher",
    )


def _new_client(w: World) -> Request:
    return {"body": {"first_name": "Nia", "last_name": "New", "date_of_birth": "1990-01-01"}}


CALLS: dict[str, Callable[[World], Request]] = {
    "list_locations": lambda w: {},
    "list_services": lambda w: {"path": {"location_id": w.clinic.location.public_id}},
    "list_practitioners": lambda w: {"query": {"location": w.clinic.location.public_id}},
    "read_availability": lambda w: {
        "query": {"service": w.service.public_id, "start": "2027-03-02", "end": "2027-03-03"}
    },
    "list_bookings": lambda w: {"query": {"starts_after": "2027-03-01T00:00:00Z"}},
    "create_booking": _new_booking,
    "read_booking": lambda w: {"path": {"booking_id": w.booking.public_id}},
    "reschedule_booking": _reschedule,
    "cancel_booking": lambda w: {"path": {"booking_id": w.fresh_booking().public_id}, "body": {}},
    "list_courses": _client,
    "list_clients": lambda w: {"query": {"q": "Alex"}},
    "create_client": _new_client,
    "read_client": _client,
    "update_client": lambda w: {**_client(w), "body": {"phone": "+447400123457"}},
    "read_questionnaire": lambda w: {},
    "submit_questionnaire": lambda w: {
        **_client(w),
        "body": {"answered_on": "2027-03-01", "answers": w.answers()},
    },
    "list_screenings": _client,
    "list_signed_consents": _client,
    "list_sessions": _client,
    "read_session": lambda w: {"path": {"session_id": w.session.public_id}},
    "list_outcomes": _client,
    "list_invoices": lambda w: {"query": {"client": w.client.public_id}},
    "read_invoice": lambda w: {"path": {"invoice_id": w.invoice.public_id}},
    "list_payments": lambda w: {"query": {"location": w.clinic.location.public_id}},
    "list_packages": _client,
    "read_package": lambda w: {"path": {"package_id": w.fresh_package().public_id}},
    "sell_package": lambda w: {
        "path": {"client_id": w.fresh_client().public_id},
        "body": {
            "service": str(w.service.public_id),
            "sessions": 1,
            "price_minor": 18000,
            "valid_days": 90,
            "start_on": "2027-07-01",
            "method": "cash",
        },
    },
    "transfer_package": lambda w: {
        "path": {"package_id": w.fresh_package().public_id},
        "body": {"to": str(w.fresh_client().public_id), "client_agreed": True},
    },
    "credit_package": lambda w: {
        "path": {"package_id": w.fresh_package().public_id},
        "body": {"percent": 100, "reason": "Moving away"},
    },
    "refund_package": lambda w: {
        "path": {"package_id": w.fresh_package().public_id},
        "body": {"percent": 50, "reason": "Changed mind"},
    },
    "void_package": lambda w: {
        "path": {"package_id": w.fresh_package().public_id},
        "body": {"reason": "Sold in error"},
    },
    "list_vouchers": lambda w: {},
    "read_voucher": lambda w: {"path": {"voucher_id": _voucher(w).public_id}},
    "find_voucher": lambda w: {"body": {"code": _voucher(w).code}},
    "sell_voucher": lambda w: {
        "body": {
            "buyer": str(w.client.public_id),
            "location": str(w.clinic.location.public_id),
            "amount_minor": 5000,
            "currency": "GBP",
            "method": "cash",
        }
    },
    "spend_voucher": lambda w: {
        "body": {
            "code": _voucher(w).code,
            "invoice": str(w.invoice.public_id),
            "amount_minor": 1,
            "currency": "GBP",
        }
    },
    "list_membership_plans": lambda w: {},
    "list_memberships": lambda w: {"query": {"client": w.fresh_member().client.public_id}},
    "read_membership": lambda w: {"path": {"membership_id": w.fresh_member().public_id}},
    # no saved card in this world: the refusal (400) shows the role got through
    "create_membership": lambda w: {
        "body": {"client": str(w.fresh_client().public_id), "plan": str(w.plan.public_id)}
    },
    "cancel_membership": lambda w: {
        "path": {"membership_id": w.fresh_member().public_id},
        "body": {"reason": "Moving away"},
    },
}
SUCCESS = {
    "create_booking": 201,
    "create_client": 201,
    "submit_questionnaire": 201,
    "sell_package": 201,
    "sell_voucher": 201,
    "spend_voucher": 201,
    "create_membership": 400,
}
CLINICAL_ONLY = {"list_sessions", "read_session", "list_outcomes"}
MANAGERS_ONLY = {
    "list_invoices",
    "read_invoice",
    "list_payments",
    "transfer_package",
    "credit_package",
    "refund_package",
    "void_package",
    "list_membership_plans",
    "list_memberships",
    "read_membership",
    "create_membership",
    "cancel_membership",
}
"""Money, ending packages and memberships, as on the pages: owners and managers."""
NOT_TRAINEES = {
    "list_packages",
    "read_package",
    "sell_package",
    "list_vouchers",
    "read_voucher",
    "find_voucher",
    "sell_voucher",
    "spend_voucher",
}
"""Course packages and gift vouchers, as on the pages: every role that takes payments."""
ROLES = (Role.OWNER, Role.MANAGER, Role.PRACTITIONER, Role.FRONT_DESK, Role.TRAINEE, None)


def expected(operation: str, role: str | None) -> int:
    if role is None:
        return 401
    if operation in CLINICAL_ONLY and role == Role.FRONT_DESK:
        return 403
    if operation in MANAGERS_ONLY and role not in (Role.OWNER, Role.MANAGER):
        return 403
    if operation in NOT_TRAINEES and role == Role.TRAINEE:
        return 403
    return SUCCESS.get(operation, 200)


def operations() -> dict[str, tuple[str, str]]:
    """operationId → (method, path) of everything the schema offers."""
    schema = Api().http.get("/api/v1/openapi.json").json()
    return {
        details["operationId"]: (method, path)
        for path, item in schema["paths"].items()
        for method, details in item.items()
    }


def test_every_operation_has_an_expectation():
    assert set(operations()) == set(CALLS)


def call(api: Api, method: str, path: str, request: Request) -> Any:
    path = path.removeprefix("/api/v1").format(**request.get("path", {}))
    if method == "get":
        return api.get(path, **request.get("query", {}))
    return api.send(method, path, request.get("body", {}))


def test_each_role_gets_what_the_table_says_from_every_operation(clinic, offered, clock):
    w = world(clinic, offered)
    apis = {role: api_for(getattr(clinic, role)) if role is not None else Api() for role in ROLES}
    wrong = []
    for operation, (method, path) in sorted(operations().items()):
        for role, api in apis.items():
            response = call(api, method, path, CALLS[operation](w))
            if response.status_code != expected(operation, role):
                wrong.append(
                    f"{operation} as {role or 'no token'}: {expected(operation, role)} expected,"
                    f" got {response.status_code} {response.content[:200]!r}"
                )
    assert wrong == []
