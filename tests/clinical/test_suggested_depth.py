"""Issue 17: every usual or suggested depth is clipped to the zone's cap (§2 within §3)."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from needlepoint.clinical import Rules, check_depth, default_rules, suggested_depth
from tests.clinical.helpers import said

RULES = default_rules()
PAIRS = list(itertools.product(RULES.indications, RULES.zones))
NUMBER = re.compile(r"\d+(?:\.\d+)?")


@pytest.mark.parametrize(("indication", "zone"), PAIRS)
def test_no_suggested_range_exceeds_the_zones_cap(indication: str, zone: str) -> None:
    cap = RULES.zone(zone).max_depth_mm
    usual = suggested_depth(zone, indication)
    low, high = RULES.indication(indication).depth_range(RULES.zone(zone))

    assert usual.cap_mm == cap
    assert usual.high_mm == min(high, cap)
    assert usual.low_mm is None or usual.low_mm < usual.high_mm <= cap
    assert usual.clipped == (high > cap or low >= cap)
    assert all(float(n) <= cap for n in NUMBER.findall(said(usual)))


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(PAIRS),
    st.floats(min_value=0.05, max_value=5.0, allow_nan=False),
    st.floats(min_value=0.05, max_value=5.0, allow_nan=False),
)
def test_no_depth_check_message_suggests_more_than_the_cap_even_with_a_clinic_cap(
    pair: tuple[str, str], cap: float, depth: float
) -> None:
    indication, zone = pair
    floor = RULES.zone(zone).warn_above_mm or 0.0  # a clinic cap must stay above it
    assume(round(cap, 2) > floor)
    clinic = RULES.with_overrides({f"{zone}.max_depth_mm": round(cap, 2)})
    cap = clinic.zone(zone).max_depth_mm
    check = check_depth(zone, indication, depth, clinician=True, rules=clinic)

    assert check.usual is not None
    assert check.usual.high_mm <= cap
    if check.status == "warn" and check.key == f"{indication}.depth":
        shown = NUMBER.findall(said(check).split(" mm ", 1)[1])
        assert all(float(n) <= cap for n in shown), said(check)


def test_a_range_reaching_past_the_cap_stops_at_the_cap() -> None:
    usual = suggested_depth("zone.forehead", "ind.wrinkles_fine_lines")

    assert (usual.low_mm, usual.high_mm, usual.clipped) == (0.5, 1.0, True)
    assert said(usual) == "0.5 to 1 mm (the zone's limit)"


def test_a_range_starting_at_or_above_the_cap_is_just_the_cap() -> None:
    usual = suggested_depth("zone.forehead", "ind.acne_scars")

    assert usual.low_mm is None
    assert usual.high_mm == 1.0
    assert said(usual) == "up to 1 mm (the zone's limit)"
    assert check_depth("zone.forehead", "ind.acne_scars", 0.5).status == "ok"


def test_a_range_within_the_cap_is_unchanged() -> None:
    usual = suggested_depth("zone.cheeks", "ind.hyperpigmentation")

    assert (usual.low_mm, usual.high_mm, usual.clipped) == (0.25, 0.5, False)
    assert said(usual) == "0.25 to 0.5 mm"


def test_the_warning_names_the_clipped_range_not_the_indications() -> None:
    check = check_depth("zone.forehead", "ind.wrinkles_fine_lines", 0.25)

    assert check.status == "warn"
    assert "usual 0.5 to 1 mm (the zone's limit)" in said(check)
    assert "1.5" not in said(check)


def test_a_clinic_cap_clips_the_suggestion(rules: Rules) -> None:
    clinic = rules.with_overrides({"zone.cheeks.max_depth_mm": 1.2})

    assert said(suggested_depth("zone.cheeks", "ind.acne_scars", rules=clinic)) == (
        "1 to 1.2 mm (the zone's limit)"
    )
