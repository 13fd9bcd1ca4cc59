from __future__ import annotations

from datetime import date

from needlepoint.clinical import (
    AdverseEventRecord,
    History,
    Review,
    Rules,
    SessionRecord,
    next_session_date,
)
from tests.clinical.helpers import said

from .helpers import answers, on, yes


def session(day: date, indication: str, **depths: float) -> SessionRecord:
    return SessionRecord(day, indication, {f"zone.{zone}": mm for zone, mm in depths.items()})


def test_a_new_client_can_be_booked_any_day() -> None:
    eligibility = next_session_date(History(), "area.face", "ind.acne_scars")

    assert eligibility.earliest is None
    assert not eligibility.blocked
    assert eligibility.reasons == ()
    assert eligibility.allows(date(2025, 1, 1))


def test_the_latest_interval_of_any_zone_of_the_area_wins() -> None:
    history = History(
        sessions=(
            session(date(2025, 3, 1), "ind.acne_scars", cheeks=1.5, chin=1.0),
            session(date(2025, 3, 10), "ind.blackheads", nose=0.25),
        )
    )

    eligibility = next_session_date(history, "area.face", "ind.acne_scars")

    assert eligibility.earliest == date(2025, 3, 29)
    grouped = [(reason.key, reason.zones) for reason in eligibility.reasons]
    assert grouped == [
        ("interval.superficial", ("zone.nose",)),
        ("interval.dermal", ("zone.cheeks", "zone.chin")),
    ]


def test_an_earlier_deeper_session_can_outlast_a_later_superficial_one() -> None:
    history = History(
        sessions=(
            session(date(2025, 3, 1), "ind.acne_scars", cheeks=2.0),
            session(date(2025, 3, 5), "ind.hyperpigmentation", cheeks=0.25),
        )
    )

    eligibility = next_session_date(history, "zone.cheeks", "ind.acne_scars")

    assert eligibility.earliest == date(2025, 3, 29)


def test_sessions_on_other_zones_do_not_constrain_the_area() -> None:
    history = History(sessions=(session(date(2025, 3, 1), "ind.stretch_marks", abdomen=2.0),))

    assert next_session_date(history, "area.face", "ind.acne_scars").earliest is None


def test_the_scalp_exception_needs_alopecia_on_both_sessions() -> None:
    history = History(sessions=(session(date(2025, 4, 1), "ind.alopecia", scalp=0.6),))

    eligibility = next_session_date(history, "zone.scalp", "ind.skin_laxity")

    assert eligibility.earliest == date(2025, 4, 29)


def test_a_clinic_interval_is_used_and_recorded(rules: Rules) -> None:
    clinic = rules.with_overrides({"interval.dermal_days": 42})
    history = History(sessions=(session(date(2025, 3, 1), "ind.acne_scars", cheeks=1.5),))

    eligibility = next_session_date(history, "zone.cheeks", "ind.acne_scars", rules=clinic)

    assert eligibility.earliest == date(2025, 4, 12)
    assert eligibility.values_in_force["interval.dermal_days"] == "42"
    assert eligibility.rules_version == clinic.version


def test_a_finished_course_without_maintenance_needs_a_clinicians_new_plan() -> None:
    course = tuple(
        session(date(2025, month, 1), "ind.acne_scars", cheeks=1.5) for month in range(1, 7)
    )

    finished = next_session_date(History(sessions=course), "zone.cheeks", "ind.acne_scars")
    new_course = next_session_date(
        History(sessions=course, course_started_on=date(2025, 9, 1)),
        "zone.cheeks",
        "ind.acne_scars",
    )

    assert finished.blocked
    complete = [reason for reason in finished.reasons if reason.key == "course.complete"]
    assert said(complete[0]).startswith("course complete: a new course needs a clinician's plan")
    assert not new_course.blocked
    assert new_course.earliest == date(2025, 6, 29)


def test_after_a_wrinkle_course_maintenance_is_twice_a_year() -> None:
    days = [date(2025, month, 1) for month in range(1, 7)]
    maintenance = [date(2025, 12, 1), date(2026, 2, 1)]
    course = tuple(
        session(day, "ind.wrinkles_fine_lines", forehead=0.75) for day in days + maintenance
    )

    eligibility = next_session_date(
        History(sessions=course), "zone.forehead", "ind.wrinkles_fine_lines"
    )

    # Up to 2 in any 12 months (rolling): from the day 1 December 2025 leaves the window.
    assert not eligibility.blocked
    assert eligibility.earliest == date(2026, 12, 1)
    assert "course.maintenance" in [reason.key for reason in eligibility.reasons]
    assert eligibility.values_in_force["ind.wrinkles_fine_lines.maintenance_per_year"] == "2"


def test_after_twelve_alopecia_sessions_maintenance_is_up_to_twelve_a_year() -> None:
    weekly = tuple(
        session(
            date.fromordinal(date(2025, 1, 6).toordinal() + 7 * week), "ind.alopecia", scalp=1.0
        )
        for week in range(12)
    )

    eligibility = next_session_date(History(sessions=weekly), "area.scalp", "ind.alopecia")

    # No maintenance session yet, so none in the rolling 12 months: the 7-day scalp
    # interval alone (tests/clinical/test_maintenance.py has the twelfth in the window).
    assert weekly[-1].on == date(2025, 3, 24)
    assert eligibility.earliest == date(2025, 3, 31)
    assert "course.maintenance" not in [reason.key for reason in eligibility.reasons]
    assert eligibility.values_in_force["ind.alopecia.maintenance_per_year"] == "12"


def test_only_sessions_of_the_same_indication_on_the_area_count_towards_the_course() -> None:
    elsewhere = tuple(
        session(date(2025, month, 1), "ind.acne_scars", back=2.0) for month in range(1, 7)
    )

    assert not next_session_date(
        History(sessions=elsewhere), "zone.cheeks", "ind.acne_scars"
    ).blocked


def test_an_open_adverse_event_blocks_its_zones_only() -> None:
    event = AdverseEventRecord("ae.pih", ("zone.cheeks",), date(2025, 4, 1), None, 1)
    history = History(adverse_events=(event,))

    cheeks = next_session_date(history, "area.face", "ind.acne_scars")
    neck = next_session_date(history, "zone.neck", "ind.skin_laxity")

    assert cheeks.blocked
    assert cheeks.reasons[0].zones == ("zone.cheeks",)
    assert "Blocked: Open adverse event" in said(cheeks.refusal(date(2026, 1, 1)))
    assert not neck.blocked


def test_contraindication_waits_come_from_the_latest_answers() -> None:
    screening = answers(
        date(2025, 6, 2), {"ci.filler_recent_area": on("zone.cheeks", since=date(2025, 6, 1))}
    )
    history = History(
        sessions=(session(date(2025, 6, 1), "ind.acne_scars", chin=1.0),), answers=screening
    )

    eligibility = next_session_date(history, "area.face", "ind.acne_scars")

    assert eligibility.earliest == date(2025, 6, 29)
    assert {reason.key for reason in eligibility.reasons} == {
        "interval.dermal",
        "ci.filler_recent_area",
    }
    assert eligibility.values_in_force["ci.filler_recent_area.wait"] == "P28D"


def test_an_absolute_contraindication_blocks_booking() -> None:
    history = History(answers=answers(date(2025, 6, 2), {"ci.keloid_history": yes()}))

    eligibility = next_session_date(history, "zone.abdomen", "ind.stretch_marks")

    assert eligibility.blocked
    assert eligibility.earliest is None


def test_a_radiotherapy_wait_gives_a_date_and_asks_for_a_sign_off() -> None:
    radiotherapy = on("zone.decolletage", since=date(2025, 1, 10))
    history = History(answers=answers(date(2025, 6, 2), {"ci.radiation_area": radiotherapy}))

    eligibility = next_session_date(history, "area.neck_decolletage", "ind.skin_laxity")

    assert eligibility.earliest == date(2026, 1, 10)
    assert [reason.key for reason in eligibility.review_required] == ["ci.radiation_area"]
    assert not eligibility.allows(date(2026, 1, 10))
    assert "Clinician review required" in said(eligibility.refusal(date(2026, 1, 10)))


def test_a_recorded_review_lets_the_booking_through() -> None:
    screening = answers(date(2025, 6, 2), {"ci.anticoagulant": yes()})
    review = Review(
        "ci.anticoagulant", "Dr Amara Osei", date(2025, 6, 2), "Stable INR; prescriber aware."
    )

    eligibility = next_session_date(
        History(answers=screening, reviews=(review,)), "area.face", "ind.acne_scars"
    )

    assert eligibility.review_required == ()
    assert eligibility.allows(date(2025, 6, 3))


def test_precautions_are_listed_without_blocking() -> None:
    history = History(answers=answers(date(2025, 6, 2), fitzpatrick=6))

    eligibility = next_session_date(history, "area.face", "ind.hyperpigmentation")

    assert [reason.severity for reason in eligibility.reasons] == ["precaution"]
    assert eligibility.allows(date(2025, 6, 2))
