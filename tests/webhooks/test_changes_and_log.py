"""Owners and managers read each try of a delivery, send a failed one again, edit a webhook,
turn one on again, and rotate its secret without breaking a receiver that hasn't caught up.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from needlepoint.audit.models import AuditEvent
from needlepoint.scheduling.services import booking_cancel
from needlepoint.webhooks.delivery import GIVE_UP_AFTER, RETRY_DELAYS, deliver_due
from needlepoint.webhooks.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from tests import factories
from tests.webhooks.test_webhooks import BOOKED_AT, book, signatures, subscribe, verified


@pytest.fixture
def frozen():
    with time_machine.travel(BOOKED_AT, tick=False) as traveller:
        yield traveller


def delivery_url(delivery: WebhookDelivery) -> str:
    return reverse(
        "webhooks:delivery",
        kwargs={"subscription_id": delivery.subscription_id, "delivery_id": delivery.pk},
    )


def give_up(clinic, receiver) -> WebhookDelivery:
    """A booking whose webhook the receiver refused at every try, until it was failed."""
    receiver.status = 500
    subscribe(clinic.organisation, receiver.url, ["booking.created"])
    moment = BOOKED_AT
    with time_machine.travel(moment, tick=False):
        book(clinic)
    for delay in [*RETRY_DELAYS, timedelta(0)]:
        with time_machine.travel(moment, tick=False):
            assert deliver_due(worker_id="test") == 1
        moment += delay
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    return delivery


def test_each_try_is_kept_with_its_answer_and_shown_on_the_delivery(clinic, receiver):
    delivery = give_up(clinic, receiver)
    tries = list(delivery.attempt_log.order_by("attempted_at"))
    assert len(tries) == GIVE_UP_AFTER == 6
    assert [t.attempted_at - BOOKED_AT for t in tries] == [
        timedelta(0),
        timedelta(minutes=1),
        timedelta(minutes=6),
        timedelta(minutes=36),
        timedelta(hours=2, minutes=36),
        timedelta(hours=8, minutes=36),
    ]
    assert {(t.status_code, t.response_excerpt, t.error) for t in tries} == {
        (500, "receiver broke", "")
    }
    assert all(t.duration_ms >= 0 for t in tries)
    page = factories.signed_in(clinic.manager).get(delivery_url(delivery))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert text.count("receiver broke") == 6 and "20 Nov 2026 09:01:00" in text
    assert str(delivery.idempotency_key) in text


def test_a_try_that_got_no_answer_keeps_the_network_error(clinic, receiver, frozen):
    subscription = subscribe(clinic.organisation, receiver.url, ["booking.created"])
    WebhookSubscription.objects.filter(pk=subscription.pk).update(url="http://127.0.0.1:9/hook")
    book(clinic)
    deliver_due(worker_id="test")
    (attempt,) = WebhookAttempt.objects.all()
    assert attempt.status_code is None and attempt.response_excerpt == ""
    assert attempt.error.startswith("ConnectionRefusedError")
    page = factories.signed_in(clinic.owner).get(delivery_url(attempt.delivery))
    assert "ConnectionRefusedError" in page.content.decode()


def test_a_failed_delivery_is_sent_again_with_its_id_and_a_fresh_signature(clinic, receiver):
    delivery = give_up(clinic, receiver)
    first = receiver.received[0]
    receiver.status = 200
    later = BOOKED_AT + timedelta(days=2)
    browser = factories.signed_in(clinic.manager)
    with time_machine.travel(later, tick=False):
        log = browser.get(reverse("webhooks:detail", args=[delivery.subscription_id]))
        assert "Send again" in log.content.decode()
        answer = browser.post(delivery_url(delivery), {"action": "resend"})
        assert answer.status_code == 302
        assert deliver_due(worker_id="test") == 1
    again = receiver.received[-1]
    assert len(receiver.received) == 7
    assert again.raw == first.raw  # the same body, so the same id
    assert again.headers["X-Needlepoint-Delivery"] == str(delivery.idempotency_key)
    assert again.headers["X-Needlepoint-Signature"].startswith(f"t={int(later.timestamp())},")
    assert verified(again, delivery.subscription.secret)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.delivered_at, delivery.response_code) == ("sent", later, 200)
    assert delivery.attempt_log.count() == 7
    event = AuditEvent.objects.filter(detail__change="delivery sent again").get()
    assert event.detail["delivery"] == str(delivery.idempotency_key)
    assert event.actor == clinic.manager.user.email


def test_only_a_failed_delivery_can_be_sent_again(clinic, receiver, frozen):
    subscribe(clinic.organisation, receiver.url, ["booking.created"])
    book(clinic)
    deliver_due(worker_id="test")
    delivery = WebhookDelivery.objects.get()
    browser = factories.signed_in(clinic.owner)
    answer = browser.post(delivery_url(delivery), {"action": "resend"}, follow=True)
    assert "Only a failed delivery can be sent again." in answer.content.decode()
    assert len(receiver.received) == 1
    assert not AuditEvent.objects.filter(detail__change="delivery sent again").exists()


def test_a_delivery_of_a_turned_off_webhook_is_not_sent_again(clinic, receiver):
    delivery = give_up(clinic, receiver)
    browser = factories.signed_in(clinic.owner)
    browser.post(reverse("webhooks:detail", args=[delivery.subscription_id]), {"action": "off"})
    answer = browser.post(delivery_url(delivery), {"action": "resend"}, follow=True)
    assert "This subscription is turned off." in answer.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_the_front_desk_and_other_clinics_cannot_send_a_delivery_again(
    clinic, other_clinic, receiver
):
    delivery = give_up(clinic, receiver)
    desk = factories.signed_in(clinic.front_desk)
    assert desk.post(delivery_url(delivery), {"action": "resend"}).status_code == 403
    outsider = factories.signed_in(other_clinic.owner)
    assert outsider.get(delivery_url(delivery)).status_code == 404
    assert outsider.post(delivery_url(delivery), {"action": "resend"}).status_code == 404
    mine = subscribe(other_clinic.organisation, receiver.url, ["booking.created"])
    wrong_pair = reverse(
        "webhooks:delivery", kwargs={"subscription_id": mine.pk, "delivery_id": delivery.pk}
    )
    assert outsider.get(wrong_pair).status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED


def test_a_webhooks_address_and_events_are_edited(clinic, receivers, frozen):
    first, second = receivers[:2]
    subscription = subscribe(clinic.organisation, first.url, ["booking.created"])
    browser = factories.signed_in(clinic.manager)
    edit = reverse("webhooks:edit", args=[subscription.pk])
    page = browser.get(edit)
    assert page.status_code == 200 and first.url in page.content.decode()
    answer = browser.post(edit, {"url": second.url, "events": ["booking.cancelled"]})
    assert answer.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.url, subscription.events) == (second.url, ["booking.cancelled"])
    booking = book(clinic)
    booking_cancel(booking=booking, now=BOOKED_AT)
    deliver_due(worker_id="test")
    assert first.received == [] and second.events() == ["booking.cancelled"]
    event = AuditEvent.objects.filter(detail__change="edited").get()
    assert event.detail["previous_url"] == first.url
    assert event.detail["events"] == ["booking.cancelled"]


def test_an_edit_is_checked_as_a_new_webhook_is(clinic, receiver, settings):
    subscription = subscribe(clinic.organisation, receiver.url, ["booking.created"])
    settings.WEBHOOK_ALLOW_PRIVATE = False
    browser = factories.signed_in(clinic.owner)
    edit = reverse("webhooks:edit", args=[subscription.pk])
    page = browser.post(edit, {"url": "https://10.0.0.8/hook", "events": ["booking.created"]})
    assert page.status_code == 200
    assert "a private, loopback or link-local address" in page.content.decode()
    page = browser.post(edit, {"url": receiver.url, "events": []})
    assert page.status_code == 200
    subscription.refresh_from_db()
    assert (subscription.url, subscription.events) == (receiver.url, ["booking.created"])


def test_a_turned_off_webhook_is_turned_on_again(clinic, receiver, frozen):
    subscription = subscribe(clinic.organisation, receiver.url, ["booking.created"])
    browser = factories.signed_in(clinic.owner)
    detail = reverse("webhooks:detail", args=[subscription.pk])
    browser.post(detail, {"action": "off"})
    book(clinic)  # while it is off: not written
    assert "Turn on again" in browser.get(detail).content.decode()
    assert browser.post(detail, {"action": "on"}).status_code == 302
    subscription.refresh_from_db()
    assert subscription.active
    book(clinic, starts_at=BOOKED_AT + timedelta(days=6))
    deliver_due(worker_id="test")
    assert receiver.events() == ["booking.created"]
    changes = AuditEvent.objects.filter(target_id=f"webhook {subscription.pk}")
    assert [e.detail.get("change") for e in changes.order_by("pk")] == [
        None,
        "turned off",
        "turned on",
    ]


def test_after_a_new_secret_both_sign_for_a_day_then_only_the_new_one(clinic, receiver):
    with time_machine.travel(BOOKED_AT, tick=False):
        subscription = subscribe(clinic.organisation, receiver.url, ["booking.created"])
        old = subscription.secret
        factories.signed_in(clinic.manager).post(
            reverse("webhooks:detail", args=[subscription.pk]), {"action": "rotate"}
        )
        subscription.refresh_from_db()
        book(clinic)
        deliver_due(worker_id="test")
    within = receiver.received[-1]
    assert len(signatures(within)) == 2
    assert verified(within, subscription.secret) and verified(within, old)
    with time_machine.travel(BOOKED_AT + timedelta(hours=23, minutes=59), tick=False):
        book(clinic, starts_at=BOOKED_AT + timedelta(days=6))
        deliver_due(worker_id="test")
    assert verified(receiver.received[-1], old)
    with time_machine.travel(BOOKED_AT + timedelta(hours=24), tick=False):
        book(clinic, starts_at=BOOKED_AT + timedelta(days=7))
        deliver_due(worker_id="test")
    after = receiver.received[-1]
    assert len(signatures(after)) == 1
    assert verified(after, subscription.secret) and not verified(after, old)
