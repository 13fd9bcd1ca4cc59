"""Every report's reads, each starting from the organisation and the locations in scope.

Each report is a fixed number of queries whatever the amount of data: counts and sums
are done by the database; only what needs the calendar (available minutes) or the order
of a client's sessions (medians) is worked out here from rows read once.
definitions: docs/reports.md.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    FloatField,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from needlepoint.clinical import ClinicalError, Rules
from needlepoint.clinics.choices import DeviceStatus, Role
from needlepoint.clinics.models import Closure, Device, Location, OpeningHours, Room, StaffMember
from needlepoint.payments import queries as payment_reads
from needlepoint.payments.choices import (
    FeeStatus,
    InvoiceKind,
    InvoiceStatus,
    Method,
    PaymentKind,
    PaymentStatus,
)
from needlepoint.payments.models import CreditEntry, Fee, Invoice, Payment
from needlepoint.scheduling.choices import BookingEventKind, BookingStatus, Channel
from needlepoint.scheduling.models import (
    Booking,
    BookingEvent,
    Course,
    ShiftException,
    TimeOff,
    WorkingPeriod,
)
from needlepoint.scheduling.slots import Practitioner
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import Cartridge, TreatmentSession

UPCOMING = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
SESSION_COUNTS = (1, 2, 3, 4)


def practitioners_for(locations: QuerySet[Location]) -> QuerySet[StaffMember]:
    return (
        StaffMember.objects.filter(locations__in=locations)
        .exclude(role=Role.FRONT_DESK)
        .select_related("user")
        .order_by("user__full_name")
        .distinct()
    )


@dataclass(frozen=True)
class Scope:
    """What a report covers: locations, perhaps one practitioner, local dates (inclusive)."""

    organisation_id: int
    locations: Sequence[Location]
    start: date
    end: date
    practitioner: StaffMember | None = None

    @property
    def location_ids(self) -> list[int]:
        return [location.pk for location in self.locations]

    @property
    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def window(self, location: Location) -> tuple[datetime, datetime]:
        """The range as instants: midnight to midnight in the location's time zone."""
        zone = location.zone
        return (
            datetime.combine(self.start, time.min, zone),
            datetime.combine(self.end + timedelta(days=1), time.min, zone),
        )

    def starting_in_range(self, prefix: str = "") -> Q:
        """Rows (bookings, holds) at a location in scope starting within its local range."""
        matches = Q(pk__in=[])
        for location in self.locations:
            first, last = self.window(location)
            matches |= Q(
                **{
                    f"{prefix}location": location,
                    f"{prefix}starts_at__gte": first,
                    f"{prefix}starts_at__lt": last,
                }
            )
        return matches

    def bookings(self) -> QuerySet[Booking]:
        bookings = Booking.objects.filter(location__organisation_id=self.organisation_id).filter(
            self.starting_in_range()
        )
        if self.practitioner is not None:
            bookings = bookings.filter(practitioner=self.practitioner)
        return bookings

    def sessions(self) -> QuerySet[TreatmentSession]:
        sessions = TreatmentSession.objects.filter(
            client__organisation_id=self.organisation_id,
            location_id__in=self.location_ids,
            status=SessionStatus.COMPLETED,
        )
        if self.practitioner is not None:
            sessions = sessions.filter(practitioner=self.practitioner)
        return sessions


def share(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def hours(minutes: int) -> str:
    return f"{minutes / 60:,.1f}"


# Utilisation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    kind: str
    name: str
    location: str
    booked_minutes: int
    available_minutes: int

    @property
    def share(self) -> float | None:
        return share(self.booked_minutes, self.available_minutes)

    @property
    def share_text(self) -> str:
        return percent(self.share)

    @property
    def booked_hours(self) -> str:
        return hours(self.booked_minutes)

    @property
    def available_hours(self) -> str:
        return hours(self.available_minutes)


@dataclass(frozen=True)
class Utilisation:
    practitioners: list[Usage]
    rooms: list[Usage]
    devices: list[Usage]

    @property
    def rows(self) -> list[Usage]:
        return [*self.practitioners, *self.rooms, *self.devices]


class MinutesBetween(Func):
    """Minutes from one instant to another, worked out by the database itself (Django's
    portable datetime subtraction calls back into Python for every row on SQLite)."""

    arity = 2
    output_field = FloatField()
    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 60.0)"
    arg_joiner = " - "

    def __init__(self, start: str, end: str) -> None:
        super().__init__(end, start)  # the later minus the earlier

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 1440.0)",
            arg_joiner=") - julianday(",
            **extra,
        )


def utilisation(scope: Scope) -> Utilisation:
    booked = booked_minutes(scope.bookings().exclude(status=BookingStatus.CANCELLED))
    opening = opening_minutes(scope)
    names = {location.pk: location.name for location in scope.locations}
    rooms = Room.objects.filter(location_id__in=scope.location_ids, is_active=True)
    devices = Device.objects.filter(
        location_id__in=scope.location_ids, status=DeviceStatus.IN_SERVICE
    )
    return Utilisation(
        practitioners=practitioner_usage(scope, booked["practitioner"], names),
        rooms=[
            Usage(
                "room",
                room.name,
                names[room.location_id],
                booked["room"].get((room.pk,), 0),
                opening[room.location_id],
            )
            for room in rooms.order_by("location__name", "name")
        ],
        devices=[
            Usage(
                "device",
                device.name,
                names[device.location_id],
                booked["device"].get((device.pk,), 0),
                opening[device.location_id],
            )
            for device in devices.order_by("location__name", "name")
        ],
    )


def booked_minutes(bookings: QuerySet[Booking]) -> dict[str, dict[tuple[int, ...], int]]:
    """Minutes booked (start to end of each visit) per practitioner and location, room and
    device: one grouped sum, a row per combination in use, added up here."""
    rows = (
        bookings.values("practitioner_id", "location_id", "room_id", "device_id")
        .order_by()
        .annotate(minutes=Sum(MinutesBetween("starts_at", "ends_at")))
    )
    totals: dict[str, defaultdict[tuple[int, ...], float]] = {
        kind: defaultdict(float) for kind in ("practitioner", "room", "device")
    }
    for row in rows:
        totals["practitioner"][row["practitioner_id"], row["location_id"]] += row["minutes"]
        if row["room_id"] is not None:
            totals["room"][(row["room_id"],)] += row["minutes"]
        if row["device_id"] is not None:
            totals["device"][(row["device_id"],)] += row["minutes"]
    return {
        kind: {key: round(minutes) for key, minutes in found.items()}
        for kind, found in totals.items()
    }


def opening_minutes(scope: Scope) -> dict[int, int]:
    """Minutes each location in scope is open over the range, closures taken out."""
    hours: defaultdict[tuple[int, int], int] = defaultdict(int)
    for row in OpeningHours.objects.filter(location_id__in=scope.location_ids):
        hours[row.location_id, row.weekday] += minutes_between(row.opens, row.closes)
    closed = closed_days(scope)
    return {
        location.pk: sum(
            hours[location.pk, day.weekday()]
            for day in scope.days
            if day not in closed[location.pk]
        )
        for location in scope.locations
    }


def closed_days(scope: Scope) -> defaultdict[int, set[date]]:
    closed: defaultdict[int, set[date]] = defaultdict(set)
    closures = Closure.objects.filter(
        location_id__in=scope.location_ids, starts_on__lte=scope.end, ends_on__gte=scope.start
    )
    for closure in closures:
        closed[closure.location_id] |= {day for day in scope.days if closure.covers(day)}
    return closed


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


Shift = tuple[datetime, datetime]
Periods = list[tuple[time, time]]


def practitioner_usage(
    scope: Scope, booked: dict[tuple[int, ...], int], names: dict[int, str]
) -> list[Usage]:
    shifts = shifts_in_range(scope)
    keys = set(shifts) | {(staff_id, location_id) for staff_id, location_id in booked}
    off = time_off(scope, {staff_id for staff_id, _ in keys})
    people = {
        member.pk: member.user.full_name
        for member in StaffMember.objects.filter(pk__in={s for s, _ in keys}).select_related("user")
    }
    rows = [
        Usage(
            "practitioner",
            people[staff_id],
            names[location_id],
            booked.get((staff_id, location_id), 0),
            available(shifts.get((staff_id, location_id), []), off[staff_id]),
        )
        for staff_id, location_id in keys
    ]
    return sorted(rows, key=lambda row: (row.location, row.name))


def shifts_in_range(scope: Scope) -> dict[tuple[int, int], list[Shift]]:
    """Each practitioner's working hours per location over the range, as instants.

    The days' periods come from the availability engine's own rule (a shift exception
    replaces the weekly pattern on its date); closure days have none.
    """
    weekly = WorkingPeriod.objects.filter(location_id__in=scope.location_ids)
    exceptions = ShiftException.objects.filter(
        location_id__in=scope.location_ids, on__gte=scope.start, on__lte=scope.end
    )
    if scope.practitioner is not None:
        weekly = weekly.filter(staff=scope.practitioner)
        exceptions = exceptions.filter(staff=scope.practitioner)
    week: defaultdict[tuple[int, int], defaultdict[int, Periods]] = defaultdict(
        lambda: defaultdict(list)
    )
    for p in weekly:
        week[p.staff_id, p.location_id][p.weekday].append((p.starts, p.ends))
    overrides: defaultdict[tuple[int, int], dict[date, Periods]] = defaultdict(dict)
    for exception in exceptions:
        periods = overrides[exception.staff_id, exception.location_id].setdefault(exception.on, [])
        if exception.starts is not None and exception.ends is not None:  # no times: a day off
            periods.append((exception.starts, exception.ends))
    zones = {location.pk: location.zone for location in scope.locations}
    closed = closed_days(scope)
    shifts: dict[tuple[int, int], list[Shift]] = {}
    for staff_id, location_id in set(week) | set(overrides):
        worker = Practitioner(
            key=staff_id,
            weekly=week[staff_id, location_id],
            day_overrides=overrides[staff_id, location_id],
        )
        zone = zones[location_id]
        shifts[staff_id, location_id] = [
            (datetime.combine(day, starts, zone), datetime.combine(day, ends, zone))
            for day in scope.days
            if day not in closed[location_id]
            for starts, ends in worker.periods_on(day)
        ]
    return shifts


def time_off(scope: Scope, staff_ids: set[int]) -> defaultdict[int, list[Shift]]:
    away: defaultdict[int, list[Shift]] = defaultdict(list)
    if not staff_ids:
        return away
    firsts, lasts = zip(*(scope.window(location) for location in scope.locations), strict=True)
    rows = TimeOff.objects.filter(
        staff_id__in=staff_ids, starts_at__lt=max(lasts), ends_at__gt=min(firsts)
    )
    for row in rows:
        away[row.staff_id].append((row.starts_at, row.ends_at))
    return away


def available(shifts: Iterable[Shift], away: Sequence[Shift]) -> int:
    """Minutes of the shifts not covered by time off."""
    total = timedelta()
    for start, end in shifts:
        total += end - start
        for off_start, off_end in away:
            overlap = min(end, off_end) - max(start, off_start)
            total -= max(overlap, timedelta())
    return int(total.total_seconds() // 60)


# Bookings: channels, no-shows, late cancellations ---------------------------------------


@dataclass(frozen=True)
class ChannelCount:
    channel: str
    label: str
    bookings: int
    cancelled: int
    late_cancelled: int
    no_shows: int

    @property
    def kept(self) -> int:
        return self.bookings - self.cancelled

    @property
    def no_show_rate(self) -> float | None:
        return share(self.no_shows, self.kept)

    @property
    def late_cancel_rate(self) -> float | None:
        return share(self.late_cancelled, self.bookings)

    @property
    def no_show_text(self) -> str:
        return percent(self.no_show_rate)

    @property
    def late_cancel_text(self) -> str:
        return percent(self.late_cancel_rate)


@dataclass(frozen=True)
class BookingFigures:
    channels: list[ChannelCount]
    total: ChannelCount


def booking_figures(scope: Scope) -> BookingFigures:
    late = BookingEvent.objects.filter(booking=OuterRef("pk"), kind=BookingEventKind.LATE_CANCELLED)
    counted = {
        row["channel"]: row
        for row in scope.bookings()
        .values("channel")
        .order_by()
        .annotate(
            bookings=Count("id"),
            cancelled=Count("id", filter=Q(status=BookingStatus.CANCELLED)),
            late_cancelled=Count("id", filter=Q(Exists(late))),
            no_shows=Count("id", filter=Q(status=BookingStatus.NO_SHOW)),
        )
    }
    figures = ("bookings", "cancelled", "late_cancelled", "no_shows")
    channels = [
        ChannelCount(
            channel.value,
            str(channel.label),
            *(counted.get(channel.value, {}).get(name, 0) for name in figures),
        )
        for channel in Channel
    ]
    total = ChannelCount(
        "all",
        str(gettext_lazy("All channels")),
        *(sum(getattr(c, name) for c in channels) for name in figures),
    )
    return BookingFigures(channels, total)


# Courses ---------------------------------------------------------------------------------

NOT_STARTED, ON_TRACK, LAPSED, COMPLETED = "not started", "on track", "lapsed", "completed"
COURSE_STATES = (NOT_STARTED, ON_TRACK, LAPSED, COMPLETED)
STATE_LABELS = {
    NOT_STARTED: gettext_lazy("Not started"),
    ON_TRACK: gettext_lazy("On track"),
    LAPSED: gettext_lazy("Lapsed"),
    COMPLETED: gettext_lazy("Completed"),
}


@dataclass(frozen=True)
class CourseState:
    course: Course
    state: str
    done: int
    last_session_on: date | None
    due_on: date | None
    lapses_after: date | None
    booked: bool
    today: date

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def due(self) -> bool:
        """Started, not finished, nothing booked, and the next session's date has come."""
        return (
            self.state in (ON_TRACK, LAPSED)
            and not self.booked
            and self.due_on is not None
            and self.due_on <= self.today
        )


@dataclass(frozen=True)
class CourseFigures:
    courses: list[CourseState]
    counts: dict[str, int]
    today: date

    @property
    def started(self) -> int:
        return sum(n for state, n in self.counts.items() if state != NOT_STARTED)

    @property
    def not_started(self) -> int:
        return self.counts[NOT_STARTED]

    @property
    def on_track(self) -> int:
        return self.counts[ON_TRACK]

    @property
    def lapsed(self) -> int:
        return self.counts[LAPSED]

    @property
    def completed(self) -> int:
        return self.counts[COMPLETED]

    @property
    def due(self) -> list[CourseState]:
        return sorted(
            (c for c in self.courses if c.due), key=lambda c: (c.due_on, c.course.client.last_name)
        )


def course_figures(scope: Scope, rules: Rules, now: datetime | None = None) -> CourseFigures:
    """Courses whose first visit falls in the range, each in its state as of today."""
    now = now or timezone.now()
    kept = Q(bookings__status__in=[s for s in BookingStatus if s != BookingStatus.CANCELLED])
    courses = (
        Course.objects.filter(
            client__organisation_id=scope.organisation_id,
            service__location_id__in=scope.location_ids,
        )
        .annotate(
            first_visit=Min("bookings__starts_at", filter=kept),
            done=Count("bookings", filter=Q(bookings__status=BookingStatus.COMPLETED)),
            last_done=Max(
                "bookings__starts_at", filter=Q(bookings__status=BookingStatus.COMPLETED)
            ),
            upcoming=Count(
                "bookings",
                filter=Q(bookings__status__in=UPCOMING, bookings__starts_at__gte=now),
            ),
        )
        .filter(_first_visit_in_range(scope))
        .select_related("client", "service__location")
        .order_by("pk")
    )
    if scope.practitioner is not None:
        courses = courses.filter(
            Exists(Booking.objects.filter(course=OuterRef("pk"), practitioner=scope.practitioner))
        )
    states = [course_state(course, rules, now) for course in courses]
    counts = {state: sum(1 for c in states if c.state == state) for state in COURSE_STATES}
    zone_today = now.astimezone(scope.locations[0].zone).date() if scope.locations else now.date()
    return CourseFigures(states, counts, zone_today)


def _first_visit_in_range(scope: Scope) -> Q:
    matches = Q(pk__in=[])
    for location in scope.locations:
        first, last = scope.window(location)
        matches |= Q(service__location=location, first_visit__gte=first, first_visit__lt=last)
    return matches


def course_state(course: Course, rules: Rules, now: datetime) -> CourseState:
    zone = course.service.location.zone
    today = now.astimezone(zone).date()
    done: int = course.done  # type: ignore[attr-defined]
    last: datetime | None = course.last_done  # type: ignore[attr-defined]
    booked = course.upcoming > 0  # type: ignore[attr-defined]
    if last is None:
        return CourseState(course, NOT_STARTED, done, None, None, None, booked, today)
    last_on = last.astimezone(zone).date()
    due_on = last_on + timedelta(days=course.interval_days)
    lapses_after = last_on + timedelta(days=longest_interval(course, rules))
    if done >= course.planned_sessions:
        state = COMPLETED
    elif not booked and today > lapses_after:
        state = LAPSED
    else:
        state = ON_TRACK
    return CourseState(course, state, done, last_on, due_on, lapses_after, booked, today)


def longest_interval(course: Course, rules: Rules) -> int:
    """The indication's longest usual interval, or the course's own if that is longer."""
    try:
        typical = rules.indication(course.service.indication).interval_typical_days[1]
    except ClinicalError:
        typical = 0
    return max(typical, course.interval_days)


# Outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    key: str
    name: str | Promise
    lower_is_better: bool


SCALES = (
    Scale("scar_score", gettext_lazy("Goodman & Baron score (0–84)"), True),
    Scale("scar_grade", gettext_lazy("Goodman & Baron grade (1–4)"), True),
    Scale("glogau", gettext_lazy("Glogau type (1–4)"), True),
    Scale("improvement", gettext_lazy("Client's rating (0–10)"), False),
)


@dataclass(frozen=True)
class OutcomeRow:
    indication: str
    name: str
    scale: Scale
    medians: dict[int, float | None]  # sessions done -> median improvement
    counts: dict[int, int]

    @property
    def cells(self) -> list[tuple[float | None, int]]:
        return [(self.medians[n], self.counts[n]) for n in SESSION_COUNTS]


@dataclass(frozen=True)
class EventRate:
    indication: str
    name: str
    sessions: int
    events: int

    @property
    def per_100(self) -> float | None:
        return None if not self.sessions else 100 * self.events / self.sessions


@dataclass(frozen=True)
class OutcomeFigures:
    rows: list[OutcomeRow]
    events: list[EventRate]
    series: int


def outcome_figures(scope: Scope, rules: Rules) -> OutcomeFigures:
    series = outcome_series(scope)
    rows = [
        outcome_row(indication, scale, courses, rules)
        for indication, courses in sorted(series.items())
        for scale in SCALES
    ]
    return OutcomeFigures(
        [row for row in rows if any(row.counts.values())],
        event_rates(scope, rules),
        sum(len(courses) for courses in series.values()),
    )


def outcome_series(scope: Scope) -> dict[str, list[list[dict[str, object]]]]:
    """Per indication, each client's completed sessions in order, for clients whose first
    session of that indication (at the locations in scope) falls in the range."""
    sessions = TreatmentSession.objects.filter(
        client__organisation_id=scope.organisation_id,
        location_id__in=scope.location_ids,
        status=SessionStatus.COMPLETED,
        performed_on__gte=scope.start,
    )
    earlier = sessions.model.objects.filter(
        client_id=OuterRef("client_id"),
        indication=OuterRef("indication"),
        location_id__in=scope.location_ids,
        status=SessionStatus.COMPLETED,
        performed_on__lt=scope.start,
    )
    rows = (
        sessions.exclude(Exists(earlier))
        .order_by("client_id", "indication", "performed_on", "pk")
        .values(
            "client_id",
            "indication",
            "performed_on",
            "practitioner_id",
            *(f"outcome__{scale.key}" for scale in SCALES),
        )
    )
    grouped: dict[tuple[int, str], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        grouped[row["client_id"], row["indication"]].append(row)
    series: defaultdict[str, list[list[dict[str, object]]]] = defaultdict(list)
    for (_, indication), course in grouped.items():
        first = course[0]
        if first["performed_on"] > scope.end:  # type: ignore[operator]
            continue
        if scope.practitioner is not None and first["practitioner_id"] != scope.practitioner.pk:
            continue
        series[indication].append(course)
    return dict(series)


def outcome_row(
    indication: str, scale: Scale, courses: list[list[dict[str, object]]], rules: Rules
) -> OutcomeRow:
    gains: defaultdict[int, list[float]] = defaultdict(list)
    for course in courses:
        for sessions_done, gain in improvements(course, scale):
            gains[sessions_done].append(gain)
    return OutcomeRow(
        indication,
        indication_name(indication, rules),
        scale,
        {n: statistics.median(gains[n]) if gains[n] else None for n in SESSION_COUNTS},
        {n: len(gains[n]) for n in SESSION_COUNTS},
    )


def improvements(course: list[dict[str, object]], scale: Scale) -> list[tuple[int, float]]:
    """(sessions done, improvement) pairs: the score at session n + 1 against session 1's."""
    key = f"outcome__{scale.key}"
    baseline = course[0][key]
    if baseline is None:
        return []
    found = []
    for sessions_done, session in enumerate(course[1:], start=1):
        score = session[key]
        if score is None or sessions_done not in SESSION_COUNTS:
            continue
        change = float(score) - float(baseline)  # type: ignore[arg-type]
        found.append((sessions_done, -change if scale.lower_is_better else change))
    return found


def indication_name(key: str, rules: Rules) -> str:
    try:
        return rules.indication(key).name
    except ClinicalError:
        return key


def event_rates(scope: Scope, rules: Rules) -> list[EventRate]:
    rows = (
        scope.sessions()
        .filter(performed_on__gte=scope.start, performed_on__lte=scope.end)
        .values("indication")
        .order_by("indication")
        .annotate(
            sessions=Count("id", distinct=True), events=Count("adverse_events", distinct=True)
        )
    )
    return [
        EventRate(
            row["indication"],
            indication_name(row["indication"], rules),
            row["sessions"],
            row["events"],
        )
        for row in rows
    ]


# Cartridges and lots ---------------------------------------------------------------------


@dataclass(frozen=True)
class LotUse:
    lot: str
    configuration: str
    cartridges: int
    sessions: int
    clients: int
    first_used: date
    last_used: date


def lot_usage(scope: Scope) -> list[LotUse]:
    """Cartridges used per lot and configuration in completed sessions of the range."""
    used = Cartridge.objects.filter(
        organisation_id=scope.organisation_id,
        session__in=scope.sessions().filter(
            performed_on__gte=scope.start, performed_on__lte=scope.end
        ),
    )
    rows = (
        used.values("lot", "configuration__name")
        .order_by("lot", "configuration__name")
        .annotate(
            cartridges=Count("id"),
            sessions=Count("session", distinct=True),
            clients=Count("session__client", distinct=True),
            first_used=Min("session__performed_on"),
            last_used=Max("session__performed_on"),
        )
    )
    return [
        LotUse(
            row["lot"],
            row["configuration__name"],
            row["cartridges"],
            row["sessions"],
            row["clients"],
            row["first_used"],
            row["last_used"],
        )
        for row in rows
    ]


def recall_list(
    organisation_id: int,
    location_ids: Sequence[int],
    lot: str,
    configuration_id: int | None = None,
    device_id: int | None = None,
) -> list[Cartridge]:
    """Every cartridge of a lot used on a client, with the session and client: one query."""
    cartridges = Cartridge.objects.filter(
        organisation_id=organisation_id,
        lot__iexact=lot.strip(),
        session__isnull=False,
        session__location_id__in=location_ids,
    )
    if configuration_id is not None:
        cartridges = cartridges.filter(configuration_id=configuration_id)
    if device_id is not None:
        cartridges = cartridges.filter(session__device_id=device_id)
    return list(
        cartridges.select_related(
            "configuration",
            "session__client",
            "session__location",
            "session__practitioner__user",
            "session__device",
        ).order_by(
            "session__client__last_name", "session__client__first_name", "session__performed_on"
        )
    )


# Money -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MethodTakings:
    method: str
    label: str
    taken: int
    refunded: int

    @property
    def net(self) -> int:
        return self.taken - self.refunded


NOT_MONEY = (Method.CREDIT, Method.VOUCHER)
"""Payments that spend what was paid before: account credit, and a gift voucher (its money
was taken, and counted, when it was sold)."""


@dataclass(frozen=True)
class DayTakings:
    day: date
    taken: dict[str, int]  # by method
    refunded: dict[str, int]

    @property
    def net(self) -> dict[str, int]:
        methods = self.taken.keys() | self.refunded.keys()
        return {m: self.taken.get(m, 0) - self.refunded.get(m, 0) for m in methods}

    @property
    def total(self) -> int:
        """Money in less money out; account credit and gift vouchers move no money (the
        voucher's money came in when it was sold) and are left out."""
        return sum(minor for method, minor in self.net.items() if method not in NOT_MONEY)


@dataclass(frozen=True)
class Takings:
    methods: list[MethodTakings]  # the methods used in the range, in the usual order
    days: list[DayTakings]

    def _money(self) -> list[MethodTakings]:
        return [m for m in self.methods if m.method not in NOT_MONEY]

    @property
    def taken(self) -> int:
        return sum(m.taken for m in self._money())

    @property
    def refunded(self) -> int:
        return sum(m.refunded for m in self._money())

    @property
    def net(self) -> int:
        return self.taken - self.refunded

    def rows(self) -> list[tuple[date, list[int], int]]:
        """Each day's net by method, in the order of ``methods``, and its total."""
        return [
            (day.day, [day.net.get(m.method, 0) for m in self.methods], day.total)
            for day in self.days
        ]


def takings(scope: Scope) -> Takings:
    """Payments less refunds that went through, by method and by each location's own day:
    one grouped query per location."""
    found: defaultdict[tuple[date, str, str], int] = defaultdict(int)
    for location in scope.locations:
        for key, minor in payment_reads.takings_by_day(location, scope.start, scope.end).items():
            found[key] += minor
    taken: defaultdict[date, dict[str, int]] = defaultdict(dict)
    refunded: defaultdict[date, dict[str, int]] = defaultdict(dict)
    for (day, method, kind), minor in found.items():
        (refunded if kind == PaymentKind.REFUND else taken)[day][method] = minor
    days = [
        DayTakings(day, taken[day], refunded[day]) for day in sorted(taken.keys() | refunded.keys())
    ]
    methods = [
        MethodTakings(
            method.value,
            str(method.label),
            sum(day.taken.get(method, 0) for day in days),
            sum(day.refunded.get(method, 0) for day in days),
        )
        for method in Method
        if any(method in day.net for day in days)
    ]
    return Takings(methods, days)


def happened_in_range(scope: Scope, when: str, location: str) -> Q:
    """Rows whose ``when`` falls in the range of its location's own days."""
    matches = Q(pk__in=[])
    for place in scope.locations:
        first, last = payment_reads.days_bounds(place, scope.start, scope.end)
        matches |= Q(**{location: place, f"{when}__gte": first, f"{when}__lt": last})
    return matches


def local(moment: datetime, location: Location) -> datetime:
    return moment.astimezone(location.zone)


@dataclass(frozen=True)
class Owed:
    invoice: Invoice
    issued_on: date
    balance: int


@dataclass(frozen=True)
class Section:
    """A section's rows (perhaps only the first ones), how many there are, and their total."""

    rows: Sequence[Any]
    count: int
    total: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


def _first(rows: QuerySet[Any], limit: int | None) -> list[Any]:
    return list(rows if limit is None else rows[:limit])


def outstanding(scope: Scope, limit: int | None = None) -> Section:
    """Issued invoices at the locations with something still owed today, oldest first;
    whenever issued (the dates don't narrow it)."""
    owed = payment_reads.with_balance(
        Invoice.objects.filter(
            organisation_id=scope.organisation_id,
            location_id__in=scope.location_ids,
            kind=InvoiceKind.INVOICE,
            status=InvoiceStatus.ISSUED,
        )
    ).filter(Q(balance_minor__gt=0))
    totals = owed.aggregate(count=Count("id"), total=Sum("balance_minor"))
    rows = owed.select_related("client", "location").order_by("issued_at", "pk")
    return Section(
        [
            Owed(i, local(i.issued_at, i.location).date(), i.balance_minor)
            for i in _first(rows, limit)
        ],
        totals["count"],
        int(totals["total"] or 0),
    )


@dataclass(frozen=True)
class Held:
    payment: Payment
    booking: Booking
    taken_on: date
    visit_at: datetime
    held: int


def deposits_held(scope: Scope, limit: int | None = None) -> Section:
    """Deposits taken and not given back whose visit is still booked, soonest visit first."""
    held = payment_reads.held_deposits(scope.locations)
    totals = held.aggregate(count=Count("id"), total=Sum("held_minor"))
    rows = held.select_related("client", "location", "booking__service").order_by(
        "booking__starts_at", "pk"
    )
    found = []
    for payment in _first(rows, limit):
        booking = payment.booking
        found.append(
            Held(
                payment,
                booking,
                local(payment.taken_at, payment.location).date(),
                local(booking.starts_at, payment.location),
                payment.held_minor,
            )
        )
    return Section(found, totals["count"], int(totals["total"] or 0))


@dataclass(frozen=True)
class FeeDecided:
    fee: Fee
    decided_on: date
    visit_at: datetime


@dataclass(frozen=True)
class FeeSection(Section):
    by_status: dict[str, tuple[int, int]]  # status -> (how many, amount)

    def of(self, status: str) -> tuple[int, int]:
        return self.by_status.get(status, (0, 0))

    @property
    def charged(self) -> tuple[int, int]:
        return self.of(FeeStatus.CHARGED)

    @property
    def due(self) -> tuple[int, int]:
        return self.of(FeeStatus.DUE)

    @property
    def waived(self) -> tuple[int, int]:
        return self.of(FeeStatus.WAIVED)


def fees_decided(scope: Scope, limit: int | None = None) -> FeeSection:
    """No-show and late-cancellation fees charged, owed or waived in the range (by when it
    was decided), with who decided and why a fee was waived."""
    fees = Fee.objects.filter(booking__location__organisation_id=scope.organisation_id).filter(
        happened_in_range(scope, "decided_at", "booking__location")
    )
    by_status = {
        row["status"]: (row["count"], int(row["total"] or 0))
        for row in fees.order_by()
        .values("status")
        .annotate(count=Count("id"), total=Sum("amount_minor"))
    }
    rows = fees.select_related(
        "booking__client", "booking__location", "booking__service", "decided_by"
    ).order_by("decided_at", "pk")
    found = [
        FeeDecided(
            fee,
            local(fee.decided_at, fee.booking.location).date(),
            local(fee.booking.starts_at, fee.booking.location),
        )
        for fee in _first(rows, limit)
    ]
    count = sum(n for n, _ in by_status.values())
    total = sum(minor for _, minor in by_status.values())
    return FeeSection(found, count, total, by_status)


@dataclass(frozen=True)
class Refund:
    payment: Payment
    on: date

    @property
    def to_credit(self) -> bool:
        return self.payment.method == Method.CREDIT


def refunds_made(scope: Scope, limit: int | None = None) -> Section:
    """Refunds that went through in the range: how, to credit or back where the money came
    from, why and by whom."""
    refunds = Payment.objects.filter(
        organisation_id=scope.organisation_id,
        kind=PaymentKind.REFUND,
        status=PaymentStatus.SUCCEEDED,
    ).filter(happened_in_range(scope, "taken_at", "location"))
    totals = refunds.aggregate(count=Count("id"), total=Sum("amount_minor"))
    rows = refunds.select_related("client", "location", "taken_by", "refund_of").order_by(
        "taken_at", "pk"
    )
    found = [Refund(p, local(p.taken_at, p.location).date()) for p in _first(rows, limit)]
    return Section(found, totals["count"], int(totals["total"] or 0))


@dataclass(frozen=True)
class Credit:
    client_id: str
    name: str
    balance: int


def credit_held(scope: Scope, limit: int | None = None) -> Section:
    """Clients holding account credit today, the most first. Credit is the client's, at
    every location, so the location filter doesn't narrow it."""
    balances = payment_reads.credit_balances(scope.organisation_id)
    rows = balances.order_by("-balance", "client__last_name", "client_id")
    return Section(
        [
            Credit(
                str(row["client__public_id"]),
                f"{row['client__first_name']} {row['client__last_name']}",
                int(row["balance"]),
            )
            for row in _first(rows, limit)
        ],
        balances.count(),
        sum_of_credit(scope.organisation_id),
    )


def sum_of_credit(organisation_id: int) -> int:
    """All account credit held: every entry added up (spent credit is a negative entry)."""
    found = CreditEntry.objects.filter(client__organisation_id=organisation_id).aggregate(
        total=Sum("amount_minor")
    )
    return int(found["total"] or 0)


@dataclass(frozen=True)
class MoneyFigures:
    currency: str
    takings: Takings
    outstanding: Section
    deposits: Section
    fees: FeeSection
    refunds: Section
    credit: Section

    @property
    def clients_listed(self) -> int:
        sections = (self.outstanding, self.deposits, self.fees, self.refunds, self.credit)
        return sum(len(section.rows) for section in sections)


def money_figures(scope: Scope, currency: str, limit: int | None = None) -> MoneyFigures:
    return MoneyFigures(
        currency,
        takings(scope),
        outstanding(scope, limit),
        deposits_held(scope, limit),
        fees_decided(scope, limit),
        refunds_made(scope, limit),
        credit_held(scope, limit),
    )
