"""An owner sets up taking money in a real browser: the billing page with the Stripe keys,
then a location's fees and deposits (desktop and 375 px, axe-core clean)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from needlepoint.payments.keys import unseal
from needlepoint.payments.models import Billing, DepositRule, PaymentPolicy
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_sets_up_billing_keys_fees_and_deposits(page, live_server):
    clinic = factories.clinic()
    face = factories.service(clinic.location, name="Microneedling — face")
    factories.service(
        clinic.location, name="Consultation", kind="consultation", area="", indication=""
    )

    with time_machine.travel(datetime(2027, 3, 9, 10, tzinfo=UTC), tick=True):
        sign_in(page, live_server, clinic.owner)
        page.goto(f"{live_server.url}/settings/")
        page.get_by_role("link", name="Billing and card payments").click()
        page.wait_for_url("**/settings/billing/")
        page.get_by_label("Legal name").fill("Test Skin Clinic Ltd")
        page.get_by_label("Tax (VAT) number").fill("GB 123 4567 89")
        page.get_by_label("Publishable key").fill("pk_test_51TestSkinPublishable1234")
        page.get_by_label("Secret key").fill("sk_live_51TestSkinSecret9876")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("One key is a test key and the other a live key").wait_for()
        checked(page, "settings-billing-refused")
        page.get_by_label("Publishable key").fill("pk_test_51TestSkinPublishable1234")
        page.get_by_label("Secret key").fill("sk_test_51TestSkinSecret9876")
        page.get_by_label("Webhook signing secret").fill("whsec_TestSkinSigning4321")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Saved.").wait_for()
        page.get_by_text("Set, ending …9876").wait_for()
        checked(page, "settings-billing")

        page.get_by_role("link", name="Payments and deposits at Harbour Street").click()
        page.wait_for_url("**/payments/")
        page.get_by_label("No-show fee").fill("25")
        page.get_by_label("Late-cancellation fee").fill("15")
        page.get_by_label("Keep the deposit as account credit").check()
        page.get_by_role("button", name="Save fees and cancellations").click()
        page.get_by_text("Fees and cancellations saved.").wait_for()
        page.get_by_label("Deposit for every service").select_option(
            label="A percentage of the price"
        )
        percent = page.locator("#id_percent")
        percent.wait_for(state="visible")  # shown for a percentage only
        assert page.locator("#id_amount").is_hidden()
        percent.fill("20")
        consultation = page.get_by_role("group", name="Consultation").get_by_label("Deposit")
        consultation.select_option(label="No deposit")
        page.get_by_role("button", name="Save deposits").click()
        page.get_by_text("Deposits saved.").wait_for()
        page.get_by_text("£36.00").wait_for()
        checked(page, "settings-payment-policy")

    billing = Billing.objects.get(organisation=clinic.organisation)
    assert unseal(billing.stripe_secret_key) == "sk_test_51TestSkinSecret9876"
    assert PaymentPolicy.objects.get(location=clinic.location).no_show_fee_minor == 2500
    assert DepositRule.objects.get(service=None).percent == 20
    assert not DepositRule.objects.filter(service=face).exists()
