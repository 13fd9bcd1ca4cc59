"""The staff calendars: a time grid for a day (a column per practitioner or room) and for
a week (a column per day). Each cell says whether a visit may start there, from the same
opening hours, closures, shifts and time off that every booking is checked against
(``queries.duty_periods``); the templates only draw what is decided here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.clinics.models import Location
from needlepoint.core.setup_token import kept_under_token, setup_snapshot
from needlepoint.scheduling import calendar_reads as reads
from needlepoint.scheduling.calendar_reads import Visit
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.queries import duty_periods, opening_periods
from needlepoint.scheduling.slots import Interval

ROW = timedelta(minutes=15)
NO_ROOM = 0  # the room view's column for visits that need no room (room ids start at 1)
COLOURS = 8  # service colours svc-0 … svc-7 in needlepoint.css
HEAD = 1  # grid row 1 holds the column heads; time column is grid column 1


@dataclass
class Column:
    """A column's rows from grid row ``HEAD + 1`` down: when each starts (local) and
    whether a visit may start then. A day's columns share one list of times."""

    key: int  # a practitioner's, a room's id, or the day's ordinal
    title: str
    grid: int  # grid column
    practitioner: int | None = None
    day: date | None = None
    starts: list[datetime] = field(default_factory=list)
    bookable: list[bool] = field(default_factory=list)


@dataclass
class Placed:
    """A booking on the grid, with its colour and its lane among overlapping visits."""

    booking: Visit
    grid: int
    row: int
    span: int
    colour: str
    lane: int = 0
    lanes: int = 1


@dataclass
class NowLine:
    grid: int  # first grid column it spans (to the last)
    columns: int
    row: int
    offset: float  # how far into the row, 0 to 1


@dataclass
class Grid:
    location: Location
    day: date
    colour: str
    rows: list[datetime | time]
    columns: list[Column]
    bookings: list[Placed]
    legend: list[tuple[str, str]]
    now: NowLine | None


@dataclass
class DayCalendar(Grid):
    by: str = "practitioner"

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=1)


@dataclass
class WeekCalendar(Grid):
    @property
    def monday(self) -> date:
        return self.day

    @property
    def previous_week(self) -> date:
        return self.day - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.day + timedelta(days=7)


def day_calendar(
    location: Location, day: date, by: str = "practitioner", colour: str = "service"
) -> DayCalendar:
    """A fixed number of queries whatever the number of bookings."""
    with setup_snapshot():  # one token read for the hours, the columns and the shifts
        return _day_calendar(location, day, by, colour)


def _day_calendar(location: Location, day: date, by: str, colour: str) -> DayCalendar:
    zone, now = location.zone, timezone.now()
    first, last = _hours(location, [day.weekday()])
    start = datetime.combine(day, first, tzinfo=zone)
    end = datetime.combine(day, last, tzinfo=zone)
    midnight, next_midnight = (
        datetime.combine(d, time.min, tzinfo=zone) for d in (day, day + timedelta(days=1))
    )
    bookings = _bookings(location, midnight, next_midnight)
    start, end = _stretched(start, end, bookings, midnight, next_midnight)
    rows = []
    moment = start.astimezone(UTC)  # step in real time: a change day has 23 or 25 hours
    while moment < end:
        rows.append(moment.astimezone(zone))
        moment += ROW
    columns = _columns(location, by, day)
    by_key = {column.key: column for column in columns}
    placed = []
    for booking in bookings:
        key = (booking.room_id or NO_ROOM) if by == "room" else booking.practitioner_id
        column = by_key.get(key)
        if column is None:  # no room, or someone no longer listed, still holding a visit
            title = _title(booking, by, location)
            column = by_key[key] = Column(key, title, len(columns) + 2, day=day)
            columns.append(column)
        first_row = max(0, int((booking.starts_at - start) / ROW))
        span = max(1, round((min(booking.ends_at, end) - max(booking.starts_at, start)) / ROW))
        placed.append(Placed(booking, column.grid, first_row + HEAD + 1, span, ""))
    _lanes(placed)
    if by == "room":
        open_now = opening_periods(location, day, day)[day]
        free = {column.key: open_now for column in columns if column.key != NO_ROOM}
    else:
        duty = _duty(location, [column.key for column in columns], day, day)
        free = {key: periods[day] for key, periods in duty.items()}
    taken: dict[int, list[Interval]] = {column.grid: [] for column in columns}
    for p in placed:
        if p.booking.status != BookingStatus.NO_SHOW:
            taken[p.grid].append((p.booking.starts_at, p.booking.ends_at))
    for column in columns:
        if by == "practitioner":
            column.practitioner = column.key
        column.starts = rows
        column.bookable = _bookable_rows(
            start, len(rows), free.get(column.key, []), taken[column.grid], now
        )
    legend = _colour(placed, colour)
    line = None
    if start <= now < end and columns:
        passed = (now - start) / ROW
        line = NowLine(2, len(columns), int(passed) + HEAD + 1, passed - int(passed))
    return DayCalendar(location, day, colour, list(rows), columns, placed, legend, line, by)


def _bookable_rows(
    first: datetime, count: int, free: Sequence[Interval], taken: Sequence[Interval], now: datetime
) -> list[bool]:
    """Whether a visit may start in each of ``count`` rows a ``ROW`` apart in real time
    from ``first``, by the rule of ``_bookable`` counted in whole rows: a day has hundreds
    of cells and only a few periods and visits."""
    bookable = [False] * count
    not_before = _rows_until(now - first)
    for start, end in free:
        low = max(0, not_before, _rows_until(start - first))
        high = min(count, (end - first) // ROW)  # the last row ends by the period's end
        if low < high:
            bookable[low:high] = [True] * (high - low)
    for start, end in taken:
        low = max(0, (start - first) // ROW)  # the row the visit starts in
        high = min(count, _rows_until(end - first))
        if low < high:
            bookable[low:high] = [False] * (high - low)
    return bookable


def _rows_until(span: timedelta) -> int:
    """The number of whole rows, rounded up, in ``span``: the first row starting after it."""
    return -(-span // ROW)


def week_calendar(location: Location, day: date, colour: str = "service") -> WeekCalendar:
    """The week (Monday to Sunday) around ``day``: rows are the wall-clock times of the
    week's opening hours, so a day the clocks change lines up with the others."""
    with setup_snapshot():  # one token read for the hours, the staff and their shifts
        return _week_calendar(location, day, colour)


def _week_calendar(location: Location, day: date, colour: str) -> WeekCalendar:
    zone, now = location.zone, timezone.now()
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=n) for n in range(7)]
    start = datetime.combine(monday, time.min, tzinfo=zone)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone)
    bookings = list(_bookings(location, start, end))
    first, last = _week_span(*_hours(location, range(7)), bookings, zone)
    rows: list[time] = []
    wall = datetime.combine(monday, first)
    while wall.time() < last and wall.date() == monday:
        rows.append(wall.time())
        wall += ROW
    staff = [column.key for column in _columns(location, "practitioner", monday)]
    duty = _duty(location, staff, days[0], days[-1])
    placed = []
    for booking in bookings:
        local = booking.starts_at.astimezone(zone)
        row = _minutes(local.time()) - _minutes(first)
        row = min(max(0, row // 15), len(rows) - 1)
        span = max(1, min(len(rows) - row, -(-(booking.ends_at - booking.starts_at) // ROW)))
        placed.append(Placed(booking, local.weekday() + 2, row + HEAD + 1, span, ""))
    _lanes(placed)
    columns = []
    for n, on in enumerate(days):
        # anybody's period will do: most work the same hours, each is tried once
        free = sorted({period for periods in duty.values() for period in periods[on]})
        starts, bookable = [], []
        for wall_time in rows:
            at = _local(on, wall_time, zone)
            starts.append(at or datetime.combine(on, wall_time, tzinfo=zone))
            bookable.append(at is not None and _bookable(at, free, [], now))
        columns.append(Column(on.toordinal(), "", n + 2, day=on, starts=starts, bookable=bookable))
    legend = _colour(placed, colour)
    local_now = now.astimezone(zone)
    line = None
    if local_now.date() in days and rows and first <= local_now.time() < last:
        passed = (_minutes(local_now.time()) - _minutes(first)) / 15
        line = NowLine(local_now.weekday() + 2, 1, int(passed) + HEAD + 1, passed - int(passed))
    return WeekCalendar(location, monday, colour, list(rows), columns, placed, legend, line)


def _week_span(
    first: time, last: time, bookings: Sequence[Visit], zone: ZoneInfo
) -> tuple[time, time]:
    """The week's rows, stretched by whole rows to hold every visit at its own time (one
    booked before the hours changed still shows where it is)."""
    for booking in bookings:
        starts = booking.starts_at.astimezone(zone)
        ends = booking.ends_at.astimezone(zone)
        earliest = _minutes(starts.time()) // 15 * 15
        latest = -(-_minutes(ends.time()) // 15) * 15 if ends.date() == starts.date() else 24 * 60
        first = min(first, time(earliest // 60, earliest % 60))
        last = max(last, time(23, 59) if latest >= 24 * 60 else time(latest // 60, latest % 60))
    return first, last


def _duty(
    location: Location, staff: list[int], first_day: date, last_day: date
) -> dict[int, dict[date, list[Interval]]]:
    """``queries.duty_periods``, worked out once a process under the set-up token: all it
    reads is set-up (hours, closures, shifts, time off) but for the location's time zone."""
    return _kept_duty(location.pk, location.time_zone, staff, first_day, last_day)


@kept_under_token
def _kept_duty(
    location_id: int, time_zone: str, staff: list[int], first_day: date, last_day: date
) -> dict[int, dict[date, list[Interval]]]:
    return duty_periods(Location(pk=location_id, time_zone=time_zone), staff, first_day, last_day)


def _hours(location: Location, weekdays: Iterable[int]) -> tuple[time, time]:
    """The earliest opening and latest closing on those weekdays (9 to 5 when closed)."""
    wanted = set(weekdays)
    with setup_snapshot():
        hours = reads.opening_hours(location.pk)
    periods = [(opens, closes) for weekday, opens, closes in hours if weekday in wanted]
    first = min((opens for opens, _ in periods), default=time(9))
    last = max((closes for _, closes in periods), default=time(17))
    return first, last


def _stretched(
    start: datetime, end: datetime, bookings: Sequence[Visit], floor: datetime, ceiling: datetime
) -> tuple[datetime, datetime]:
    """The opening hours, stretched by whole rows to hold every visit of the day (a visit
    booked before the hours changed still shows), within the day itself."""
    if bookings:
        earliest = max(floor, min(b.starts_at for b in bookings))
        latest = min(ceiling, max(b.ends_at for b in bookings))
        if earliest < start:
            start -= -((earliest - start) // ROW) * ROW
        if latest > end:
            end += -((end - latest) // ROW) * ROW
    return start, end


def _title(booking: Visit, by: str, location: Location) -> str:
    if by == "practitioner":
        return booking.practitioner_title
    return f"{booking.room} ({location.name})" if booking.room else str(_("No room"))


def _bookings(location: Location, start: datetime, end: datetime) -> list[Visit]:
    return reads.calendar_visits(location.pk, (start, end))


def _bookable(
    at: datetime, free: Sequence[Interval], taken: Sequence[Interval], now: datetime
) -> bool:
    """A visit may start here: not past, the whole row inside a free period, nobody's in it."""
    until = at + ROW
    return (
        at >= now
        and any(start <= at and until <= end for start, end in free)
        and not any(start < until and at < end for start, end in taken)
    )


def _local(day: date, wall: time, zone: ZoneInfo) -> datetime | None:
    """The local moment of a wall time; None when the clocks skip it."""
    moment = datetime.combine(day, wall, tzinfo=zone)
    if moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != moment.replace(tzinfo=None):
        return None
    return moment


def _minutes(wall: time) -> int:
    return wall.hour * 60 + wall.minute


def _lanes(placed: list[Placed]) -> None:
    """Side by side where visits overlap in one column (a week's day holds every practitioner)."""
    for grid in {p.grid for p in placed}:
        group = sorted((p for p in placed if p.grid == grid), key=lambda p: p.row)
        cluster: list[Placed] = []
        ends: list[int] = []  # the row each lane is free from
        for p in group:
            if cluster and p.row >= max(q.row + q.span for q in cluster):
                _close(cluster, len(ends))
                cluster, ends = [], []
            lane = next((n for n, free_from in enumerate(ends) if free_from <= p.row), len(ends))
            if lane == len(ends):
                ends.append(0)
            ends[lane] = p.row + p.span
            p.lane = lane
            cluster.append(p)
        _close(cluster, len(ends))


def _close(cluster: list[Placed], lanes: int) -> None:
    for p in cluster:
        p.lanes = lanes


def _colour(placed: list[Placed], by: str) -> list[tuple[str, str]]:
    """Each booking's colour class, by service or by status; the legend to go with them."""
    if by == "status":
        for p in placed:
            p.colour = f"status-{p.booking.status}"
        statuses = {p.booking.status: BookingStatus(p.booking.status).label for p in placed}
        return [(f"status-{key}", str(label)) for key, label in statuses.items()]
    services = sorted({(p.booking.service, p.booking.service_id) for p in placed})
    colours = {pk: f"svc-{pk % COLOURS}" for _name, pk in services}
    for p in placed:
        p.colour = colours[p.booking.service_id]
    return [(colours[pk], name) for name, pk in services]


def _columns(location: Location, by: str, day: date) -> list[Column]:
    if by == "room":
        rooms = reads.calendar_rooms(location.pk)
        return [Column(pk, name, n + 2, day=day) for n, (pk, name) in enumerate(rooms)]
    return [
        Column(pk, title, n + 2, practitioner=pk, day=day)
        for n, (pk, title) in enumerate(reads.calendar_staff(location.pk))
    ]
