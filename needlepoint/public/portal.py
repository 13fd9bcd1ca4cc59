"""The client portal's rules: passwordless sign-in links and the client's own data."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation
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


def portal_link_language(*, token: str, organisation: Organisation) -> str:
    """The language of the client a link is for ("" when none or unknown); reading it
    does not use the link up."""
    language = (
        PortalLink.objects.filter(token_sha256=_hash(token), client__organisation=organisation)
        .values_list("client__language", flat=True)
        .first()
    )
    return language or ""


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
        raise DomainError("link_invalid", _("This sign-in link is not valid."))
    if link.expires_at < now:
        raise DomainError(
            "link_expired", _("This sign-in link has expired. Please ask for a new one.")
        )
    used = PortalLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=now)
    if not used:
        raise DomainError(
            "link_used", _("This sign-in link has already been used. Please ask for a new one.")
        )
    return link.client
