"""The staff day calendar: one column per practitioner or room, bookings placed on a time grid."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from needlepoint.clinics.models import Location, Room, StaffMember
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Booking

ROW = timedelta(minutes=15)


@dataclass
class Column:
    key: int
    title: str
    bookings: list[tuple[Booking, int, int]] = field(
        default_factory=list
    )  # booking, first row, rows


@dataclass
class DayCalendar:
    location: Location
    day: date
    rows: list[datetime]
    columns: list[Column]
    by: str

    @property
    def previous_day(self) -> date:
        return self.day - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.day + timedelta(days=1)


def day_calendar(location: Location, day: date, by: str = "practitioner") -> DayCalendar:
    """A fixed number of queries whatever the number of bookings."""
    zone = location.zone
    periods = [
        (h.opens, h.closes) for h in location.opening_hours.all() if h.weekday == day.weekday()
    ]
    first = min((opens for opens, _ in periods), default=time(9))
    last = max((closes for _, closes in periods), default=time(17))
    start = datetime.combine(day, first, tzinfo=zone)
    end = datetime.combine(day, last, tzinfo=zone)
    rows = []
    moment = start.astimezone(UTC)  # step in real time: a change day has 23 or 25 hours
    while moment < end:
        rows.append(moment.astimezone(zone))
        moment += ROW
    bookings = list(
        Booking.objects.filter(location=location, starts_at__lt=end, ends_at__gt=start)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("client", "service", "practitioner__user", "room")
        .order_by("starts_at")
    )
    columns = _columns(location, by)
    by_key = {column.key: column for column in columns}
    for booking in bookings:
        key = booking.room_id if by == "room" else booking.practitioner_id
        if key is None:
            continue
        column = by_key.get(key)
        if column is None:
            column = by_key[key] = Column(
                key, str(booking.room if by == "room" else booking.practitioner.user)
            )
            columns.append(column)
        first_row = max(0, int((booking.starts_at - start) / ROW))
        span = max(1, round((min(booking.ends_at, end) - max(booking.starts_at, start)) / ROW))
        column.bookings.append((booking, first_row, span))
    return DayCalendar(location=location, day=day, rows=rows, columns=columns, by=by)


def _columns(location: Location, by: str) -> list[Column]:
    if by == "room":
        return [
            Column(room.pk, room.name)
            for room in Room.objects.filter(location=location, is_active=True)
        ]
    staff = StaffMember.objects.filter(
        locations=location, is_active=True, services__isnull=False
    ).distinct()
    return [
        Column(member.pk, str(member.user))
        for member in staff.select_related("user").order_by("user__full_name")
    ]


@dataclass
class WeekCalendar:
    location: Location
    monday: date
    days: list[tuple[date, list[Booking]]]

    @property
    def previous_week(self) -> date:
        return self.monday - timedelta(days=7)

    @property
    def next_week(self) -> date:
        return self.monday + timedelta(days=7)


def week_calendar(location: Location, day: date) -> WeekCalendar:
    """The week (Monday to Sunday) around ``day``: one query for all its bookings."""
    monday = day - timedelta(days=day.weekday())
    zone = location.zone
    start = datetime.combine(monday, time.min, tzinfo=zone)
    end = datetime.combine(monday + timedelta(days=7), time.min, tzinfo=zone)
    bookings = (
        Booking.objects.filter(location=location, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("client", "service", "practitioner__user")
        .order_by("starts_at")
    )
    by_day: dict[date, list[Booking]] = {monday + timedelta(days=n): [] for n in range(7)}
    for booking in bookings:
        by_day[booking.starts_at.astimezone(zone).date()].append(booking)
    return WeekCalendar(location=location, monday=monday, days=list(by_day.items()))
