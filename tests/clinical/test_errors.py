"""Bad input raises a specific ClinicalError with a code and a readable message."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime

import pytest

from needlepoint.clinical import (
    AdverseEventRecord,
    Answer,
    Answers,
    ClinicalError,
    DatesOutOfOrder,
    History,
    InvalidAnswer,
    InvalidDepth,
    InvalidOverride,
    InvalidReview,
    InvalidValue,
    MissingAnswers,
    Review,
    Rules,
    SessionRecord,
    UnknownContraindication,
    UnknownIndication,
    UnknownKey,
    UnknownZone,
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

from .helpers import BORN, answers, no_to_everything, on, yes

DAY = date(2025, 6, 2)


def raises(error: type[ClinicalError], code: str, call: Callable[[], object]) -> ClinicalError:
    with pytest.raises(error) as caught:
        call()
    assert caught.value.code == code
    assert isinstance(caught.value, ValueError)
    assert caught.value.message == str(caught.value) != ""
    return caught.value


def test_unknown_zones_and_areas_are_refused_everywhere(rules: Rules) -> None:
    raises(UnknownZone, "unknown_zone", lambda: rules.area_zones("area.elbows"))
    raises(UnknownZone, "unknown_zone", lambda: rules.zone("area.face"))
    raises(UnknownZone, "unknown_zone", lambda: screen(answers(DAY), DAY, zones=["zone.elbow"]))
    raises(UnknownZone, "unknown_zone", lambda: check_depth("zone.elbow", "ind.acne_scars", 1))
    raises(
        UnknownZone,
        "unknown_zone",
        lambda: screen(answers(DAY, {"ci.sunburn_area": on("zone.elbow", since=DAY)}), DAY),
    )
    elbow = SessionRecord(DAY, "ind.acne_scars", {"zone.elbow": 1.0})
    raises(
        UnknownZone,
        "unknown_zone",
        lambda: next_session_date(History(sessions=(elbow,)), "zone.cheeks", "ind.acne_scars"),
    )


def test_an_empty_list_of_zones_to_treat_is_refused() -> None:
    raises(InvalidValue, "invalid_value", lambda: screen(answers(DAY), DAY, zones=[]))


def test_unknown_indications_are_refused() -> None:
    raises(
        UnknownIndication, "unknown_indication", lambda: check_depth("zone.cheeks", "ind.acne", 1)
    )
    raises(
        UnknownIndication,
        "unknown_indication",
        lambda: next_session_date(History(), "area.face", "ind.tattoo_removal"),
    )


def test_an_answer_to_a_question_that_does_not_exist_is_refused() -> None:
    error = raises(
        UnknownContraindication,
        "unknown_contraindication",
        lambda: screen(answers(DAY, {"ci.vampire_facial": yes()}), DAY),
    )
    assert "ci.vampire_facial" in error.message


def test_computed_conditions_cannot_be_answered() -> None:
    raises(
        UnknownContraindication,
        "unknown_contraindication",
        lambda: screen(answers(DAY, {"ci.minor": yes()}), DAY),
    )


def test_every_question_must_be_answered() -> None:
    items = no_to_everything()
    del items["ci.pregnancy"], items["ci.anticoagulant"]

    with pytest.raises(MissingAnswers) as caught:
        screen(Answers(DAY, BORN, 2, items), DAY)

    assert caught.value.code == "missing_answers"
    assert caught.value.keys == ("ci.pregnancy", "ci.anticoagulant")
    assert "ci.pregnancy, ci.anticoagulant" in caught.value.message


@pytest.mark.parametrize(
    ("key", "answer", "complaint"),
    [
        ("ci.sunburn_area", Answer(True, since=DAY), "say which zones"),
        ("ci.pregnancy", Answer(True, zones=frozenset({"zone.cheeks"})), "does not take zones"),
        ("ci.isotretinoin_recent", Answer(True), "When did you last take it?"),
        ("ci.anticoagulant", Answer(True, since=DAY), "does not take a date"),
        ("ci.laser_recent", on("zone.cheeks", since=DAY), "choose one of: non_ablative, ablative"),
        ("ci.laser_recent", on("zone.cheeks", since=DAY, variant="co2"), "choose one of"),
        ("ci.filler_recent_area", on("zone.cheeks", since=DAY, variant="hyaluronic"), "no kinds"),
        ("ci.pregnancy", Answer(False, since=DAY), "a 'no' answer cannot carry"),
    ],
)
def test_answers_that_contradict_their_question_are_refused(
    key: str, answer: Answer, complaint: str
) -> None:
    error = raises(
        InvalidAnswer, "invalid_answer", lambda: screen(answers(DAY, {key: answer}), DAY)
    )
    assert complaint in error.message
    assert key in error.message


def test_answer_fields_of_the_wrong_kind_are_refused() -> None:
    raises(InvalidAnswer, "invalid_answer", lambda: Answer("yes"))  # type: ignore[arg-type]
    raises(InvalidAnswer, "invalid_answer", lambda: Answer(True, zones="zone.cheeks"))  # type: ignore[arg-type]
    raises(InvalidValue, "invalid_value", lambda: Answer(True, since="2025-01-01"))  # type: ignore[arg-type]
    raises(InvalidAnswer, "invalid_answer", lambda: Answers(DAY, BORN, 2, {"ci.pregnancy": True}))  # type: ignore[dict-item]
    raises(InvalidAnswer, "invalid_answer", lambda: screen("answers", DAY))  # type: ignore[arg-type]


@pytest.mark.parametrize("phototype", [0, 7, True, 3.0, "IV"])
def test_a_fitzpatrick_type_outside_1_to_6_is_refused(phototype: object) -> None:
    raises(InvalidAnswer, "invalid_answer", lambda: answers(DAY, fitzpatrick=phototype))  # type: ignore[arg-type]


def test_a_last_dose_in_the_future_is_dates_out_of_order() -> None:
    future = {"ci.isotretinoin_recent": yes(date(2025, 6, 3))}

    error = raises(DatesOutOfOrder, "dates_out_of_order", lambda: answers(DAY, future))
    assert "ci.isotretinoin_recent" in error.message


def test_answers_dated_after_the_screening_day_are_dates_out_of_order() -> None:
    raises(DatesOutOfOrder, "dates_out_of_order", lambda: screen(answers(DAY), date(2025, 6, 1)))


def test_a_date_of_birth_after_the_answers_is_dates_out_of_order() -> None:
    raises(DatesOutOfOrder, "dates_out_of_order", lambda: answers(DAY, born=date(2025, 6, 3)))


def test_a_datetime_where_a_date_is_needed_is_refused() -> None:
    raises(InvalidValue, "invalid_value", lambda: screen(answers(DAY), datetime(2025, 6, 2, 9)))


def test_a_review_must_name_the_clinician_and_say_why() -> None:
    raises(InvalidReview, "invalid_review", lambda: Review("ci.pregnancy", " ", DAY, "Cleared."))
    raises(InvalidReview, "invalid_review", lambda: Review("ci.pregnancy", "Dr Osei", DAY, ""))
    raises(InvalidReview, "invalid_review", lambda: screen(answers(DAY), DAY, reviews=["ok"]))  # type: ignore[list-item]


def test_a_review_of_an_unknown_condition_or_dated_after_the_screening_is_refused() -> None:
    unknown = Review("ci.unknown", "Dr Osei", DAY, "Fine.")
    future = Review("ci.pregnancy", "Dr Osei", date(2025, 6, 3), "Fine.")

    raises(
        UnknownContraindication,
        "unknown_contraindication",
        lambda: screen(answers(DAY), DAY, reviews=[unknown]),
    )
    raises(
        DatesOutOfOrder, "dates_out_of_order", lambda: screen(answers(DAY), DAY, reviews=[future])
    )


@pytest.mark.parametrize("depth", [0, -0.5, math.nan, math.inf, 5.01, 12, "1.0", None, True])
def test_impossible_depths_are_invalid(depth: object) -> None:
    error = raises(
        InvalidDepth,
        "invalid_depth",
        lambda: check_depth("zone.cheeks", "ind.acne_scars", depth),  # type: ignore[arg-type]
    )
    assert "mm" in error.message
    raises(
        InvalidDepth,
        "invalid_depth",
        lambda: SessionRecord(DAY, "ind.acne_scars", {"zone.cheeks": depth}),  # type: ignore[dict-item]
    )


def test_a_session_record_needs_zones() -> None:
    raises(InvalidValue, "invalid_value", lambda: SessionRecord(DAY, "ind.acne_scars", {}))


def test_history_dated_after_today_is_dates_out_of_order() -> None:
    later = SessionRecord(date(2025, 6, 3), "ind.acne_scars", {"zone.cheeks": 1.0})

    error = raises(
        DatesOutOfOrder,
        "dates_out_of_order",
        lambda: next_session_date(
            History(sessions=(later,)), "zone.cheeks", "ind.acne_scars", on_date=DAY
        ),
    )
    assert "2025-06-03" in error.message


def test_an_adverse_event_resolved_before_its_onset_is_dates_out_of_order() -> None:
    raises(
        DatesOutOfOrder,
        "dates_out_of_order",
        lambda: AdverseEventRecord("ae.pih", ("zone.cheeks",), DAY, date(2025, 6, 1), 1),
    )


@pytest.mark.parametrize("grade", [0, 4, True, "G1"])
def test_an_adverse_event_grade_outside_1_to_3_is_refused(grade: object) -> None:
    raises(
        InvalidValue,
        "invalid_value",
        lambda: AdverseEventRecord("ae.pih", ("zone.cheeks",), DAY, None, grade),  # type: ignore[arg-type]
    )


def test_an_unknown_adverse_event_is_refused() -> None:
    event = AdverseEventRecord("ae.hiccups", ("zone.cheeks",), DAY, None, 1)

    raises(
        UnknownKey,
        "unknown_key",
        lambda: next_session_date(
            History(adverse_events=(event,)), "zone.cheeks", "ind.acne_scars"
        ),
    )
    raises(UnknownKey, "unknown_key", lambda: classify_reaction("ae.hiccups", DAY, DAY))


def test_a_reaction_observed_before_it_began_is_dates_out_of_order() -> None:
    raises(
        DatesOutOfOrder,
        "dates_out_of_order",
        lambda: classify_reaction("ae.erythema_prolonged", DAY, date(2025, 6, 1)),
    )


@pytest.mark.parametrize(
    "arguments",
    [
        (0, 100, 5, 0.5, 3),
        (12, -100, 5, 0.5, 3),
        (12, 100, 0, 0.5, 3),
        (12, 100, 5, math.nan, 3),
        (12, 100, 5, 0.5, 1.5),
        (12.5, 100, 5, 0.5, 3),
        (12, 100, math.inf, 0.5, 3),
    ],
)
def test_pen_density_needs_positive_numbers(arguments: tuple[float, ...]) -> None:
    raises(InvalidValue, "invalid_value", lambda: pen_channel_density(*arguments))  # type: ignore[arg-type]


def test_roller_density_needs_positive_numbers() -> None:
    raises(InvalidValue, "invalid_value", lambda: roller_channel_density(passes=0))
    raises(InvalidValue, "invalid_value", lambda: roller_channel_density(0, passes=1))
    raises(
        InvalidValue, "invalid_value", lambda: roller_channel_density(drum_width_cm=-2, passes=1)
    )


def test_scar_counts_must_be_known_rows_and_whole_numbers() -> None:
    raises(UnknownKey, "unknown_key", lambda: goodman_baron_score({"ice_pick": 3}))
    raises(InvalidValue, "invalid_value", lambda: goodman_baron_score({"papular": -1}))
    raises(InvalidValue, "invalid_value", lambda: goodman_baron_score({"papular": 2.5}))  # type: ignore[dict-item]
    raises(InvalidValue, "invalid_value", lambda: goodman_baron_score({}, hypertrophic_area_cm2=-1))


def test_photo_sets_and_views_must_be_known() -> None:
    raises(UnknownKey, "unknown_key", lambda: missing_views("feet", []))
    raises(UnknownKey, "unknown_key", lambda: missing_views("face", ["front", "vertex"]))


def test_cartridge_checks_need_a_known_material_a_serial_and_known_allergies() -> None:
    def scan(allergies: object = (), material: str = "steel", serial: str = "C-1") -> object:
        return check_cartridge(allergies, material, DAY, DAY, serial, set())  # type: ignore[arg-type]

    raises(UnknownKey, "unknown_key", lambda: scan(material="copper"))
    raises(InvalidValue, "invalid_value", lambda: scan(serial=""))
    raises(UnknownContraindication, "unknown_contraindication", lambda: scan(["ci.latex_allergy"]))
    raises(InvalidValue, "invalid_value", lambda: scan("ci.gold_allergy"))


def test_unknown_workflow_steps_are_refused() -> None:
    raises(UnknownKey, "unknown_key", lambda: check_needling_start(["numbing_wiped"]))


def test_a_malformed_duration_in_an_override_is_an_invalid_override(rules: Rules) -> None:
    error = raises(
        InvalidOverride,
        "invalid_override",
        lambda: rules.with_overrides({"ci.recent_tan.wait": "P2X"}),
    )
    assert "ci.recent_tan.wait" in error.message
