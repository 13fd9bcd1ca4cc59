"""The newsletter: double opt-in, one-click unsubscribe, and nobody mailed without consent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client as Browser
from django.utils import timezone

from needlepoint.clients import newsletter
from needlepoint.clients.models import MarketingConsent
from needlepoint.core.errors import DomainError
from needlepoint.notifications.delivery import deliver_due
from needlepoint.notifications.models import Campaign, Message
from needlepoint.notifications.planner import campaign_send


@pytest.fixture
def sign_up_url(clinic):
    return f"/c/{clinic.organisation.slug}/{clinic.location.slug}/newsletter/"


def delivered() -> list:
    """What the outbox has sent: the confirmation goes out through the worker."""
    deliver_due(worker_id="test")
    return mail.outbox


def confirmation_link() -> str:
    (email,) = delivered()
    found = re.search(r"https?://[^/\s]+(/n/confirm/\S+/)", email.body)
    assert found is not None, email.body
    return found.group(1)


def test_the_public_page_shows_the_exact_wording_of_the_sign_up(client, clinic):
    page = client.get(f"/c/{clinic.organisation.slug}/{clinic.location.slug}/").content.decode()
    assert newsletter.newsletter_wording(clinic.organisation).replace("'", "&#x27;") in page


def test_signing_up_keeps_the_wording_time_and_source_and_mails_nothing_but_the_check(
    client, clinic, sign_up_url
):
    response = client.post(sign_up_url, {"email": "Fan@Example.test"})
    assert "Check your inbox" in response.content.decode()
    consent = MarketingConsent.objects.get()
    assert consent.address == "fan@example.test"
    assert consent.wording == newsletter.newsletter_wording(clinic.organisation)
    assert consent.source == f"public page of {clinic.location.name}"
    assert consent.requested_at is not None and consent.confirmed_at is None
    assert list(newsletter.newsletter_recipients(clinic.organisation)) == []
    assert send_campaign(clinic, "News") == 0  # not confirmed: not on the list
    assert "Please confirm" in mail.outbox[0].subject


def test_opening_the_link_asks_and_only_the_button_confirms(client, clinic, sign_up_url):
    client.post(sign_up_url, {"email": "fan@example.test"})
    link = confirmation_link()
    assert "Yes, subscribe me" in client.get(link).content.decode()
    assert MarketingConsent.objects.get().confirmed_at is None  # a mail scanner's GET
    assert "You're subscribed" in client.post(link).content.decode().replace("&#x27;", "'")
    assert [c.address for c in newsletter.newsletter_recipients(clinic.organisation)] == [
        "fan@example.test"
    ]


def test_a_confirmed_subscriber_signing_up_again_gets_no_second_email(client, sign_up_url):
    client.post(sign_up_url, {"email": "fan@example.test"})
    client.post(confirmation_link())
    client.post(sign_up_url, {"email": "fan@example.test"})
    assert len(delivered()) == 1
    assert MarketingConsent.objects.count() == 1


def test_bad_or_tampered_input_changes_nothing(client, sign_up_url):
    for data in ({"email": ""}, {"email": "not-an-email"}, {"email": "a" * 250 + "@x.test"}):
        assert client.post(sign_up_url, data).status_code == 400
    assert client.get("/n/confirm/forged/").status_code == 410
    assert client.post("/n/unsubscribe/forged/").status_code == 410
    assert not MarketingConsent.objects.exists()
    assert mail.outbox == []


def test_a_confirmation_link_expires_after_a_week(client, sign_up_url):
    client.post(sign_up_url, {"email": "fan@example.test"})
    link = confirmation_link()
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=False):
        assert client.post(link).status_code == 410
    assert MarketingConsent.objects.get().confirmed_at is None


def send_campaign(clinic, subject: str) -> int:
    campaign = Campaign.objects.create(
        organisation=clinic.organisation, subject=subject, body="Hi", created_by=clinic.owner.user
    )
    queued = campaign_send(campaign=campaign)
    deliver_due(worker_id="test")
    return queued


def test_campaign_emails_carry_one_click_unsubscribe_that_works_without_a_form(clinic):
    consent = newsletter.newsletter_sign_up(
        organisation=clinic.organisation, email="fan@example.test", source="test"
    )
    newsletter.newsletter_confirm(consent=consent)
    mail.outbox.clear()
    with time_machine.travel(timezone.now(), tick=False):  # the token names the second it is made
        assert send_campaign(clinic, "Winter skin") == 1
        url = f"/n/unsubscribe/{newsletter.unsubscribe_token(consent)}/"
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail_client = Browser(enforce_csrf_checks=True)  # a mail client posts without our token
    assert mail_client.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert list(newsletter.newsletter_recipients(clinic.organisation)) == []
    assert send_campaign(clinic, "Again") == 0
    assert len(mail.outbox) == 1


def test_a_campaign_queued_before_an_unsubscribe_is_not_sent_after_it(clinic):
    consent = newsletter.newsletter_sign_up(
        organisation=clinic.organisation, email="fan@example.test", source="test"
    )
    newsletter.newsletter_confirm(consent=consent)
    mail.outbox.clear()
    campaign = Campaign.objects.create(
        organisation=clinic.organisation, subject="Spring", body="Hi", created_by=clinic.owner.user
    )
    campaign_send(campaign=campaign)
    newsletter.newsletter_unsubscribe(consent=consent)
    deliver_due(worker_id="test")
    assert mail.outbox == []
    assert Message.objects.get().status == "cancelled"
    with pytest.raises(DomainError):
        campaign_send(campaign=campaign)  # sending twice is refused


def test_after_unsubscribing_a_new_sign_up_starts_again_from_pending(clinic):
    first = newsletter.newsletter_sign_up(
        organisation=clinic.organisation, email="fan@example.test", source="test"
    )
    newsletter.newsletter_confirm(consent=first)
    newsletter.newsletter_unsubscribe(consent=first)
    again = newsletter.newsletter_sign_up(
        organisation=clinic.organisation, email="fan@example.test", source="test"
    )
    assert again.pk != first.pk and again.confirmed_at is None
    assert not newsletter.newsletter_confirm(consent=first)
