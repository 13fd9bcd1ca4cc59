"""The availability engine: free starts for one service at one location, in plain Python.

No Django and no real clock: every date and instant here is written out by hand.
Run alone with ``pytest tests/scheduling/test_slots.py -p no:django``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.scheduling.slots import (
    Interval,
    Practitioner,
    Resource,
    Slot,
    Spans,
    free_slots,
)

LONDON = ZoneInfo("Europe/London")
HOUR = timedelta(minutes=60)
STEP = timedelta(minutes=15)
VISIT = Spans(appointment=HOUR, before=timedelta(0), after=timedelta(0), device_after=timedelta(0))

# Opening hours 9 to 18 Monday to Friday, 11 to 15 on Saturday, closed on Sunday.
OPENING = {weekday: [(time(9), time(18))] for weekday in range(5)} | {5: [(time(11), time(15))]}
MONDAY = date(2025, 6, 2)  # London keeps summer time (+01:00) all that week
TUESDAY = date(2025, 6, 3)
WEDNESDAY = date(2025, 6, 4)
SATURDAY = date(2025, 6, 7)
SUNDAY = date(2025, 6, 8)
FAR_PAST = datetime(2000, 1, 1, tzinfo=UTC)
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
ANNA = Practitioner(1, weekly=OPENING)
BEN = Practitioner(2, weekly=OPENING)


def minutes(count: int) -> timedelta:
    return timedelta(minutes=count)


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = LONDON, fold: int = 0) -> datetime:
    """The instant, in UTC, of a local wall-clock time."""
    return datetime.combine(day, time(hour, minute, fold=fold), zone).astimezone(UTC)


def find(**changes: Any) -> list[Slot]:
    """free_slots for one London week, one practitioner and a 60-minute visit, unless changed."""
    arguments: dict[str, Any] = {
        "zone": LONDON,
        "first_day": MONDAY,
        "last_day": SUNDAY,
        "opening": OPENING,
        "closed_days": (),
        "spans": VISIT,
        "practitioners": [ANNA],
        "rooms": None,
        "devices": None,
        "not_before": FAR_PAST,
        "not_after": FAR_FUTURE,
    }
    arguments.update(changes)
    return free_slots(**arguments)


def wall_starts(slots: Sequence[Slot], day: date, zone: ZoneInfo = LONDON) -> list[str]:
    """The local start times ("09:15") of the slots on one local date."""
    local = [slot.start.astimezone(zone) for slot in slots]
    return [moment.strftime("%H:%M") for moment in local if moment.date() == day]


def quarter_hours(first: str, last: str) -> list[str]:
    begin = datetime.strptime(first, "%H:%M")
    count = (datetime.strptime(last, "%H:%M") - begin) // STEP + 1
    return [(begin + index * STEP).strftime("%H:%M") for index in range(count)]


def overlaps(one: Interval, other: Interval) -> bool:
    return one[0] < other[1] and other[0] < one[1]


# --- basics -------------------------------------------------------------------------------


def test_a_weekday_offers_starts_from_opening_until_an_hour_before_closing() -> None:
    assert wall_starts(find(), MONDAY) == quarter_hours("09:00", "17:00")


def test_saturday_offers_starts_from_eleven_until_two() -> None:
    assert wall_starts(find(), SATURDAY) == quarter_hours("11:00", "14:00")


def test_sunday_offers_nothing_because_the_clinic_is_closed() -> None:
    assert wall_starts(find(), SUNDAY) == []


def test_slots_are_sorted_unique_utc_and_one_visit_long() -> None:
    slots = find(opening={0: [(time(12), time(18)), (time(9), time(13))]})
    starts = [slot.start for slot in slots]
    assert starts == sorted(set(starts))
    assert wall_starts(slots, MONDAY) == quarter_hours("09:00", "17:00")
    assert all(slot.start.tzinfo is UTC and slot.end - slot.start == HOUR for slot in slots)
    assert slots[0] == Slot(at(MONDAY, 9), at(MONDAY, 10), practitioner=1, room=None, device=None)


def test_spans_name_the_holds_of_each_resource() -> None:
    spans = Spans(appointment=HOUR, before=minutes(10), after=minutes(15), device_after=minutes(30))
    nine = at(MONDAY, 9)
    assert spans.practitioner_hold(nine) == (at(MONDAY, 8, 50), at(MONDAY, 10, 15))
    assert spans.room_hold(nine) == (at(MONDAY, 8, 50), at(MONDAY, 10, 15))
    assert spans.device_hold(nine) == (at(MONDAY, 9), at(MONDAY, 10, 30))


def test_buffers_keep_turnover_time_around_existing_holds() -> None:
    spans = Spans(appointment=HOUR, before=minutes(10), after=minutes(15))
    busy = [spans.practitioner_hold(at(MONDAY, 9)), spans.practitioner_hold(at(MONDAY, 13))]
    slots = find(spans=spans, practitioners=[Practitioner(1, OPENING, busy=busy)])
    # Free starts need [start - 10 min, start + 75 min) clear of 08:50-10:15 and 12:50-14:15.
    assert wall_starts(slots, MONDAY) == [
        *quarter_hours("10:30", "11:30"),
        *quarter_hours("14:30", "17:00"),
    ]


def test_back_to_back_visits_fit_exactly_when_buffers_are_zero() -> None:
    busy = [VISIT.practitioner_hold(at(MONDAY, 9)), VISIT.practitioner_hold(at(MONDAY, 11))]
    slots = find(practitioners=[Practitioner(1, OPENING, busy=busy)])
    assert wall_starts(slots, MONDAY) == ["10:00", *quarter_hours("12:00", "17:00")]


def test_busy_holds_may_be_given_in_any_zone() -> None:
    in_london = (datetime(2025, 6, 2, 10, tzinfo=LONDON), datetime(2025, 6, 2, 17, tzinfo=LONDON))
    slots = find(practitioners=[Practitioner(1, OPENING, busy=[in_london])])
    assert wall_starts(slots, MONDAY) == ["09:00", "17:00"]


def test_time_off_removes_every_start_whose_hold_touches_it() -> None:
    time_off = [(at(MONDAY, 13), at(MONDAY, 15))]
    slots = find(practitioners=[Practitioner(1, OPENING, time_off=time_off)])
    assert wall_starts(slots, MONDAY) == [
        *quarter_hours("09:00", "12:00"),
        *quarter_hours("15:00", "17:00"),
    ]


def test_a_day_override_replaces_the_weekly_shift() -> None:
    anna = Practitioner(1, OPENING, day_overrides={MONDAY: [(time(12), time(14))]})
    slots = find(practitioners=[anna])
    assert wall_starts(slots, MONDAY) == quarter_hours("12:00", "13:00")
    assert wall_starts(slots, TUESDAY) == quarter_hours("09:00", "17:00")


def test_an_empty_day_override_is_a_day_off() -> None:
    slots = find(practitioners=[Practitioner(1, OPENING, day_overrides={MONDAY: []})])
    assert wall_starts(slots, MONDAY) == []
    assert wall_starts(slots, TUESDAY) == quarter_hours("09:00", "17:00")


def test_a_practitioner_is_offered_only_inside_their_own_shift() -> None:
    mornings = Practitioner(1, {0: [(time(8), time(13))]})
    assert wall_starts(find(practitioners=[mornings]), MONDAY) == quarter_hours("09:00", "12:00")


def test_a_visit_must_fit_inside_one_shift_period_not_straddle_two() -> None:
    split = Practitioner(1, {0: [(time(9), time(13)), (time(13), time(18))]})
    starts = wall_starts(find(practitioners=[split]), MONDAY)
    assert starts == [*quarter_hours("09:00", "12:00"), *quarter_hours("13:00", "17:00")]


def test_the_first_practitioner_in_the_given_order_takes_the_slot() -> None:
    anna_busy = Practitioner(1, OPENING, busy=[(at(MONDAY, 9), at(MONDAY, 12))])
    slots = find(practitioners=[anna_busy, BEN], last_day=MONDAY)
    assert {slot.practitioner for slot in slots if slot.start < at(MONDAY, 11)} == {2}
    assert {slot.practitioner for slot in slots if slot.start >= at(MONDAY, 12)} == {1}
    assert len(slots) == len(quarter_hours("09:00", "17:00"))


def test_no_practitioners_means_no_slots() -> None:
    assert find(practitioners=[]) == []


def test_closed_days_offer_nothing() -> None:
    slots = find(closed_days={MONDAY, WEDNESDAY})
    assert wall_starts(slots, MONDAY) == wall_starts(slots, WEDNESDAY) == []
    assert wall_starts(slots, TUESDAY) == quarter_hours("09:00", "17:00")


def test_no_free_room_means_no_slot() -> None:
    whole_week = (at(MONDAY, 0), at(SUNDAY, 23))
    assert find(rooms=[Resource(1, busy=[whole_week])]) == []
    assert find(rooms=[]) == []
    assert find(rooms=[Resource(1, available=False)]) == []


def test_the_first_free_room_is_named_and_its_hold_includes_the_buffers() -> None:
    spans = Spans(appointment=HOUR, before=minutes(10))
    room_one = Resource(1, busy=[(at(MONDAY, 9), at(MONDAY, 10, 5))])
    one_room = find(spans=spans, rooms=[room_one], last_day=MONDAY)
    assert wall_starts(one_room, MONDAY)[0] == "10:15"  # 10:05 + 10 minutes of turnover
    two_rooms = find(spans=spans, rooms=[room_one, Resource(2)], last_day=MONDAY)
    assert [(slot.room, slot.start) for slot in two_rooms[:2]] == [
        (2, at(MONDAY, 9)),
        (2, at(MONDAY, 9, 15)),
    ]
    assert {slot.room for slot in two_rooms if slot.start >= at(MONDAY, 10, 15)} == {1}


def test_a_device_out_of_service_is_never_used() -> None:
    slots = find(devices=[Resource(1, available=False), Resource(2)])
    assert slots and {slot.device for slot in slots} == {2}
    assert find(devices=[Resource(1, available=False)]) == []


def test_device_reprocessing_blocks_the_same_pen_but_another_pen_can_take_the_next_visit() -> None:
    spans = Spans(appointment=HOUR, device_after=minutes(30))
    nine, noon = at(MONDAY, 9), at(MONDAY, 12)
    anna = Practitioner(1, OPENING, busy=[spans.practitioner_hold(nine)])
    pen_one = Resource(1, busy=[spans.device_hold(nine), spans.device_hold(noon)])
    only_pen_one = find(spans=spans, practitioners=[anna], devices=[pen_one], last_day=MONDAY)
    # The pen is reprocessed 10:00-10:30 and 13:00-13:30; a visit needs it 90 minutes.
    assert wall_starts(only_pen_one, MONDAY) == ["10:30", *quarter_hours("13:30", "17:00")]
    both_pens = find(spans=spans, practitioners=[anna], devices=[pen_one, Resource(2)])
    assert (both_pens[0].start, both_pens[0].device) == (at(MONDAY, 10), 2)
    assert [slot.device for slot in both_pens[:4]] == [2, 2, 1, 2]  # pen one free only at 10:30


def test_minimum_notice_and_horizon_bound_the_starts_inclusively() -> None:
    slots = find(not_before=at(MONDAY, 10, 5), not_after=at(TUESDAY, 12))
    assert wall_starts(slots, MONDAY) == quarter_hours("10:15", "17:00")
    assert wall_starts(slots, TUESDAY) == quarter_hours("09:00", "12:00")
    exactly = find(not_before=at(MONDAY, 10), not_after=at(MONDAY, 10))
    assert [slot.start for slot in exactly] == [at(MONDAY, 10)]


def test_notice_is_measured_in_real_time_from_any_zone() -> None:
    notice = datetime(2025, 6, 2, 5, 5, tzinfo=ZoneInfo("America/New_York"))  # 10:05 in London
    assert wall_starts(find(not_before=notice), MONDAY)[0] == "10:15"


def test_no_start_comes_before_the_clients_earliest_eligible_day() -> None:
    slots = find(earliest_day=WEDNESDAY)
    assert slots[0].start == at(WEDNESDAY, 9)
    assert wall_starts(slots, TUESDAY) == []


def test_a_step_longer_than_a_quarter_hour_walks_from_each_periods_opening() -> None:
    slots = find(opening={0: [(time(9, 10), time(12))]}, step=minutes(40), last_day=MONDAY)
    assert wall_starts(slots, MONDAY) == ["09:10", "09:50", "10:30"]


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"not_before": datetime(2025, 6, 2, 9)}, "not_before must be an aware datetime"),
        ({"not_after": datetime(2025, 6, 2, 9)}, "not_after must be an aware datetime"),
        ({"first_day": SUNDAY, "last_day": MONDAY}, r"ends .* before it starts"),
        ({"first_day": date(2025, 1, 1), "last_day": date(2026, 1, 2)}, "longer than 366 days"),
        ({"step": timedelta(0)}, "step between starts must be positive"),
        ({"step": minutes(-15)}, "step between starts must be positive"),
        ({"opening": {0: [(time(18), time(9))]}}, "must start before it ends"),
        ({"opening": {0: [(time(9), time(9))]}}, "must start before it ends"),
        ({"opening": {7: [(time(9), time(18))]}}, "not a weekday"),
        ({"first_day": datetime(2025, 6, 2, tzinfo=UTC)}, "first_day must be a calendar date"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        find(**changes)


def test_a_range_of_exactly_366_days_is_accepted() -> None:
    assert find(first_day=date(2024, 1, 1), last_day=date(2024, 12, 31), opening={}) == []


def test_bad_values_are_refused_when_they_are_built() -> None:
    naive = (datetime(2025, 6, 2, 9), datetime(2025, 6, 2, 10))
    with pytest.raises(ValueError, match="appointment must last a positive time"):
        Spans(appointment=timedelta(0))
    with pytest.raises(ValueError, match="before buffer cannot be negative"):
        Spans(appointment=HOUR, before=minutes(-5))
    with pytest.raises(ValueError, match="must start before it ends"):
        Practitioner(1, {0: [(time(17), time(9))]})
    with pytest.raises(ValueError, match="shifts on 2025-06-02"):
        Practitioner(1, OPENING, day_overrides={MONDAY: [(time(12), time(12))]})
    with pytest.raises(ValueError, match="busy holds: the start must be an aware datetime"):
        Practitioner(1, OPENING, busy=[naive])
    with pytest.raises(ValueError, match=r"time off: .* ends before it starts"):
        Practitioner(1, OPENING, time_off=[(at(MONDAY, 10), at(MONDAY, 9))])
    with pytest.raises(ValueError, match="Resource 3's busy holds"):
        Resource(3, busy=[naive])


# --- daylight-saving changes --------------------------------------------------------------

# (zone, change day, how many minutes longer the local day is)
CHANGES = [
    ("Europe/London", date(2025, 3, 30), -60),
    ("Europe/London", date(2025, 10, 26), +60),
    ("America/New_York", date(2025, 3, 9), -60),
    ("America/New_York", date(2025, 11, 2), +60),
    ("Australia/Sydney", date(2025, 4, 6), +60),
    ("Australia/Sydney", date(2025, 10, 5), -60),
    ("Pacific/Chatham", date(2025, 4, 6), +60),  # 03:45 +13:45 -> 02:45 +12:45
    ("Pacific/Chatham", date(2025, 9, 28), -60),  # 02:45 +12:45 -> 03:45 +13:45
]
CHANGE_IDS = [f"{zone}-{day}" for zone, day, _ in CHANGES]
ALL_DAY = (time(0), time(23, 59))
OFFICE = (time(9), time(18))


def open_every_day(
    zone: ZoneInfo, day: date, window: tuple[time, time], **changes: Any
) -> list[Slot]:
    week = {weekday: [window] for weekday in range(7)}
    return find(
        zone=zone,
        first_day=day,
        last_day=day,
        opening=week,
        practitioners=[Practitioner(1, week)],
        **changes,
    )


def exists(day: date, wall: time, zone: ZoneInfo) -> bool:
    """Whether a wall time happens on that day (it does not inside a spring-forward gap)."""
    local = datetime.combine(day, wall, zone)
    return local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None)


@pytest.mark.parametrize("window", [ALL_DAY, OFFICE], ids=["00:00-23:59", "09:00-18:00"])
@pytest.mark.parametrize("days_from_change", [-1, 0, 1], ids=["day-before", "change-day", "after"])
@pytest.mark.parametrize(("zone_name", "change_day", "lengthening"), CHANGES, ids=CHANGE_IDS)
def test_around_a_clock_change_every_start_is_real_in_window_and_a_real_step_apart(
    zone_name: str,
    change_day: date,
    lengthening: int,
    days_from_change: int,
    window: tuple[time, time],
) -> None:
    zone = ZoneInfo(zone_name)
    day = change_day + timedelta(days=days_from_change)
    opens, closes = window
    nominal = datetime.combine(day, closes) - datetime.combine(day, opens)
    real_open = nominal + minutes(lengthening if window == ALL_DAY and day == change_day else 0)
    # The premise: the test's table agrees with the time zone database.
    assert at(day, closes.hour, closes.minute, zone) - at(day, opens.hour, zone=zone) == real_open

    slots = open_every_day(zone, day, window)

    starts = [slot.start for slot in slots]
    assert len(slots) == (real_open - HOUR) // STEP + 1
    assert len(set(starts)) == len(starts)
    assert all(later - earlier == STEP for earlier, later in pairwise(starts))
    for slot in slots:
        assert slot.start.tzinfo is UTC and slot.end.tzinfo is UTC
        assert slot.end - slot.start == HOUR  # real minutes: both instants are in UTC
        begin, finish = slot.start.astimezone(zone), slot.end.astimezone(zone)
        assert begin.date() == finish.date() == day
        assert opens <= begin.time() and finish.time() <= closes
    # Every whole local hour that happens that day, afternoons included, is offered: the
    # repeated hour of an autumn change twice, the skipped hour of a spring change never.
    for hour in range(opens.hour, 24):
        for fold in (0, 1):
            moment = at(day, hour, 0, zone, fold)
            fits = moment + HOUR <= at(day, closes.hour, closes.minute, zone)
            if exists(day, time(hour), zone) and fits:
                assert moment in starts, f"{hour:02}:00 fold={fold} is missing"


@pytest.mark.parametrize(("zone_name", "change_day", "lengthening"), CHANGES, ids=CHANGE_IDS)
def test_afternoon_starts_keep_their_wall_clock_time_on_a_change_day(
    zone_name: str, change_day: date, lengthening: int
) -> None:
    zone = ZoneInfo(zone_name)
    slots = open_every_day(zone, change_day, OFFICE)
    assert wall_starts(slots, change_day, zone) == quarter_hours("09:00", "17:00")
    afternoon = [slot for slot in slots if slot.start >= at(change_day, 13, zone=zone)]
    assert afternoon[0].start.astimezone(zone).strftime("%H:%M") == "13:00"
    assert afternoon[-1].end.astimezone(zone).strftime("%H:%M") == "18:00"


def test_a_visit_across_the_spring_change_lasts_sixty_real_minutes() -> None:
    day = date(2025, 3, 30)  # 01:00 GMT becomes 02:00 BST
    slots = open_every_day(LONDON, day, (time(0), time(6)))
    assert len(slots) == (5 * 60 - 60) // 15 + 1  # 00:00 GMT to 06:00 BST is five real hours
    crossing = next(slot for slot in slots if slot.start == at(day, 0, 30))
    assert crossing.end - crossing.start == HOUR
    assert crossing.end.astimezone(LONDON).strftime("%H:%M %Z") == "02:30 BST"
    assert wall_starts(slots, day)[-1] == "05:00"


def test_a_visit_across_the_autumn_change_lasts_sixty_real_minutes() -> None:
    day = date(2025, 10, 26)  # 02:00 BST becomes 01:00 GMT
    slots = open_every_day(LONDON, day, (time(0), time(6)))
    assert len(slots) == (7 * 60 - 60) // 15 + 1  # 00:00 BST to 06:00 GMT is seven real hours
    crossing = next(slot for slot in slots if slot.start == at(day, 1, 30, fold=0))
    assert crossing.end == at(day, 1, 30, fold=1)  # the same wall time, an hour later
    assert crossing.end.astimezone(LONDON).strftime("%H:%M %Z") == "01:30 GMT"
    assert wall_starts(slots, day).count("01:15") == 2  # the repeated hour, two real instants


def test_a_period_opening_inside_the_spring_gap_starts_when_the_gap_ends() -> None:
    london_day, new_york_day = date(2025, 3, 30), date(2025, 3, 9)
    london = open_every_day(LONDON, london_day, (time(1, 30), time(6)))
    assert london[0].start == datetime(2025, 3, 30, 1, tzinfo=UTC)  # 02:00 BST
    new_york = ZoneInfo("America/New_York")
    in_new_york = open_every_day(new_york, new_york_day, (time(2, 30), time(6)))
    assert in_new_york[0].start == datetime(2025, 3, 9, 7, tzinfo=UTC)  # 03:00 EDT
    assert wall_starts(in_new_york, new_york_day, new_york) == quarter_hours("03:00", "05:00")


def test_a_period_closing_inside_the_spring_gap_closes_when_the_gap_ends() -> None:
    slots = open_every_day(LONDON, date(2025, 3, 30), (time(0), time(1, 30)))
    assert [slot.start for slot in slots] == [datetime(2025, 3, 30, 0, tzinfo=UTC)]


def test_a_repeated_opening_time_means_its_first_occurrence() -> None:
    slots = open_every_day(LONDON, date(2025, 10, 26), (time(1, 30), time(6)))
    assert slots[0].start == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 01:30 BST


def test_a_shift_starting_inside_the_spring_gap_starts_when_the_gap_ends() -> None:
    day = date(2025, 3, 30)
    early = Practitioner(1, {6: [(time(1, 30), time(12))]})
    slots = find(
        zone=LONDON, first_day=day, last_day=day, opening={6: [ALL_DAY]}, practitioners=[early]
    )
    assert slots[0].start == datetime(2025, 3, 30, 1, tzinfo=UTC)
    assert slots[-1].end == at(day, 12)


def test_minimum_notice_ending_on_the_change_day_gives_the_next_quarter_hour() -> None:
    new_york, day = ZoneInfo("America/New_York"), date(2025, 3, 9)
    slots = open_every_day(new_york, day, ALL_DAY, not_before=at(day, 3, 10, new_york))
    assert slots[0].start.astimezone(new_york).strftime("%H:%M %Z") == "03:15 EDT"


@pytest.mark.parametrize(
    ("zone_name", "first_start"),
    [
        ("Asia/Kolkata", datetime(2025, 6, 10, 3, 30, tzinfo=UTC)),  # +05:30
        ("Pacific/Chatham", datetime(2025, 6, 9, 20, 15, tzinfo=UTC)),  # +12:45
    ],
)
def test_zones_with_odd_offsets_keep_starts_on_local_quarter_hours(
    zone_name: str, first_start: datetime
) -> None:
    zone, tuesday = ZoneInfo(zone_name), date(2025, 6, 10)
    slots = open_every_day(zone, tuesday, OFFICE)
    assert slots[0].start == first_start
    assert wall_starts(slots, tuesday, zone) == quarter_hours("09:00", "17:00")
    # Closed days and the earliest day are local dates, whatever the UTC date is.
    assert open_every_day(zone, tuesday, OFFICE, closed_days={tuesday}) == []
    assert open_every_day(zone, tuesday, OFFICE, earliest_day=date(2025, 6, 11)) == []


# --- properties ---------------------------------------------------------------------------

properties = settings(max_examples=100, deadline=None)
BASE = datetime(2025, 6, 2, 7, tzinfo=UTC)  # 08:00 in London on Monday
SHIFTS = [
    {0: [(time(9), time(13)), (time(14), time(18))], 1: [(time(10), time(16))]},
    {0: [(time(9), time(18))], 1: [(time(9), time(18))]},
]
TWO_DAYS = {0: [(time(9), time(18))], 1: [(time(9), time(17, 30))]}

intervals = st.lists(
    st.builds(
        lambda offset, length: (BASE + minutes(5 * offset), BASE + minutes(5 * (offset + length))),
        st.integers(0, 36 * 12),
        st.integers(1, 48),
    ),
    max_size=6,
)
five_minutes = st.integers(0, 12).map(lambda count: minutes(5 * count))


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A Monday and Tuesday in London with two of each resource and random holds."""
    spans = Spans(
        appointment=draw(st.integers(3, 24).map(lambda count: minutes(5 * count))),
        before=draw(five_minutes.filter(lambda span: span <= minutes(30))),
        after=draw(five_minutes.filter(lambda span: span <= minutes(30))),
        device_after=draw(five_minutes),
    )
    practitioners = [
        Practitioner(key, SHIFTS[key], time_off=draw(intervals), busy=draw(intervals))
        for key in (0, 1)
    ]
    rooms = [Resource(key, busy=draw(intervals), available=draw(st.booleans())) for key in (0, 1)]
    devices = [Resource(key, busy=draw(intervals)) for key in (0, 1)]
    return {
        "zone": LONDON,
        "first_day": MONDAY,
        "last_day": TUESDAY,
        "opening": TWO_DAYS,
        "closed_days": (),
        "spans": spans,
        "practitioners": practitioners,
        "rooms": rooms,
        "devices": devices,
        "not_before": BASE + minutes(draw(st.integers(0, 36 * 60))),
        "not_after": BASE + minutes(draw(st.integers(0, 36 * 60))) + timedelta(days=1),
        "step": draw(st.sampled_from([minutes(5), minutes(15), minutes(20)])),
    }


def lighter(data: st.DataObject, intervals: Sequence[Interval]) -> list[Interval]:
    """Some of the intervals, chosen by Hypothesis."""
    keep = data.draw(st.lists(st.booleans(), min_size=len(intervals), max_size=len(intervals)))
    return [interval for interval, kept in zip(intervals, keep, strict=True) if kept]


@given(scenarios())
@properties
def test_no_slot_holds_a_resource_that_is_already_busy(scenario: dict[str, Any]) -> None:
    spans: Spans = scenario["spans"]
    staff = {p.key: p for p in scenario["practitioners"]}
    rooms = {r.key: r for r in scenario["rooms"]}
    devices = {d.key: d for d in scenario["devices"]}
    for slot in free_slots(**scenario):
        practitioner = staff[slot.practitioner]
        hold = spans.practitioner_hold(slot.start)
        assert not any(
            overlaps(hold, busy) for busy in [*practitioner.busy, *practitioner.time_off]
        )
        assert slot.room is not None and rooms[slot.room].available
        assert not any(
            overlaps(spans.room_hold(slot.start), busy) for busy in rooms[slot.room].busy
        )
        assert slot.device is not None
        device_busy = devices[slot.device].busy
        assert not any(overlaps(spans.device_hold(slot.start), busy) for busy in device_busy)


@given(scenarios(), st.data())
@properties
def test_removing_busy_intervals_never_removes_a_slot(
    scenario: dict[str, Any], data: st.DataObject
) -> None:
    lighter_scenario: dict[str, Any] = {
        **scenario,
        "practitioners": [
            Practitioner(
                p.key, p.weekly, time_off=lighter(data, p.time_off), busy=lighter(data, p.busy)
            )
            for p in scenario["practitioners"]
        ],
        "rooms": [Resource(r.key, lighter(data, r.busy), r.available) for r in scenario["rooms"]],
        "devices": [Resource(d.key, lighter(data, d.busy)) for d in scenario["devices"]],
    }
    before = {slot.start for slot in free_slots(**scenario)}
    after = {slot.start for slot in free_slots(**lighter_scenario)}
    assert before <= after


@given(scenarios())
@properties
def test_the_slots_match_a_plain_check_of_every_candidate_start(scenario: dict[str, Any]) -> None:
    """A slow, obvious re-statement of the rules; June in London keeps one offset all along."""
    spans: Spans = scenario["spans"]
    step: timedelta = scenario["step"]

    def first_free(resources: Sequence[Resource], hold: Interval) -> int | None:
        free = (
            r.key for r in resources if r.available and not any(overlaps(hold, b) for b in r.busy)
        )
        return next(free, None)

    expected = []
    for day in (MONDAY, TUESDAY):
        ((opens, closes),) = TWO_DAYS[day.weekday()]
        start = at(day, opens.hour, opens.minute)
        while start + spans.appointment <= at(day, closes.hour, closes.minute):
            visit = (start, start + spans.appointment)
            hold = spans.practitioner_hold(start)
            working = [
                p.key
                for p in scenario["practitioners"]
                if any(
                    at(day, a.hour, a.minute) <= visit[0] and visit[1] <= at(day, b.hour, b.minute)
                    for a, b in p.weekly.get(day.weekday(), ())
                )
                and not any(overlaps(hold, busy) for busy in [*p.busy, *p.time_off])
            ]
            room = first_free(scenario["rooms"], spans.room_hold(start))
            device = first_free(scenario["devices"], spans.device_hold(start))
            timely = scenario["not_before"] <= start <= scenario["not_after"]
            if timely and working and room is not None and device is not None:
                expected.append(Slot(start, visit[1], working[0], room, device))
            start += step
    assert free_slots(**scenario) == expected


def offered_by_checking_every_start(scenario: dict[str, Any]) -> set[datetime]:
    """The starts a plain walk over every grid start would offer (no skipping ahead)."""
    spans: Spans = scenario["spans"]
    zone, step = scenario["zone"], scenario["step"]
    starts = set()
    day = scenario["first_day"]
    while day <= scenario["last_day"]:
        for opens, closes in scenario["opening"].get(day.weekday(), ()):
            start = datetime.combine(day, opens, tzinfo=zone)
            while start + spans.appointment <= datetime.combine(day, closes, tzinfo=zone):
                if scenario["not_before"] <= start <= scenario["not_after"] and fits(
                    scenario, day, start
                ):
                    starts.add(start.astimezone(UTC))
                start += step
        day += timedelta(days=1)
    return starts


def fits(scenario: dict[str, Any], day: date, start: datetime) -> bool:
    spans: Spans = scenario["spans"]
    zone = scenario["zone"]
    end = start + spans.appointment

    def free(hold: Interval, busy: Iterable[Interval]) -> bool:
        return not any(overlaps(hold, interval) for interval in busy)

    rooms = [r for r in scenario["rooms"] if r.available]
    if not any(free(spans.room_hold(start), r.busy) for r in rooms):
        return False
    if not any(free(spans.device_hold(start), d.busy) for d in scenario["devices"]):
        return False
    return any(
        free(spans.practitioner_hold(start), [*p.busy, *p.time_off])
        and any(
            datetime.combine(day, a, tzinfo=zone) <= start
            and end <= datetime.combine(day, b, tzinfo=zone)
            for a, b in p.periods_on(day)
        )
        for p in scenario["practitioners"]
    )


@given(scenarios())
@properties
def test_every_start_that_fits_is_offered(scenario: dict[str, Any]) -> None:
    """Skipping ahead past busy stretches never skips a start that would have fitted."""
    offered = {slot.start for slot in free_slots(**scenario)}
    assert offered == offered_by_checking_every_start(scenario)


# --- the sweep against a plain reference, across clock changes ----------------------------

NEW_YORK = ZoneInfo("America/New_York")
CHANGE_DAYS = [  # the Sundays the clocks go forward and back, 2025
    (LONDON, date(2025, 3, 30)),
    (LONDON, date(2025, 10, 26)),
    (NEW_YORK, date(2025, 3, 9)),
    (NEW_YORK, date(2025, 11, 2)),
]
small_hours = st.integers(0, 4 * 12).map(lambda count: time(count // 12, 5 * (count % 12)))


@st.composite
def wall_periods(draw: st.DrawFn) -> list[tuple[time, time]]:
    """Up to two local periods, most of them around the small hours when the clocks change."""
    periods = []
    for _ in range(draw(st.integers(0, 2))):
        opens = draw(st.one_of(small_hours, small_hours, st.sampled_from([time(9), time(13, 30)])))
        length = draw(st.integers(1, 12 * 12))  # five-minute steps, up to 12 hours
        closes_minutes = min(opens.hour * 60 + opens.minute + 5 * length, 23 * 60 + 55)
        if closes_minutes > opens.hour * 60 + opens.minute:
            periods.append((opens, time(closes_minutes // 60, closes_minutes % 60)))
    return periods


@st.composite
def change_day_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """The day before, of and after a clock change, with random hours, shifts and holds."""
    zone, change = draw(st.sampled_from(CHANGE_DAYS))
    midnight = datetime.combine(change, time(0), zone).astimezone(UTC) - timedelta(days=1)
    held = st.lists(
        st.builds(
            lambda offset, length: (
                midnight + minutes(5 * offset),
                midnight + minutes(5 * (offset + length)),
            ),
            st.integers(0, 3 * 24 * 12),
            st.integers(1, 36),  # never empty: the database refuses a hold that ends as it starts
        ),
        max_size=8,
    )
    week = st.fixed_dictionaries({weekday: wall_periods() for weekday in range(7)})
    all_day = st.just([(time(0), time(23, 55))])
    spans = Spans(
        appointment=draw(st.integers(1, 24).map(lambda count: minutes(5 * count))),
        before=draw(five_minutes),
        after=draw(five_minutes),
        device_after=draw(five_minutes),
    )
    practitioners = [
        Practitioner(
            key,
            draw(st.one_of(week, st.fixed_dictionaries(dict.fromkeys(range(7), all_day)))),
            day_overrides=draw(st.dictionaries(st.just(change), wall_periods(), max_size=1)),
            time_off=draw(held),
            busy=draw(held),
        )
        for key in range(draw(st.integers(1, 3)))
    ]
    rooms = [Resource(key, draw(held), draw(st.booleans())) for key in range(2)]
    devices = [Resource(key, draw(held)) for key in range(2)]
    return {
        "zone": zone,
        "first_day": change - timedelta(days=1),
        "last_day": change + timedelta(days=1),
        "opening": draw(week),
        "closed_days": draw(st.sets(st.just(change + timedelta(days=1)), max_size=1)),
        "spans": spans,
        "practitioners": practitioners,
        "rooms": draw(st.sampled_from([None, rooms])),
        "devices": draw(st.sampled_from([None, devices])),
        "not_before": midnight + minutes(5 * draw(st.integers(0, 2 * 24 * 12))),
        "not_after": midnight + minutes(5 * draw(st.integers(24 * 12, 3 * 24 * 12))),
        "earliest_day": draw(st.sampled_from([None, change])),
        "step": draw(st.sampled_from([minutes(5), minutes(15), minutes(20), minutes(60)])),
    }


@functools.cache
def plain_instant(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The first instant at which the local clock on `day` reads `wall` or later, found by
    walking the minutes: a repeated time's first occurrence, a skipped time's gap end."""
    moment = datetime.combine(day, time(0), UTC) - timedelta(hours=15)
    while (lambda local: (local.date(), local.time()))(moment.astimezone(zone)) < (day, wall):
        moment += timedelta(minutes=1)
    return moment


def plain_slots(scenario: dict[str, Any]) -> list[Slot]:
    """Every candidate start, one by one, stepping through real time from each opening."""
    zone, spans, step = scenario["zone"], scenario["spans"], scenario["step"]

    def free(hold: Interval, busy: Iterable[Interval]) -> bool:
        return not any(overlaps(hold, interval) for interval in busy)

    def first_free(resources: Sequence[Resource] | None, hold: Interval) -> int | bool | None:
        if resources is None:
            return None
        found = (r.key for r in resources if r.available and free(hold, r.busy))
        return next(found, False)

    slots: dict[datetime, Slot] = {}
    day = max(scenario["first_day"], scenario["earliest_day"] or scenario["first_day"])
    while day <= scenario["last_day"]:
        periods = () if day in scenario["closed_days"] else scenario["opening"][day.weekday()]
        for opens, closes in periods:
            start, closing = plain_instant(day, opens, zone), plain_instant(day, closes, zone)
            while start + spans.appointment <= closing:
                end = start + spans.appointment
                working = [
                    p.key
                    for p in scenario["practitioners"]
                    if free(spans.practitioner_hold(start), [*p.busy, *p.time_off])
                    and any(
                        plain_instant(day, a, zone) <= start and end <= plain_instant(day, b, zone)
                        for a, b in p.periods_on(day)
                    )
                ]
                room = first_free(scenario["rooms"], spans.room_hold(start))
                device = first_free(scenario["devices"], spans.device_hold(start))
                timely = scenario["not_before"] <= start <= scenario["not_after"]
                if timely and working and room is not False and device is not False:
                    slots.setdefault(start, Slot(start, end, working[0], room, device))
                start += step
        day += timedelta(days=1)
    return [slots[start] for start in sorted(slots)]


@given(change_day_scenarios())
@properties
def test_the_sweep_names_what_a_plain_walk_over_every_start_names_across_clock_changes(
    scenario: dict[str, Any],
) -> None:
    assert free_slots(**scenario) == plain_slots(scenario)
