"""Owners and managers add a webhook, send a test event, read the delivery log and a
delivery's tries, send a failed one again and edit the webhook, in Chromium."""

from __future__ import annotations

import pytest

from needlepoint.webhooks.models import DeliveryStatus, WebhookDelivery
from needlepoint.webhooks.services import ping_send, subscription_create
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_adds_a_webhook_and_sends_a_test_event(page, live_server, receiver):
    clinic = factories.clinic()
    sign_in(page, live_server, clinic.owner)
    page.goto(f"{live_server.url}/outbox/")
    page.get_by_role("link", name="Webhooks").click()
    page.get_by_label("Address (URL)").fill(receiver.url)
    page.get_by_label("Booking made").check()
    page.get_by_label("Booking cancelled").check()
    page.get_by_role("button", name="Subscribe").click()
    page.get_by_role("heading", name=f"Subscribed: {receiver.url}").wait_for()
    assert page.locator(".notice .snippet code").inner_text().startswith("whsec_")
    checked(page, "webhooks")
    page.get_by_role("link", name="Open its delivery log").click()
    page.get_by_role("button", name="Send test event").click()
    page.get_by_text("A test event is on its way.").wait_for()
    assert receiver.events() == ["ping"]  # queued on commit, run at once in tests
    page.reload()
    assert page.locator("tbody .badge.ok").inner_text() == "Sent"
    checked(page, "webhook-log")


def test_a_manager_reads_a_failed_deliverys_tries_and_sends_it_again(page, live_server, receiver):
    clinic = factories.clinic()
    receiver.status = 503
    subscription = subscription_create(
        organisation=clinic.organisation, url=receiver.url, events=["booking.created"]
    )
    ping_send(subscription=subscription)  # posted on commit: answered 503
    WebhookDelivery.objects.update(status=DeliveryStatus.FAILED)  # as after its last try
    receiver.status = 200
    sign_in(page, live_server, clinic.manager)
    page.goto(f"{live_server.url}/webhooks/{subscription.pk}/")
    page.get_by_role("link", name="ping").click()
    page.get_by_role("heading", name="Tries").wait_for()
    assert "503" in page.locator("tbody").inner_text()
    checked(page, "webhook-delivery")
    page.get_by_role("button", name="Send again").click()
    page.get_by_text("The delivery is on its way again.").wait_for()
    assert receiver.events() == ["ping", "ping"]
    page.reload()
    assert page.locator("dd .badge").inner_text() == "Sent"
    assert page.locator("tbody tr").count() == 2
    page.get_by_role("link", name="Back to the delivery log").click()
    page.get_by_role("link", name="Change the address or events").click()
    page.get_by_label("Client screened").check()
    checked(page, "webhook-edit")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("The webhook is changed.").wait_for()
    subscription.refresh_from_db()
    assert subscription.events == ["booking.created", "client.screened"]
