"""Properties that must hold for any input, checked with Hypothesis."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.clinical import (
    Answer,
    Answers,
    Contraindication,
    Duration,
    History,
    Review,
    SessionRecord,
    add_duration,
    check_depth,
    default_rules,
    next_session_date,
    screen,
)

from .helpers import no_to_everything

RULES = default_rules()
QUESTIONS = [RULES.contraindication(q.key) for q in RULES.questions()]
PLACES = [*RULES.zones, *RULES.areas]
properties = settings(max_examples=200, deadline=None)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
zone_keys = st.sampled_from(list(RULES.zones))
indications = st.sampled_from(list(RULES.indications))
depths = st.floats(min_value=0.05, max_value=5.0, allow_nan=False)
durations = st.builds(
    Duration,
    years=st.integers(0, 20),
    months=st.integers(0, 120),
    weeks=st.integers(0, 52),
    days=st.integers(0, 400),
)


@st.composite
def yes_to(draw: st.DrawFn, ci: Contraindication, answered_on: date) -> Answer:
    """A valid "yes" to `ci` given on `answered_on`."""
    earliest = answered_on - timedelta(days=800)
    since = None
    if ci.date_question is not None:
        dated = st.dates(min_value=earliest, max_value=answered_on)
        since = draw(dated if ci.has_wait else st.none() | dated)
    zones: frozenset[str] = frozenset()
    if ci.scope == "area":
        zones = frozenset(draw(st.sets(st.sampled_from(PLACES), min_size=1, max_size=3)))
    variant = draw(st.sampled_from(list(ci.variants))) if ci.variants else None
    return Answer(True, since=since, zones=zones, variant=variant)


@st.composite
def screenings(draw: st.DrawFn) -> tuple[Answers, date, tuple[str, ...] | None, list[Review]]:
    answered_on = draw(days)
    on_date = answered_on + timedelta(days=draw(st.integers(0, 400)))
    items = no_to_everything()
    for ci in draw(st.lists(st.sampled_from(QUESTIONS), unique_by=lambda ci: ci.key, max_size=5)):
        items[ci.key] = draw(yes_to(ci, answered_on))
    born = draw(st.dates(min_value=date(1940, 1, 1), max_value=answered_on))
    fitzpatrick = draw(st.none() | st.integers(1, 6))
    zones = draw(st.none() | st.lists(st.sampled_from(PLACES), min_size=1, max_size=3).map(tuple))
    reviewed = draw(st.lists(st.sampled_from(list(RULES.contraindications)), max_size=3))
    reviews = [
        Review(
            key, "Dr Amara Osei", draw(st.dates(answered_on - timedelta(days=30), on_date)), "Seen."
        )
        for key in reviewed
    ]
    return Answers(answered_on, born, fitzpatrick, items), on_date, zones, reviews


@properties
@given(screenings(), st.data())
def test_answering_yes_to_one_more_question_never_makes_screening_less_strict(
    screening: tuple[Answers, date, tuple[str, ...] | None, list[Review]], data: st.DataObject
) -> None:
    answers, on_date, zones, reviews = screening
    still_no = [ci for ci in QUESTIONS if not answers.items[ci.key].present]
    ci = data.draw(st.sampled_from(still_no))
    more = Answers(
        answers.answered_on,
        answers.date_of_birth,
        answers.fitzpatrick,
        {**answers.items, ci.key: data.draw(yes_to(ci, answers.answered_on))},
    )

    before = screen(answers, on_date, zones=zones, reviews=reviews)
    after = screen(more, on_date, zones=zones, reviews=reviews)

    assert after.strictness >= before.strictness


@properties
@given(screenings())
def test_screening_is_deterministic(
    screening: tuple[Answers, date, tuple[str, ...] | None, list[Review]],
) -> None:
    answers, on_date, zones, reviews = screening

    assert screen(answers, on_date, zones=zones, reviews=reviews) == screen(
        answers, on_date, zones=zones, reviews=reviews
    )


def minimum_days(zone: str, depth: float, earlier: str, booked: str) -> int:
    """§2: 7 d between alopecia sessions on the scalp, else 28 d above 0.3 mm, else 14 d."""
    if zone == "zone.scalp" and earlier == booked == "ind.alopecia":
        return 7
    return 28 if depth > 0.3 else 14


sessions = st.builds(
    SessionRecord,
    on=days,
    indication=indications,
    zones=st.dictionaries(zone_keys, depths, min_size=1, max_size=4),
)


@properties
@given(st.lists(sessions, max_size=8), zone_keys, indications)
def test_the_next_session_is_never_before_the_minimum_interval_after_any_session_on_the_zone(
    history: list[SessionRecord], zone: str, booked: str
) -> None:
    eligibility = next_session_date(History(sessions=tuple(history)), zone, booked)

    for past in history:
        if zone in past.zones:
            bound = past.on + timedelta(
                minimum_days(zone, past.zones[zone], past.indication, booked)
            )
            assert eligibility.blocked or eligibility.earliest is not None
            assert eligibility.blocked or eligibility.earliest >= bound  # type: ignore[operator]
            assert not eligibility.allows(bound - timedelta(days=1))
    if not eligibility.blocked and eligibility.earliest is not None:
        assert eligibility.allows(eligibility.earliest)
    assert eligibility == next_session_date(History(sessions=tuple(history)), zone, booked)


@properties
@given(zone_keys, indications, st.booleans(), st.data())
def test_a_depth_above_the_zone_maximum_is_always_blocked(
    zone: str, indication: str, clinician: bool, data: st.DataObject
) -> None:
    cap = RULES.zone(zone).max_depth_mm
    depth = data.draw(st.floats(min_value=cap, max_value=5.0, exclude_min=True))

    assert check_depth(zone, indication, depth, clinician=clinician).status == "block"


@properties
@given(st.dates(max_value=date(9000, 12, 31)), durations)
def test_adding_a_duration_never_overflows_and_never_goes_back(
    start: date, duration: Duration
) -> None:
    end = add_duration(start, duration)

    assert end >= start
    assert (end - start).days <= duration.total_months * 31 + duration.total_days


@properties
@given(st.dates(max_value=date(9000, 12, 31)), st.integers(0, 1200))
def test_adding_months_lands_on_the_same_day_or_the_last_day_of_the_month(
    start: date, months: int
) -> None:
    end = add_duration(start, Duration(months=months))

    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == months
    assert end.day == min(start.day, calendar.monthrange(end.year, end.month)[1])


@properties
@given(days, days, durations, durations)
def test_add_duration_is_monotone_in_the_date_and_the_duration(
    first: date, second: date, one: Duration, other: Duration
) -> None:
    early, late = sorted((first, second))
    shorter, longer = sorted((one, other), key=lambda d: (d.total_months, d.total_days))

    assert add_duration(early, one) <= add_duration(late, one)
    if shorter.total_days <= longer.total_days:
        assert add_duration(early, shorter) <= add_duration(early, longer)


WAIT_KEYS: list[tuple[Contraindication, str | None]] = [
    (ci, variant) for ci in QUESTIONS if ci.wait is not None for variant in [None]
] + [(ci, variant) for ci in QUESTIONS for variant in ci.variants]
waits = st.one_of(
    st.integers(1, 400).map(lambda n: f"P{n}D"),
    st.integers(1, 24).map(lambda n: f"P{n}M"),
    st.integers(1, 52).map(lambda n: f"P{n}W"),
)


@properties
@given(st.sampled_from(WAIT_KEYS), waits, days)
def test_an_overridden_wait_is_used_and_recorded_with_the_rules_version(
    chosen: tuple[Contraindication, str | None], wait: str, answered_on: date
) -> None:
    ci, variant = chosen
    key = ci.wait_for(variant)[0]  # type: ignore[index]
    clinic = RULES.with_overrides({key: wait})
    zones = frozenset({"zone.cheeks"}) if ci.scope == "area" else frozenset()
    answer = Answer(True, since=answered_on, zones=zones, variant=variant)
    answers = Answers(answered_on, date(1980, 1, 1), 2, {**no_to_everything(), ci.key: answer})

    result = screen(answers, answered_on, zones="zone.cheeks", rules=clinic)

    assert result.values_in_force == {key: wait}
    assert result.until == add_duration(answered_on, wait)
    assert result.rules_version == clinic.version == RULES.with_overrides({key: wait}).version
    assert clinic.version.startswith(f"{RULES.version}+")
    assert clinic.overrides == {key: wait}
