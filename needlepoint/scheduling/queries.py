"""Availability: load a window of the calendar once, then compute free starts in memory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from needlepoint.clients.models import Client
from needlepoint.clinical import Eligibility, Rules, next_session_date
from needlepoint.clinics.choices import DeviceStatus
from needlepoint.clinics.models import Device, Location, Room, StaffMember
from needlepoint.scheduling.choices import BookingStatus, Channel, HoldKind
from needlepoint.scheduling.models import (
    Booking,
    Hold,
    Service,
    ShiftException,
    TimeOff,
    WorkingPeriod,
)
from needlepoint.scheduling.slots import Interval, Practitioner, Resource, Slot, Spans, free_slots
from needlepoint.treatments.queries import client_history

STAFF_CHANNELS = {Channel.STAFF, Channel.IMPORT}


def spans_for(service: Service, device_after: timedelta = timedelta(0)) -> Spans:
    return Spans(
        appointment=service.visit,
        before=timedelta(minutes=service.buffer_before_minutes),
        after=timedelta(minutes=service.buffer_after_minutes),
        device_after=device_after,
    )


def clinical_eligibility(client: Client, service: Service) -> Eligibility | None:
    """When the client may next have this treatment; None for services that treat no area."""
    if not service.area or not service.indication:
        return None
    rules = client.organisation.rules()
    return next_session_date(client_history(client), service.area, service.indication, rules=rules)


def upcoming_bookings(client: Client) -> list[Booking]:
    return list(
        client.bookings.filter(
            status__in=[BookingStatus.BOOKED, BookingStatus.CHECKED_IN], ends_at__gte=timezone.now()
        )
        .select_related("service", "practitioner__user", "location")
        .order_by("starts_at")
    )


def days_between_sessions(rules: Rules, earlier: Service, later: Service) -> int:
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
) -> list[Slot]:
    """Free start times for ``service`` at its location, in a fixed number of queries."""
    location = service.location
    earliest_day = None
    if client is not None:
        eligibility = clinical_eligibility(client, service)
        if eligibility is not None and eligibility.blocked:
            return []
        earliest_day = eligibility.earliest if eligibility is not None else None
    staff = _qualified(service, practitioner)
    rooms = _rooms(service, room)
    devices = _devices(service, device)
    window = _window(location.zone, first_day, last_day, service)
    busy = _busy(staff, rooms, devices, window)
    notice = (
        timedelta(0)
        if channel in STAFF_CHANNELS
        else timedelta(minutes=location.minimum_notice_minutes)
    )
    horizon = timedelta(days=3650 if channel in STAFF_CHANNELS else location.booking_horizon_days)
    return free_slots(
        zone=location.zone,
        first_day=first_day,
        last_day=last_day,
        opening=_weekly(location.opening_hours.values_list("weekday", "opens", "closes")),
        closed_days=_closed_days(location, first_day, last_day),
        spans=spans_for(service, _reprocessing(devices)),
        practitioners=_practitioners(staff, service, window, busy),
        rooms=None if rooms is None else [Resource(r.pk, busy[HoldKind.ROOM, r.pk]) for r in rooms],
        devices=None if devices is None else [_device(d, busy) for d in devices],
        not_before=now + notice,
        not_after=now + horizon,
        earliest_day=earliest_day,
    )


def _qualified(service: Service, practitioner: StaffMember | None) -> list[StaffMember]:
    staff = service.practitioners.filter(is_active=True, locations=service.location).order_by("pk")
    if practitioner is not None:
        staff = staff.filter(pk=practitioner.pk)
    return list(staff)


def _rooms(service: Service, room: Room | None) -> list[Room] | None:
    if not service.needs_room:
        return None
    rooms = service.location.rooms.filter(is_active=True).order_by("pk")
    return list(rooms.filter(pk=room.pk) if room is not None else rooms)


def _devices(service: Service, device: Device | None) -> list[Device] | None:
    if not service.device_kind:
        return None
    devices = service.location.devices.filter(kind=service.device_kind).order_by("pk")
    return list(devices.filter(pk=device.pk) if device is not None else devices)


def _window(zone: ZoneInfo, first_day: date, last_day: date, service: Service) -> Interval:
    """Every instant a hold could touch: the local days, padded for buffers and zone offsets."""
    pad = timedelta(days=1) + service.visit + timedelta(minutes=service.buffer_before_minutes + 60)
    start = datetime.combine(first_day, time.min, tzinfo=zone) - pad
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone) + pad
    return start, end


def _busy(
    staff: list[StaffMember],
    rooms: list[Room] | None,
    devices: list[Device] | None,
    window: Interval,
) -> defaultdict[tuple[str, int], list[Interval]]:
    busy: defaultdict[tuple[str, int], list[Interval]] = defaultdict(list)
    wanted = {
        HoldKind.PRACTITIONER: [member.pk for member in staff],
        HoldKind.ROOM: [room.pk for room in rooms or ()],
        HoldKind.DEVICE: [device.pk for device in devices or ()],
    }
    for kind, ids in wanted.items():
        if not ids:
            continue
        holds = Hold.objects.filter(
            active=True,
            kind=kind,
            resource_id__in=ids,
            starts_at__lt=window[1],
            ends_at__gt=window[0],
        ).values_list("resource_id", "starts_at", "ends_at")
        for resource_id, starts_at, ends_at in holds:
            busy[kind, resource_id].append((starts_at, ends_at))
    return busy


def _practitioners(
    staff: list[StaffMember],
    service: Service,
    window: Interval,
    busy: defaultdict[tuple[str, int], list[Interval]],
) -> list[Practitioner]:
    """Shifts, exceptions and time off of every candidate, three queries in all."""
    ids = [member.pk for member in staff]
    location = service.location
    weekly: defaultdict[int, list[tuple[int, time, time]]] = defaultdict(list)
    for staff_id, weekday, starts, ends in WorkingPeriod.objects.filter(
        staff_id__in=ids, location=location
    ).values_list("staff_id", "weekday", "starts", "ends"):
        weekly[staff_id].append((weekday, starts, ends))
    overrides: defaultdict[int, dict[date, list[tuple[time, time]]]] = defaultdict(dict)
    for staff_id, on, opens, closes in ShiftException.objects.filter(
        staff_id__in=ids, location=location, on__gte=window[0].date(), on__lte=window[1].date()
    ).values_list("staff_id", "on", "starts", "ends"):
        periods = overrides[staff_id].setdefault(on, [])
        if opens is not None and closes is not None:  # no times: a day off
            periods.append((opens, closes))
    time_off: defaultdict[int, list[Interval]] = defaultdict(list)
    for staff_id, starts_at, ends_at in TimeOff.objects.filter(
        staff_id__in=ids, starts_at__lt=window[1], ends_at__gt=window[0]
    ).values_list("staff_id", "starts_at", "ends_at"):
        time_off[staff_id].append((starts_at, ends_at))
    return [
        Practitioner(
            key=pk,
            weekly=_weekly(weekly[pk]),
            day_overrides=overrides[pk],
            time_off=time_off[pk],
            busy=busy[HoldKind.PRACTITIONER, pk],
        )
        for pk in ids
    ]


def _reprocessing(devices: list[Device] | None) -> timedelta:
    """One reprocessing time for the search: the longest among the candidate devices."""
    return timedelta(
        minutes=max((device.reprocessing_minutes for device in devices or ()), default=0)
    )


def _device(device: Device, busy: defaultdict[tuple[str, int], list[Interval]]) -> Resource:
    return Resource(
        device.pk,
        busy[HoldKind.DEVICE, device.pk],
        available=device.status == DeviceStatus.IN_SERVICE,
    )


def _weekly(rows: Iterable[tuple[int, time, time]]) -> dict[int, list[tuple[time, time]]]:
    weekly: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, opens, closes in rows:
        weekly[weekday].append((opens, closes))
    return dict(weekly)


def _closed_days(location: Location, first_day: date, last_day: date) -> set[date]:
    days: set[date] = set()
    for closure in location.closures.filter(starts_on__lte=last_day, ends_on__gte=first_day):
        day = max(closure.starts_on, first_day)
        while day <= min(closure.ends_on, last_day):
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
