"""Free start times for one service at one location: the availability engine's core.

Everything arrives already loaded from the database as plain values (opening hours,
shifts, existing holds); nothing here touches Django or the database.

Time model
----------
* Instants are aware datetimes; every result is in UTC. Internally an instant is a
  whole number of microseconds since the Unix epoch, so comparisons and bisection are
  plain integer work.
* Opening hours and shifts are local wall-clock periods in the location's IANA zone,
  expanded per calendar date with `zoneinfo`. A wall time inside a spring-forward gap
  moves forward to the first real instant after the gap; a repeated (ambiguous) wall
  time takes its first occurrence (``fold=0``). No fixed offsets are ever added.
* Candidate starts step through *real* time from each opening period's start, so on a
  change day no start vanishes or doubles and a 60-minute visit lasts 60 real minutes.

Speed
-----
Busy intervals are sorted and merged once per practitioner, room and device. Each
opening period's candidate starts are then checked together, as the bits of one int:
a busy interval blocks a run of them in a few integer operations, so the work grows
with ``periods × resources + holds``, not with the number of starts. Holds may come as
instants (``busy_instants``), the form the database read hands over, so that no
datetime is built per hold; the results are the only datetimes built.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from operator import le
from typing import NamedTuple
from zoneinfo import ZoneInfo

__all__ = ["Instants", "Interval", "Practitioner", "Resource", "Slot", "Spans", "free_slots"]

Interval = tuple[datetime, datetime]
"""An aware half-open range ``[start, end)``."""

Instants = tuple[int, int]
"""A half-open range ``[start, end)`` in whole microseconds since the Unix epoch: the
engine's own form, which the database read hands over without building datetimes."""

LONGEST_RANGE_DAYS = 366

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_SECOND = 1_000_000  # microseconds


# --- the input values ---------------------------------------------------------------------


@dataclass(frozen=True)
class Spans:
    """How long a booking of the service holds each resource."""

    appointment: timedelta  # the visit itself (numbing + treatment)
    before: timedelta = timedelta(0)  # buffer before (room turnover), practitioner and room
    after: timedelta = timedelta(0)  # buffer after, practitioner and room
    device_after: timedelta = timedelta(0)  # device reprocessing after the visit

    def __post_init__(self) -> None:
        if self.appointment <= timedelta(0):
            raise ValueError(f"The appointment must last a positive time, not {self.appointment}.")
        for name in ("before", "after", "device_after"):
            if getattr(self, name) < timedelta(0):
                raise ValueError(f"The {name} buffer cannot be negative ({getattr(self, name)}).")

    def practitioner_hold(self, start: datetime) -> Interval:
        """The practitioner is held from the buffer before to the buffer after the visit."""
        return (start - self.before, start + self.appointment + self.after)

    def room_hold(self, start: datetime) -> Interval:
        """The room is held exactly like the practitioner."""
        return self.practitioner_hold(start)

    def device_hold(self, start: datetime) -> Interval:
        """The device is held for the visit and its reprocessing afterwards."""
        return (start, start + self.appointment + self.device_after)


@dataclass(frozen=True)
class Practitioner:
    """A practitioner's local shifts and existing commitments."""

    key: int
    weekly: Mapping[int, Sequence[tuple[time, time]]]  # weekday (0 = Monday) -> local periods
    # That date's periods replace the weekly ones; an empty sequence is a day off.
    day_overrides: Mapping[date, Sequence[tuple[time, time]]] = field(default_factory=dict)
    time_off: Sequence[Interval] = ()
    busy: Sequence[Interval] = ()  # existing holds, already including their buffers
    busy_instants: Sequence[Instants] = ()  # more of them, as instants

    def __post_init__(self) -> None:
        who = f"Practitioner {self.key}"
        _check_week(self.weekly, f"{who}'s weekly shifts")
        for day, periods in self.day_overrides.items():
            _check_periods(periods, f"{who}'s shifts on {day.isoformat()}")
        _check_intervals(self.time_off, f"{who}'s time off")
        _check_intervals(self.busy, f"{who}'s busy holds")
        _check_instants(self.busy_instants, f"{who}'s busy holds")

    def periods_on(self, day: date) -> Sequence[tuple[time, time]]:
        """The local working periods on `day`: the override if there is one, else the week's."""
        if day in self.day_overrides:
            return self.day_overrides[day]
        return self.weekly.get(day.weekday(), ())


@dataclass(frozen=True)
class Resource:
    """A room or a device, with its existing holds."""

    key: int
    busy: Sequence[Interval] = ()
    available: bool = True  # a device out for service (or a room out of use) is unavailable
    busy_instants: Sequence[Instants] = ()  # more holds, as instants

    def __post_init__(self) -> None:
        _check_intervals(self.busy, f"Resource {self.key}'s busy holds")
        _check_instants(self.busy_instants, f"Resource {self.key}'s busy holds")


class Slot(NamedTuple):
    """A bookable start and the resources it would use (a tuple: a search builds hundreds)."""

    start: datetime  # aware UTC
    end: datetime  # start + appointment
    practitioner: int
    room: int | None
    device: int | None


# --- the engine ---------------------------------------------------------------------------


def free_slots(
    *,
    zone: ZoneInfo,
    first_day: date,
    last_day: date,
    opening: Mapping[int, Sequence[tuple[time, time]]],
    closed_days: Collection[date],
    spans: Spans,
    practitioners: Sequence[Practitioner],
    rooms: Sequence[Resource] | None,
    devices: Sequence[Resource] | None,
    not_before: datetime,
    not_after: datetime,
    earliest_day: date | None = None,
    step: timedelta = timedelta(minutes=15),
) -> list[Slot]:
    """The free starts for one service at one location, sorted, one per instant.

    `first_day`..`last_day` (inclusive), `closed_days` and `earliest_day` are local
    calendar dates in `zone`. `rooms` or `devices` of None mean the service needs none.
    A start is offered when the visit lies inside one opening period and one of a
    practitioner's shift periods that day, the start lies in ``[not_before, not_after]``,
    and the practitioner's hold (with its time off), a room's hold and a device's hold are
    all free. The first fitting practitioner, room and device, in the order given, is
    named. Raises ValueError for input it cannot judge.
    """
    _check_arguments(zone, first_day, last_day, earliest_day, step, not_before, not_after)
    _check_week(opening, "The opening hours")

    appointment = _micros(spans.appointment)
    stride = _micros(step)
    lowest, highest = _instant(not_before), _instant(not_after)
    # Each hold as (lead, tail): it runs from `lead` before a start to `tail` after it.
    hold = (_micros(spans.before), appointment + _micros(spans.after))
    device_hold = (0, appointment + _micros(spans.device_after))

    staff = [(p, _Holds.of(p.busy, p.time_off, instants=p.busy_instants)) for p in practitioners]
    room_pool = None if rooms is None else _pool(rooms)
    device_pool = None if devices is None else _pool(devices)
    closed = frozenset(closed_days)
    found: dict[int, Slot] = {}

    day = first_day if earliest_day is None else max(first_day, earliest_day)
    while day <= last_day:
        periods = () if day in closed else opening.get(day.weekday(), ())
        if periods and staff:
            local = _LocalDay(day, zone)
            for period in periods:
                opens, closes = local.period(period)
                first = 0 if opens >= lowest else -((opens - lowest) // stride)  # rounded up
                last = (min(closes - appointment, highest) - opens) // stride
                if first > last:
                    continue
                grid = _Grid(opens, stride, first, last)
                wanted, room_of = grid.first_free(room_pool, hold, grid.every)
                wanted, device_of = grid.first_free(device_pool, device_hold, wanted)
                wanted, staff_of = grid.first_on_shift(staff, local, appointment, hold, wanted)
                opened = _moment(opens)
                for k in _members(wanted):
                    start = opens + k * stride
                    if start not in found:
                        begins = opened + step * k
                        found[start] = Slot(
                            begins,
                            begins + spans.appointment,
                            staff_of[k],
                            room_of.get(k),
                            device_of.get(k),
                        )
        day += timedelta(days=1)

    return [found[start] for start in sorted(found)]


def _pool(resources: Sequence[Resource]) -> list[tuple[int, _Holds]]:
    return [(r.key, _Holds.of(r.busy, instants=r.busy_instants)) for r in resources if r.available]


class _Grid:
    """One opening period's candidate starts, ``opens + k × stride`` for k in first..last.

    A set of them is an int with bit k set for each start k, so a whole period's starts
    are checked against one busy interval in a few integer operations.
    """

    def __init__(self, opens: int, stride: int, first: int, last: int) -> None:
        self.opens, self.stride, self.first, self.last = opens, stride, first, last
        self.every = (1 << (last + 1)) - (1 << first)

    def free(self, holds: _Holds, lead: int, tail: int) -> int:
        """The starts whose hold ``[start - lead, start + tail)`` misses every busy interval."""
        opens, stride = self.opens, self.stride
        starts, ends = holds.starts, holds.ends
        # The intervals ending after the first start's hold begins and starting before the
        # last start's hold ends; each blocks the starts k with
        # opens + k * stride in (its start - tail, its end + lead).
        low = bisect_right(ends, opens + self.first * stride - lead)
        high = bisect_left(starts, opens + self.last * stride + tail, low)
        blocked = 0
        for index in range(low, high):
            first = (starts[index] - tail - opens) // stride + 1
            last = (ends[index] + lead - opens - 1) // stride
            if first <= last:
                blocked |= (1 << (last + 1)) - (1 << (first if first > 0 else 0))
        return self.every & ~blocked

    def first_free(
        self, pool: list[tuple[int, _Holds]] | None, hold: tuple[int, int], wanted: int
    ) -> tuple[int, dict[int, int]]:
        """Of the `wanted` starts, those at which a resource of `pool` is free, and the first
        such resource at each. A pool of None is not needed: every wanted start passes."""
        if pool is None:
            return wanted, {}
        left, chosen = wanted, {}
        for key, holds in pool:
            if not left:
                break
            taken = left & self.free(holds, *hold)
            left ^= taken
            chosen.update(dict.fromkeys(_members(taken), key))
        return wanted ^ left, chosen

    def first_on_shift(
        self,
        staff: list[tuple[Practitioner, _Holds]],
        local: _LocalDay,
        appointment: int,
        hold: tuple[int, int],
        wanted: int,
    ) -> tuple[int, dict[int, int]]:
        """Of the `wanted` starts, those at which a practitioner is on shift for the whole
        visit and free, and the first such practitioner at each."""
        opens, stride = self.opens, self.stride
        left, chosen = wanted, {}
        for practitioner, holds in staff:
            if not left:
                break
            on_shift = 0
            for period in practitioner.periods_on(local.day):
                begins, ends = local.period(period)  # begins <= start, start + visit <= ends
                first = max(-((opens - begins) // stride), 0)
                last = (ends - appointment - opens) // stride
                if first <= last:
                    on_shift |= (1 << (last + 1)) - (1 << first)
            if on_shift & left:
                taken = left & on_shift & self.free(holds, *hold)
                left ^= taken
                chosen.update(dict.fromkeys(_members(taken), practitioner.key))
        return wanted ^ left, chosen


def _members(starts: int) -> list[int]:
    """The positions of the set bits, lowest first."""
    found = []
    while starts:
        lowest = starts & -starts
        found.append(lowest.bit_length() - 1)
        starts ^= lowest
    return found


@dataclass(frozen=True, slots=True)
class _Holds:
    """One resource's busy intervals, sorted and merged: ``starts[i] < ends[i] < starts[i+1]``."""

    starts: list[int]
    ends: list[int]

    @classmethod
    def of(cls, *groups: Iterable[Interval], instants: Iterable[Instants] = ()) -> _Holds:
        pairs = sorted(
            [
                *instants,
                *(
                    ((a - _EPOCH) // _MICROSECOND, (b - _EPOCH) // _MICROSECOND)  # _instant
                    for group in groups
                    for a, b in group
                ),
            ]
        )
        starts: list[int] = []
        ends: list[int] = []
        for begin, finish in pairs:
            if begin >= finish:  # empty: holds nothing
                continue
            if ends and begin <= ends[-1]:
                ends[-1] = max(ends[-1], finish)
            else:
                starts.append(begin)
                ends.append(finish)
        return cls(starts, ends)


class _LocalDay:
    """Turns one local date's wall-clock times into instants, remembering each answer."""

    def __init__(self, day: date, zone: ZoneInfo) -> None:
        self.day = day
        self.zone = zone
        self.seen: dict[time, int] = {}

    def period(self, period: tuple[time, time]) -> tuple[int, int]:
        return self.instant(period[0]), self.instant(period[1])

    def instant(self, wall: time) -> int:
        if wall not in self.seen:
            self.seen[wall] = _local_instant(self.day, wall, self.zone)
        return self.seen[wall]


@lru_cache(maxsize=4096)  # a pure function of its arguments; most searches ask the same ones
def _local_instant(day: date, wall: time, zone: ZoneInfo) -> int:
    """The instant of a local wall time: fold=0 when repeated, the gap's end when skipped."""
    local = datetime.combine(day, wall).replace(tzinfo=zone, fold=0)
    moment = local.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return _instant(moment)
    # Inside a gap, fold=0 reads the wall time with the offset from before the gap (an
    # instant after the transition) and fold=1 with the offset from after it (an instant
    # before). The transition, on a whole second in tzdata, lies between: bisect for it.
    offset_before = local.utcoffset()
    low = _instant(local.replace(fold=1).astimezone(UTC)) // _SECOND
    high = -(-_instant(moment) // _SECOND)
    while high - low > 1:
        middle = (low + high) // 2
        if _moment(middle * _SECOND).astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return high * _SECOND


# --- conversions and checks ---------------------------------------------------------------


def _instant(moment: datetime) -> int:
    """An aware datetime as microseconds since the Unix epoch."""
    return (moment - _EPOCH) // _MICROSECOND


def _moment(instant: int) -> datetime:
    return _EPOCH + timedelta(microseconds=instant)


def _micros(span: timedelta) -> int:
    return span // _MICROSECOND


def _check_aware(moment: object, what: str) -> None:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"{what} must be an aware datetime (with a time zone), not {moment!r}.")


def _check_intervals(intervals: Iterable[Interval], what: str) -> None:
    for start, end in intervals:
        if (  # the common, valid case without a function call per value
            isinstance(start, datetime)
            and isinstance(end, datetime)
            and start.tzinfo is not None
            and end.tzinfo is not None
            and start <= end
        ):
            continue
        _check_aware(start, f"{what}: the start")
        _check_aware(end, f"{what}: the end")
        if end < start:
            raise ValueError(f"{what}: the interval {start}–{end} ends before it starts.")


def _check_instants(intervals: Sequence[Instants], what: str) -> None:
    if not intervals:
        return
    starts, ends = zip(*intervals, strict=True)
    if all(map(le, starts, ends)):  # without a loop in Python: there are many
        return
    start, end = next((a, b) for a, b in intervals if not a <= b)
    raise ValueError(f"{what}: the interval {start}–{end} ends before it starts.")


def _check_periods(periods: Iterable[tuple[time, time]], what: str) -> None:
    for start, end in periods:
        if not isinstance(start, time) or not isinstance(end, time):
            raise ValueError(f"{what}: a period must be two times of day, not {start!r}–{end!r}.")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError(f"{what}: give wall-clock times without a time zone.")
        if start >= end:
            raise ValueError(
                f"{what}: the period {start:%H:%M}–{end:%H:%M} must start before it ends "
                "(periods lie within one day)."
            )


def _check_week(week: Mapping[int, Sequence[tuple[time, time]]], what: str) -> None:
    for weekday, periods in week.items():
        if weekday not in range(7):
            raise ValueError(f"{what}: {weekday!r} is not a weekday (0 = Monday … 6 = Sunday).")
        _check_periods(periods, f"{what} on weekday {weekday}")


def _check_arguments(
    zone: ZoneInfo,
    first_day: date,
    last_day: date,
    earliest_day: date | None,
    step: timedelta,
    not_before: datetime,
    not_after: datetime,
) -> None:
    if not isinstance(zone, ZoneInfo):
        raise ValueError(f"The zone must be a ZoneInfo, not {zone!r}.")
    for name, day in (
        ("first_day", first_day),
        ("last_day", last_day),
        ("earliest_day", earliest_day),
    ):
        if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
            raise ValueError(f"{name} must be a calendar date, not {day!r}.")
    if last_day < first_day:
        raise ValueError(f"The range ends ({last_day}) before it starts ({first_day}).")
    if (last_day - first_day).days >= LONGEST_RANGE_DAYS:
        raise ValueError(
            f"The range {first_day}..{last_day} is longer than {LONGEST_RANGE_DAYS} days."
        )
    if step <= timedelta(0):
        raise ValueError(f"The step between starts must be positive, not {step}.")
    _check_aware(not_before, "not_before")
    _check_aware(not_after, "not_after")


# --- when a practitioner can be booked (the calendar's shading) -------------------------


def open_periods(
    *,
    zone: ZoneInfo,
    day: date,
    opening: Mapping[int, Sequence[tuple[time, time]]],
    closed_days: Collection[date],
) -> list[Interval]:
    """The location's opening periods on local `day` as instants; none on a closed day."""
    if day in closed_days:
        return []
    local = _LocalDay(day, zone)
    found = [local.period(period) for period in opening.get(day.weekday(), ())]
    return [(_moment(start), _moment(end)) for start, end in sorted(found) if start < end]


def on_duty(
    *,
    zone: ZoneInfo,
    day: date,
    opening: Mapping[int, Sequence[tuple[time, time]]],
    closed_days: Collection[date],
    practitioner: Practitioner,
) -> list[Interval]:
    """When `practitioner` may be booked on local `day`, by the rules `free_slots` applies
    to a visit: inside an opening period and one of their shift periods that day, outside
    their time off. Their bookings are left to the caller (the calendar shows them)."""
    local = _LocalDay(day, zone)
    shifts = [local.period(period) for period in practitioner.periods_on(day)]
    pieces = [
        (max(opens, starts), min(closes, ends))
        for opens, closes in (
            (_instant(a), _instant(b))
            for a, b in open_periods(zone=zone, day=day, opening=opening, closed_days=closed_days)
        )
        for starts, ends in shifts
        if max(opens, starts) < min(closes, ends)
    ]
    away = _Holds.of(practitioner.time_off)
    for off_start, off_end in zip(away.starts, away.ends, strict=True):
        pieces = [
            part
            for start, end in pieces
            for part in ((start, min(end, off_start)), (max(start, off_end), end))
            if part[0] < part[1]
        ]
    return [(_moment(start), _moment(end)) for start, end in sorted(pieces)]
