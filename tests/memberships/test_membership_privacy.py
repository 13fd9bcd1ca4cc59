"""A client's memberships in their data export, and what erasure does to them: a live
membership ends (nothing more is charged), the records stay with the accounts without
the reasons staff typed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from needlepoint.memberships import services
from needlepoint.memberships.choices import MembershipStatus
from needlepoint.privacy.erasure import erasure_request
from needlepoint.privacy.export import client_data
from tests.memberships.helpers import AT, book, member, plan

pytestmark = pytest.mark.django_db


def test_the_data_export_lists_memberships_periods_and_sessions_used(clinic) -> None:
    gold = plan(clinic)
    membership = member(gold)
    booking = book(membership.client, gold.included_service, AT + timedelta(days=2))
    services.use_record(booking=booking, now=booking.starts_at)
    exported = client_data(membership.client)["memberships"]
    assert len(exported) == 1
    row = exported[0]
    assert (row["plan"], row["price"], row["currency"], row["status"]) == (
        "Gold",
        "49.00",
        "GBP",
        "active",
    )
    assert row["periods"][0]["starts_on"] == "2027-03-09"
    assert row["included_sessions_used"] == [booking.starts_at.isoformat()]


def test_erasure_ends_a_live_membership_and_drops_the_reasons_typed(clinic) -> None:
    membership = member(plan(clinic))
    services.membership_cancel(
        membership=membership, reason="Told us about her divorce", by=None, now=AT
    )
    erasure_request(
        membership.client, by=clinic.manager.user, reason="Asked", now=AT + timedelta(days=1)
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANCELLED
    assert membership.cancel_reason == "The client's data was erased."
    assert membership.periods.count() == 1  # the accounts stay
