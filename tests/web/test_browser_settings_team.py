"""A manager invites a new practitioner from Settings › Team and sets their working week,
in a real browser (desktop and 375 px, axe-core clean)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
import time_machine
from django.core import mail

from needlepoint.clinics.models import StaffMember
from needlepoint.scheduling.models import WorkingPeriod
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_invites_a_practitioner_and_sets_their_week(page, live_server):
    clinic = factories.clinic()

    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.manager)
        page.goto(f"{live_server.url}/settings/")
        page.get_by_role("link", name="Team").first.click()
        page.wait_for_url("**/settings/team/")
        checked(page, "settings-team")

        page.get_by_role("link", name="Invite someone").click()
        page.wait_for_url("**/settings/team/invite/")
        page.get_by_label("Name").fill("Nadia Newcomer")
        page.get_by_label("Email").fill("nadia@example.test")
        page.get_by_label("Role").select_option(label="Practitioner")
        page.get_by_label("Harbour Street").check()
        checked(page, "settings-team-invite")
        page.get_by_role("button", name="Send the invitation").click()
        page.get_by_text("Nadia Newcomer is invited").wait_for()
        checked(page, "settings-team-member")

        page.get_by_role("link", name="Set the week at Harbour Street").click()
        page.wait_for_url("**/shifts/harbour-street/")
        page.get_by_label("Monday starts", exact=True).fill("09:00")
        page.get_by_label("Monday ends", exact=True).fill("13:00")
        page.get_by_label("Monday starts (second period)").fill("14:00")
        page.get_by_label("Monday ends (second period)").fill("18:00")
        page.get_by_label("Wednesday starts", exact=True).fill("10:00")
        page.get_by_label("Wednesday ends", exact=True).fill("16:00")
        page.get_by_role("button", name="Save the week").click()
        page.get_by_text("Nadia Newcomer's week at Harbour Street is saved.").wait_for()
        checked(page, "settings-team-week")

    member = StaffMember.objects.get(user__email="nadia@example.test")
    assert [len(mail.outbox), mail.outbox[0].to] == [1, ["nadia@example.test"]]
    week = WorkingPeriod.objects.filter(staff=member).order_by("weekday", "starts")
    assert [(p.weekday, p.starts, p.ends) for p in week] == [
        (0, time(9), time(13)),
        (0, time(14), time(18)),
        (2, time(10), time(16)),
    ]
