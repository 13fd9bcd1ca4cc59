"""A manager starts the clinic's consent forms from Settings and publishes a new version;
the owner adjusts a clinical rule (desktop and 375 px, axe-core clean)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from needlepoint.consents.models import ConsentForm
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_starts_the_consent_forms_and_publishes_a_new_version(page, live_server):
    clinic = factories.clinic()
    factories.service(clinic.location)

    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.manager)
        page.goto(f"{live_server.url}/settings/")
        page.get_by_role("link", name="Consent forms").click()
        page.wait_for_url("**/settings/consent-forms/")
        checked(page, "settings-consent-forms-empty")
        page.get_by_role("button", name="Add the starter consent form").click()
        page.get_by_text("The starter consent form is ready").wait_for()
        checked(page, "settings-consent-forms")

        page.get_by_role("link", name="Microneedling consent").click()
        page.wait_for_url("**/settings/consent-forms/*/")
        page.get_by_label("Wording").fill("Microneedling makes tiny punctures in the skin.")
        page.get_by_label("Covers needling up to").select_option(label="Mid dermal, up to 1.5 mm")
        page.get_by_label("Roller").uncheck()
        page.get_by_label("Stamp").uncheck()
        checked(page, "settings-consent-form-edit")
        page.get_by_role("button", name="Publish").click()
        page.get_by_text("Version 2 is published").wait_for()

        page.get_by_role("link", name="Microneedling consent").click()
        page.wait_for_url("**/settings/consent-forms/*/")
        page.get_by_role("link", name="Version 1", exact=True).click()
        page.wait_for_url("**/versions/1/")
        page.get_by_text("It never changes.").wait_for()
        checked(page, "settings-consent-form-version")

    form = ConsentForm.objects.get()
    latest = form.versions.order_by("-version").first()
    assert (latest.version, latest.depth_band, latest.device_kinds) == (
        2,
        "band.mid_dermal",
        ["pen"],
    )


def test_the_owner_adjusts_a_clinical_rule(page, live_server):
    clinic = factories.clinic()

    with time_machine.travel(datetime(2026, 11, 23, 8, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.owner)
        page.goto(f"{live_server.url}/settings/clinical-rules/")
        checked(page, "settings-clinical-rules")
        page.get_by_role("link", name="Oral isotretinoin now or recently").click()
        page.wait_for_url("**/clinical-rules/ci.isotretinoin_recent.wait/")
        page.get_by_label("How long").fill("3")
        page.get_by_label("Unit").select_option("M")
        checked(page, "settings-clinical-rule-edit")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url("**/settings/clinical-rules/")
        page.get_by_text("Saved: Oral isotretinoin now or recently.").wait_for()

    clinic.organisation.refresh_from_db()
    assert clinic.organisation.rule_overrides == {"ci.isotretinoin_recent.wait": "P3M"}
