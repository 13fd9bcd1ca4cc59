from __future__ import annotations

import pytest

from needlepoint.clinical import Rules, check_depth
from tests.clinical.helpers import said


def test_a_depth_within_the_indication_range_and_zone_cap_is_ok() -> None:
    check = check_depth("zone.cheeks", "ind.acne_scars", 1.5)

    assert check.status == "ok"
    assert check.cap_mm == 2.0


def test_the_zone_cap_itself_is_allowed() -> None:
    assert check_depth("zone.cheeks", "ind.acne_scars", 2.0).status == "ok"
    assert check_depth("zone.cheeks", "ind.acne_scars", 2.01).status == "block"


def test_the_zone_cap_wins_over_the_indication_range() -> None:
    check = check_depth("zone.forehead", "ind.acne_scars", 1.5)

    assert check.status == "block"
    assert said(check) == "1.5 mm is too deep for the forehead: cap 1 mm."
    assert check.key == "zone.forehead.max_depth_mm"


def test_outside_the_indication_range_but_under_the_cap_warns() -> None:
    check = check_depth("zone.cheeks", "ind.hyperpigmentation", 1.5)

    assert check.status == "warn"
    assert "outside the usual 0.25 to 0.5 mm" in said(check)


def test_the_periorbital_range_for_wrinkles_is_0_25_to_0_5_mm() -> None:
    assert check_depth("zone.periorbital", "ind.wrinkles_fine_lines", 0.25).status == "ok"
    assert check_depth("zone.periorbital", "ind.wrinkles_fine_lines", 0.5).status == "ok"


@pytest.mark.parametrize(
    ("zone", "indication", "depth", "part"),
    [
        ("zone.nose", "ind.acne_scars", 1.0, "bridge is capped at 0.5 mm"),
        ("zone.thighs", "ind.stretch_marks", 2.0, "inner thigh is capped at 1.5 mm"),
        ("zone.arms", "ind.skin_laxity", 1.5, "inner arm is capped at 1.0 mm"),
    ],
)
def test_a_depth_above_a_lower_cap_for_part_of_the_zone_warns(
    zone: str, indication: str, depth: float, part: str
) -> None:
    check = check_depth(zone, indication, depth)

    assert check.status == "warn"
    assert part in said(check)


def test_a_clinic_cap_is_used(rules: Rules) -> None:
    clinic = rules.with_overrides({"zone.forehead.max_depth_mm": 0.75})

    assert (
        check_depth("zone.forehead", "ind.wrinkles_fine_lines", 1.0, rules=clinic).status == "block"
    )
    assert (
        check_depth("zone.forehead", "ind.wrinkles_fine_lines", 0.75, rules=clinic).status == "ok"
    )
