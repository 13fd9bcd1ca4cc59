"""Memberships through the API: plans, a client's memberships, signing up and cancelling,
with the same rules and messages as the pages."""

from __future__ import annotations

import pytest
import time_machine

from needlepoint.memberships.models import Membership
from tests import factories
from tests.api.conftest import api_for
from tests.memberships.helpers import AT, member, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(AT, tick=False):
        yield AT


def test_a_manager_lists_plans_and_a_clients_memberships(clinic, clock) -> None:
    gold = plan(clinic)
    membership = member(gold)
    api = api_for(clinic.manager)
    plans = api.get("/membership-plans").json()["items"]
    assert [(p["name"], p["price_minor"], p["price"]) for p in plans] == [("Gold", 4900, "49.00")]
    found = api.get("/memberships", client=membership.client.public_id).json()["items"]
    assert [(m["id"], m["status"], m["included_used"]) for m in found] == [
        (str(membership.public_id), "active", 0)
    ]
    one = api.get(f"/memberships/{membership.public_id}").json()
    assert one["period_end"] == "2027-04-08"


def test_signing_up_without_a_card_and_cancelling_twice_are_refused(clinic, clock) -> None:
    gold = plan(clinic)
    api = api_for(clinic.owner)
    client = factories.screened_client(clinic.organisation, first_name="Sam")
    refused = api.send(
        "post", "/memberships", {"client": str(client.public_id), "plan": str(gold.public_id)}
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "no_saved_card"
    assert not Membership.objects.filter(client=client).exists()
    membership = member(gold)
    path = f"/memberships/{membership.public_id}/cancel"
    first = api.send("post", path, {"reason": "Moving away"})
    assert first.status_code == 200 and first.json()["cancel_at_period_end"] is True
    again = api.send("post", path, {"reason": "Moving away"})
    assert (again.status_code, again.json()["code"]) == (400, "already_cancelled")
