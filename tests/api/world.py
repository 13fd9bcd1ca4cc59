"""One clinic with one of everything the API names, and fresh bookings on demand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from needlepoint.clients.models import Client
from needlepoint.clinical import default_rules
from needlepoint.core.money import Money
from needlepoint.memberships import services as membership_services
from needlepoint.memberships.models import Membership, MembershipPlan
from needlepoint.packages import services as packages
from needlepoint.packages.models import Package
from needlepoint.payments import services as money
from needlepoint.payments.choices import Method
from needlepoint.payments.models import Invoice, Payment
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking, Service
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.models import Outcome, TreatmentSession, ZoneTreatment
from tests import factories
from tests.api.conftest import TUESDAY

LONDON = ZoneInfo("Europe/London")
STARTS = (time(9), time(10, 30), time(12), time(13, 30), time(15), time(16, 30))
"""Visits of an hour and ten minutes' turnover fit between these, all day."""


def free_starts() -> Iterator[datetime]:
    """Tuesday's starts, then each later weekday's: one practitioner, room and pen each."""
    day = TUESDAY
    while True:
        if day.weekday() < 5:
            for start in STARTS:
                yield datetime.combine(day, start, tzinfo=LONDON)
        day += timedelta(days=1)


@dataclass
class World:
    clinic: factories.Clinic
    service: Service
    client: Client
    booking: Booking
    session: TreatmentSession
    invoice: Invoice
    payment: Payment
    plan: MembershipPlan | None = None
    starts: Iterator[datetime] = field(default_factory=free_starts)

    def fresh_client(self) -> Client:
        return factories.screened_client(self.clinic.organisation)

    def fresh_booking(self) -> Booking:
        return booking_create(
            client=self.fresh_client(),
            service=self.service,
            starts_at=next(self.starts),
            channel=Channel.STAFF,
        )

    def fresh_package(self) -> Package:
        """A one-session course sold to a fresh client, its session from June."""
        return packages.package_sell(
            client=self.fresh_client(),
            sale=packages.Sale(self.service, 1, Money(18000, "GBP"), 180),
            start_on=date(2027, 6, 1),
            method=Method.CASH,
            by=self.clinic.front_desk.user,
        )

    def fresh_member(self) -> Membership:
        """A new client whose first period of the plan Stripe confirmed paid."""
        assert self.plan is not None
        client = self.fresh_client()
        return membership_services.membership_record_start(
            client=client,
            plan=self.plan,
            stripe_id=f"pi_{client.pk}",
            by=None,
            key=f"world-{client.pk}",
            now=timezone.now(),
        )

    def answers(self) -> dict[str, dict[str, bool]]:
        return {question.key: {"present": False} for question in default_rules().questions()}


def world(clinic: factories.Clinic, service: Service) -> World:
    """Needs the clock pinned (``clock`` fixture)."""
    client = factories.screened_client(clinic.organisation)
    booking = booking_create(
        client=client,
        service=service,
        starts_at=datetime(2027, 3, 1, 15, tzinfo=LONDON),
        channel=Channel.STAFF,
    )
    session = TreatmentSession.objects.create(
        client=client,
        location=clinic.location,
        practitioner=clinic.practitioner,
        indication="ind.acne_scars",
        performed_on=date(2027, 2, 1),
    )
    ZoneTreatment.objects.create(session=session, zone="zone.cheeks", depth_mm=1.5)
    Outcome.objects.create(
        session=session,
        improvement=6,
        recorded_by=clinic.practitioner.user,
        recorded_at=timezone.now(),
    )
    invoice = money.invoice_issue(
        invoice=money.invoice_for_booking(booking=booking), by=clinic.front_desk.user
    )
    payment = money.payment_take(
        location=clinic.location,
        client=client,
        amount=Money(5000, clinic.organisation.currency),
        method=Method.TERMINAL,
        by=clinic.front_desk.user,
        key="world-payment",
        invoice=invoice,
    )
    plan = membership_services.plan_save(
        location=clinic.location,
        terms=membership_services.PlanTerms(
            name="Gold", price=Money(4900, clinic.organisation.currency), period="monthly"
        ),
        by=None,
    )
    return World(clinic, service, client, booking, session, invoice, payment, plan)
