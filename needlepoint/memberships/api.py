"""The API's memberships: the plans, a client's memberships, signing a client up (the
first period charged to their saved card, as at the desk) and cancelling.

For owners and managers, as the money operations are: a token of another role is refused
(403). Signing up and cancelling need the ``book`` scope. Amounts come in the currency's
smallest unit (``price_minor``: 4900 is £49.00) beside the same in major units.
"""

# Annotations stay real types (no __future__ import): ninja reads these signatures.

from datetime import date
from typing import cast
from uuid import UUID, uuid4

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from needlepoint.accounts.access import visible_locations
from needlepoint.accounts.permissions import MANAGERS
from needlepoint.api.auth import MONEY, ApiTokenAuth, acting_staff
from needlepoint.api.choices import Scope
from needlepoint.api.errors import errors
from needlepoint.api.idempotency import KeyHeader, create_once
from needlepoint.api.pagination import Page
from needlepoint.clients.models import Client
from needlepoint.clinics.models import local_today
from needlepoint.core.money import Money, as_decimal
from needlepoint.memberships import queries, services
from needlepoint.memberships.choices import MembershipStatus, Period, SessionsEvery
from needlepoint.memberships.models import Membership, MembershipPlan

router = Router(tags=["Memberships"], auth=MONEY)
MEMBERS = ApiTokenAuth(
    Scope.BOOK, MANAGERS, cast(str, _lazy("Memberships are for managers and owners."))
)


def major(minor: int, currency: str) -> str:
    return str(as_decimal(Money(minor, currency)))


class Benefits(Schema):
    price: str = Field(description="The price each period, in major units: 49.00.")
    price_minor: int = Field(description="In the currency's smallest unit: 4900 is £49.00.")
    currency: str
    period: Period
    included_sessions: int
    included_service: UUID | None
    sessions_every: SessionsEvery
    discount_percent: int

    @staticmethod
    def resolve_price(row: MembershipPlan | Membership) -> str:
        return major(row.price_minor, row.currency)

    @staticmethod
    def resolve_included_service(row: MembershipPlan | Membership) -> UUID | None:
        return row.included_service.public_id if row.included_service else None


class PlanOut(Benefits):
    id: UUID
    name: str
    location: UUID
    active: bool
    sold_online: bool

    @staticmethod
    def resolve_id(plan: MembershipPlan) -> UUID:
        return plan.public_id

    @staticmethod
    def resolve_location(plan: MembershipPlan) -> UUID:
        return plan.location.public_id


class MembershipOut(Benefits):
    id: UUID
    client: UUID
    plan: UUID
    plan_name: str
    status: MembershipStatus
    started_on: date
    period_start: date
    period_end: date = Field(description="The last day of the current period.")
    cancel_at_period_end: bool
    ended_on: date | None
    included_used: int = Field(description="Included sessions used in today's window.")

    @staticmethod
    def resolve_id(membership: Membership) -> UUID:
        return membership.public_id

    @staticmethod
    def resolve_client(membership: Membership) -> UUID:
        return membership.client.public_id

    @staticmethod
    def resolve_plan(membership: Membership) -> UUID:
        return membership.plan.public_id

    @staticmethod
    def resolve_included_used(membership: Membership) -> int:
        return queries.member_view(membership, local_today(membership.location)).used


def _memberships(request: HttpRequest) -> QuerySet[Membership]:
    staff = acting_staff(request)
    return queries.memberships_for(staff.organisation_id, visible_locations(staff)).select_related(
        "included_service"
    )


def _membership(request: HttpRequest, membership_id: UUID) -> Membership:
    return get_object_or_404(_memberships(request), public_id=membership_id)


@router.get("/membership-plans", response={200: list[PlanOut], **errors(422)})
@paginate(Page)
def list_membership_plans(request: HttpRequest) -> QuerySet[MembershipPlan]:
    """The plans of the locations the token's user works at."""
    staff = acting_staff(request)
    return queries.plans_for(visible_locations(staff)).order_by("pk")


class MembershipFilter(Schema):
    client: UUID | None = Field(None, description="Only this client's memberships.")


@router.get("/memberships", response={200: list[MembershipOut], **errors(422)})
@paginate(Page)
def list_memberships(
    request: HttpRequest, filters: Query[MembershipFilter]
) -> QuerySet[Membership]:
    """Memberships of the token's user's locations, oldest first; filter by client."""
    rows = _memberships(request)
    if filters.client is not None:
        rows = rows.filter(client__public_id=filters.client)
    return rows.order_by("started_on", "pk")


@router.get("/memberships/{membership_id}", response={200: MembershipOut, **errors(404, 422)})
def read_membership(request: HttpRequest, membership_id: UUID) -> Membership:
    return _membership(request, membership_id)


class MembershipIn(Schema):
    client: UUID
    plan: UUID


@router.post("/memberships", auth=MEMBERS, response={201: MembershipOut, **errors(400, 404, 422)})
def create_membership(
    request: HttpRequest, payload: MembershipIn, idempotency_key: KeyHeader = None
) -> HttpResponse:
    """Sign the client up: the first period is charged to their saved card now, and the
    membership starts once it is paid. A client with no saved card, a plan no longer
    sold, or a client already a member are refused (400) with nothing written. Send an
    ``Idempotency-Key`` to retry safely."""
    staff = acting_staff(request)

    def create() -> MembershipOut:
        client = get_object_or_404(
            Client.objects.filter(organisation_id=staff.organisation_id), public_id=payload.client
        )
        plan = get_object_or_404(
            queries.plans_for(visible_locations(staff)), public_id=payload.plan
        )
        membership = services.membership_start(
            client=client,
            plan=plan,
            by=staff.user,
            key=f"api-{staff.pk}-{idempotency_key or uuid4().hex}",
        )
        return MembershipOut.from_orm(membership)

    return create_once(request, idempotency_key, payload, 201, create)


class CancelIn(Schema):
    reason: str = Field(description="Why it ends; kept with the membership and audited.")
    now: bool = Field(False, description="End today instead of at the end of the period paid for.")
    refund_minor: int = Field(
        0, ge=0, description="With ``now``: what to give back of the current period."
    )


@router.post(
    "/memberships/{membership_id}/cancel",
    auth=MEMBERS,
    response={200: MembershipOut, **errors(400, 404, 422)},
)
def cancel_membership(request: HttpRequest, membership_id: UUID, payload: CancelIn) -> Membership:
    """Cancel at the end of the period (the default), or now, giving back
    ``refund_minor`` with a credit note and a refund to the card. Cancelling twice is
    refused (400)."""
    membership = services.membership_cancel(
        membership=_membership(request, membership_id),
        reason=payload.reason,
        by=acting_staff(request).user,
        now_too=payload.now,
        refund_minor=payload.refund_minor,
    )
    return membership
