"""A medication or product the client is still taking: deferred with no date yet (issue 17)."""

from __future__ import annotations

from datetime import date

import pytest

from needlepoint.clinical import Answer, InvalidAnswer, Outcome, Review, Rules, screen
from tests.clinical.helpers import said

from .helpers import answers, on

DAY = date(2025, 6, 2)


def test_still_taking_isotretinoin_defers_with_no_date_and_asks_for_the_last_dose() -> None:
    screening = answers(DAY, {"ci.isotretinoin_recent": Answer(True, ongoing=True)})

    result = screen(screening, DAY)

    assert result.outcome is Outcome.DEFERRED
    assert result.until is None
    (reason,) = result.reasons
    assert (reason.key, reason.severity, reason.until) == (
        "ci.isotretinoin_recent",
        "deferred",
        None,
    )
    assert said(reason).startswith("While you are still taking isotretinoin we can't treat you")
    assert "6 months after your last dose of isotretinoin" in said(reason)
    assert "tell us that date and we will tell you when we can" in said(reason)


def test_still_using_a_retinoid_on_the_face_defers_the_face_only() -> None:
    retinoid = Answer(True, zones=frozenset({"area.face"}), variant="otc", ongoing=True)
    screening = answers(DAY, {"ci.topical_retinoid": retinoid})

    face = screen(screening, DAY, zones="area.face")
    assert (face.outcome, face.until) == (Outcome.DEFERRED, None)
    assert "3 days after you last applied it" in said(face.reasons[0])
    assert "can't treat the affected areas" in said(face.reasons[0])
    assert screen(screening, DAY, zones="area.back").outcome is Outcome.CLEARED


def test_a_dated_deferral_and_an_ongoing_one_leave_no_date() -> None:
    screening = answers(
        DAY,
        {
            "ci.isotretinoin_recent": Answer(True, ongoing=True),
            "ci.recent_tan": on("area.face", since=date(2025, 6, 1)),
        },
    )
    result = screen(screening, DAY)
    assert (result.outcome, result.until) == (Outcome.DEFERRED, None)


def test_a_clinicians_review_does_not_lift_a_wait_that_has_not_started() -> None:
    screening = answers(DAY, {"ci.isotretinoin_recent": Answer(True, ongoing=True)})
    review = Review("ci.isotretinoin_recent", "Dr Amara Osei", DAY, "Low dose.")

    result = screen(screening, DAY, reviews=[review])

    assert (result.outcome, result.until) == (Outcome.DEFERRED, None)


def test_an_ongoing_answer_with_a_date_too_is_refused() -> None:
    with pytest.raises(InvalidAnswer, match=r"either the date .* or that it is still going on"):
        Answer(True, since=date(2025, 5, 1), ongoing=True)


def test_a_no_answer_cannot_be_ongoing() -> None:
    with pytest.raises(InvalidAnswer, match="'no' cannot be still going on"):
        Answer(False, ongoing=True)


def test_ongoing_must_be_true_or_false() -> None:
    with pytest.raises(InvalidAnswer, match="ongoing must be True or False"):
        Answer(True, ongoing="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize("key", ["ci.pregnancy", "ci.anticoagulant"])
def test_only_a_question_with_a_wait_and_a_date_can_be_ongoing(key: str) -> None:
    screening = answers(DAY, {key: Answer(True, ongoing=True)})
    with pytest.raises(InvalidAnswer, match="cannot be answered 'still taking or using it'"):
        screen(screening, DAY)


def test_the_questions_say_which_can_be_ongoing(rules: Rules) -> None:
    questions = {question.key: question for question in rules.questions()}
    assert questions["ci.isotretinoin_recent"].can_be_ongoing
    assert questions["ci.topical_retinoid"].can_be_ongoing
    assert not questions["ci.pregnancy"].can_be_ongoing
    assert not questions["ci.inflammatory_acne_area"].can_be_ongoing  # a date but no wait
    assert not questions["ci.sunburn_area"].can_be_ongoing  # a wait and a date, not a medicine
    assert questions["ci.isotretinoin_recent"].ongoing == "I'm still taking it"
