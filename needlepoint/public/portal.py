"""The client portal's rules: passwordless sign-in links and the client's own data."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation
from needlepoint.consents.models import SignedConsent
from needlepoint.core.errors import DomainError
from needlepoint.public.models import PortalLink

LINK_LIFETIME = timedelta(minutes=30)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def portal_link_create(
    *, organisation: Organisation, email: str, now: datetime | None = None
) -> tuple[Client, str] | None:
    """A new sign-in token for the client with this email, or None when there is none."""
    client = Client.objects.filter(organisation=organisation, email=email.strip().lower()).first()
    if client is None or not client.email:
        return None
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    PortalLink.objects.create(
        client=client, token_sha256=_hash(token), created_at=now, expires_at=now + LINK_LIFETIME
    )
    return client, token


@transaction.atomic
def portal_link_use(
    *, token: str, organisation: Organisation, now: datetime | None = None
) -> Client:
    """The client a link signs in to ``organisation``; each link works once, for half an hour."""
    now = now or timezone.now()
    link = (
        PortalLink.objects.select_related("client")
        .filter(token_sha256=_hash(token), client__organisation=organisation)
        .first()
    )
    if link is None:
        raise DomainError("link_invalid", "This sign-in link is not valid.")
    if link.expires_at < now:
        raise DomainError(
            "link_expired", "This sign-in link has expired. Please ask for a new one."
        )
    used = PortalLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
    if not used:
        raise DomainError(
            "link_used", "This sign-in link has already been used. Please ask for a new one."
        )
    return link.client


def client_data(client: Client) -> dict[str, Any]:
    """Everything the clinic holds about the client, for "download my data"."""
    return {
        "exported_at": timezone.now().isoformat(),
        "clinic": client.organisation.name,
        "client": {
            "first_name": client.first_name,
            "last_name": client.last_name,
            "email": client.email,
            "phone": client.phone,
            "date_of_birth": client.date_of_birth.isoformat(),
            "fitzpatrick": client.fitzpatrick,
            "created_at": client.created_at.isoformat(),
        },
        "bookings": [
            {
                "service": booking.service.name,
                "location": booking.location.name,
                "starts_at": booking.starts_at.isoformat(),
                "ends_at": booking.ends_at.isoformat(),
                "status": booking.status,
                "channel": booking.channel,
            }
            for booking in client.bookings.select_related("service", "location").order_by(
                "starts_at"
            )
        ],
        "medical_history": [
            {
                "version": submission.version,
                "answered_on": submission.answered_on.isoformat(),
                "answers": submission.answers,
                "source": submission.source,
            }
            for submission in client.questionnaires.order_by("version")
        ],
        "screenings": [
            {
                "screened_on": screening.screened_on.isoformat(),
                "outcome": screening.outcome,
                "deferred_until": screening.deferred_until.isoformat()
                if screening.deferred_until
                else None,
                "reasons": screening.reasons,
                "rules_version": screening.rules_version,
            }
            for screening in client.screenings.order_by("created_at")
        ],
        "treatment_sessions": [
            {
                "performed_on": session.performed_on.isoformat(),
                "indication": session.indication,
                "zones": [
                    {"zone": zone.zone, "depth_mm": str(zone.depth_mm), "passes": zone.passes}
                    for zone in session.zones.all()
                ],
            }
            for session in client.sessions.prefetch_related("zones").order_by("performed_on")
        ],
        "signed_consents": [
            {
                "form": signed.form_version.form.name,
                "version": signed.form_version.version,
                "text": signed.form_version.text,
                "signed_at": signed.signed_at.isoformat(),
                "typed_name": signed.typed_name,
                "ip_address": signed.ip_address,
            }
            for signed in SignedConsent.objects.filter(client=client).select_related(
                "form_version__form"
            )
        ],
        "marketing_consents": [
            {
                "channel": consent.channel,
                "address": consent.address,
                "wording": consent.wording,
                "source": consent.source,
                "requested_at": consent.requested_at.isoformat(),
                "confirmed_at": consent.confirmed_at.isoformat() if consent.confirmed_at else None,
                "withdrawn_at": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in client.marketing_consents.all()
        ],
    }
