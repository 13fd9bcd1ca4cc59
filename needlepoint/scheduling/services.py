"""Every write to the calendar: book, move, cancel, check in, no-show, complete.

A booking is written in one transaction: the start is checked against the calendar, then
the booking and its holds on the practitioner, room and device are inserted. The
database's no-overlap rule on holds is the last word: whichever way a race is lost, the
loser gets ``slot_taken`` and nothing of its booking is kept.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.choices import ScreeningOutcome
from needlepoint.clients.models import Client
from needlepoint.clinical import ClinicalError, Eligibility, History, Outcome, Rules, screen
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Device, Location, Room, StaffMember
from needlepoint.clinics.queries import organisation_rules
from needlepoint.core import plain_sql
from needlepoint.core.errors import DomainError
from needlepoint.core.setup_token import setup_snapshot
from needlepoint.notifications import planner
from needlepoint.scheduling import calendar_reads as reads
from needlepoint.scheduling.choices import BookingEventKind, BookingStatus, Channel, HoldKind
from needlepoint.scheduling.models import Booking, BookingEvent, Course, Hold, Service
from needlepoint.scheduling.queries import (
    HoldSpec,
    clinical_eligibility,
    days_between_sessions,
    slot_at,
)
from needlepoint.scheduling.slots import Interval, Slot
from needlepoint.treatments.queries import client_history
from needlepoint.webhooks import events as webhooks

EVENT_DATA = BookingEvent._meta.get_field("data")
SLOT_TAKEN = "That time was just taken. Please choose another time."
OVERRIDE_ROLES = {Role.OWNER, Role.MANAGER, Role.PRACTITIONER}
CLIENT_CHANNELS = {Channel.ONLINE, Channel.API}
"""Where the client books for themselves (the API serves clinics' websites)."""


def booking_create(
    *,
    client: Client,
    service: Service,
    starts_at: datetime,
    channel: Channel,
    practitioner: StaffMember | None = None,
    room: Room | None = None,
    device: Device | None = None,
    by: User | None = None,
    override_reason: str = "",
    course: Course | None = None,
    now: datetime | None = None,
) -> Booking:
    """Book ``service`` for ``client`` at ``starts_at``; free resources are chosen if unnamed."""
    now = now or timezone.now()
    with setup_snapshot():  # one read of the set-up token for the checks and the webhooks
        _check_same_organisation(client, service)
        override = _check_clinical_interval(
            client, service, starts_at, channel, by, override_reason
        )
        slot, holds = _find_slot(service, starts_at, channel, now, practitioner, room, device)
        with _slot_taken_on_conflict():
            booking = Booking(
                location=service.location,
                client=client,
                service=service,
                practitioner_id=slot.practitioner,
                room_id=slot.room,
                device_id=slot.device,
                starts_at=slot.start,
                ends_at=slot.end,
                channel=channel,
                created_by=by,
                course=course,
            )
            plain_sql.insert_new(booking)
            _hold(booking, holds)
            _event(
                booking,
                BookingEventKind.CREATED,
                by,
                now,
                data={"starts_at": slot.start.isoformat()},
            )
            if override:
                _record_override(booking, by, now, override_reason, override)
            planner.plan_booking(booking, now=now)
            webhooks.booking_created(booking)
    return booking


def booking_reschedule(
    *,
    booking: Booking,
    starts_at: datetime,
    by: User | None = None,
    override_reason: str = "",
    now: datetime | None = None,
    replanning: Collection[int] = (),
    channel: Channel = Channel.STAFF,
) -> Booking:
    """Move a booking; it keeps its practitioner when free, and its history.

    ``channel`` is who moves it: a client online or through the API gets the same
    notice, horizon and screening rules as when booking. ``replanning`` names other
    bookings the caller moves next (a course re-flowing), so they don't hold this one back.
    """
    now = now or timezone.now()
    with _slot_taken_on_conflict():
        _require_status(booking, {BookingStatus.BOOKED}, "moved")
        override = _check_clinical_interval(
            booking.client,
            booking.service,
            starts_at,
            channel,
            by,
            override_reason,
            moving=[booking.pk, *replanning],
        )
        before = booking.starts_at
        Hold.objects.filter(booking=booking).update(active=False)
        slot, holds = _find_slot(
            booking.service, starts_at, channel, now, booking.practitioner, None, None
        )
        Hold.objects.filter(booking=booking).delete()
        booking.starts_at, booking.ends_at = slot.start, slot.end
        booking.room_id, booking.device_id = slot.room, slot.device
        booking.version += 1
        booking.save(update_fields=["starts_at", "ends_at", "room", "device", "version"])
        _hold(booking, holds)
        _event(
            booking,
            BookingEventKind.RESCHEDULED,
            by,
            now,
            data={"from": before.isoformat(), "to": slot.start.isoformat()},
        )
        _offer_to_waitlist(booking.location, (before, before + booking.service.visit), now)
        if override:
            _record_override(booking, by, now, override_reason, override)
        planner.plan_booking(booking, now=now, moved=True)
        webhooks.booking_changed(booking, "rescheduled", previous_starts_at=webhooks.utc(before))
    return booking


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by: User | None = None, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel and free the time; inside the late-cancellation window it is recorded as late."""
    now = now or timezone.now()
    _require_status(booking, {BookingStatus.BOOKED}, "cancelled")
    late = booking.starts_at - now < timedelta(hours=booking.location.late_cancellation_hours)
    kind = BookingEventKind.LATE_CANCELLED if late else BookingEventKind.CANCELLED
    _set_status(booking, BookingStatus.CANCELLED)
    Hold.objects.filter(booking=booking).update(active=False)
    _event(booking, kind, by, now, reason=reason)
    _offer_to_waitlist(booking.location, (booking.starts_at, booking.ends_at), now)
    planner.plan_cancellation(booking, now=now)
    webhooks.booking_cancelled(booking)
    return booking


@transaction.atomic
def booking_check_in(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    _require_status(booking, {BookingStatus.BOOKED}, "checked in")
    _set_status(booking, BookingStatus.CHECKED_IN)
    _event(booking, BookingEventKind.CHECKED_IN, by, now or timezone.now())
    webhooks.booking_changed(booking, "checked_in")
    return booking


@transaction.atomic
def booking_no_show(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    now = now or timezone.now()
    _require_status(booking, {BookingStatus.BOOKED}, "marked as a no-show")
    if now < booking.starts_at:
        raise DomainError(
            "too_soon", "A booking can be marked as a no-show only once its time has come."
        )
    _set_status(booking, BookingStatus.NO_SHOW)
    Hold.objects.filter(booking=booking).update(active=False)
    _event(booking, BookingEventKind.NO_SHOW, by, now)
    planner.cancel_pending(f"booking:{booking.public_id}")
    webhooks.booking_changed(booking, "no_show")
    return booking


@transaction.atomic
def booking_complete(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    _require_status(booking, {BookingStatus.CHECKED_IN}, "completed")
    _set_status(booking, BookingStatus.COMPLETED)
    _event(booking, BookingEventKind.COMPLETED, by, now or timezone.now())
    webhooks.booking_changed(booking, "completed")
    return booking


@contextmanager
def _slot_taken_on_conflict() -> Iterator[None]:
    """One transaction; an overlap refused by the database becomes ``slot_taken``."""
    try:
        with transaction.atomic():
            yield
    except DatabaseError as error:
        if _is_conflict(error):
            raise DomainError("slot_taken", SLOT_TAKEN) from error
        raise


def _record_override(
    booking: Booking, by: User | None, now: datetime, reason: str, override: dict[str, object]
) -> None:
    _event(booking, BookingEventKind.INTERVAL_OVERRIDDEN, by, now, reason=reason, data=override)
    audit.record(
        Action.OVERRIDDEN,
        Target.BOOKING,
        booking.public_id,
        client=booking.client,
        reason=reason,
        detail={"rule": "treatment interval", **override},
    )


def _offer_to_waitlist(location: Location, freed: Interval, now: datetime) -> None:
    from needlepoint.scheduling.waitlist import offer_freed_time  # the waitlist books through here

    offer_freed_time(location=location, freed=freed, now=now)


def _check_same_organisation(client: Client, service: Service) -> None:
    if client.organisation_id != service.location.organisation_id:
        raise DomainError(
            "wrong_organisation", "The client and the service belong to different organisations."
        )
    if not service.is_active:
        raise DomainError("service_inactive", f"{service} is no longer offered.")


def _check_clinical_interval(
    client: Client,
    service: Service,
    starts_at: datetime,
    channel: str,
    by: User | None,
    override_reason: str,
    moving: Collection[int] = (),
) -> dict[str, object] | None:
    """Refuse a session too soon after (or before) another on the same zones, unless overridden.

    Past sessions are judged by the clinical core; sessions already booked but not yet
    done count too, in both directions. Only a practitioner, manager or owner may
    override, with a reason; what was overridden is returned for the booking's history.
    A client booking a treatment themselves (online or through the API) also needs a
    cleared screening for that day; staff book first and screen on the day.
    """
    if starts_at.tzinfo is None:
        raise DomainError("naive_time", "A booking time needs its time zone.")
    day = starts_at.astimezone(service.location.zone).date()
    if not _needs_history(service, channel):
        return None  # nothing clinical to check: a consultation, say
    history, rules = client_history(client), organisation_rules(client.organisation_id)
    if channel in CLIENT_CHANNELS and service.needs_clearance:
        _check_cleared(service, day, history, rules)
    eligibility = clinical_eligibility(client, service, history, rules)
    refusal = _interval_refusal(eligibility, day) if eligibility is not None else None
    refusal = refusal or planned_session_clash(client, service, day, moving, rules)
    if refusal is None:
        return None
    if not override_reason.strip():
        raise DomainError("too_early", refusal)
    staff = getattr(by, "staff", None)
    if staff is None or staff.role not in OVERRIDE_ROLES:
        raise DomainError(
            "override_not_allowed",
            "Only a practitioner, manager or owner may override the clinical interval.",
        )
    return {
        "earliest": eligibility.earliest.isoformat()
        if eligibility and eligibility.earliest
        else None,
        "blocked": bool(eligibility and eligibility.blocked),
        "refusal": refusal,
        "rules_version": eligibility.rules_version if eligibility else "",
    }


def _needs_history(service: Service, channel: str) -> bool:
    treats_an_area = bool(service.area and service.indication)
    return treats_an_area or (channel in CLIENT_CHANNELS and service.needs_clearance)


def _check_cleared(service: Service, day: date, history: History, rules: Rules) -> None:
    """Refuse unless the client's latest medical history screens clear for ``day``."""
    if history.answers is None:
        raise DomainError(
            "screening_needed",
            "This treatment needs the client's medical history first: "
            "submit the health questions, then book.",
        )
    if history.answers.answered_on > day:
        raise DomainError("screening_needed", "The medical history is dated after the visit.")
    zones = [service.area] if service.area else None
    try:
        result = screen(history.answers, day, zones=zones, rules=rules)
    except ClinicalError as error:
        raise DomainError(error.code, error.message) from error
    if result.outcome != Outcome.CLEARED:
        outcome = ScreeningOutcome(result.outcome.value).label.lower()
        reasons = " ".join(reason.message for reason in result.reasons)
        raise DomainError(
            "screening_not_cleared",
            f"The screening for {day.day} {day:%B %Y} is not cleared ({outcome}), so the "
            f"clinic books this visit with the client. {reasons}".strip(),
        )


def planned_session_clash(
    client: Client,
    service: Service,
    day: date,
    moving: Collection[int] = (),
    rules: Rules | None = None,
) -> str | None:
    """Why ``day`` is too close to another booked session on the same zones, if it is."""
    if not service.area or not service.indication:
        return None
    rules = rules or organisation_rules(client.organisation_id)
    for other in reads.planned_sessions(client.pk, list(moving)):
        other_day = other.starts_at.astimezone(ZoneInfo(other.time_zone)).date()
        earlier, later = (other, service) if other_day <= day else (service, other)
        needed = days_between_sessions(rules, earlier, later)
        if needed and abs((day - other_day).days) < needed:
            when = f"{other_day.day} {other_day:%B %Y}"
            return (
                f"Too close to the {other.name} booked on {when}: "
                f"sessions on the same zones need {needed} days between them."
            )
    return None


def _interval_refusal(eligibility: Eligibility, day: date) -> str | None:
    reasons = " ".join(reason.message for reason in eligibility.reasons)
    if eligibility.blocked:
        return f"This treatment can't be booked yet. {reasons}"
    if eligibility.earliest is not None and day < eligibility.earliest:
        earliest = f"{eligibility.earliest.day} {eligibility.earliest:%B %Y}"
        return f"Too early for this area: the earliest allowed date is {earliest}. {reasons}"
    return None


def _find_slot(
    service: Service,
    starts_at: datetime,
    channel: str,
    now: datetime,
    practitioner: StaffMember | None,
    room: Room | None,
    device: Device | None,
) -> tuple[Slot, list[HoldSpec]]:
    found = slot_at(
        service,
        starts_at,
        now=now,
        channel=channel,
        practitioner=practitioner,
        room=room,
        device=device,
    )
    if found is None:
        free_but_for_bookings = slot_at(
            service,
            starts_at,
            now=now,
            channel=channel,
            practitioner=practitioner,
            room=room,
            device=device,
            ignoring_bookings=True,
        )
        if free_but_for_bookings is not None:  # another booking holds it: a double booking
            raise DomainError("slot_taken", SLOT_TAKEN)
        raise DomainError(
            "slot_unavailable", "That time is not available. Please choose one of the free times."
        )
    return found


def _hold(booking: Booking, holds: list[HoldSpec]) -> None:
    """Keep the practitioner, room and device for this booking.

    The time was found free a moment ago; if another booking took it since, the
    database's no-overlap rule refuses these rows and the caller turns that into
    ``slot_taken``. The rows go in one statement, always in the same order of kinds,
    so two writers waiting on each other's holds cannot deadlock. Plain SQL: every
    booking pays for this, and the ORM's bulk insert cost four times as much.
    """
    instant = plain_sql.instant
    plain_sql.insert(
        "scheduling_hold",
        ["booking_id", "kind", "resource_id", "starts_at", "ends_at", "active"],
        [
            (booking.pk, HoldKind(kind).value, resource_id, instant(start), instant(end), True)
            for kind, resource_id, (start, end) in holds
        ],
    )


def _is_conflict(error: Exception) -> bool:
    """An overlap refused by the database (23P01 / SQLite trigger) or a lost deadlock (40P01)."""
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None)
    return code in {"23P01", "40P01"} or "hold_resources_never_overlap" in str(error)


def _require_status(booking: Booking, allowed: set[str], verb: str) -> None:
    """Lock the booking and check its state, so two people can't change it at once."""
    current = (
        Booking.objects.select_for_update()
        .only("status", "version", "starts_at")
        .get(pk=booking.pk)
    )
    booking.status, booking.version, booking.starts_at = (
        current.status,
        current.version,
        current.starts_at,
    )
    if booking.status not in allowed:
        raise DomainError(
            "wrong_status", f"A {booking.get_status_display().lower()} booking can't be {verb}."
        )


def _set_status(booking: Booking, status: str) -> None:
    booking.status = status
    booking.version += 1
    booking.save(update_fields=["status", "version"])


def _event(
    booking: Booking,
    kind: BookingEventKind,
    by: User | None,
    at: datetime,
    *,
    reason: str = "",
    data: dict[str, object] | None = None,
) -> None:
    """Add a line to the booking's history (plain SQL: every booking and move writes one)."""
    plain_sql.insert(
        "scheduling_bookingevent",
        ["booking_id", "kind", "at", "by_id", "reason", "data"],
        [
            (
                booking.pk,
                kind.value,
                plain_sql.instant(at),
                None if by is None else by.pk,
                reason,
                EVENT_DATA.get_db_prep_save(data or {}, connection),
            )
        ],
    )
