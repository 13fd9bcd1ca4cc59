"""The API's charts: treatment sessions with their zones, and outcomes.

Only clinical roles, with a token of the ``chart`` scope, read them (the front desk
never does, as on the pages); each read is in the audit log under the token's user.
"""

# Annotations stay real types (no __future__ import): ninja reads these signatures,
# some through its paginate wrapper, whose module can't resolve names given as strings.

from datetime import date, datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from needlepoint.accounts.access import visible_locations
from needlepoint.api.auth import CHART, acting_staff
from needlepoint.api.errors import errors
from needlepoint.api.pagination import Page
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.clients.queries import clients_for
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import Outcome, TreatmentSession, ZoneTreatment

router = Router(tags=["Charts"], auth=CHART)


class ZoneOut(Schema):
    zone: str
    depth_mm: float
    passes: int
    cartridge_serial: str | None
    technique: str
    endpoint: str

    @staticmethod
    def resolve_depth_mm(zone: ZoneTreatment) -> float:
        return float(zone.depth_mm)

    @staticmethod
    def resolve_cartridge_serial(zone: ZoneTreatment) -> str | None:
        return zone.cartridge.serial if zone.cartridge else None


class SessionOut(Schema):
    id: UUID
    client: UUID
    location: UUID
    booking: UUID | None
    practitioner: str
    indication: str
    performed_on: date
    status: SessionStatus
    completed_at: datetime | None
    next_eligible_on: date | None
    zones: list[ZoneOut]

    @staticmethod
    def resolve_id(session: TreatmentSession) -> UUID:
        return session.public_id

    @staticmethod
    def resolve_client(session: TreatmentSession) -> UUID:
        return session.client.public_id

    @staticmethod
    def resolve_location(session: TreatmentSession) -> UUID:
        return session.location.public_id

    @staticmethod
    def resolve_booking(session: TreatmentSession) -> UUID | None:
        return session.booking.public_id if session.booking else None

    @staticmethod
    def resolve_practitioner(session: TreatmentSession) -> str:
        return session.practitioner.user.full_name

    @staticmethod
    def resolve_zones(session: TreatmentSession) -> list[ZoneTreatment]:
        return list(session.zones.all())


class OutcomeOut(Schema):
    session: UUID
    performed_on: date
    scar_grade: int | None
    scar_score: int | None
    glogau: int | None
    improvement: int | None
    recorded_at: datetime

    @staticmethod
    def resolve_session(outcome: Outcome) -> UUID:
        return outcome.session.public_id

    @staticmethod
    def resolve_performed_on(outcome: Outcome) -> date:
        return outcome.session.performed_on


def _sessions(request: HttpRequest) -> QuerySet[TreatmentSession]:
    """Sessions at the user's locations, as on the chart pages."""
    return (
        TreatmentSession.objects.filter(location__in=visible_locations(acting_staff(request)))
        .select_related("client", "location", "booking", "practitioner__user")
        .prefetch_related("zones__cartridge")
    )


def _client(request: HttpRequest, client_id: UUID) -> Client:
    return get_object_or_404(clients_for(acting_staff(request)), public_id=client_id)


@router.get("/clients/{client_id}/sessions", response={200: list[SessionOut], **errors(404, 422)})
@paginate(Page)
def list_sessions(request: HttpRequest, client_id: UUID) -> QuerySet[TreatmentSession]:
    """A client's treatment sessions, newest first, with the depth on every zone."""
    client = _client(request, client_id)
    audit.record(Action.VIEWED, Target.CHART, client=client, detail={"api": "sessions"})
    return _sessions(request).filter(client=client).order_by("-performed_on", "-pk")


@router.get("/sessions/{session_id}", response={200: SessionOut, **errors(404, 422)})
def read_session(request: HttpRequest, session_id: UUID) -> TreatmentSession:
    session = get_object_or_404(_sessions(request), public_id=session_id)
    audit.record(Action.VIEWED, Target.CHART, session.public_id, client=session.client)
    return session


@router.get("/clients/{client_id}/outcomes", response={200: list[OutcomeOut], **errors(404, 422)})
@paginate(Page)
def list_outcomes(request: HttpRequest, client_id: UUID) -> QuerySet[Outcome]:
    """The scores recorded after a client's sessions, oldest first, to follow progress."""
    client = _client(request, client_id)
    audit.record(Action.VIEWED, Target.CHART, client=client, detail={"api": "outcomes"})
    return (
        Outcome.objects.filter(
            session__client=client,
            session__location__in=visible_locations(acting_staff(request)),
        )
        .select_related("session")
        .order_by("session__performed_on", "pk")
    )
