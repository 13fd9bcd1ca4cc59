"""Writes the online booking makes besides the booking itself."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Screening
from needlepoint.notifications import planner
from needlepoint.notifications.choices import MessageKind
from needlepoint.public.models import OnlineRequest
from needlepoint.scheduling.models import Service


@transaction.atomic
def online_request_record(
    *, screening: Screening, service: Service, starts_at: datetime
) -> OnlineRequest:
    """A client whose answers need a clinician's review asked for this time online: it
    waits on the staff home page, and the location is told by email (the outbox)."""
    request = OnlineRequest.objects.create(
        client_id=screening.client_id, service=service, starts_at=starts_at, screening=screening
    )
    audit.record(
        Action.CREATED,
        Target.SCREENING,
        screening.pk,
        client=screening.client,
        detail={"online_request": request.pk, "service": service.pk},
    )
    planner.plan_email_now(
        organisation_id=service.location.organisation_id,
        client=screening.client,
        kind=MessageKind.REVIEW_REQUESTED,
        subject=f"review:{screening.pk}:{service.pk}:{starts_at.isoformat()}",
        to=service.location.email,
    )
    return request
