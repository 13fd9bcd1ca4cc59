"""The front desk finds a client on file twice and merges the duplicate into the record
that holds the medical history, in a real browser (desktop and 375 px, axe-core clean)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from needlepoint.clients.models import Client
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_front_desk_merges_a_duplicate_record(page, live_server):
    clinic = factories.clinic()
    born = date(1988, 4, 9)
    kept = factories.screened_client(
        clinic.organisation, first_name="Dana", last_name="Whitfield", email="", date_of_birth=born
    )
    duplicate = factories.client(
        clinic.organisation,
        first_name="Dana",
        last_name="Whitfield",
        email="dana@example.test",
        phone="",
        date_of_birth=born,
        alert="Prefers mornings",
    )

    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.front_desk)
        page.goto(f"{live_server.url}/clients/{kept.public_id}/")
        page.get_by_role("link", name="Merge a duplicate").click()
        page.wait_for_url(f"**/clients/{kept.public_id}/merge/")
        page.get_by_role("link", name="Dana Whitfield").first.click()
        page.wait_for_url("**/merge/?other=*")
        page.get_by_role("heading", name="Side by side").wait_for()
        page.get_by_label("Why are they the same person?").fill("Same birthday, booked online.")
        page.get_by_label("I have checked: these two records are the same person.").check()
        checked(page, "client-merge")
        page.get_by_role("button", name="Merge and close the duplicate").click()
        page.wait_for_url(f"**/clients/{kept.public_id}/")
        page.get_by_text("The duplicate record is merged into Dana Whitfield's.").wait_for()

        page.goto(f"{live_server.url}/clients/{duplicate.public_id}/")
        page.get_by_role("status").get_by_role("link", name="Dana Whitfield").wait_for()
        checked(page, "client-merged")

    kept.refresh_from_db()
    assert kept.email == "dana@example.test" and kept.alert == "Prefers mornings"
    assert Client.objects.get(pk=duplicate.pk).merged_into == kept
