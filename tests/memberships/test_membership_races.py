"""Memberships when many act at once (real threads, each with its own connection, on
PostgreSQL and SQLite): visits completed together never use more included sessions than
the plan gives, a client joins a plan once, and ten clicks on cancel cancel once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from needlepoint.memberships import services
from needlepoint.memberships.models import Membership, MembershipUse
from needlepoint.payments.choices import PaymentKind
from needlepoint.payments.models import Payment
from tests import factories
from tests.memberships.helpers import AT, book, member, plan
from tests.payments.test_races import RACERS, race

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_visits_completed_at_once_use_no_more_sessions_than_included() -> None:
    clinic = factories.clinic()
    gold = plan(clinic, sessions=2, discount=0)
    membership = member(gold)
    bookings = [
        book(membership.client, gold.included_service, AT + timedelta(days=day))
        for day in (1, 2, 3, 7, 8, 9)
    ]
    attempts = [
        (lambda b=booking: services.use_record(booking=b, now=b.starts_at))
        for booking in bookings + bookings  # each visit twice, too
    ]
    used, refused, crashed = race(attempts)
    assert crashed == [] and refused == []
    assert len([use for use in used if use is not None]) == 2
    assert MembershipUse.objects.filter(membership=membership).count() == 2


def test_a_client_joins_a_plan_once_however_many_sign_ups_arrive_together() -> None:
    clinic = factories.clinic()
    gold = plan(clinic)
    client = factories.screened_client(clinic.organisation)
    attempts = [
        (
            lambda n=n: services.membership_record_start(
                client=client, plan=gold, stripe_id=f"pi_{n}", by=None, key=f"k{n}", now=AT
            )
        )
        for n in range(RACERS)
    ]
    joined, refused, crashed = race(attempts)
    assert crashed == []
    assert len(joined) == 1 and len(refused) == RACERS - 1
    assert {error.code for error in refused} == {"already_member"}
    assert Membership.objects.filter(client=client).count() == 1
    # each sign-up refused after paying is given its money back
    assert Payment.objects.filter(kind=PaymentKind.REFUND).count() == RACERS - 1


def test_ten_clicks_on_cancel_cancel_once() -> None:
    clinic = factories.clinic()
    membership = member(plan(clinic))

    def click() -> Membership:
        return services.membership_cancel(membership=membership, reason="Moving", by=None, now=AT)

    cancelled, refused, crashed = race([click] * RACERS)
    assert crashed == []
    assert len(cancelled) == 1 and {error.code for error in refused} == {"already_cancelled"}
