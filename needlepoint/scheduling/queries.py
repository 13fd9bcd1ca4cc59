"""Availability: load a window of the calendar once, then compute free starts in memory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from django.utils import timezone

from needlepoint.clients.history import client_history
from needlepoint.clients.models import Client
from needlepoint.clinical import Eligibility, History, Rules, next_session_date
from needlepoint.clinics.models import Device, Location, Room, StaffMember
from needlepoint.clinics.queries import organisation_rules
from needlepoint.core.setup_token import setup_snapshot
from needlepoint.scheduling import calendar_reads as reads
from needlepoint.scheduling.choices import BookingStatus, Channel, HoldKind
from needlepoint.scheduling.models import (
    Booking,
    Service,
)
from needlepoint.scheduling.slots import (
    Instants,
    Interval,
    Practitioner,
    Resource,
    Slot,
    Spans,
    free_slots,
    on_duty,
    open_periods,
)

STAFF_CHANNELS = {Channel.STAFF, Channel.IMPORT}
HoldSpec = tuple[HoldKind, int, Interval]
"""A hold a booking takes: the kind of resource, its id, and the time it is kept."""


def spans_for(service: Service, device_after: timedelta = timedelta(0)) -> Spans:
    return Spans(
        appointment=service.visit,
        before=timedelta(minutes=service.buffer_before_minutes),
        after=timedelta(minutes=service.buffer_after_minutes),
        device_after=device_after,
    )


def clinical_eligibility(
    client: Client,
    service: Service,
    history: History | None = None,
    rules: Rules | None = None,
) -> Eligibility | None:
    """When the client may next have this treatment; None for services that treat no area.

    ``history`` and ``rules`` are the client's and their clinic's, when the caller has
    read them already.
    """
    if not service.area or not service.indication:
        return None
    rules = rules or organisation_rules(client.organisation_id)
    history = history or client_history(client)
    return next_session_date(history, service.area, service.indication, rules=rules)


def upcoming_bookings(client: Client) -> list[Booking]:
    return list(
        client.bookings.filter(
            status__in=[BookingStatus.BOOKED, BookingStatus.CHECKED_IN], ends_at__gte=timezone.now()
        )
        .select_related("service", "practitioner__user", "location")
        .order_by("starts_at")
    )


class TreatsAnArea(Protocol):
    """A service, or a booked session read in plain SQL: what the interval rule needs."""

    @property
    def area(self) -> str: ...

    @property
    def indication(self) -> str: ...


def days_between_sessions(rules: Rules, earlier: TreatsAnArea, later: TreatsAnArea) -> int:
    """Days needed between two booked treatments; 0 when they share no zone.

    A booked session's depth isn't known yet, so the deepest usual depth of its
    indication on each zone is assumed: the safe side of the interval rule.
    """
    if not (earlier.area and earlier.indication and later.area and later.indication):
        return 0
    shared = set(rules.area_zones(earlier.area)) & set(rules.area_zones(later.area))
    indication = rules.indication(earlier.indication)
    return max(
        (
            rules.interval.days_after(
                zone,
                indication.depth_range(rules.zone(zone))[1],
                earlier.indication,
                later.indication,
            )[2]
            for zone in shared
        ),
        default=0,
    )


def available_slots(
    service: Service,
    first_day: date,
    last_day: date,
    *,
    now: datetime,
    channel: str = Channel.ONLINE,
    client: Client | None = None,
    practitioner: StaffMember | None = None,
    room: Room | None = None,
    device: Device | None = None,
    moving: Booking | None = None,
) -> list[Slot]:
    """Free start times for ``service`` at its location, in a fixed number of queries.

    ``moving`` is a booking to be moved: its own time counts as free."""
    earliest_day = None
    if client is not None:
        eligibility = clinical_eligibility(client, service)
        if eligibility is not None and eligibility.blocked:
            return []
        earliest_day = eligibility.earliest if eligibility is not None else None
    with setup_snapshot():
        search = _Search(service, channel, practitioner, room, device)
        window = _window(service.location.zone, first_day, last_day, service)
        not_before, not_after = search.limits(now)
        leaving_out = None if moving is None else moving.pk
        return search.run(
            first_day,
            last_day,
            window,
            not_before,
            not_after,
            earliest_day,
            leaving_out=leaving_out,
        )


def slot_at(
    service: Service,
    at: datetime,
    *,
    now: datetime,
    channel: str,
    practitioner: StaffMember | None = None,
    room: Room | None = None,
    device: Device | None = None,
    ignoring_bookings: bool = False,
) -> tuple[Slot, list[HoldSpec]] | None:
    """The free slot starting exactly at ``at`` and the holds booking it takes, if it is free.

    The check before booking: the same rules as ``available_slots``, reading only the
    stretch of calendar the visit and its buffers would touch. ``ignoring_bookings``
    asks whether the time would be free but for other bookings' holds.
    """
    with setup_snapshot():
        search = _Search(service, channel, practitioner, room, device)
        day = at.astimezone(service.location.zone).date()
        spans = search.spans
        window = (at - spans.before, at + spans.appointment + max(spans.after, spans.device_after))
        not_before, not_after = search.limits(now)
        slots = search.run(
            day, day, window, max(not_before, at), min(not_after, at), None, ignoring_bookings
        )
    if not slots or slots[0].start != at:
        return None
    return slots[0], search.holds_for(slots[0])


class _Search:
    """One service's candidates (staff, rooms, devices), then a search over a window."""

    def __init__(
        self,
        service: Service,
        channel: str,
        practitioner: StaffMember | None,
        room: Room | None,
        device: Device | None,
    ) -> None:
        location_id = service.location_id
        self.service, self.channel = service, channel
        self.staff = reads.qualified_staff(service.pk, location_id, _pk(practitioner))
        self.rooms = reads.rooms(location_id, _pk(room)) if service.needs_room else None
        self.devices = (
            reads.devices(location_id, service.device_kind, _pk(device))
            if service.device_kind
            else None
        )
        longest = max((minutes for _, _, minutes in self.devices or ()), default=0)
        self.spans = spans_for(service, timedelta(minutes=longest))

    def holds_for(self, slot: Slot) -> list[HoldSpec]:
        """What booking ``slot`` keeps: the practitioner and room with the buffers, the
        device for the visit and its own reprocessing time."""
        start, spans = slot.start, self.spans
        holds: list[HoldSpec] = [
            (HoldKind.PRACTITIONER, slot.practitioner, spans.practitioner_hold(start))
        ]
        if slot.room is not None:
            holds.append((HoldKind.ROOM, slot.room, spans.room_hold(start)))
        if slot.device is not None:
            minutes = next(m for pk, _, m in self.devices or () if pk == slot.device)
            holds.append(
                (HoldKind.DEVICE, slot.device, (start, slot.end + timedelta(minutes=minutes)))
            )
        return holds

    def limits(self, now: datetime) -> tuple[datetime, datetime]:
        """The earliest and latest start this channel may book."""
        location, staff_side = self.service.location, self.channel in STAFF_CHANNELS
        notice = timedelta(0) if staff_side else timedelta(minutes=location.minimum_notice_minutes)
        horizon = timedelta(days=3650 if staff_side else location.booking_horizon_days)
        return now + notice, now + horizon

    def run(
        self,
        first_day: date,
        last_day: date,
        window: Interval,
        not_before: datetime,
        not_after: datetime,
        earliest_day: date | None,
        ignoring_bookings: bool = False,
        leaving_out: int | None = None,
    ) -> list[Slot]:
        location = self.service.location
        busy: defaultdict[tuple[str, int], list[Instants]] = defaultdict(list)
        wanted = [
            (HoldKind.PRACTITIONER.value, self.staff),
            (HoldKind.ROOM.value, self.rooms or []),
            (HoldKind.DEVICE.value, [pk for pk, _, _ in self.devices or ()]),
        ]
        holds = [] if ignoring_bookings else reads.holds(wanted, window, leaving_out)
        for kind, pk, starts_at, ends_at in holds:
            busy[kind, pk].append((starts_at, ends_at))
        return free_slots(
            zone=location.zone,
            first_day=first_day,
            last_day=last_day,
            opening=_weekly(reads.opening_hours(location.pk)),
            closed_days=_closed_days(location, first_day, last_day),
            spans=self.spans,
            practitioners=_practitioners(
                self.staff, location.pk, first_day, last_day, window, busy
            ),
            rooms=None
            if self.rooms is None
            else [Resource(pk, busy_instants=busy[HoldKind.ROOM, pk]) for pk in self.rooms],
            devices=None
            if self.devices is None
            else [
                Resource(pk, available=in_service, busy_instants=busy[HoldKind.DEVICE, pk])
                for pk, in_service, _ in self.devices
            ],
            not_before=not_before,
            not_after=not_after,
            earliest_day=earliest_day,
        )


def _practitioners(
    ids: list[int],
    location_id: int,
    first_day: date,
    last_day: date,
    window: Interval,
    busy: defaultdict[tuple[str, int], list[Instants]],
) -> list[Practitioner]:
    """Shifts, exceptions and time off of every candidate, three queries in all."""
    if not ids:
        return []
    weekly: defaultdict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for staff_id, weekday, starts, ends in reads.working_periods(ids, location_id):
        weekly[staff_id].append((weekday, starts, ends))
    overrides: defaultdict[int, dict[date, list[tuple[time, time]]]] = defaultdict(dict)
    exceptions = reads.shift_exceptions(ids, location_id, first_day, last_day)
    for staff_id, on, opens, closes in exceptions:
        periods = overrides[staff_id].setdefault(on, [])
        if opens is not None and closes is not None:  # no times: a day off
            periods.append((opens, closes))
    time_off: defaultdict[int, list[Interval]] = defaultdict(list)
    for staff_id, starts_at, ends_at in reads.time_off(ids, _whole_utc_days(window)):
        time_off[staff_id].append((starts_at, ends_at))
    return [
        Practitioner(
            key=pk,
            weekly=_weekly(weekly[pk]),
            day_overrides=overrides[pk],
            time_off=time_off[pk],
            busy_instants=busy[HoldKind.PRACTITIONER, pk],
        )
        for pk in ids
    ]


def _days(first_day: date, last_day: date) -> list[date]:
    return [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]


def opening_periods(
    location: Location, first_day: date, last_day: date
) -> dict[date, list[Interval]]:
    """Each local day's opening periods as instants (none on a closure), for the calendar."""
    with setup_snapshot():
        opening = _weekly(reads.opening_hours(location.pk))
        closed = _closed_days(location, first_day, last_day)
    return {
        day: open_periods(zone=location.zone, day=day, opening=opening, closed_days=closed)
        for day in _days(first_day, last_day)
    }


def duty_periods(
    location: Location, staff: list[int], first_day: date, last_day: date
) -> dict[int, dict[date, list[Interval]]]:
    """When each of ``staff`` may be booked each local day: the opening hours, closures,
    shifts, shift exceptions and time off that every availability search reads, so the
    calendar offers exactly the times a booking would be allowed (bookings aside)."""
    zone = location.zone
    window = (
        datetime.combine(first_day, time.min, tzinfo=zone) - timedelta(days=1),
        datetime.combine(last_day, time.min, tzinfo=zone) + timedelta(days=2),
    )
    with setup_snapshot():
        opening = _weekly(reads.opening_hours(location.pk))
        closed = _closed_days(location, first_day, last_day)
        roster = _practitioners(staff, location.pk, first_day, last_day, window, defaultdict(list))
    return {
        practitioner.key: {
            day: on_duty(
                zone=zone,
                day=day,
                opening=opening,
                closed_days=closed,
                practitioner=practitioner,
            )
            for day in _days(first_day, last_day)
        }
        for practitioner in roster
    }


def _pk(row: StaffMember | Room | Device | None) -> int | None:
    return None if row is None else row.pk


def _window(zone: ZoneInfo, first_day: date, last_day: date, service: Service) -> Interval:
    """Every instant a hold could touch: the local days, padded for buffers and zone offsets."""
    pad = timedelta(days=1) + service.visit + timedelta(minutes=service.buffer_before_minutes + 60)
    start = datetime.combine(first_day, time.min, tzinfo=zone) - pad
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone) + pad
    return start, end


def _whole_utc_days(window: Interval) -> Interval:
    """The window widened to UTC midnights: the same read for every start on a day, so
    the set-up kept between searches answers it (time off outside the window is harmless)."""
    first = window[0].astimezone(UTC).date()
    last = window[1].astimezone(UTC).date() + timedelta(days=1)
    return datetime.combine(first, time.min, UTC), datetime.combine(last, time.min, UTC)


def _weekly(rows: Iterable[tuple[int, time, time]]) -> dict[int, list[tuple[time, time]]]:
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, opens, closes in rows:
        weekly[weekday].append((opens, closes))
    return dict(weekly)


def _closed_days(location: Location, first_day: date, last_day: date) -> set[date]:
    days: set[date] = set()
    for starts_on, ends_on in reads.closures(location.pk, first_day, last_day):
        day = max(starts_on, first_day)
        while day <= min(ends_on, last_day):
            days.add(day)
            day += timedelta(days=1)
    return days


def todays_visits(locations: Iterable[Location], now: datetime) -> dict[int, list[Booking]]:
    """Each location's visits on its own local today, in one query."""
    places = {location.pk: location for location in locations}
    bookings = (
        Booking.objects.filter(
            location_id__in=list(places),
            starts_at__gte=now - timedelta(days=1),
            starts_at__lt=now + timedelta(days=2),
        )
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("client", "service", "practitioner__user")
        .order_by("starts_at")
    )
    visits: dict[int, list[Booking]] = {pk: [] for pk in places}
    for booking in bookings:
        zone = places[booking.location_id].zone
        if booking.starts_at.astimezone(zone).date() == now.astimezone(zone).date():
            visits[booking.location_id].append(booking)
    return visits
