"""The demo clinic's memberships, through the same services Settings and the desk use: a
monthly plan with a face treatment each quarter and 10% off treatments, a yearly
plan sold at the desk only, and one member whose first period was paid by card (the demo
has no Stripe keys, so nothing is charged: their next period will be refused for want of
a card, as it would be for a client without one)."""

from __future__ import annotations

from uuid import uuid4

from django.utils import timezone

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core.money import Money
from needlepoint.memberships.choices import SessionsEvery
from needlepoint.memberships.services import PlanTerms, membership_record_start, plan_save
from needlepoint.scheduling.choices import ServiceKind


def load(location: Location, owner: StaffMember, member: Client | None = None) -> None:
    currency = location.organisation.currency
    treatment = location.services.filter(kind=ServiceKind.TREATMENT).order_by("pk").first()
    gold = plan_save(
        location=location,
        terms=PlanTerms(
            name="Gold",
            price=Money(4900, currency),
            period="monthly",
            included_sessions=1 if treatment else 0,
            included_service=treatment,
            sessions_every=SessionsEvery.QUARTER,
            discount_percent=10,
            sold_online=True,
        ),
        by=owner.user,
    )
    plan_save(
        location=location,
        terms=PlanTerms(
            name="Glow year",
            price=Money(39000, currency),
            period="yearly",
            discount_percent=15,
        ),
        by=owner.user,
    )
    if member is not None:
        membership_record_start(
            client=member,
            plan=gold,
            stripe_id=f"pi_demo_{uuid4().hex[:12]}",
            by=owner.user,
            key=f"demo-{member.pk}",
            now=timezone.now(),
        )
