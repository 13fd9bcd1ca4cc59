from __future__ import annotations

from datetime import date

from needlepoint.clinical import Answer, Outcome, Review, Rules, screen
from tests.clinical.helpers import said

from .helpers import answers, messages, on, yes

DAY = date(2025, 6, 2)
DR = "Dr Amara Osei"


def test_a_client_who_answers_no_to_everything_is_cleared_without_reasons() -> None:
    result = screen(answers(DAY), DAY)

    assert result.outcome is Outcome.CLEARED
    assert result.until is None
    assert result.reasons == ()
    assert result.rules_version == "2026.11.1"
    assert result.values_in_force == {}


def test_an_absolute_contraindication_declines_whatever_else_applies() -> None:
    screening = answers(
        DAY,
        {
            "ci.bleeding_disorder": yes(),
            "ci.pregnancy": yes(),
            "ci.anticoagulant": yes(),
        },
    )

    result = screen(screening, DAY)

    assert result.outcome is Outcome.DECLINED
    assert result.until is None
    assert [r.severity for r in result.reasons] == ["declined", "deferred", "review"]


def test_an_absolute_contraindication_cannot_be_reviewed_away() -> None:
    screening = answers(DAY, {"ci.bleeding_disorder": yes()})
    review = Review("ci.bleeding_disorder", DR, DAY, "Haematology letter on file.")

    assert screen(screening, DAY, reviews=[review]).outcome is Outcome.DECLINED


def test_a_lesion_on_the_back_does_not_stop_a_facial_session() -> None:
    screening = answers(DAY, {"ci.malignancy_area": on("zone.back")})

    assert screen(screening, DAY, zones="area.face").outcome is Outcome.CLEARED
    assert screen(screening, DAY, zones="area.back").outcome is Outcome.DECLINED
    assert screen(screening, DAY).outcome is Outcome.DECLINED


def test_a_deferral_lasts_until_the_latest_computable_date() -> None:
    screening = answers(
        DAY,
        {
            "ci.recent_tan": on("area.face", since=date(2025, 6, 1)),
            "ci.isotretinoin_recent": yes(date(2025, 5, 1)),
        },
    )

    result = screen(screening, DAY, zones="area.face")

    assert result.outcome is Outcome.DEFERRED
    assert result.until == date(2025, 11, 1)
    assert result.values_in_force == {
        "ci.isotretinoin_recent.wait": "P6M",
        "ci.recent_tan.wait": "P14D",
    }


def test_a_deferral_without_a_date_leaves_the_whole_result_without_one() -> None:
    screening = answers(
        DAY, {"ci.pregnancy": yes(), "ci.isotretinoin_recent": yes(date(2025, 5, 1))}
    )

    result = screen(screening, DAY)

    assert result.outcome is Outcome.DEFERRED
    assert result.until is None


def test_a_wait_is_over_on_the_date_it_ends() -> None:
    screening = answers(date(2025, 5, 1), {"ci.isotretinoin_recent": yes(date(2024, 12, 2))})

    assert screen(screening, date(2025, 6, 1)).outcome is Outcome.DEFERRED
    assert screen(screening, DAY).outcome is Outcome.CLEARED


def test_the_wait_depends_on_the_kind_of_laser() -> None:
    def laser(kind: str) -> Outcome:
        lasered = on("zone.cheeks", since=date(2025, 4, 1), variant=kind)
        return screen(answers(DAY, {"ci.laser_recent": lasered}), DAY).outcome

    assert laser("non_ablative") is Outcome.CLEARED
    assert laser("ablative") is Outcome.DEFERRED


def test_the_over_the_counter_retinol_wait_is_three_days() -> None:
    retinol = on("area.face", since=date(2025, 5, 30), variant="otc")

    result = screen(answers(DAY, {"ci.topical_retinoid": retinol}), DAY)

    assert result.outcome is Outcome.CLEARED
    assert result.values_in_force == {"ci.topical_retinoid.variants.otc.wait": "P3D"}


def test_an_area_reason_names_only_the_treated_zones_it_touches() -> None:
    screening = answers(DAY, {"ci.sunburn_area": on("zone.cheeks", "zone.neck", since=DAY)})

    result = screen(screening, DAY, zones=["area.face"])

    assert result.reasons[0].zones == ("zone.cheeks",)
    assert said(result.reasons[0]).startswith("We can treat your cheeks from 16 June 2025")


def test_a_systemic_reason_concerns_the_whole_person() -> None:
    result = screen(answers(DAY, {"ci.isotretinoin_recent": yes(DAY)}), DAY, zones="zone.hands")

    assert result.reasons[0].zones == ()
    assert said(result.reasons[0]) == (
        "We can treat you from 2 December 2025, 6 months after your last dose of isotretinoin."
    )


def test_screening_every_zone_includes_the_eyelids(rules: Rules) -> None:
    screening = answers(DAY, {"ci.hsv_active": yes(DAY)})

    result = screen(screening, DAY)

    assert result.reasons[0].zones == rules.face_zones()
    assert "zone.eyelids" in result.reasons[0].zones


def test_a_relative_contraindication_needs_review_until_a_clinician_records_one() -> None:
    screening = answers(DAY, {"ci.diabetes_uncontrolled": yes()})
    review = Review("ci.diabetes_uncontrolled", DR, date(2025, 5, 30), "HbA1c 6.8%, healing fine.")

    unreviewed = screen(screening, DAY)
    reviewed = screen(screening, DAY, reviews=[review])

    assert unreviewed.outcome is Outcome.NEEDS_REVIEW
    assert reviewed.outcome is Outcome.CLEARED
    assert reviewed.reasons[0].severity == "precaution"
    assert said(reviewed.reasons[0]) == (
        f"Reviewed by {DR} on 30 May 2025: HbA1c 6.8%, healing fine."
    )


def test_a_condition_without_a_date_is_deferred_until_a_clinician_clears_it() -> None:
    infection = on("zone.cheeks", since=date(2025, 5, 28))
    screening = answers(DAY, {"ci.active_infection_area": infection})
    review = Review("ci.active_infection_area", DR, DAY, "Impetigo cleared after fusidic acid.")

    assert screen(screening, DAY).until is None
    assert screen(screening, DAY).outcome is Outcome.DEFERRED
    assert screen(screening, DAY, reviews=[review]).outcome is Outcome.CLEARED


def test_a_review_from_before_the_condition_began_does_not_clear_it() -> None:
    infection = on("zone.cheeks", since=date(2025, 5, 28))
    screening = answers(DAY, {"ci.active_infection_area": infection})
    old = Review("ci.active_infection_area", DR, date(2025, 1, 10), "Earlier episode cleared.")

    assert screen(screening, DAY, reviews=[old]).outcome is Outcome.DEFERRED


def test_a_review_never_shortens_a_wait_and_the_sign_off_is_still_needed_after_it() -> None:
    radiotherapy = on("zone.decolletage", since=date(2025, 1, 10))
    screening = answers(DAY, {"ci.radiation_area": radiotherapy})
    clearance = Review("ci.radiation_area", DR, DAY, "Oncologist letter: cleared from January.")

    during = screen(screening, DAY, reviews=[clearance])
    after_unsigned = screen(screening, date(2026, 1, 10))
    after_signed = screen(screening, date(2026, 1, 10), reviews=[clearance])

    assert during.outcome is Outcome.DEFERRED
    assert during.until == date(2026, 1, 10)
    assert after_unsigned.outcome is Outcome.NEEDS_REVIEW
    assert after_signed.outcome is Outcome.CLEARED


def test_a_wait_with_a_sign_off_asks_for_both_while_it_runs() -> None:
    surgery = on("zone.cheeks", since=date(2025, 5, 1))

    result = screen(answers(DAY, {"ci.surgery_recent_area": surgery}), DAY)

    assert result.outcome is Outcome.DEFERRED
    assert [r.severity for r in result.reasons] == ["deferred", "review"]
    assert "clinician will also need to clear you" in said(result.reasons[0])


def test_skin_types_iv_to_vi_are_cleared_with_a_precaution() -> None:
    result = screen(answers(DAY, fitzpatrick=5), DAY)

    assert result.outcome is Outcome.CLEARED
    assert [(r.key, r.severity) for r in result.reasons] == [("ci.fitzpatrick_iv_vi", "precaution")]


def test_an_unrecorded_skin_type_is_treated_conservatively() -> None:
    result = screen(answers(DAY, fitzpatrick=None), DAY)

    assert result.outcome is Outcome.CLEARED
    assert "not been recorded" in messages(result.reasons)


def test_a_client_under_18_needs_guardian_consent_until_their_birthday() -> None:
    born = date(2007, 6, 3)
    screening = answers(DAY, born=born)
    consent = Review("ci.minor", DR, DAY, "Mother's written consent on file.")

    assert screen(screening, DAY).outcome is Outcome.NEEDS_REVIEW
    assert "guardian" in messages(screen(screening, DAY).reasons)
    assert screen(screening, DAY, reviews=[consent]).outcome is Outcome.CLEARED
    assert screen(screening, date(2025, 6, 3)).outcome is Outcome.CLEARED


def test_a_leap_day_birthday_comes_of_age_on_the_first_of_march() -> None:
    screening = answers(date(2024, 1, 1), born=date(2008, 2, 29))

    assert screen(screening, date(2026, 2, 28)).outcome is Outcome.NEEDS_REVIEW
    assert screen(screening, date(2026, 3, 1)).outcome is Outcome.CLEARED


def test_a_duration_condition_may_be_answered_without_a_date() -> None:
    infection = Answer(True, zones=frozenset({"zone.chin"}))

    result = screen(answers(DAY, {"ci.active_infection_area": infection}), DAY)

    assert result.outcome is Outcome.DEFERRED


def test_strictness_orders_outcomes_and_later_deferrals() -> None:
    cleared = screen(answers(DAY), DAY)
    review = screen(answers(DAY, {"ci.anticoagulant": yes()}), DAY)
    soon = screen(answers(DAY, {"ci.hair_removal_recent_area": on("zone.arms", since=DAY)}), DAY)
    later = screen(answers(DAY, {"ci.isotretinoin_recent": yes(DAY)}), DAY)
    open_ended = screen(answers(DAY, {"ci.pregnancy": yes()}), DAY)
    declined = screen(answers(DAY, {"ci.keloid_history": yes()}), DAY)

    ordered = [cleared, review, soon, later, open_ended, declined]
    assert sorted(ordered, key=lambda r: r.strictness) == ordered
    assert len({r.strictness for r in ordered}) == len(ordered)
