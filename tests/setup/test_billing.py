"""Settings' billing page and each location's payments page, through the test client: the
legal details and Stripe keys (write-only, sealed, the owner's), the fees, the clinical
rule, the cancellation wording and deposits; each refusal a message with nothing saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.audit.models import AuditEvent
from needlepoint.clinics.models import Location
from needlepoint.clinics.setup import location_create
from needlepoint.payments.keys import unseal
from needlepoint.payments.models import Billing, DepositRule, PaymentPolicy
from needlepoint.payments.services import billing_for
from tests import factories

NOW = datetime(2027, 3, 9, 10, tzinfo=UTC)  # a Tuesday
CONFIRM = reverse("accounts:confirm_password")
BILLING = reverse("settings:billing")
PUBLISHABLE = "pk_test_51HarbourSkinClinicPublishable1234"
SECRET = "sk_test_51HarbourSkinClinicSecretKey9876"
WEBHOOK = "whsec_HarbourSkinSigningSecret4321"
fuzz = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["", " ", "\x00", "0", "-1", "12.345", "101", "1e3", "NaN", "sk_live_x", "pk_test_"]
    ),
)
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def billing_form(**changes: object) -> dict[str, object]:
    return {
        "legal_name": "Test Skin Clinic Ltd",
        "tax_number": "GB 123 4567 89",
        "address": "1 Harbour Street\nPortsmouth",
        "prices_include_tax": "on",
        "invoice_note": "Company no. 01234567",
        "publishable_key": "",
        "secret_key": "",
        "webhook_secret": "",
    } | changes


def with_keys(**changes: object) -> dict[str, object]:
    keys = {"publishable_key": PUBLISHABLE, "secret_key": SECRET, "webhook_secret": WEBHOOK}
    return billing_form(**keys) | changes


def stored(clinic) -> tuple[object, ...]:
    return tuple(Billing.objects.filter(organisation=clinic.organisation).values_list())


# Billing: legal details and tax


def test_a_manager_sets_the_legal_details_and_how_prices_carry_tax(clinic):
    browser = factories.signed_in(clinic.manager)
    page = browser.get(BILLING).content.decode()
    assert "Billing and card payments" in page and "Off until an owner adds the keys" in page
    answer = browser.post(BILLING, billing_form(prices_include_tax=""))
    assert answer["Location"] == BILLING
    saved = Billing.objects.get(organisation=clinic.organisation)
    assert (saved.legal_name, saved.tax_number, saved.prices_include_tax) == (
        "Test Skin Clinic Ltd",
        "GB 123 4567 89",
        False,
    )
    assert saved.address == "1 Harbour Street\nPortsmouth"
    event = AuditEvent.objects.get(target="billing")
    assert "prices_include_tax" in event.detail["fields"]


def test_the_settings_page_and_each_location_lead_to_the_money_pages(clinic):
    browser = factories.signed_in(clinic.manager)
    home = browser.get(reverse("settings:home")).content.decode()
    assert BILLING in home
    policy = reverse("settings:payment_policy", args=[clinic.location.slug])
    assert (
        policy
        in browser.get(reverse("settings:location", args=[clinic.location.slug])).content.decode()
    )
    assert policy in browser.get(BILLING).content.decode()


def test_the_front_desk_and_practitioners_are_refused(clinic):
    policy = reverse("settings:payment_policy", args=[clinic.location.slug])
    for member in (clinic.front_desk, clinic.practitioner):
        browser = factories.signed_in(member)
        for page in (BILLING, policy):
            assert browser.get(page).status_code == 403
        assert browser.post(BILLING, billing_form()).status_code == 403
    assert not Billing.objects.exists()


# Billing: the Stripe keys


def test_an_owner_sets_the_keys_which_are_stored_sealed_and_never_shown(clinic):
    browser = factories.signed_in(clinic.owner)
    assert browser.post(BILLING, with_keys())["Location"] == BILLING
    raw = Billing.objects.filter(organisation=clinic.organisation).values().get()
    assert raw["stripe_publishable_key"] == PUBLISHABLE  # public: it goes to clients' browsers
    for column, key in (("stripe_secret_key", SECRET), ("stripe_webhook_secret", WEBHOOK)):
        assert key not in raw[column] and "sk_test" not in raw[column]
        assert unseal(raw[column]) == key
    page = browser.get(BILLING).content.decode()
    assert SECRET not in page and WEBHOOK not in page and PUBLISHABLE not in page
    assert "Set, ending …9876" in page and "Set, ending …4321" in page
    assert "Test mode: no real money moves" in page
    event = AuditEvent.objects.get(target="billing")
    assert event.detail["stripe_keys"] == {
        "publishable_key": "set",
        "secret_key": "set",
        "webhook_secret": "set",
    }
    assert SECRET not in str(event.detail) and WEBHOOK not in str(event.detail)


def test_an_empty_key_field_keeps_the_key_and_remove_clears_it(clinic):
    browser = factories.signed_in(clinic.owner)
    browser.post(BILLING, with_keys())
    assert browser.post(BILLING, billing_form(legal_name="Renamed Ltd")).status_code == 302
    saved = Billing.objects.get(organisation=clinic.organisation)
    assert saved.legal_name == "Renamed Ltd" and unseal(saved.stripe_secret_key) == SECRET
    assert browser.post(BILLING, billing_form(remove_webhook_secret="on")).status_code == 302
    saved.refresh_from_db()
    assert saved.stripe_webhook_secret == "" and unseal(saved.stripe_secret_key) == SECRET
    both = billing_form(remove_publishable_key="on", remove_secret_key="on")
    assert browser.post(BILLING, both).status_code == 302
    saved.refresh_from_db()
    assert (saved.stripe_publishable_key, saved.stripe_secret_key) == ("", "")
    assert "Off until an owner adds the keys" in browser.get(BILLING).content.decode()


def test_live_keys_say_so(clinic):
    browser = factories.signed_in(clinic.owner)
    live = with_keys(publishable_key="pk_live_51Harbour0001", secret_key="rk_live_51Harbour0002")
    assert browser.post(BILLING, live).status_code == 302
    assert "Live: real payments" in browser.get(BILLING).content.decode()


def test_changing_the_keys_asks_for_the_password_first(clinic):
    browser = factories.signed_in(clinic.owner)
    with time_machine.travel(NOW + timedelta(minutes=11), tick=False):
        asked = browser.post(BILLING, with_keys())
        assert asked["Location"].startswith(CONFIRM)
        assert not Billing.objects.exists()
        # the legal details alone don't ask
        assert browser.post(BILLING, billing_form())["Location"] == BILLING
        answer = browser.post(CONFIRM, {"password": factories.PASSWORD, "next": BILLING})
        assert answer["Location"] == BILLING
        assert browser.post(BILLING, with_keys())["Location"] == BILLING
    assert unseal(Billing.objects.get(organisation=clinic.organisation).stripe_secret_key) == SECRET


def test_a_manager_sees_whether_keys_are_set_but_may_not_change_them(clinic):
    factories.signed_in(clinic.owner).post(BILLING, with_keys())
    before = stored(clinic)
    browser = factories.signed_in(clinic.manager)
    page = browser.get(BILLING).content.decode()
    assert "Set, ending …9876" in page and "Only an owner changes the Stripe keys." in page
    assert 'name="secret_key"' not in page
    for attempt in (
        billing_form(secret_key="sk_test_51Mine0000", legal_name="Manager Ltd"),
        billing_form(remove_secret_key="on", remove_publishable_key="on"),
    ):
        answer = browser.post(BILLING, attempt)
        assert answer.status_code == 200
        assert "Only an owner changes the Stripe keys." in answer.content.decode()
        assert stored(clinic) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"publishable_key": "pk_demo_123456789"}, "A publishable key starts pk_test_ or pk_live_"),
        ({"publishable_key": SECRET}, "That is a secret key: it goes under Secret key."),
        ({"secret_key": PUBLISHABLE}, "That is the publishable key: the secret key starts sk_"),
        ({"secret_key": "sk_test_ab cd"}, "A secret key starts sk_test_ or sk_live_"),
        ({"webhook_secret": "we_1234567890"}, "A webhook signing secret starts whsec_"),
        ({"secret_key": "sk_live_51Harbour0002"}, "One key is a test key and the other a live"),
        (
            {"publishable_key": "pk_live_51Harbour0001"},
            "One key is a test key and the other a live",
        ),
        ({"secret_key": ""}, "Card payments need both keys"),
        ({"secret_key": "", "remove_secret_key": "on"}, "Card payments need both keys"),
        ({"remove_secret_key": "on"}, "Give a new key or remove this one, not both."),
        ({"legal_name": "x" * 201}, "at most 200 characters"),
    ],
)
def test_a_bad_key_is_refused_saying_why_and_nothing_is_saved(clinic, changes, message):
    browser = factories.signed_in(clinic.owner)
    answer = browser.post(BILLING, with_keys(**changes))
    assert answer.status_code == 200
    shown = answer.content.decode()
    assert message in shown and "Nothing was saved" in shown
    assert SECRET not in shown  # not even the key just typed
    assert not Billing.objects.exists()


def test_a_test_key_with_a_live_one_is_refused_against_the_key_already_stored(clinic):
    browser = factories.signed_in(clinic.owner)
    browser.post(BILLING, with_keys())
    before = stored(clinic)
    answer = browser.post(BILLING, billing_form(publishable_key="pk_live_51Harbour0001"))
    assert "One key is a test key and the other a live key" in answer.content.decode()
    assert stored(clinic) == before


def test_a_key_sealed_under_another_secret_is_shown_as_unreadable(clinic, settings):
    browser = factories.signed_in(clinic.owner)
    browser.post(BILLING, with_keys())
    settings.NEEDLEPOINT_KEYS_SECRET = "a-new-secret-after-a-restore"
    page = browser.get(BILLING).content.decode()
    assert page.count("Set, but it can't be read any more: give it again.") == 2
    assert 'name="remove_secret_key"' in page  # and it can be removed


def test_the_webhook_address_to_give_stripe_is_shown(clinic, settings):
    settings.SITE_URL = "https://clinic.example.test/"
    page = factories.signed_in(clinic.manager).get(BILLING).content.decode()
    assert "https://clinic.example.test/payments/stripe/test-skin/webhook/" in page


# A location's fees and cancellation policy


def policy_url(clinic) -> str:
    return reverse("settings:payment_policy", args=[clinic.location.slug])


def policy_form(**changes: object) -> dict[str, object]:
    return {
        "part": "policy",
        "no_show_fee": "25",
        "late_cancel_fee": "15.00",
        "late_cancellation_hours": "48",
        "charge_fees_automatically": "on",
        "clinical_refund": "credit",
        "cancellation_wording": "",
    } | changes


def money_set_up(location: Location) -> tuple[object, ...]:
    return (
        tuple(PaymentPolicy.objects.filter(location=location).values_list()),
        tuple(DepositRule.objects.filter(location=location).values_list()),
        Location.objects.get(pk=location.pk).late_cancellation_hours,
    )


def test_a_manager_sets_the_fees_window_and_clinical_rule(clinic):
    browser = factories.signed_in(clinic.manager)
    page = browser.get(policy_url(clinic)).content.decode()
    assert 'name="no_show_fee" value="0.00"' in page and "GBP, e.g. 85.50; 0 for none." in page
    assert browser.post(policy_url(clinic), policy_form())["Location"] == policy_url(clinic)
    policy = PaymentPolicy.objects.get(location=clinic.location)
    assert (policy.no_show_fee_minor, policy.late_cancel_fee_minor) == (2500, 1500)
    assert policy.charge_fees_automatically and policy.clinical_refund == "credit"
    assert Location.objects.get(pk=clinic.location.pk).late_cancellation_hours == 48
    page = browser.get(policy_url(clinic)).content.decode()
    assert 'name="no_show_fee" value="25.00"' in page
    assert "at least 48 hours before your visit" in page
    assert "a late-cancellation fee of £15.00" in page and "a no-show fee of £25.00" in page
    assert "kept for you as account credit" in page
    assert AuditEvent.objects.filter(target="billing", detail__what="payment_policy").exists()


def test_the_clinics_own_wording_is_kept(clinic):
    browser = factories.signed_in(clinic.manager)
    wording = "Cancel 2 days ahead or pay £15.\r\nNo-shows pay £25."
    browser.post(policy_url(clinic), policy_form(cancellation_wording=wording))
    saved = PaymentPolicy.objects.get(location=clinic.location).cancellation_wording
    assert saved == "Cancel 2 days ahead or pay £15.\nNo-shows pay £25."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"no_show_fee": "-5"}, "An amount can&#x27;t be negative."),
        ({"late_cancel_fee": "12.345"}, "Amounts in GBP have at most 2 decimal places."),
        ({"no_show_fee": "twenty"}, "Give the amount as a number, e.g. 85.50."),
        ({"no_show_fee": "99999999999"}, "An amount can be at most"),
        ({"late_cancellation_hours": "-1"}, "greater than or equal to 0"),
        ({"late_cancellation_hours": "9999"}, "less than or equal to 336"),
        ({"clinical_refund": "keep"}, "Select a valid choice."),
        ({"cancellation_wording": "x" * 3001}, "at most 3000 characters"),
    ],
)
def test_a_bad_fee_or_window_is_refused_and_nothing_is_saved(clinic, changes, message):
    browser = factories.signed_in(clinic.manager)
    before = money_set_up(clinic.location)
    answer = browser.post(policy_url(clinic), policy_form(**changes))
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert money_set_up(clinic.location) == before


def test_fees_follow_the_currency(clinic):
    clinic.organisation.currency = "JPY"
    clinic.organisation.save()
    browser = factories.signed_in(clinic.manager)
    answer = browser.post(policy_url(clinic), policy_form(no_show_fee="2500.50"))
    assert "Amounts in JPY are in whole units" in answer.content.decode()
    browser.post(policy_url(clinic), policy_form(no_show_fee="2,500", late_cancel_fee="0"))
    assert PaymentPolicy.objects.get(location=clinic.location).no_show_fee_minor == 2500


def test_another_organisations_location_is_not_found(clinic, other_clinic):
    place = location_create(organisation=clinic.organisation, name="Old Town", time_zone="UTC")
    browser = factories.signed_in(other_clinic.manager)
    page = reverse("settings:payment_policy", args=[place.slug])
    assert browser.get(page).status_code == 404
    assert browser.post(page, policy_form()).status_code == 404
    form = {"part": "deposits", "kind": "percent", "percent": "50"}
    assert browser.post(page, form).status_code == 404
    assert not PaymentPolicy.objects.exists() and not DepositRule.objects.exists()


# Deposits


def deposits_form(clinic, services, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {"part": "deposits", "kind": "none", "amount": "", "percent": ""}
    for service in services:
        data |= {f"service-{service.pk}-{name}": "" for name in ("amount", "percent")}
        data[f"service-{service.pk}-kind"] = "location"
    return data | changes


def test_a_location_wide_deposit_with_a_service_of_its_own(clinic):
    face = factories.service(clinic.location)  # £180
    neck = factories.service(clinic.location, name="Neck", price_minor=20000)
    consultation = factories.service(
        clinic.location, name="Consultation", kind="consultation", area="", indication=""
    )
    browser = factories.signed_in(clinic.manager)
    form = deposits_form(
        clinic,
        [face, neck, consultation],
        kind="percent",
        percent="20",
        **{f"service-{neck.pk}-kind": "fixed", f"service-{neck.pk}-amount": "50"},
        **{f"service-{consultation.pk}-kind": "none"},
    )
    assert browser.post(policy_url(clinic), form)["Location"] == policy_url(clinic)
    location_rule = DepositRule.objects.get(location=clinic.location, service=None)
    assert (location_rule.kind, location_rule.percent) == ("percent", 20)
    assert DepositRule.objects.get(service=neck).fixed_minor == 5000
    assert not DepositRule.objects.filter(service=face).exists()
    page = browser.get(policy_url(clinic)).content.decode()
    assert "<strong>£36.00</strong>" in page  # 20% of £180
    assert "<strong>£50.00</strong>" in page
    assert "<strong>No deposit</strong>" in page
    assert f'name="service-{neck.pk}-amount" value="50.00"' in page
    # back to the location's rule
    browser.post(policy_url(clinic), deposits_form(clinic, [face, neck, consultation]))
    assert list(DepositRule.objects.values_list("service", "kind")) == [(None, "none")]


def test_a_card_saved_for_fees_and_the_full_price(clinic):
    face = factories.service(clinic.location)
    browser = factories.signed_in(clinic.manager)
    browser.post(policy_url(clinic), deposits_form(clinic, [face], kind="card"))
    assert (
        "<strong>A card saved for fees</strong>" in browser.get(policy_url(clinic)).content.decode()
    )
    form = deposits_form(clinic, [face], **{f"service-{face.pk}-kind": "full"})
    browser.post(policy_url(clinic), form)
    assert "<strong>£180.00</strong>" in browser.get(policy_url(clinic)).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "percent", "percent": "101"}, "Give a percentage from 1 to 100"),
        ({"kind": "percent", "percent": "0"}, "Give a percentage from 1 to 100"),
        ({"kind": "percent", "percent": "12.5"}, "Give a percentage from 1 to 100"),
        ({"kind": "fixed", "amount": "0"}, "A fixed deposit must be more than zero."),
        ({"kind": "fixed", "amount": "-10"}, "An amount can&#x27;t be negative."),
        ({"kind": "fixed", "amount": "10.005"}, "at most 2 decimal places"),
        ({"kind": "half"}, "Select a valid choice."),
        ({"SERVICE-kind": "percent", "SERVICE-percent": "101"}, "Give a percentage from 1 to 100"),
        ({"SERVICE-kind": "fixed", "SERVICE-amount": "ten"}, "Give the amount as a number"),
    ],
)
def test_a_bad_deposit_is_refused_and_no_rule_is_saved(clinic, changes, message):
    face = factories.service(clinic.location)
    neck = factories.service(clinic.location, name="Neck")
    browser = factories.signed_in(clinic.manager)
    first = deposits_form(clinic, [face, neck], kind="percent", percent="20")
    browser.post(policy_url(clinic), first)
    before = money_set_up(clinic.location)
    named = {key.replace("SERVICE", f"service-{neck.pk}"): value for key, value in changes.items()}
    # the other service's valid rule is not saved either: all or nothing
    valid = {f"service-{face.pk}-kind": "full"}
    answer = browser.post(policy_url(clinic), deposits_form(clinic, [face, neck]) | valid | named)
    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert money_set_up(clinic.location) == before


# Any text in any field: a save or nothing changed, never a server error


@fuzz
@given(field=st.sampled_from([*billing_form(), "remove_secret_key"]), value=TEXT)
def test_any_text_in_the_billing_form_saves_or_changes_nothing(clinic, field, value):
    browser = factories.signed_in(clinic.owner)
    billing_for(clinic.organisation)
    before = stored(clinic)
    answer = browser.post(BILLING, billing_form() | {field: value})
    assert answer.status_code in (200, 302)
    if answer.status_code == 200:
        assert stored(clinic) == before


@fuzz
@given(field=st.sampled_from([name for name in policy_form() if name != "part"]), value=TEXT)
def test_any_text_in_the_fees_form_saves_or_changes_nothing(clinic, field, value):
    browser = factories.signed_in(clinic.manager)
    before = money_set_up(clinic.location)
    answer = browser.post(policy_url(clinic), policy_form() | {field: value})
    assert answer.status_code in (200, 302)
    if answer.status_code == 200:
        assert money_set_up(clinic.location) == before


@fuzz
@given(
    field=st.sampled_from(["kind", "amount", "percent", "S-kind", "S-amount", "S-percent"]),
    value=TEXT,
    kind=st.sampled_from(["none", "fixed", "percent", "full", "card"]),
)
def test_any_text_in_the_deposits_form_saves_or_changes_nothing(clinic, field, value, kind):
    face = clinic.location.services.first() or factories.service(clinic.location)
    browser = factories.signed_in(clinic.manager)
    before = money_set_up(clinic.location)
    form = deposits_form(clinic, [face], kind=kind, amount="20", percent="20")
    answer = browser.post(
        policy_url(clinic), form | {field.replace("S", f"service-{face.pk}"): value}
    )
    assert answer.status_code in (200, 302)
    if answer.status_code == 200:
        assert money_set_up(clinic.location) == before
