from __future__ import annotations

from datetime import date, timedelta

import pytest

from needlepoint.clinical import SCAR_WEIGHTS, classify_reaction, goodman_baron_score, missing_views

SESSION = date(2025, 3, 1)


@pytest.mark.parametrize(("count", "points"), [(0, 0), (1, 3), (10, 3), (11, 6), (20, 6), (21, 9)])
def test_scar_counts_score_by_band(count: int, points: int) -> None:
    assert goodman_baron_score({"linear_troughed": count}) == points


@pytest.mark.parametrize(("area", "points"), [(0, 0), (4.9, 6), (5, 12), (20, 12), (20.5, 18)])
def test_hypertrophic_scars_score_by_area(area: float, points: int) -> None:
    assert goodman_baron_score({}, hypertrophic_area_cm2=area) == points


def test_the_highest_possible_score_is_84() -> None:
    every_row_over_20 = dict.fromkeys(SCAR_WEIGHTS, 25)

    assert goodman_baron_score(every_row_over_20, hypertrophic_area_cm2=30) == 84


def test_a_complete_scalp_set_misses_nothing() -> None:
    views = ["vertex", "hairline", "left_temple", "right_temple"]

    assert missing_views("scalp", views) == ()
    assert missing_views("scalp", views[:2]) == ("left_temple", "right_temple")


def days_later(days: int) -> date:
    return SESSION + timedelta(days=days)


def test_redness_within_three_days_is_expected() -> None:
    assert classify_reaction("ae.erythema_prolonged", SESSION, days_later(3)) is None


def test_redness_after_deep_or_body_work_is_expected_for_a_week() -> None:
    assert classify_reaction("ae.erythema_prolonged", SESSION, days_later(7), True) is None
    late = classify_reaction("ae.erythema_prolonged", SESSION, days_later(8), True)
    assert late is not None
    assert late.grade == 1


@pytest.mark.parametrize(("days", "grade"), [(4, 1), (14, 1), (15, 2), (30, 2), (31, 3)])
def test_prolonged_redness_is_graded_by_how_long_it_lasts(days: int, grade: int) -> None:
    suggestion = classify_reaction("ae.erythema_prolonged", SESSION, days_later(days))

    assert suggestion is not None
    assert suggestion.grade == grade


def test_periorbital_swelling_is_expected_for_five_days() -> None:
    assert classify_reaction("ae.oedema", SESSION, days_later(4)) is not None
    assert classify_reaction("ae.oedema", SESSION, days_later(5), zone="zone.periorbital") is None
    assert (
        classify_reaction("ae.oedema", SESSION, days_later(6), zone="zone.periorbital") is not None
    )


def test_events_without_an_expected_window_are_always_recorded() -> None:
    infection = classify_reaction("ae.infection_bacterial", SESSION, SESSION)
    pih = classify_reaction("ae.pih", SESSION, days_later(21))

    assert infection is not None
    assert pih is not None
    assert (infection.grade, pih.grade) == (2, 1)
