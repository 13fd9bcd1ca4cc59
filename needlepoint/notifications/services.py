"""Writes of the notifications app that staff make: newsletters, wording, calendar feeds,
and the worker's heartbeat. Each runs in one transaction and leaves its audit row."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.language_versions import ENGLISH, clinic_languages
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.core.errors import DomainError
from needlepoint.notifications.choices import Channel, MessageKind
from needlepoint.notifications.models import (
    CalendarFeed,
    Campaign,
    MessageWording,
    WorkerHeartbeat,
)


@transaction.atomic
def campaign_create(*, organisation: Organisation, subject: str, body: str, by: User) -> Campaign:
    """A newsletter written, not yet sent (``planner.campaign_send`` sends it)."""
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise DomainError("empty_campaign", _("A newsletter needs a subject and a message."))
    campaign = Campaign(organisation=organisation, subject=subject, body=body, created_by=by)
    campaign.full_clean(exclude=["organisation", "created_by"])
    campaign.save()
    audit.record(Action.CREATED, Target.CAMPAIGN, campaign.pk, organisation_id=organisation.pk)
    return campaign


@transaction.atomic
def wording_save(
    *,
    organisation: Organisation,
    kind: str,
    channel: str,
    subject: str,
    body: str,
    language: str = ENGLISH,
) -> MessageWording:
    """The clinic's own wording of one message in one language; new messages to clients
    who read that language (or to every client, in the clinic's default) use it from now on."""
    _check_editable(kind, channel)
    _check_language(organisation, language)
    wording, _created = MessageWording.objects.select_for_update().get_or_create(
        organisation=organisation,
        kind=kind,
        channel=channel,
        language=language,
        defaults={"body": body},
    )
    wording.subject, wording.body = subject, body
    wording.full_clean(exclude=["organisation"])
    wording.save()
    audit.record(
        Action.CHANGED,
        Target.WORDING,
        f"{kind}/{channel}",
        organisation_id=organisation.pk,
        detail={"language": language},
    )
    return wording


@transaction.atomic
def wording_reset(
    *, organisation: Organisation, kind: str, channel: str, language: str = ENGLISH
) -> None:
    """Back to Needlepoint's own wording of one message in one language."""
    _check_editable(kind, channel)
    deleted, _rows = MessageWording.objects.filter(
        organisation=organisation, kind=kind, channel=channel, language=language
    ).delete()
    if deleted:
        audit.record(
            Action.REMOVED,
            Target.WORDING,
            f"{kind}/{channel}",
            organisation_id=organisation.pk,
            detail={"language": language},
        )


def _check_language(organisation: Organisation, language: str) -> None:
    if language not in clinic_languages(organisation):
        raise DomainError("unknown_language", _("Choose one of the languages the clinic offers."))


def _check_editable(kind: str, channel: str) -> None:
    if (
        kind not in MessageKind.values
        or kind == MessageKind.NEWSLETTER
        or (channel not in Channel.values)
    ):
        raise DomainError("no_such_message", _("There is no such message to word."))


@transaction.atomic
def calendar_feed_renew(*, staff: StaffMember, now: datetime | None = None) -> str:
    """A new secret feed address for the staff member; the old one stops. The secret,
    returned once, is never stored."""
    _calendar_feed_end(staff, now or timezone.now())
    token, digest = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(staff=staff, token_hash=digest)
    audit.record(
        Action.CREATED, Target.CALENDAR_FEED, feed.pk, organisation_id=staff.organisation_id
    )
    return token


@transaction.atomic
def calendar_feed_revoke(*, staff: StaffMember, now: datetime | None = None) -> None:
    """Switch the staff member's feed off: its address stops working."""
    if _calendar_feed_end(staff, now or timezone.now()):
        audit.record(
            Action.REMOVED, Target.CALENDAR_FEED, staff.pk, organisation_id=staff.organisation_id
        )


def _calendar_feed_end(staff: StaffMember, now: datetime) -> int:
    return CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True).update(revoked_at=now)


def heartbeat_record(*, worker_id: str, started_at: datetime) -> None:
    """The worker says it is alive (read by ``needlepoint doctor`` and the home page)."""
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"beat_at": timezone.now(), "started_at": started_at}
    )
