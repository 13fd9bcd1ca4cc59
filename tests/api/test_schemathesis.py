"""Schemathesis writes requests from the OpenAPI schema and checks every answer against it.

In-process (the WSGI app, no network), with an owner's token of every scope and the ids
of real records in the path, so it reaches past the 404s: no answer is a server error,
and each has a status, content type and body the schema documents.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from needlepoint.wsgi import application
from tests.api.conftest import api_for
from tests.api.test_roles import _voucher
from tests.api.world import world

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 12
"""Per operation and phase: about twenty seconds for the whole schema on either database."""


@pytest.fixture
def same_connection() -> Iterator[None]:
    """Keep the test's transaction open across requests, as Django's test client does.

    Django closes a connection not in autocommit at the start and end of each request;
    inside a test's transaction that would close the test's own connection.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


CONFIG = schemathesis.Config.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"mode": "all", "database": "none"},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@pytest.fixture
def records(clinic, offered, clock, same_connection) -> dict[str, str]:
    """Ids of real records, put in the generated paths in place of random ones."""
    w = world(clinic, offered)
    return {
        "client_id": str(w.client.public_id),
        "booking_id": str(w.booking.public_id),
        "session_id": str(w.session.public_id),
        "invoice_id": str(w.invoice.public_id),
        "membership_id": str(w.fresh_member().public_id),
        "location_id": str(clinic.location.public_id),
        "service": str(offered.public_id),
        "client": str(w.client.public_id),
        "location": str(clinic.location.public_id),
        "package_id": str(w.fresh_package().public_id),
        "voucher_id": str(_voucher(w).public_id),
    }


def with_real_ids(case: schemathesis.Case, records: dict[str, str]) -> None:
    """Name real records wherever the case names one, so requests reach past the 404s."""
    for name in case.path_parameters or {}:
        case.path_parameters[name] = records[name]
    for values in (case.query, case.body):
        if isinstance(values, dict):
            for name in values.keys() & {"service", "client", "location"}:
                values[name] = records[name]


@pytest.fixture
def token(clinic) -> str:
    return api_for(clinic.owner).token or ""


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_keeps_to_the_schema(case, records, token):
    with_real_ids(case, records)
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
