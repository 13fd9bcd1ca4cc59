"""How a clinic sets up taking money, through the payments services (the pages:
tests/setup/test_billing.py): who may change the Stripe keys, deposit rules, and the
cancellation policy made from the fees for clients to accept."""

from __future__ import annotations

import pytest

from needlepoint.clinics.setup import location_create, location_update
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.payments import billing as money_setup
from needlepoint.payments import services
from needlepoint.payments.billing import DepositChoice
from needlepoint.payments.choices import DepositKind
from needlepoint.payments.keys import unseal
from needlepoint.payments.models import Billing, DepositRule
from tests import factories

pytestmark = pytest.mark.django_db
DETAILS = {
    "legal_name": "Test Skin Clinic Ltd",
    "address": "",
    "tax_number": "",
    "prices_include_tax": True,
    "invoice_note": "",
}


def test_only_an_owner_changes_the_stripe_keys(clinic):
    with pytest.raises(DomainError) as refused:
        money_setup.billing_update(
            organisation=clinic.organisation, by=clinic.manager, secret_key="", **DETAILS
        )
    assert (refused.value.code, refused.value.field) == ("owner_only", "secret_key")
    money_setup.billing_update(
        organisation=clinic.organisation,
        by=clinic.owner,
        publishable_key=" pk_test_abcdef123 ",
        secret_key="sk_test_abcdef456\n",
        **DETAILS,
    )
    billing = Billing.objects.get(organisation=clinic.organisation)
    assert billing.stripe_publishable_key == "pk_test_abcdef123"  # pasted with spaces
    assert unseal(billing.stripe_secret_key) == "sk_test_abcdef456"
    assert money_setup.stripe_mode(billing) == "test"
    assert money_setup.stripe_key_ending(billing, "secret_key") == "f456"
    assert money_setup.stripe_key_ending(billing, "webhook_secret") == ""


def test_a_deposit_rule_is_for_a_service_of_that_location(clinic):
    elsewhere = location_create(organisation=clinic.organisation, name="Old Town", time_zone="UTC")
    theirs = factories.service(elsewhere)
    with pytest.raises(DomainError) as refused:
        money_setup.deposit_rule_set(
            location=clinic.location, service=theirs, choice=DepositChoice(DepositKind.FULL)
        )
    assert refused.value.code == "not_found"
    with pytest.raises(DomainError) as missing:
        money_setup.deposit_rule_set(location=clinic.location, service=None, choice=None)
    assert missing.value.field == "kind"
    assert not DepositRule.objects.exists()


def test_a_fixed_deposit_is_money_in_the_clinics_currency(clinic):
    face = factories.service(clinic.location)
    rule = DepositChoice(DepositKind.FIXED, amount=Money(5000, "GBP"))
    money_setup.deposit_rule_set(location=clinic.location, service=face, choice=rule)
    assert services.deposit_due(face) == (DepositKind.FIXED, Money(5000, "GBP"))
    with pytest.raises(DomainError) as refused:
        money_setup.deposit_rule_set(
            location=clinic.location,
            service=face,
            choice=DepositChoice(DepositKind.FIXED, amount=Money(5000, "EUR")),
        )
    assert (refused.value.code, refused.value.field) == ("wrong_currency", "amount")


def policy(location, **changes):
    values = {
        "no_show_fee": "25",
        "late_cancel_fee": "15",
        "charge_fees_automatically": False,
        "clinical_refund": "refund",
        "cancellation_wording": "",
    } | changes
    return money_setup.payment_policy_update(location=location, **values)


def test_the_default_wording_says_the_fees_window_and_clinical_rule(clinic):
    policy(clinic.location)
    assert money_setup.cancellation_wording(clinic.location) == (
        "If you can't come, please cancel at least 24 hours before your visit. "
        "Cancelling later than that may cost a late-cancellation fee of £15.00. "
        "Missing your visit without cancelling may cost a no-show fee of £25.00. "
        "If your practitioner decides, for your safety, that the treatment can't go ahead, "
        "there is no fee and any deposit you paid is refunded in full."
    )
    policy(clinic.location, charge_fees_automatically=True, clinical_refund="credit")
    wording = money_setup.cancellation_wording(clinic.location)
    assert "costs a late-cancellation fee of £15.00" in wording
    assert "kept for you as account credit" in wording


def test_the_default_wording_without_fees_or_window(clinic):
    location_update(location=clinic.location, late_cancellation_hours=1)
    policy(clinic.location, no_show_fee="0", late_cancel_fee="0")
    wording = money_setup.default_cancellation_wording(clinic.location)
    assert wording.startswith("If you can't come, please cancel at least 1 hour before")
    assert "fee of" not in wording
    location_update(location=clinic.location, late_cancellation_hours=0)
    policy(clinic.location, late_cancel_fee="15")  # no window: never late
    wording = money_setup.default_cancellation_wording(clinic.location)
    assert wording.startswith("You can cancel free of charge at any time before your visit.")
    assert "late-cancellation" not in wording and "no-show fee of £25.00" in wording


def test_a_location_with_nothing_set_has_a_wording_too(clinic):
    assert money_setup.cancellation_wording(clinic.location).startswith(
        "If you can't come, please cancel at least 24 hours"
    )


def test_the_clinics_own_wording_replaces_the_default(clinic):
    policy(clinic.location, cancellation_wording="  Give us a day's notice, please.  ")
    assert money_setup.cancellation_wording(clinic.location) == "Give us a day's notice, please."
