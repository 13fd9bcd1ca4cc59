"""The given/when/then scenario checks of §9 of the clinical reference, one test each.

Scenario 19 (recalled lot query) belongs to the database layer and is tested there.
"""

from __future__ import annotations

from datetime import date

import pytest

from needlepoint.clinical import (
    AdverseEventRecord,
    History,
    Outcome,
    Review,
    Rules,
    SessionRecord,
    check_cartridge,
    check_depth,
    check_needling_start,
    classify_reaction,
    goodman_baron_score,
    missing_views,
    next_session_date,
    pen_channel_density,
    roller_channel_density,
    screen,
)
from tests.clinical.helpers import said

from .helpers import answers, messages, on, yes

CHEEKS_AT_1_5 = SessionRecord(date(2025, 3, 1), "ind.acne_scars", {"zone.cheeks": 1.5})


def test_scenario_01_cheeks_rebooked_before_28_days_is_refused_with_earliest_date() -> None:
    eligibility = next_session_date(
        History(sessions=(CHEEKS_AT_1_5,)), "zone.cheeks", "ind.acne_scars"
    )

    assert not eligibility.allows(date(2025, 3, 21))
    assert "earliest allowed 2025-03-29" in said(eligibility.refusal(date(2025, 3, 21)))
    assert eligibility.earliest == date(2025, 3, 29)
    assert [reason.key for reason in eligibility.reasons] == ["interval.dermal"]


def test_scenario_02_abdomen_is_accepted_the_same_day_for_the_same_client() -> None:
    history = History(sessions=(CHEEKS_AT_1_5,))

    eligibility = next_session_date(history, "zone.abdomen", "ind.stretch_marks")

    assert eligibility.allows(date(2025, 3, 21))
    assert eligibility.earliest is None


def test_scenario_03_scalp_under_alopecia_may_return_after_7_days() -> None:
    last = SessionRecord(date(2025, 4, 1), "ind.alopecia", {"zone.scalp": 0.6})

    eligibility = next_session_date(History(sessions=(last,)), "area.scalp", "ind.alopecia")

    assert eligibility.allows(date(2025, 4, 8))
    assert not eligibility.allows(date(2025, 4, 7))
    assert eligibility.earliest == date(2025, 4, 8)
    assert eligibility.reasons[0].key == "interval.alopecia_scalp"


def test_scenario_04_superficial_forehead_session_may_return_after_14_days() -> None:
    last = SessionRecord(date(2025, 5, 1), "ind.hyperpigmentation", {"zone.forehead": 0.25})

    eligibility = next_session_date(History(sessions=(last,)), "zone.forehead", "ind.blackheads")

    assert eligibility.allows(date(2025, 5, 15))
    assert not eligibility.allows(date(2025, 5, 14))
    assert eligibility.reasons[0].key == "interval.superficial"


def test_scenario_05_periorbital_at_1_5_mm_is_rejected_with_cap_0_5_mm() -> None:
    check = check_depth("zone.periorbital", "ind.wrinkles_fine_lines", 1.5)

    assert check.status == "block"
    assert "cap 0.5 mm" in said(check)
    assert check.cap_mm == 0.5


def test_scenario_06_eyelids_are_rejected_for_non_clinicians_and_capped_for_clinicians() -> None:
    assert check_depth("zone.eyelids", "ind.wrinkles_fine_lines", 0.25).status == "block"
    by_clinician = check_depth("zone.eyelids", "ind.wrinkles_fine_lines", 0.25, clinician=True)
    too_deep = check_depth("zone.eyelids", "ind.wrinkles_fine_lines", 0.3, clinician=True)

    assert by_clinician.status != "block"
    assert too_deep.status == "block"
    assert "cap 0.25 mm" in said(too_deep)


def test_scenario_07_isotretinoin_taken_in_january_defers_a_may_booking_to_mid_july() -> None:
    screening = answers(date(2025, 5, 1), {"ci.isotretinoin_recent": yes(date(2025, 1, 15))})

    eligibility = next_session_date(History(answers=screening), "area.face", "ind.acne_scars")

    assert not eligibility.allows(date(2025, 5, 1))
    assert eligibility.earliest == date(2025, 7, 15)
    assert "2025-07-15" in said(eligibility.refusal(date(2025, 5, 1)))
    assert eligibility.values_in_force["ci.isotretinoin_recent.wait"] == "P6M"


def test_scenario_08_a_clinic_wait_of_3_months_accepts_and_records_p3m(rules: Rules) -> None:
    clinic = rules.with_overrides({"ci.isotretinoin_recent.wait": "P3M"})
    screening = answers(date(2025, 5, 1), {"ci.isotretinoin_recent": yes(date(2025, 1, 15))})

    eligibility = next_session_date(
        History(answers=screening), "area.face", "ind.acne_scars", rules=clinic
    )
    result = screen(screening, date(2025, 5, 1), rules=clinic)

    assert eligibility.allows(date(2025, 5, 1))
    assert result.outcome is Outcome.CLEARED
    assert result.values_in_force == {"ci.isotretinoin_recent.wait": "P3M"}
    assert result.rules_version.startswith("2026.11.1+")
    assert eligibility.rules_version == result.rules_version


def test_scenario_09_facial_sunburn_at_check_in_blocks_the_session_until_a_rescreen() -> None:
    check_in = date(2025, 2, 28)
    screening = answers(check_in, {"ci.sunburn_area": on("area.face", since=date(2025, 2, 27))})

    at_check_in = screen(screening, check_in, zones="area.face")
    on_the_new_date = screen(
        answers(date(2025, 3, 13), {"ci.sunburn_area": on("area.face", since=date(2025, 2, 27))}),
        date(2025, 3, 13),
        zones="area.face",
    )

    assert at_check_in.outcome is Outcome.DEFERRED
    assert at_check_in.until == date(2025, 3, 13)
    assert said(at_check_in.reasons[0]) == (
        "We can treat the affected areas from 13 March 2025, 2 weeks after your sunburn."
    )
    assert on_the_new_date.outcome is Outcome.CLEARED


def test_scenario_10_lip_cold_sore_lets_thighs_proceed_but_blocks_every_facial_zone(
    rules: Rules,
) -> None:
    screening = answers(date(2025, 6, 2), {"ci.hsv_active": yes(date(2025, 6, 1))})

    thighs = screen(screening, date(2025, 6, 2), zones="zone.thighs")
    facial = [screen(screening, date(2025, 6, 2), zones=zone) for zone in rules.face_zones()]

    assert thighs.outcome is Outcome.CLEARED
    assert {result.outcome for result in facial} == {Outcome.DEFERRED}
    assert "zone.eyelids" in rules.face_zones()
    assert "zone.neck" not in rules.face_zones()


def test_scenario_11_hsv_history_with_perioral_work_needs_a_prophylaxis_review() -> None:
    screening = answers(date(2025, 6, 2), {"ci.hsv_history": yes()})
    review = Review("ci.hsv_history", "Dr Amara Osei", date(2025, 6, 2), "Aciclovir prescribed.")

    unreviewed = screen(screening, date(2025, 6, 2), zones="zone.perioral")
    reviewed = screen(screening, date(2025, 6, 2), zones="zone.perioral", reviews=[review])

    assert unreviewed.outcome is Outcome.NEEDS_REVIEW
    assert "prophylaxis" in messages(unreviewed.reasons)
    assert reviewed.outcome is Outcome.CLEARED
    assert "Dr Amara Osei" in messages(reviewed.reasons)


def test_scenario_12_pregnancy_refuses_every_zone_until_a_clinician_clears_it(
    rules: Rules,
) -> None:
    screening = answers(date(2025, 6, 2), {"ci.pregnancy": yes()})
    clearance = Review("ci.pregnancy", "Dr Amara Osei", date(2026, 3, 1), "Delivered; cleared.")

    per_zone = [screen(screening, date(2025, 6, 2), zones=zone) for zone in rules.zones]
    booking = next_session_date(History(answers=screening), "zone.hands", "ind.skin_laxity")
    later = screen(screening, date(2026, 3, 2), reviews=[clearance])

    assert all(r.outcome is Outcome.DEFERRED and r.until is None for r in per_zone)
    assert booking.blocked
    assert not booking.allows(date(2030, 1, 1))
    assert later.outcome is Outcome.CLEARED


def test_scenario_13_anticoagulant_needs_a_clinician_review_and_never_suggests_stopping(
    rules: Rules,
) -> None:
    screening = answers(date(2025, 6, 2), {"ci.anticoagulant": yes()})

    result = screen(screening, date(2025, 6, 2))
    booking = next_session_date(History(answers=screening), "area.face", "ind.acne_scars")

    assert result.outcome is Outcome.NEEDS_REVIEW
    assert [reason.key for reason in booking.review_required] == ["ci.anticoagulant"]
    assert not booking.allows(date(2025, 6, 3))
    ci = rules.contraindication("ci.anticoagulant")
    refusal = said(booking.refusal(date(2025, 6, 3)))
    shown = f"{messages(result.reasons)} {ci.question} {ci.explanation} {refusal}"
    assert "stop" not in shown.lower()


def test_scenario_14_forehead_neurotoxin_defers_the_forehead_but_not_the_cheeks() -> None:
    toxin = on("zone.forehead", since=date(2025, 6, 1))
    screening = answers(date(2025, 6, 10), {"ci.neurotoxin_recent_area": toxin})

    forehead = screen(screening, date(2025, 6, 10), zones="zone.forehead")
    cheeks = screen(screening, date(2025, 6, 10), zones="zone.cheeks")

    assert forehead.outcome is Outcome.DEFERRED
    assert forehead.until == date(2025, 6, 15)
    assert cheeks.outcome is Outcome.CLEARED


def test_scenario_15_cheek_filler_defers_the_cheeks_for_28_days() -> None:
    filler = on("zone.cheeks", since=date(2025, 6, 1))
    screening = answers(date(2025, 6, 20), {"ci.filler_recent_area": filler})

    result = screen(screening, date(2025, 6, 20), zones="zone.cheeks")

    assert result.outcome is Outcome.DEFERRED
    assert result.until == date(2025, 6, 29)
    assert said(result.reasons[0]) == (
        "We can treat your cheeks from 29 June 2025, 4 weeks after your filler."
    )


def test_scenario_16_tretinoin_on_the_face_defers_a_facial_session_for_7_days() -> None:
    tretinoin = on("area.face", since=date(2025, 7, 10), variant="prescription")
    screening = answers(date(2025, 7, 14), {"ci.topical_retinoid": tretinoin})

    result = screen(screening, date(2025, 7, 14), zones="area.face")

    assert result.outcome is Outcome.DEFERRED
    assert result.until == date(2025, 7, 17)
    assert result.values_in_force == {"ci.topical_retinoid.variants.prescription.wait": "P7D"}


def test_scenario_17_gold_allergy_rejects_a_gold_plated_cartridge_listing_steel_and_titanium() -> (
    None
):
    check = check_cartridge(
        ["ci.gold_allergy"], "gold_plated", date(2027, 1, 1), date(2025, 7, 14), "C-1", set()
    )

    assert not check.ok
    assert [refusal.key for refusal in check.refusals] == ["material.allergy"]
    assert {"steel", "titanium"} <= set(check.alternatives)
    assert "gold_plated" not in check.alternatives


def test_scenario_18_a_cartridge_serial_already_used_is_rejected_as_used() -> None:
    check = check_cartridge([], "steel", date(2027, 1, 1), date(2025, 7, 14), "C-1", {"C-1"})

    assert not check.ok
    assert [refusal.key for refusal in check.refusals] == ["cartridge.used"]
    assert "already been used" in said(check.refusals[0])


def test_scenario_20_pen_density_is_480_per_pass_and_1440_in_total() -> None:
    density = pen_channel_density(12, 100, 5, 0.5, 3)

    assert density.per_pass == pytest.approx(480)
    assert density.total == pytest.approx(1440)


def test_scenario_21_classic_roller_gives_15_3_per_pass_and_229_after_15_passes() -> None:
    density = roller_channel_density(passes=15)

    assert round(density.per_pass, 1) == 15.3
    assert round(density.total) == 229


def test_scenario_22_erythema_on_day_9_is_a_grade_1_event_that_blocks_the_zone() -> None:
    session = SessionRecord(date(2025, 3, 1), "ind.acne_scars", {"zone.cheeks": 1.5})

    suggestion = classify_reaction("ae.erythema_prolonged", date(2025, 3, 1), date(2025, 3, 10))
    assert suggestion is not None
    event = AdverseEventRecord(suggestion.key, ("zone.cheeks",), date(2025, 3, 10), None, 1)
    open_event = next_session_date(
        History(sessions=(session,), adverse_events=(event,)), "zone.cheeks", "ind.acne_scars"
    )
    resolved = AdverseEventRecord(
        suggestion.key, ("zone.cheeks",), date(2025, 3, 10), date(2025, 3, 20), 1
    )
    healed = next_session_date(
        History(sessions=(session,), adverse_events=(resolved,)), "zone.cheeks", "ind.acne_scars"
    )

    assert (suggestion.key, suggestion.grade) == ("ae.erythema_prolonged", 1)
    assert open_event.blocked
    assert "ae.open" in [reason.key for reason in open_event.reasons]
    assert not healed.blocked
    assert healed.allows(date(2025, 3, 29))


def test_scenario_23_goodman_baron_score_of_12_moderate_and_5_deep_scars_is_7() -> None:
    counts = {"moderately_atrophic": 12, "punched_out_deep_normal_base": 5}

    assert goodman_baron_score(counts) == 2 * 2 + 3 * 1 == 7


def test_scenario_24_needling_cannot_start_before_anaesthetic_removal_and_antisepsis() -> None:
    refused = check_needling_start(["consent", "photos", "cleanse", "anaesthetic_applied"])
    allowed = check_needling_start(
        ["cleanse", "anaesthetic_applied", "anaesthetic_removed", "antisepsis"]
    )

    assert not refused.ok
    assert refused.missing == ("anaesthetic_removed", "antisepsis")
    assert allowed.ok


def test_scenario_25_a_photo_set_without_left_45_cannot_be_completed_and_names_it() -> None:
    views = ["front", "right_45", "left_90", "right_90"]

    assert missing_views("face", views) == ("left_45",)
