"""Settings: the clinical rules a clinic adjusts — owners change them, managers read them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.clinics.clinical_rules import (
    adjustable_rules,
    clinical_rule_reset,
    clinical_rule_set,
)
from needlepoint.core.errors import DomainError
from tests import factories

DERMAL = "interval.dermal_days"
ISOTRETINOIN = "ci.isotretinoin_recent.wait"
FOREHEAD = "zone.forehead.max_depth_mm"


def owner_sets(clinic, key, value):
    clinical_rule_set(organisation=clinic.organisation, key=key, value=value, by=clinic.owner)
    clinic.organisation.refresh_from_db()


def test_the_adjustable_rules_are_named_in_the_clinics_words():
    rules = adjustable_rules()
    assert rules[ISOTRETINOIN].name == "Oral isotretinoin now or recently"
    assert rules[FOREHEAD].name == "Forehead"
    assert rules[DERMAL].default == 28
    assert all(not rule.name.startswith(("ci.", "zone.", "ind.")) for rule in rules.values())


def test_an_owner_changes_a_rule_the_rules_use_it_and_the_audit_keeps_old_and_new(clinic):
    owner_sets(clinic, ISOTRETINOIN, "P3M")
    owner_sets(clinic, DERMAL, 35)
    organisation = clinic.organisation
    assert organisation.rule_overrides == {ISOTRETINOIN: "P3M", DERMAL: 35}
    assert organisation.rules().interval.dermal_days == 35
    event = AuditEvent.objects.filter(target=Target.CLINICAL_RULES).order_by("pk").last()
    assert event.action == Action.CHANGED and event.target_id == DERMAL
    assert event.detail == {"rule": DERMAL, "old": 28, "new": 35, "default": False}


def test_resetting_and_setting_the_default_remove_the_clinics_value(clinic):
    owner_sets(clinic, DERMAL, 35)
    owner_sets(clinic, FOREHEAD, 0.75)
    owner_sets(clinic, "interval.superficial_max_depth_mm", 1)
    assert clinic.organisation.rule_overrides["interval.superficial_max_depth_mm"] == 1.0
    owner_sets(clinic, "interval.superficial_max_depth_mm", 0.3)
    clinical_rule_reset(organisation=clinic.organisation, key=DERMAL, by=clinic.owner)
    clinic.organisation.refresh_from_db()
    owner_sets(clinic, FOREHEAD, adjustable_rules()[FOREHEAD].default)
    assert clinic.organisation.rule_overrides == {}
    event = AuditEvent.objects.filter(target=Target.CLINICAL_RULES).order_by("pk").last()
    assert event.detail["default"] is True


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (FOREHEAD, 9.0, "zone.forehead.max_depth_mm must be above 0.0 and at most 5.0"),
        (DERMAL, 0, "interval.dermal_days must be a whole number from 1 to 3660"),
        (ISOTRETINOIN, "six months", "is not a duration"),
        (DERMAL, "35", "should be a int like 28"),
    ],
)
def test_bad_values_are_refused_with_the_rules_engines_message(clinic, key, value, message):
    with pytest.raises(DomainError) as refused:
        owner_sets(clinic, key, value)
    assert refused.value.code == "invalid_override" and message in refused.value.message
    clinic.organisation.refresh_from_db()
    assert clinic.organisation.rule_overrides == {}
    assert not AuditEvent.objects.filter(target=Target.CLINICAL_RULES).exists()


def test_only_an_owner_of_this_clinic_changes_rules(clinic, other_clinic):
    for member in (clinic.manager, clinic.practitioner, other_clinic.owner):
        with pytest.raises(DomainError) as refused:
            clinical_rule_set(organisation=clinic.organisation, key=DERMAL, value=35, by=member)
        assert refused.value.code == "owner_only"
    with pytest.raises(DomainError) as unknown:
        owner_sets(clinic, "ci.pregnancy.name", "Fine")
    assert unknown.value.code == "unknown_rule"


# Pages


def test_the_page_lists_each_rule_its_default_and_the_clinics_value(clinic):
    owner_sets(clinic, ISOTRETINOIN, "P3M")
    html = (
        factories.signed_in(clinic.owner).get(reverse("settings:clinical_rules")).content.decode()
    )
    assert "Oral isotretinoin now or recently" in html and "ci.isotretinoin" not in html.replace(
        reverse("settings:clinical_rule_edit", args=[ISOTRETINOIN]), ""
    )
    assert "<td>6 months</td>" in html and "<strong>3 months</strong>" in html
    assert "<td>28 days</td>" in html


def test_an_owner_changes_and_resets_a_wait_on_the_page(clinic):
    browser = factories.signed_in(clinic.owner)
    url = reverse("settings:clinical_rule_edit", args=[ISOTRETINOIN])
    assert browser.post(url, {"value": "3", "unit": "M"}).status_code == 302
    clinic.organisation.refresh_from_db()
    assert clinic.organisation.rule_overrides == {ISOTRETINOIN: "P3M"}
    assert browser.post(url, {"reset": "1"}).status_code == 302
    clinic.organisation.refresh_from_db()
    assert clinic.organisation.rule_overrides == {}


def test_a_bad_value_on_the_page_shows_the_engines_message(clinic):
    browser = factories.signed_in(clinic.owner)
    response = browser.post(reverse("settings:clinical_rule_edit", args=[FOREHEAD]), {"value": "7"})
    assert response.status_code == 200
    assert "must be above 0.0 and at most 5.0" in response.content.decode()
    clinic.organisation.refresh_from_db()
    assert clinic.organisation.rule_overrides == {}


def test_a_manager_reads_the_rules_but_cannot_change_them(clinic):
    browser = factories.signed_in(clinic.manager)
    listing = browser.get(reverse("settings:clinical_rules")).content.decode()
    assert "Only the clinic's owner" in listing
    assert reverse("settings:clinical_rule_edit", args=[DERMAL]) not in listing
    url = reverse("settings:clinical_rule_edit", args=[DERMAL])
    page = browser.get(url).content.decode()
    assert "28 days" in page and 'name="value"' not in page
    assert browser.post(url, {"value": "35"}).status_code == 403
    clinic.organisation.refresh_from_db()
    assert clinic.organisation.rule_overrides == {}


def test_another_clinics_values_are_its_own_and_unknown_rules_are_not_found(clinic, other_clinic):
    owner_sets(clinic, DERMAL, 35)
    theirs = factories.signed_in(other_clinic.owner)
    page = theirs.get(reverse("settings:clinical_rule_edit", args=[DERMAL])).content.decode()
    assert "35 days" not in page
    missing = reverse("settings:clinical_rule_edit", args=["ci.pregnancy.name"])
    assert theirs.get(missing).status_code == 404
    assert theirs.post(missing, {"value": "1"}).status_code == 404


KEYS = [DERMAL, ISOTRETINOIN, FOREHEAD, "ind.acne_scars.course_max_sessions"]
hostile = st.one_of(
    st.sampled_from(["", " ", "\x00", "-1", "0", "1e999", "NaN", "3.999", "99999999999", "M"]),
    st.text(max_size=20),
)


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sampled_from(KEYS),
    st.dictionaries(st.sampled_from(["value", "unit", "reset"]), hostile),
)
def test_any_text_saves_a_valid_rule_or_changes_nothing(clinic, key, data):
    clinic.organisation.refresh_from_db()
    before = dict(clinic.organisation.rule_overrides)
    browser = factories.signed_in(clinic.owner)
    response = browser.post(reverse("settings:clinical_rule_edit", args=[key]), data)
    assert response.status_code in {200, 302}
    clinic.organisation.refresh_from_db()
    if response.status_code == 200:
        assert clinic.organisation.rule_overrides == before
    clinic.organisation.rules()  # whatever was saved, the rules still load
