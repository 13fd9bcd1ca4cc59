"""The newsletter: double opt-in sign-up, one-click unsubscribe, and who may be mailed.

Nobody is mailed without a confirmed consent: ``newsletter_recipients`` is the only list
a campaign uses (``notifications.planner.campaign_send``), and each email checks again,
as it is sent, that the address has not unsubscribed since.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.clients.choices import ConsentChannel
from needlepoint.clients.models import Client, MarketingConsent
from needlepoint.clinics.models import Organisation
from needlepoint.core.errors import DomainError

CONFIRM_SALT = "needlepoint.newsletter.confirm"
UNSUBSCRIBE_SALT = "needlepoint.newsletter.unsubscribe"
CONFIRM_WITHIN = timedelta(days=7)


def newsletter_wording(organisation: Organisation) -> str:
    return _(
        "Send me %(clinic)s's newsletter by email: news, skin-care tips and offers, "
        "about once a month. I can unsubscribe at any time."
    ) % {"clinic": organisation.name}


def newsletter_sign_up(
    *, organisation: Organisation, email: str, source: str, now: datetime | None = None
) -> MarketingConsent:
    """A pending sign-up for ``email``, or the one already live; confirmation comes by email."""
    address = email.strip().lower()
    live = _live(organisation, address).first()
    if live is not None:
        return live
    client = Client.objects.filter(organisation=organisation, email=address).first()
    try:
        with transaction.atomic():
            return MarketingConsent.objects.create(
                organisation=organisation,
                client=client,
                channel=ConsentChannel.EMAIL,
                address=address,
                wording=newsletter_wording(organisation),
                source=source[:100],
                requested_at=now or timezone.now(),
            )
    except IntegrityError:  # the same address signed up a moment ago
        return _live(organisation, address).get()


def newsletter_confirm(*, consent: MarketingConsent, now: datetime | None = None) -> bool:
    """Confirm a pending sign-up; False when it was withdrawn meanwhile."""
    if consent.withdrawn_at is not None:
        return False
    if consent.confirmed_at is None:
        moment = now or timezone.now()
        MarketingConsent.objects.filter(pk=consent.pk, confirmed_at__isnull=True).update(
            confirmed_at=moment
        )
        consent.refresh_from_db()
    return True


def newsletter_unsubscribe(*, consent: MarketingConsent, now: datetime | None = None) -> None:
    MarketingConsent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now or timezone.now()
    )
    consent.refresh_from_db()


def newsletter_recipients(organisation: Organisation) -> QuerySet[MarketingConsent]:
    """Everyone who confirmed the newsletter and has not unsubscribed: the only mailing list."""
    return _live(organisation).filter(confirmed_at__isnull=False)


def _live(organisation: Organisation, address: str | None = None) -> QuerySet[MarketingConsent]:
    consents = MarketingConsent.objects.filter(
        organisation=organisation, channel=ConsentChannel.EMAIL, withdrawn_at__isnull=True
    )
    return consents if address is None else consents.filter(address=address)


def confirm_token(consent: MarketingConsent) -> str:
    return signing.dumps(consent.pk, salt=CONFIRM_SALT)


def unsubscribe_token(consent: MarketingConsent) -> str:
    return signing.dumps(consent.pk, salt=UNSUBSCRIBE_SALT)


def consent_from_token(token: str, *, unsubscribe: bool) -> MarketingConsent:
    """The consent a link names; confirmation links last a week, unsubscribe links for ever."""
    try:
        if unsubscribe:
            pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        else:
            pk = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_WITHIN)
    except signing.SignatureExpired as error:
        raise DomainError(
            "link_expired", _("This confirmation link has expired. Please sign up again.")
        ) from error
    except signing.BadSignature as error:
        raise DomainError("link_invalid", _("This link is not valid.")) from error
    consent = MarketingConsent.objects.select_related("organisation").filter(pk=pk).first()
    if consent is None:
        raise DomainError("link_invalid", _("This link is not valid."))
    return consent
