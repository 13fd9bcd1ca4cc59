"""The front desk takes a phone call: finds nobody on file, registers the caller and
books them, in a real browser (desktop and 375 px, axe-core clean)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from needlepoint.clients.models import Client
from needlepoint.scheduling.models import Booking
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_front_desk_registers_a_phone_caller_and_books_them(page, live_server):
    clinic = factories.clinic()
    consultation = factories.service(
        clinic.location, name="Skin consultation", kind="consultation", area="", indication=""
    )
    factories.client(clinic.organisation, first_name="Priya", last_name="Patel")

    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.front_desk)
        page.get_by_role("link", name="Clients").first.click()
        page.wait_for_url("**/clients/")
        page.wait_for_load_state("load")  # htmx listens from DOMContentLoaded on
        page.get_by_label("Find a client").fill("07400 765432")
        page.get_by_text("No clients found.").wait_for()  # found as typed, no button pressed
        page.get_by_label("Find a client").fill("priya")
        page.get_by_role("link", name="Patel, Priya").wait_for()
        checked(page, "clients-search")

        page.get_by_role("link", name="Add a client").first.click()
        page.get_by_label("First name").fill("Maya")
        page.get_by_label("Last name").fill("Caller")
        page.get_by_label("Date of birth").fill("1991-07-14")
        page.get_by_label("Mobile phone").fill("07400 765432")
        page.get_by_label("Reminders and aftercare by").select_option("sms")
        checked(page, "client-new")
        page.get_by_role("button", name="Add the client").click()
        page.get_by_text("Maya Caller is on file.").wait_for()
        checked(page, "client-registered")

        page.get_by_role("link", name="Book", exact=True).click()
        caller = Client.objects.get(last_name="Caller")
        assert page.get_by_label("Client").input_value() == str(caller.pk)
        page.get_by_label("Service").select_option(label=consultation.name)
        page.get_by_label("Start (local time)").fill("2026-11-24T10:00")
        page.get_by_role("button", name="Book").click()
        page.get_by_text("Booked Skin consultation for Maya Caller").wait_for()

    booking = Booking.objects.get(client=caller)
    assert booking.service == consultation
    assert caller.phone == "+447400765432" and caller.message_channel == "sms"
