"""A manager adds a treatment to the catalogue, choosing its area and indication by name,
in a real browser (desktop and 375 px, axe-core clean)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from needlepoint.clinical import default_rules
from needlepoint.scheduling.models import Service
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_adds_a_service_choosing_area_and_indication_by_name(page, live_server):
    clinic = factories.clinic()
    factories.service(clinic.location, name="Microneedling, face")
    acne = default_rules().indications["ind.acne_scars"].name

    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.manager)
        page.goto(f"{live_server.url}/settings/")
        page.get_by_role("link", name="Services", exact=True).click()
        page.wait_for_url("**/settings/services/")
        checked(page, "settings-services")

        page.get_by_role("link", name="Add a service").click()
        page.wait_for_url("**/settings/services/new/")
        page.get_by_label("Name").fill("Neck and chest, lines")
        page.get_by_label("Kind").select_option(label="Microneedling treatment")
        page.get_by_label("Area treated").select_option(label="Neck and décolletage")
        page.get_by_label("Treats").select_option(label=acne)
        page.get_by_label("Price (GBP)").fill("120.00")
        page.get_by_label("Device needed").select_option(label="Microneedling pen")
        page.get_by_label("Numbing time before (minutes)").fill("30")
        page.get_by_label("Treatment time (minutes)").fill("40")
        page.get_by_label(clinic.practitioner.user.full_name, exact=False).check()
        checked(page, "settings-service-new")
        page.get_by_role("button", name="Add the service").click()
        page.wait_for_url("**/settings/services/")
        page.get_by_text("Neck and chest, lines added.").wait_for()
        checked(page, "settings-service-added")

    made = Service.objects.get(name="Neck and chest, lines")
    assert (made.area, made.indication) == ("area.neck_decolletage", "ind.acne_scars")
    assert made.price_minor == 12000 and made.visit_minutes == 70
    assert list(made.practitioners.all()) == [clinic.practitioner]
