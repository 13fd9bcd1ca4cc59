"""The outbox page, the staff home's warnings, and practitioners' calendar feeds."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from needlepoint.notifications.choices import MessageStatus
from needlepoint.notifications.models import Message, WorkerHeartbeat
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from tests import factories

LONDON = ZoneInfo("Europe/London")


def signed_in(member) -> Browser:
    return factories.signed_in(member)


@pytest.fixture
def booked(clinic):
    return booking_create(
        client=factories.screened_client(clinic.organisation, first_name="Ada", last_name="Byron"),
        service=factories.service(clinic.location),
        starts_at=datetime(2027, 3, 29, 10, tzinfo=LONDON),  # the Monday after the clocks change
        channel=Channel.STAFF,
        now=datetime(2027, 3, 20, 9, tzinfo=UTC),
    )


def test_the_outbox_lists_messages_and_sends_a_failed_one_again(clinic, booked):
    failed = Message.objects.get(kind="booking_confirmed")
    Message.objects.filter(pk=failed.pk).update(
        status=MessageStatus.FAILED, attempts=4, last_error="SMTPServerDisconnected: gone"
    )
    browser = signed_in(clinic.front_desk)
    page = browser.get(reverse("notifications:outbox"), {"status": "failed"}).content.decode()
    assert "Booking confirmation" in page
    assert "SMTPServerDisconnected: gone" in page
    response = browser.post(reverse("notifications:resend", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (MessageStatus.PENDING, 0)


def test_a_practitioner_does_not_see_the_outbox(clinic):
    assert signed_in(clinic.practitioner).get(reverse("notifications:outbox")).status_code == 403


def test_another_clinic_cannot_resend_our_messages(booked, other_clinic):
    message = Message.objects.first()
    assert message is not None
    response = signed_in(other_clinic.owner).post(
        reverse("notifications:resend", args=[message.pk])
    )
    assert response.status_code == 404


def test_the_home_page_says_plainly_when_messages_are_not_going_out(clinic, booked):
    browser = signed_in(clinic.owner)
    page = browser.get(reverse("staff:home")).content.decode()
    assert "Messages are not going out." in page
    assert "No background worker has run yet." in page
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", beat_at=now, started_at=now)
    Message.objects.all().update(status=MessageStatus.SENT, sent_at=now)
    page = browser.get(reverse("staff:home")).content.decode()
    assert "Messages are not going out." not in page
    with time_machine.travel(now + timedelta(minutes=10)):
        page = browser.get(reverse("staff:home")).content.decode()
    assert "The background worker was last seen 10" in page


def test_overdue_messages_show_on_the_home_page(clinic, booked):
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w1", beat_at=now, started_at=now)
    Message.objects.filter(kind="booking_confirmed").update(
        next_attempt_at=now - timedelta(hours=1)
    )
    page = signed_in(clinic.owner).get(reverse("staff:home")).content.decode()
    assert "overdue" in page


def test_a_practitioner_subscribes_to_a_private_feed_with_times_right_across_the_clock_change(
    clinic, booked
):
    with time_machine.travel(datetime(2027, 3, 20, 9, tzinfo=UTC), tick=False):
        _subscribe_and_read_the_feed(clinic)


def _subscribe_and_read_the_feed(clinic):
    browser = signed_in(clinic.practitioner)
    page = browser.post(reverse("notifications:feed_settings"), {"action": "new"}).content.decode()
    url = re.search(r"http://testserver(/feeds/[^<]+\.ics)", page)
    assert url is not None
    feed = Browser().get(url.group(1))
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2027, 3, 29, 9, tzinfo=UTC)  # 10:00 BST
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(hours=1)
    assert "(AB)" in str(event.get("summary"))  # initials only
    assert "Ada" not in feed.content.decode()
    browser.post(reverse("notifications:feed_settings"), {"action": "off"})
    assert Browser().get(url.group(1)).status_code == 404


def test_a_guessed_feed_address_finds_nothing(db):
    assert Browser().get("/feeds/not-a-real-token.ics").status_code == 404


def test_a_manager_writes_previews_and_sends_a_newsletter_to_confirmed_subscribers(clinic):
    from needlepoint.clients import newsletter as subscriptions

    for address, confirmed in (("yes@example.test", True), ("pending@example.test", False)):
        consent = subscriptions.newsletter_sign_up(
            organisation=clinic.organisation, email=address, source="test"
        )
        if confirmed:
            subscriptions.newsletter_confirm(consent=consent)
    browser = signed_in(clinic.manager)
    response = browser.post(
        reverse("notifications:newsletter"),
        {"subject": "Winter skin", "body": "Hydrate. See https://example.test/tips"},
    )
    preview = browser.get(response["Location"]).content.decode()
    assert "Send to 1 confirmed subscriber" in preview
    assert '<a href="https://example.test/tips"' in preview
    page = browser.post(response["Location"], follow=True).content.decode()
    assert "Queued for 1 subscriber." in page
    (message,) = Message.objects.filter(kind="newsletter")
    assert message.recipient == "yes@example.test"
    assert signed_in(clinic.front_desk).get(reverse("notifications:newsletter")).status_code == 403


def test_an_owner_writes_the_clinics_own_reminder_and_it_is_what_clients_receive(clinic, booked):
    from django.core import mail

    from needlepoint.notifications.delivery import deliver_due
    from needlepoint.notifications.models import MessageWording

    browser = signed_in(clinic.owner)
    url = reverse("notifications:wording", args=["reminder", "email"])
    page = browser.get(url).content.decode()
    assert "Hello Alex," in page  # the starting point, previewed with sample values
    wording = {"subject": "See you $when", "body": "Hi $first_name, see you at $location."}
    preview = browser.post(url, {**wording, "action": "preview"}).content.decode()
    assert "See you Tuesday 24 November 2026 at 10:00" in preview
    assert not MessageWording.objects.exists()
    refused = browser.post(url, {**wording, "body": "Hi $name", "action": "save"})
    assert "Unknown placeholder $name" in refused.content.decode()
    browser.post(url, {**wording, "action": "save"})
    with time_machine.travel(datetime(2027, 3, 27, 10, tzinfo=UTC), tick=False):
        deliver_due(worker_id="test")
    reminder = next(email for email in mail.outbox if email.subject.startswith("See you"))
    assert reminder.subject == "See you Monday 29 March 2027 at 10:00"
    assert reminder.body.strip() == "Hi Ada, see you at Harbour Street."
    browser.post(url, {**wording, "action": "reset"})
    assert not MessageWording.objects.exists()
