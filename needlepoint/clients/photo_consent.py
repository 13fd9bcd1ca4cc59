"""Consent to use a client's photos in the clinic's marketing, apart from treatment consent.

Clinical photos are part of the treatment record and need no marketing consent; showing
them on the website or social media does. That yes is a ``MarketingConsent`` on the
``photos`` channel, in the exact words shown, given in the clinic (so confirmed when
given), and withdrawn at any time. Its ``address`` is the client's record id, so a client
has at most one live photo consent.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from needlepoint.clients.choices import ConsentChannel
from needlepoint.clients.models import Client, MarketingConsent
from needlepoint.core.errors import DomainError


def photo_consent_wording(client: Client) -> str:
    return (
        f"{client.organisation.name} may show photos of my treated skin, without my name, "
        "on its website, social media and printed material. I can withdraw this at any time; "
        "photos already printed or shared cannot be recalled. It does not change how my "
        "photos are kept in my treatment record."
    )


def photo_consents(client: Client) -> QuerySet[MarketingConsent]:
    return MarketingConsent.objects.filter(client=client, channel=ConsentChannel.PHOTOS)


def photo_consent_give(
    *, client: Client, source: str, now: datetime | None = None
) -> MarketingConsent:
    """Record the client's yes, in the words they were shown, at the time they gave it."""
    if client.anonymised_at is not None:
        raise DomainError("client_erased", "This client's data has been erased.")
    moment = now or timezone.now()
    try:
        with transaction.atomic():
            return MarketingConsent.objects.create(
                organisation_id=client.organisation_id,
                client=client,
                channel=ConsentChannel.PHOTOS,
                address=str(client.public_id),
                wording=photo_consent_wording(client),
                source=source[:100],
                requested_at=moment,
                confirmed_at=moment,
            )
    except IntegrityError as error:
        raise DomainError(
            "already_given", "The client has already agreed to their photos being shown."
        ) from error


def photo_consent_withdraw(*, client: Client, now: datetime | None = None) -> int:
    """Withdraw the client's live photo consent; how many were withdrawn (0 or 1)."""
    return (
        photo_consents(client)
        .filter(withdrawn_at__isnull=True)
        .update(withdrawn_at=now or timezone.now())
    )
