"""What the membership tests share: a plan, a member signed up as Stripe confirmed it,
and bookings of one client."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from needlepoint.clients.models import Client
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import StaffMember
from needlepoint.core.money import Money
from needlepoint.memberships import services
from needlepoint.memberships.models import Membership, MembershipPlan
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking, Service
from needlepoint.scheduling.services import booking_create
from tests import factories

AT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London
PRICE = 4900
_keys = itertools.count(1)


def plan(
    clinic: factories.Clinic,
    *,
    service: Service | None = None,
    sessions: int = 1,
    discount: int = 10,
    **more: object,
) -> MembershipPlan:
    service = service or factories.service(clinic.location)
    terms = services.PlanTerms(
        name=str(more.pop("name", "Gold")),
        price=Money(int(more.pop("price", PRICE)), "GBP"),  # type: ignore[call-overload]
        period=str(more.pop("period", "monthly")),
        included_sessions=sessions,
        included_service=service if sessions else None,
        discount_percent=discount,
        **more,  # type: ignore[arg-type]
    )
    return services.plan_save(location=clinic.location, terms=terms, by=clinic.owner.user)


def member(plan: MembershipPlan, client: Client | None = None, *, at: datetime = AT) -> Membership:
    """A client whose first period Stripe has confirmed paid (the card itself: the Stripe
    tests)."""
    client = client or factories.screened_client(plan.organisation)
    return services.membership_record_start(
        client=client,
        plan=plan,
        stripe_id=f"pi_test_{next(_keys)}",
        by=None,
        key=f"test-{next(_keys)}",
        now=at,
    )


def book(client: Client, service: Service, starts_at: datetime) -> Booking:
    return booking_create(
        client=client,
        service=service,
        starts_at=starts_at,
        channel=Channel.STAFF,
        by=StaffMember.objects.get(
            organisation_id=client.organisation_id, role=Role.PRACTITIONER
        ).user,
        override_reason="Practitioner's judgement: a test of money, not of intervals",
        now=starts_at - timedelta(days=1),
    )
