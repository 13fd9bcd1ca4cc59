"""An owner adds a webhook, sends a test event and reads the delivery log in Chromium."""

from __future__ import annotations

import pytest

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
