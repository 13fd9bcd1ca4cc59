"""Clinical reviews in the core: decisions, zones in scope and expiry (§4).

A review clears a relative contraindication, or the clearance part of a temporary one;
an absolute one ignores every review, and a review never shortens a wait.
"""

from __future__ import annotations

from datetime import date

import pytest

from needlepoint.clinical import (
    Answers,
    DatesOutOfOrder,
    History,
    InvalidReview,
    Outcome,
    Review,
    UnknownZone,
    next_session_date,
    screen,
)
from tests.clinical.helpers import said

from .helpers import answers, messages, on, yes

DAY = date(2025, 6, 2)
DR = "Dr Amara Osei"


def outcome(
    day: date, screening: Answers, reviews: list[Review], zones: str | None = None
) -> Outcome:
    return screen(screening, day, zones=zones, reviews=reviews).outcome


def review(key: str, **fields: object) -> Review:
    values: dict[str, object] = {"by": DR, "on": DAY, "note": "Prescriber's letter on file."}
    values.update(fields)
    return Review(key, **values)  # type: ignore[arg-type]


# --- the record itself ----------------------------------------------------------------------


def test_a_review_clears_by_default_for_every_zone_without_expiry() -> None:
    plain = Review("ci.anticoagulant", DR, DAY, "Stable INR.")

    assert (plain.decision, plain.zones, plain.expires_on) == ("cleared", frozenset(), None)


def test_a_review_with_an_unknown_decision_or_zones_as_a_string_is_refused() -> None:
    with pytest.raises(InvalidReview):
        review("ci.anticoagulant", decision="maybe")
    with pytest.raises(InvalidReview):
        review("ci.anticoagulant", zones="zone.cheeks")


def test_a_review_cannot_expire_on_or_before_its_own_date() -> None:
    with pytest.raises(DatesOutOfOrder):
        review("ci.anticoagulant", expires_on=DAY)


def test_a_review_naming_an_unknown_zone_is_refused_when_screening() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})

    with pytest.raises(UnknownZone):
        screen(screening, DAY, reviews=[review("ci.anticoagulant", zones={"zone.tail"})])


# --- decisions ------------------------------------------------------------------------------


def test_a_cleared_review_clears_a_relative_contraindication() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})

    result = screen(screening, DAY, reviews=[review("ci.anticoagulant")])

    assert result.outcome is Outcome.CLEARED
    [reason] = result.reasons
    assert reason.severity == "precaution"
    assert said(reason) == f"Reviewed by {DR} on 2 June 2025: Prescriber's letter on file."


def test_a_declined_review_declines_with_who_when_and_why() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})
    declined = review("ci.anticoagulant", decision="declined", note="INR unstable this month.")

    result = screen(screening, DAY, reviews=[declined])

    assert result.outcome is Outcome.DECLINED
    [reason] = result.reasons
    assert reason.severity == "declined"
    assert said(reason) == "Declined by Dr Amara Osei on 2 June 2025: INR unstable this month."


def test_clearing_with_conditions_is_a_precaution_naming_the_conditions() -> None:
    screening = answers(DAY, {"ci.hsv_history": yes()})
    conditional = review(
        "ci.hsv_history",
        decision="cleared_with_conditions",
        note="Aciclovir 400 mg from two days before.",
    )

    result = screen(screening, DAY, zones="zone.perioral", reviews=[conditional])

    assert result.outcome is Outcome.CLEARED
    [reason] = result.reasons
    assert reason.severity == "precaution"
    assert "Aciclovir 400 mg from two days before." in said(reason)
    assert "conditions" in said(reason) and DR in said(reason)


def test_the_latest_review_wins_and_on_the_same_day_the_one_recorded_last() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})
    earlier = review("ci.anticoagulant", on=date(2025, 6, 1), decision="declined")
    later = review("ci.anticoagulant")
    corrected = review("ci.anticoagulant", decision="declined", note="Recorded in error before.")

    assert screen(screening, DAY, reviews=[earlier, later]).outcome is Outcome.CLEARED
    assert screen(screening, DAY, reviews=[later, earlier]).outcome is Outcome.CLEARED
    assert screen(screening, DAY, reviews=[later, corrected]).outcome is Outcome.DECLINED
    assert screen(screening, DAY, reviews=[corrected, later]).outcome is Outcome.CLEARED


# --- what a review never does ---------------------------------------------------------------


@pytest.mark.parametrize("decision", ["cleared", "cleared_with_conditions"])
def test_an_absolute_contraindication_ignores_every_review(decision: str) -> None:
    screening = answers(DAY, {"ci.keloid_history": yes()})

    result = screen(screening, DAY, reviews=[review("ci.keloid_history", decision=decision)])

    assert result.outcome is Outcome.DECLINED
    assert DR not in messages(result.reasons)


def test_a_review_never_shortens_a_wait_but_gives_the_sign_off_after_it() -> None:
    radiotherapy = on("zone.decolletage", since=date(2025, 1, 10))
    screening = answers(DAY, {"ci.radiation_area": radiotherapy})
    signoff = review("ci.radiation_area", note="Oncologist: cleared from January.")

    before = screen(screening, DAY, zones="area.neck_decolletage", reviews=[signoff])
    after_without = screen(screening, date(2026, 1, 10), zones="area.neck_decolletage")
    after_with = screen(
        screening, date(2026, 1, 10), zones="area.neck_decolletage", reviews=[signoff]
    )

    assert (before.outcome, before.until) == (Outcome.DEFERRED, date(2026, 1, 10))
    assert after_without.outcome is Outcome.NEEDS_REVIEW
    assert after_with.outcome is Outcome.CLEARED


def test_a_declined_sign_off_declines_even_after_the_wait() -> None:
    radiotherapy = on("zone.decolletage", since=date(2025, 1, 10))
    screening = answers(DAY, {"ci.radiation_area": radiotherapy})
    declined = review("ci.radiation_area", decision="declined", note="Skin still fragile.")

    result = screen(screening, date(2026, 2, 1), zones="zone.decolletage", reviews=[declined])

    assert result.outcome is Outcome.DECLINED


# --- zones ----------------------------------------------------------------------------------


def test_a_review_limited_to_some_zones_counts_only_when_it_covers_every_treated_one() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})
    face_only = review("ci.anticoagulant", zones={"area.face"})

    assert outcome(DAY, screening, [face_only], zones="zone.cheeks") is Outcome.CLEARED
    assert outcome(DAY, screening, [face_only], zones="area.face") is Outcome.CLEARED
    assert outcome(DAY, screening, [face_only], zones="area.face_neck") is Outcome.NEEDS_REVIEW
    assert outcome(DAY, screening, [face_only]) is Outcome.NEEDS_REVIEW


def test_an_area_review_needs_to_cover_only_the_affected_zones_being_treated() -> None:
    moles = on("zone.cheeks")
    screening = answers(DAY, {"ci.warts_moles_area": moles})
    cheeks = review("ci.warts_moles_area", zones={"zone.cheeks"}, note="Needle around them.")

    assert outcome(DAY, screening, [cheeks], zones="area.face") is Outcome.CLEARED


# --- expiry ---------------------------------------------------------------------------------


def test_a_review_counts_up_to_the_day_before_it_expires() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})
    until_july = review("ci.anticoagulant", expires_on=date(2025, 7, 1))

    assert outcome(date(2025, 6, 30), screening, [until_july]) is Outcome.CLEARED
    assert outcome(date(2025, 7, 1), screening, [until_july]) is Outcome.NEEDS_REVIEW


def test_an_expired_declined_review_no_longer_declines() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})
    declined = review("ci.anticoagulant", decision="declined", expires_on=date(2025, 7, 1))

    assert outcome(date(2025, 7, 1), screening, [declined]) is Outcome.NEEDS_REVIEW


def test_the_result_says_when_the_first_review_relied_on_expires() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes(), "ci.nickel_allergy": yes()})
    reviews = [
        review("ci.anticoagulant", expires_on=date(2025, 9, 1)),
        review("ci.nickel_allergy", expires_on=date(2025, 8, 1)),
    ]

    assert screen(screening, DAY, reviews=reviews).review_expires_on == date(2025, 8, 1)
    assert screen(screening, DAY).review_expires_on is None


# --- next session date ----------------------------------------------------------------------


def test_next_session_date_takes_reviews_dated_after_the_answers() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})
    later = review("ci.anticoagulant", on=date(2025, 6, 20), expires_on=date(2025, 12, 1))

    eligibility = next_session_date(
        History(answers=screening, reviews=(later,)), "area.face", "ind.acne_scars"
    )

    assert eligibility.review_required == ()
    assert eligibility.allows(date(2025, 11, 30))
    assert not eligibility.allows(date(2025, 12, 1))
    assert "expires on 1 December 2025" in said(eligibility.refusal(date(2025, 12, 1)))


def test_next_session_date_is_blocked_by_a_declined_review() -> None:
    screening = answers(DAY, {"ci.anticoagulant": yes()})
    declined = review("ci.anticoagulant", on=date(2025, 6, 20), decision="declined")

    eligibility = next_session_date(
        History(answers=screening, reviews=(declined,)), "area.face", "ind.acne_scars"
    )

    assert eligibility.blocked
    assert "Declined by Dr Amara Osei" in said(eligibility.refusal(date(2025, 7, 1)))


def test_next_session_date_keeps_a_wait_when_the_sign_off_comes_early() -> None:
    radiotherapy = on("zone.decolletage", since=date(2025, 1, 10))
    screening = answers(DAY, {"ci.radiation_area": radiotherapy})
    signoff = review("ci.radiation_area", on=date(2025, 6, 20))

    eligibility = next_session_date(
        History(answers=screening, reviews=(signoff,)),
        "area.neck_decolletage",
        "ind.skin_laxity",
    )

    assert eligibility.earliest == date(2026, 1, 10)
    assert eligibility.review_required == ()
    assert eligibility.allows(date(2026, 1, 10))
    assert not eligibility.allows(date(2026, 1, 9))
