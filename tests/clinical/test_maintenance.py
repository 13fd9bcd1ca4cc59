"""Maintenance after a finished course (§2 "then 1–2/yr maintenance", §5 (d)).

"Up to N a year" is a rolling limit: at most N maintenance sessions on the zone in any
12 months after the course is complete. The next one may be booked from the day the
oldest session in the window leaves it (that session + 12 calendar months), not a fixed
12/N-month gap after the last.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from needlepoint.clinical import (
    History,
    Rules,
    SessionRecord,
    course_limit_with_booked,
    next_session_date,
)
from needlepoint.clinical.eligibility import Eligibility
from tests.clinical.helpers import said

WRINKLES = "ind.wrinkles_fine_lines"  # course of 6, then up to 2 a year


def wrinkles(day: date) -> SessionRecord:
    return SessionRecord(day, WRINKLES, {"zone.forehead": 0.75})


def course_2025() -> tuple[SessionRecord, ...]:
    """Six monthly wrinkle sessions on the forehead, January to June 2025: the course."""
    return tuple(wrinkles(date(2025, month, 1)) for month in range(1, 7))


def forehead(*maintenance: date, on_date: date | None = None) -> Eligibility:
    sessions = course_2025() + tuple(wrinkles(day) for day in maintenance)
    history = History(sessions=sessions)
    return next_session_date(history, "zone.forehead", WRINKLES, on_date=on_date)


def maintenance_until(eligibility: Eligibility) -> date | None:
    found = [reason for reason in eligibility.reasons if reason.key == "course.maintenance"]
    assert len(found) <= 1
    return found[0].until if found else None


def test_two_a_year_on_1_january_and_1_july_next_from_1_january() -> None:
    eligibility = forehead(date(2026, 1, 1), date(2026, 7, 1))

    assert maintenance_until(eligibility) == date(2027, 1, 1)
    assert eligibility.earliest == date(2027, 1, 1)
    assert not eligibility.blocked
    assert eligibility.values_in_force[f"{WRINKLES}.maintenance_per_year"] == "2"


def test_two_close_together_wait_for_the_oldest_to_leave_the_window_not_a_gap_after_the_last() -> (
    None
):
    eligibility = forehead(date(2026, 1, 1), date(2026, 2, 1))

    assert eligibility.earliest == date(2027, 1, 1)  # a fixed 6-month gap would say 1 August 2026


def test_the_window_rolls_the_third_session_only_waits_for_the_second() -> None:
    eligibility = forehead(date(2026, 1, 1), date(2026, 7, 1), date(2027, 1, 2))

    assert eligibility.earliest == date(2027, 7, 1)


def test_the_message_states_the_rolling_rule_and_the_date_in_words() -> None:
    eligibility = forehead(date(2026, 3, 3), date(2026, 9, 1))

    (reason,) = [reason for reason in eligibility.reasons if reason.key == "course.maintenance"]
    assert reason.severity == "deferred"
    assert reason.zones == ("zone.forehead",)
    assert said(reason) == (
        "Course of 6 complete; maintenance is up to 2 sessions in any 12 months: "
        "the next can be from 3 March 2027."
    )


def test_the_course_itself_is_not_maintenance_so_fewer_than_n_leave_only_the_interval() -> None:
    finished = forehead()
    one = forehead(date(2025, 9, 1))

    assert maintenance_until(finished) is None
    assert finished.earliest == date(2025, 6, 29)  # 28 days after the sixth session
    assert maintenance_until(one) is None
    assert one.earliest == date(2025, 9, 29)
    assert finished.values_in_force[f"{WRINKLES}.course_max_sessions"] == "6"


def test_the_boundary_day_is_allowed_and_the_day_before_refused() -> None:
    eligibility = forehead(date(2026, 1, 1), date(2026, 7, 1), on_date=date(2026, 12, 1))

    assert not eligibility.allows(date(2026, 12, 31))
    assert eligibility.allows(date(2027, 1, 1))
    assert (
        said(eligibility.refusal(date(2026, 12, 31))) == "Too early: earliest allowed 2027-01-01."
    )


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        # 12 calendar months: 366 days when a 29 February falls inside the window.
        ((date(2027, 3, 1), date(2027, 4, 1)), date(2028, 3, 1)),
        ((date(2028, 1, 1), date(2028, 7, 1)), date(2029, 1, 1)),
        # A session on 29 February leaves the window on 28 February of the next year.
        ((date(2028, 2, 29), date(2028, 7, 1)), date(2029, 2, 28)),
    ],
)
def test_leap_years(sessions: tuple[date, ...], expected: date) -> None:
    eligibility = forehead(*sessions)

    assert maintenance_until(eligibility) == expected
    assert not eligibility.allows(expected - timedelta(days=1))
    assert eligibility.allows(expected)


def alopecia(day: date) -> SessionRecord:
    return SessionRecord(day, "ind.alopecia", {"zone.scalp": 1.0})


def test_twelve_a_year_for_alopecia() -> None:
    weekly = tuple(alopecia(date(2025, 1, 6) + timedelta(weeks=week)) for week in range(12))
    monthly = tuple(alopecia(date(year, month, 24)) for year, month in _months(2025, 4, 12))
    assert weekly[-1].on == date(2025, 3, 24) and monthly[-1].on == date(2026, 3, 24)

    eleven = next_session_date(
        History(sessions=weekly + monthly[:11]), "area.scalp", "ind.alopecia"
    )
    twelve = next_session_date(History(sessions=weekly + monthly), "area.scalp", "ind.alopecia")

    assert maintenance_until(eleven) is None
    assert eleven.earliest == date(2026, 3, 3)  # the 7-day scalp interval alone
    assert maintenance_until(twelve) == date(2026, 4, 24)  # 24 April 2025 leaves the window
    assert twelve.earliest == date(2026, 4, 24)
    assert "up to 12 sessions in any 12 months" in said(twelve.reasons[-1])


def test_once_a_year_reads_in_the_singular(rules: Rules) -> None:
    clinic = rules.with_overrides({"ind.acne_scars.maintenance_per_year": 1})
    sessions = tuple(
        SessionRecord(date(2025, month, 1), "ind.acne_scars", {"zone.cheeks": 1.5})
        for month in range(1, 8)
    )

    eligibility = next_session_date(
        History(sessions=sessions), "zone.cheeks", "ind.acne_scars", rules=clinic
    )

    assert eligibility.earliest == date(2026, 7, 1)
    assert "up to 1 session in any 12 months: the next can be from 1 July 2026." in (
        said(eligibility.reasons[-1])
    )


def test_sessions_before_the_course_started_do_not_count() -> None:
    older = tuple(wrinkles(date(2024, month, 1)) for month in range(1, 9))
    history = History(
        sessions=older + course_2025() + (wrinkles(date(2025, 8, 1)), wrinkles(date(2025, 9, 1))),
        course_started_on=date(2025, 1, 1),
    )

    eligibility = next_session_date(history, "zone.forehead", WRINKLES)

    assert maintenance_until(eligibility) == date(2026, 8, 1)


def _months(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """(year, month) for `count` months from `month` of `year`."""
    index = year * 12 + month - 1
    return [(i // 12, i % 12 + 1) for i in range(index, index + count)]


COURSE_DAYS = [date(2025, month, 1) for month in range(1, 7)]


@pytest.mark.parametrize(
    ("booked", "day", "expected"),
    [
        # one maintenance booked: a second is within "up to 2" anywhere
        ([date(2025, 9, 1)], date(2025, 10, 1), None),
        # two booked in the window: a third inside it is refused
        ([date(2025, 9, 1), date(2026, 3, 1)], date(2026, 6, 1), "course.maintenance"),
        # ... and allowed the day the first leaves the 12 months
        ([date(2025, 9, 1), date(2026, 3, 1)], date(2026, 9, 1), None),
        # a session booked *before* the others pushes them into the same window
        ([date(2026, 1, 1), date(2026, 3, 1)], date(2025, 12, 1), "course.maintenance"),
    ],
)
def test_sessions_booked_ahead_count_in_the_rolling_window(booked, day, expected) -> None:
    found = course_limit_with_booked(COURSE_DAYS, booked, day, course_max=6, per_year=2)
    assert (found[0] if found else None) == expected


def test_a_course_without_maintenance_counts_its_booked_sessions() -> None:
    found = course_limit_with_booked(
        COURSE_DAYS[:4],
        [date(2025, 6, 1), date(2025, 7, 1)],
        date(2025, 8, 1),
        course_max=6,
        per_year=None,
    )
    assert found is not None and found[0] == "course.complete"
    assert (
        course_limit_with_booked(
            COURSE_DAYS[:4], [date(2025, 6, 1)], date(2025, 8, 1), course_max=6, per_year=None
        )
        is None
    )
