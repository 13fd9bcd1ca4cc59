"""Writes the client's own pages make besides the booking itself: a request for review,
a signed consent with its emailed copy."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client, Screening
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentFormVersion, SignedConsent
from needlepoint.consents.services import consent_sign
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


@transaction.atomic
def consent_sign_with_copy(
    *,
    client: Client,
    form_version: ConsentFormVersion,
    kind: SignatureKind,
    typed_name: str,
    drawing_png: bytes,
    ip_address: str | None,
    user_agent: str,
) -> SignedConsent:
    """The client's signature and the copy emailed to them, or neither: from the booking
    link and from the clinic's tablet alike."""
    signed = consent_sign(
        client=client,
        form_version=form_version,
        kind=kind,
        typed_name=typed_name,
        drawing_png=drawing_png,
        ip_address=ip_address,
        user_agent=user_agent,
    )
    planner.plan_email_now(
        organisation_id=client.organisation_id,
        client=client,
        kind=MessageKind.CONSENT_COPY,
        subject=f"consent:{signed.public_id}",
        to=client.email,
    )
    return signed
