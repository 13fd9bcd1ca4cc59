"""An integrator's side of the API: a clinic, tokens, and HTTP calls that carry them.

The clock is pinned to a Monday morning in London, so the week's free times are known.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client as Browser

from needlepoint.api.tokens import token_create
from needlepoint.clinics.models import StaffMember
from needlepoint.scheduling.models import Service
from tests import factories

NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # Monday 1 March 2027, 08:00 in London
TUESDAY = date(2027, 3, 2)
ALL_SCOPES = ("read", "book", "chart")


@dataclass
class Api:
    """Calls to /api/v1/ with ``Authorization: Bearer <token>``, as a program makes them."""

    token: str | None = None
    http: Browser = field(default_factory=Browser)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, **query: Any) -> Any:
        return self.http.get(f"/api/v1{path}", query, headers=self.headers())

    def post(self, path: str, body: Any) -> Any:
        return self.send("post", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.send("patch", path, body)

    def send(self, method: str, path: str, body: Any) -> Any:
        return getattr(self.http, method)(
            f"/api/v1{path}",
            json.dumps(body),
            content_type="application/json",
            headers=self.headers(),
        )


def api_for(member: StaffMember, scopes: tuple[str, ...] = ALL_SCOPES) -> Api:
    """A program holding a token this staff member made on the API tokens page."""
    _, secret = token_create(user=member.user, name="Clinic website", scopes=scopes)
    return Api(secret)


@pytest.fixture
def clock() -> Iterator[datetime]:
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.fixture
def offered(clinic: factories.Clinic) -> Service:
    return factories.service(clinic.location)
