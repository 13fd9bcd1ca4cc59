"""Webhooks: written with the change, posted once, signed, retried, refused where unsafe."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import transaction

from needlepoint.clients.services import screening_run
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import (
    booking_cancel,
    booking_create,
    booking_no_show,
    booking_reschedule,
)
from needlepoint.webhooks.delivery import RETRY_DELAYS, deliver_due
from needlepoint.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from needlepoint.webhooks.services import subscription_create
from tests import factories
from tests.notifications.test_planning import complete_a_session
from tests.webhooks.conftest import Received

BOOKED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
VISIT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
EVERY_EVENT = [
    "booking.created",
    "booking.changed",
    "booking.cancelled",
    "session.completed",
    "client.screened",
]


@pytest.fixture
def frozen():
    with time_machine.travel(BOOKED_AT, tick=False) as traveller:
        yield traveller


def book(clinic, client=None, starts_at=VISIT):
    return booking_create(
        client=client or factories.screened_client(clinic.organisation, first_name="Nia"),
        service=factories.service(clinic.location),
        starts_at=starts_at,
        channel=Channel.STAFF,
        now=BOOKED_AT,
    )


def subscribe(organisation, url, events):
    return subscription_create(organisation=organisation, url=url, events=events)


def signatures(item: Received) -> list[str]:
    """The header's ``v1`` values: one per secret in force, the newest first."""
    parts = item.headers["X-Needlepoint-Signature"].split(",")
    return [part.removeprefix("v1=") for part in parts if part.startswith("v1=")]


def verified(item: Received, secret: str) -> bool:
    """What a receiver does with the secret: docs/webhooks.md's recipe."""
    timestamp = item.headers["X-Needlepoint-Signature"].split(",")[0].removeprefix("t=")
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + item.raw, hashlib.sha256
    ).hexdigest()
    return any(hmac.compare_digest(expected, found) for found in signatures(item))


def test_a_booking_reaches_each_subscribed_url_once_signed_with_its_key(
    clinic, other_clinic, receivers, frozen
):
    first, second, unsubscribed, elsewhere = receivers
    a = subscribe(clinic.organisation, first.url, ["booking.created"])
    b = subscribe(clinic.organisation, second.url, ["booking.created", "booking.cancelled"])
    subscribe(clinic.organisation, unsubscribed.url, ["booking.cancelled"])
    subscribe(other_clinic.organisation, elsewhere.url, EVERY_EVENT)
    booking = book(clinic)
    assert deliver_due(worker_id="test") == 2
    assert deliver_due(worker_id="test") == 0  # nothing twice
    assert unsubscribed.received == [] and elsewhere.received == []
    for receiver, subscription in ((first, a), (second, b)):
        (item,) = receiver.received
        delivery = WebhookDelivery.objects.get(subscription=subscription)
        assert verified(item, subscription.secret)
        assert not verified(item, "another secret")
        assert item.headers["Content-Type"] == "application/json"
        assert item.headers["X-Needlepoint-Event"] == "booking.created"
        assert item.headers["X-Needlepoint-Delivery"] == str(delivery.idempotency_key)
        assert item.headers["X-Needlepoint-Signature"].startswith(
            f"t={int(BOOKED_AT.timestamp())},v1="
        )
        assert item.body == {
            "id": str(delivery.idempotency_key),
            "event": "booking.created",
            "created_at": "2026-11-20T09:00:00Z",
            "data": {
                "booking": str(booking.public_id),
                "client": str(booking.client.public_id),
                "starts_at": "2026-11-25T10:00:00Z",
                "ends_at": "2026-11-25T11:00:00Z",
                "service": {"id": str(booking.service.public_id), "name": "Microneedling — face"},
                "location": {"id": str(clinic.location.public_id), "name": "Harbour Street"},
                "status": "booked",
            },
        }
        assert b"Nia" not in item.raw and booking.client.email.encode() not in item.raw
        assert (delivery.status, delivery.attempts, delivery.response_code) == ("sent", 1, 200)
        assert delivery.response_excerpt == "thanks"
        assert delivery.delivered_at == BOOKED_AT


def test_every_change_is_reported_in_order_without_clinical_detail(clinic, receiver, frozen):
    client = factories.screened_client(clinic.organisation, first_name="Nia")
    subscription = subscribe(clinic.organisation, receiver.url, EVERY_EVENT)
    booking = book(clinic, client)
    booking_reschedule(booking=booking, starts_at=VISIT + timedelta(hours=2), now=BOOKED_AT)
    booking_cancel(booking=booking, now=BOOKED_AT)
    other = book(clinic, client, starts_at=VISIT + timedelta(days=1))
    booking_no_show(booking=other, now=VISIT + timedelta(days=1, minutes=20))
    treated = book(clinic, client, starts_at=VISIT - timedelta(days=1))
    session = complete_a_session(clinic, treated, "0.5", VISIT)
    screening_run(client=client, on_date=BOOKED_AT.date())
    deliver_due(worker_id="test")
    bodies = [item.body for item in receiver.received]
    changes = [(body["event"], body["data"].get("change", "")) for body in bodies]
    assert changes == [
        ("booking.created", ""),
        ("booking.changed", "rescheduled"),
        ("booking.cancelled", ""),
        ("booking.created", ""),
        ("booking.changed", "no_show"),
        ("booking.created", ""),
        ("booking.changed", "checked_in"),
        ("booking.changed", "completed"),
        ("session.completed", ""),
        ("client.screened", ""),
    ]
    assert bodies[1]["data"]["previous_starts_at"] == "2026-11-25T10:00:00Z"
    assert bodies[1]["data"]["starts_at"] == "2026-11-25T12:00:00Z"
    assert bodies[2]["data"]["status"] == "cancelled"
    assert bodies[8]["data"] == {
        "session": str(session.public_id),
        "client": str(client.public_id),
        "performed_on": session.performed_on.isoformat(),
    }
    assert bodies[9]["data"] == {"client": str(client.public_id), "outcome": "cleared"}
    assert all(verified(item, subscription.secret) for item in receiver.received)
    raw = b"".join(item.raw for item in receiver.received)
    for private in (b"Nia", client.last_name.encode(), client.email.encode(), b"zone", b"depth"):
        assert private not in raw


def test_a_failing_receiver_is_retried_with_back_off_then_failed(clinic, receiver):
    receiver.status = 500
    subscribe(clinic.organisation, receiver.url, ["booking.created"])
    moment = BOOKED_AT
    with time_machine.travel(moment, tick=False):
        book(clinic)
    delivery = WebhookDelivery.objects.get()
    for attempt, delay in enumerate([*RETRY_DELAYS, None], start=1):
        with time_machine.travel(moment - timedelta(seconds=1), tick=False):
            assert deliver_due(worker_id="test") == 0  # not yet due
        with time_machine.travel(moment, tick=False):
            assert deliver_due(worker_id="test") == 1
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.response_code) == (attempt, 500)
        assert delivery.response_excerpt == "receiver broke"
        if delay is None:
            assert delivery.status == DeliveryStatus.FAILED
        else:
            assert delivery.status == DeliveryStatus.PENDING
            assert delivery.next_attempt_at == moment + delay
            moment += delay
    assert [d.total_seconds() for d in RETRY_DELAYS] == [60, 300, 1800, 7200, 21600]
    with time_machine.travel(moment + timedelta(days=1), tick=False):
        assert deliver_due(worker_id="test") == 0
    keys = {item.headers["X-Needlepoint-Delivery"] for item in receiver.received}
    assert len(receiver.received) == 6 and keys == {str(delivery.idempotency_key)}


def test_a_receiver_that_cannot_be_reached_is_retried(clinic, receiver, frozen):
    subscription = subscribe(clinic.organisation, receiver.url, ["booking.created"])
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url="http://127.0.0.1:9/hook")
    book(clinic)
    deliver_due(worker_id="test")
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_code) == ("pending", None)
    assert "ConnectionRefusedError" in delivery.response_excerpt


def test_a_booking_rolled_back_sends_no_webhook(clinic, receiver, frozen):
    subscribe(clinic.organisation, receiver.url, EVERY_EVENT)
    client = factories.screened_client(clinic.organisation)
    deliver_due(worker_id="test")
    receiver.received.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        book(clinic, client)
        raise RuntimeError("the rest of the request failed")
    assert WebhookDelivery.objects.filter(event="booking.created").count() == 0
    assert deliver_due(worker_id="test") == 0
    assert receiver.received == []


def test_a_refused_booking_sends_no_webhook(clinic, receiver, frozen):
    subscribe(clinic.organisation, receiver.url, ["booking.created"])
    book(clinic)
    with pytest.raises(DomainError):
        book(clinic)  # the same time again: taken
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://10.1.2.3/hook", "10.1.2.3, a private"),
        ("https://127.0.0.1:8443/hook", "127.0.0.1, a private, loopback"),
        ("https://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("https://[::1]/hook", "::1"),
        ("https://[::ffff:192.168.1.10]/hook", "192.168.1.10"),
        ("https://localhost/hook", "resolves to"),
    ],
)
def test_private_addresses_are_refused_unless_allowed(clinic, settings, url, why):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(DomainError) as refused:
        subscribe(clinic.organisation, url, ["booking.created"])
    assert refused.value.code == "unsafe_webhook_url"
    assert why in refused.value.message
    assert "Webhooks go only to addresses on the public internet." in refused.value.message
    assert WebhookSubscription.objects.count() == 0


def test_plain_http_is_refused_unless_allowed(clinic, settings):
    settings.WEBHOOK_ALLOW_HTTP = False
    with pytest.raises(DomainError, match="must start with https://"):
        subscribe(clinic.organisation, "http://127.0.0.1/hook", ["booking.created"])


def test_an_address_that_turned_private_is_not_posted_to(clinic, receiver, settings, frozen):
    """Checked again before each post, and the post goes to the checked address."""
    subscribe(clinic.organisation, receiver.url, ["booking.created"])
    book(clinic)
    settings.WEBHOOK_ALLOW_PRIVATE = False
    deliver_due(worker_id="test")
    assert receiver.received == []
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert "a private, loopback or link-local address" in delivery.response_excerpt


def test_owners_add_a_webhook_see_its_secret_once_and_send_a_test_event(clinic, receiver):
    browser = factories.signed_in(clinic.owner)
    page = browser.post(
        "/webhooks/", {"url": receiver.url, "events": ["booking.created", "client.screened"]}
    )
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["booking.created", "client.screened"]
    assert subscription.secret in page.content.decode()
    assert page["Cache-Control"] == "no-store"
    assert subscription.secret not in browser.get("/webhooks/").content.decode()
    answer = browser.post(f"/webhooks/{subscription.pk}/", {"action": "test"})
    assert answer.status_code == 302
    deliver_due(worker_id="test")
    (ping,) = receiver.received
    assert ping.headers["X-Needlepoint-Event"] == "ping"
    assert ping.body["event"] == "ping"
    assert verified(ping, subscription.secret)
    log = browser.get(f"/webhooks/{subscription.pk}/").content.decode()
    assert "ping" in log and "Sent" in log and "200" in log


def test_the_page_refuses_a_private_address_with_the_reason(clinic, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    page = factories.signed_in(clinic.manager).post(
        "/webhooks/", {"url": "https://192.168.0.7/hook", "events": ["booking.created"]}
    )
    assert page.status_code == 200
    assert "a private, loopback or link-local address" in page.content.decode()
    assert WebhookSubscription.objects.count() == 0


def test_rotating_the_secret_signs_with_the_new_one_first(clinic, receiver, frozen):
    subscription = subscribe(clinic.organisation, receiver.url, ["booking.created"])
    old = subscription.secret
    page = factories.signed_in(clinic.manager).post(
        f"/webhooks/{subscription.pk}/", {"action": "rotate"}
    )
    subscription.refresh_from_db()
    assert subscription.secret != old and subscription.secret in page.content.decode()
    assert old not in page.content.decode()
    book(clinic)
    deliver_due(worker_id="test")
    (item,) = receiver.received
    newest, _ = signatures(item)
    stamp = int(BOOKED_AT.timestamp())
    assert (
        newest
        == hmac.new(
            subscription.secret.encode(), f"{stamp}.".encode() + item.raw, hashlib.sha256
        ).hexdigest()
    )
    assert verified(item, old) and not verified(item, "another secret")


def test_a_turned_off_subscription_gets_nothing_more(clinic, receiver, frozen):
    subscription = subscribe(clinic.organisation, receiver.url, ["booking.created"])
    book(clinic)
    browser = factories.signed_in(clinic.owner)
    browser.post(f"/webhooks/{subscription.pk}/", {"action": "off"})
    book(clinic, starts_at=VISIT + timedelta(hours=3))
    assert deliver_due(worker_id="test") == 0
    assert receiver.received == []
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED
    assert browser.post(f"/webhooks/{subscription.pk}/", {"action": "test"}).status_code == 302
    assert WebhookDelivery.objects.count() == 1


def test_another_clinics_webhook_is_not_found(clinic, other_clinic, receiver):
    theirs = subscribe(other_clinic.organisation, receiver.url, ["booking.created"])
    browser = factories.signed_in(clinic.owner)
    assert browser.get(f"/webhooks/{theirs.pk}/").status_code == 404
    assert browser.post(f"/webhooks/{theirs.pk}/", {"action": "test"}).status_code == 404
    assert theirs.url not in browser.get("/webhooks/").content.decode()
