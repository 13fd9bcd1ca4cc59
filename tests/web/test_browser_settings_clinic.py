"""A manager gives a location a lunch break on Wednesdays and closes it for Christmas, on
Settings' own pages in a real browser (desktop and 375 px, axe-core clean)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from needlepoint.clinics.models import Closure, OpeningHours
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_edits_a_locations_hours_and_adds_a_closure(page, live_server):
    clinic = factories.clinic()
    place = clinic.location

    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.manager)
        page.goto(f"{live_server.url}/settings/")
        checked(page, "settings-clinic-home")
        page.get_by_role("link", name="Organisation", exact=True).click()
        page.wait_for_url("**/settings/organisation/")
        checked(page, "settings-clinic-organisation")
        page.goto(f"{live_server.url}/settings/")
        page.get_by_role("link", name="Locations", exact=True).click()
        page.wait_for_url("**/settings/locations/")
        checked(page, "settings-clinic-locations")

        page.get_by_role("link", name="Harbour Street").click()
        page.wait_for_url(f"**/settings/locations/{place.slug}/")
        checked(page, "settings-clinic-location")

        page.get_by_role("link", name="Opening hours", exact=True).click()
        page.wait_for_url("**/hours/")
        page.get_by_label("Wednesday, period 1: Closes").fill("12:30")
        page.get_by_label("Wednesday, period 2: Opens").fill("13:30")
        page.get_by_label("Wednesday, period 2: Closes").fill("18:00")
        page.get_by_label("Closed on Saturday").check()
        assert not page.get_by_label("Saturday, period 1: Opens").is_visible()
        checked(page, "settings-clinic-hours")
        page.get_by_role("button", name="Save the week").click()
        page.get_by_text("Opening hours saved.").wait_for()
        assert page.get_by_text("Wednesday 9:00–12:30, 13:30–18:00").is_visible()

        page.get_by_role("link", name="Closures", exact=True).click()
        page.wait_for_url("**/closures/")
        page.get_by_label("From").fill("2026-12-27")
        page.get_by_label("To (included)").fill("2026-12-24")
        page.get_by_label("Reason").fill("Christmas")
        page.get_by_role("button", name="Add the closure").click()
        page.get_by_text("A closure must end on or after the day it starts.").wait_for()
        checked(page, "settings-clinic-closure-refused")
        page.get_by_label("From").fill("2026-12-24")
        page.get_by_label("To (included)").fill("2026-12-27")
        page.get_by_role("button", name="Add the closure").click()
        page.get_by_text("Closed: Christmas.").wait_for()
        checked(page, "settings-clinic-closures")

        page.get_by_role("link", name="Rooms", exact=True).click()
        page.wait_for_url("**/rooms/")
        page.get_by_label("Room name").fill("Room 2")
        page.get_by_role("button", name="Add the room").click()
        page.get_by_text("Room 2 added.").wait_for()
        checked(page, "settings-clinic-rooms")

    wednesday = OpeningHours.objects.filter(location=place, weekday=2).order_by("opens")
    assert [(row.opens, row.closes) for row in wednesday] == [
        (time(9), time(12, 30)),
        (time(13, 30), time(18)),
    ]
    assert not OpeningHours.objects.filter(location=place, weekday=5).exists()
    closure = Closure.objects.get(location=place)
    assert (closure.starts_on, closure.ends_on) == (date(2026, 12, 24), date(2026, 12, 27))
