"""The notifications app's own writes: each through its service, each with its audit row."""

from __future__ import annotations

import pytest

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.core.errors import DomainError
from needlepoint.notifications.models import CalendarFeed, Campaign, MessageWording
from needlepoint.notifications.services import (
    calendar_feed_renew,
    calendar_feed_revoke,
    campaign_create,
    wording_reset,
    wording_save,
)


def events(target: Target) -> list[str]:
    events = AuditEvent.objects.filter(target=target).order_by("pk")
    return list(events.values_list("action", flat=True))


def test_a_newsletter_is_written_with_its_audit_row(clinic):
    campaign = campaign_create(
        organisation=clinic.organisation,
        subject=" Spring offers ",
        body="New courses from March.",
        by=clinic.manager.user,
    )
    assert (campaign.subject, campaign.created_by) == ("Spring offers", clinic.manager.user)
    assert events(Target.CAMPAIGN) == [Action.CREATED]


def test_an_empty_newsletter_is_refused_and_nothing_is_written(clinic):
    with pytest.raises(DomainError) as refused:
        campaign_create(
            organisation=clinic.organisation, subject=" ", body="Hi", by=clinic.manager.user
        )
    assert refused.value.code == "empty_campaign"
    assert not Campaign.objects.exists() and not events(Target.CAMPAIGN)


def test_wording_is_saved_and_reset_with_audit_rows(clinic):
    organisation = clinic.organisation
    wording_save(
        organisation=organisation,
        kind="reminder",
        channel="sms",
        subject="",
        body="See you at {time}, {first_name}.",
    )
    wording_save(
        organisation=organisation, kind="reminder", channel="sms", subject="", body="At {time}."
    )
    assert MessageWording.objects.get().body == "At {time}."
    wording_reset(organisation=organisation, kind="reminder", channel="sms")
    assert not MessageWording.objects.exists()
    assert events(Target.WORDING) == [Action.CHANGED, Action.CHANGED, Action.REMOVED]
    with pytest.raises(DomainError):
        wording_save(
            organisation=organisation, kind="newsletter", channel="email", subject="", body="x"
        )


def test_a_new_feed_address_stops_the_old_one_and_revoking_stops_all(clinic):
    staff = clinic.practitioner
    first = calendar_feed_renew(staff=staff)
    second = calendar_feed_renew(staff=staff)
    assert first != second
    live = CalendarFeed.objects.filter(staff=staff, revoked_at__isnull=True)
    assert list(live.values_list("token_hash", flat=True)) == [CalendarFeed.hash_of(second)]
    calendar_feed_revoke(staff=staff)
    assert not live.exists()
    assert events(Target.CALENDAR_FEED) == [Action.CREATED, Action.CREATED, Action.REMOVED]
