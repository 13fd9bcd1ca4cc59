"""Every write to the calendar: book, move, cancel, check in, no-show, complete.

A booking is written in one transaction: the start is checked against the calendar, then
the booking and its holds on the practitioner, room and device are inserted. The
database's no-overlap rule on holds is the last word: whichever way a race is lost, the
loser gets ``slot_taken`` and nothing of its booking is kept.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.choices import ScreeningOutcome
from needlepoint.clients.history import client_history
from needlepoint.clients.models import Client
from needlepoint.clinical import (
    ClinicalError,
    Eligibility,
    History,
    Outcome,
    Rules,
    ScreeningResult,
    course_limit_with_booked,
    course_sessions,
    screen,
)
from needlepoint.clinics.choices import Role
from needlepoint.clinics.clinical_wording import (
    message_text,
    reason_text,
    reasons_text,
    rule_text,
)
from needlepoint.clinics.models import Device, Location, Room, StaffMember
from needlepoint.clinics.queries import organisation_rules
from needlepoint.core import plain_sql
from needlepoint.core.errors import DomainError
from needlepoint.core.languages import long_date, word_list
from needlepoint.core.setup_token import setup_snapshot
from needlepoint.scheduling import calendar_reads as reads
from needlepoint.scheduling import signals
from needlepoint.scheduling.choices import BookingEventKind, BookingStatus, Channel, HoldKind
from needlepoint.scheduling.models import Booking, BookingEvent, Course, Hold, Service
from needlepoint.scheduling.queries import (
    HoldSpec,
    clinical_eligibility,
    days_between_sessions,
    slot_at,
)
from needlepoint.scheduling.slots import Interval, Slot

EVENT_DATA = BookingEvent._meta.get_field("data")
SLOT_TAKEN = gettext_noop("That time was just taken. Please choose another time.")
OVERRIDE_ROLES = {Role.OWNER, Role.MANAGER, Role.PRACTITIONER}
"""Who may override the treatment interval (never the screening: see ``clinical_gate``)."""
NEVER_OVERRIDDEN = gettext_noop("An absolute contraindication can't be overridden")


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
        _check_bookable(client, service)
        override = clinical_gate(client, service, starts_at, by, override_reason)
        slot, holds = _find_slot(service, starts_at, channel, now, practitioner, room, device)
        with _slot_taken_on_conflict():
            booking = Booking(
                organisation_id=service.organisation_id,
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
            signals.booking_created.send(Booking, booking=booking, now=now)
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
    practitioner: StaffMember | None = None,
) -> Booking:
    """Move a booking; it keeps its practitioner (or goes to ``practitioner``, when
    named and free), and its history.

    ``channel`` is who moves it: a client online or through the API gets the same
    notice and horizon as when booking; the clinical gate (screening for the new day,
    then the interval) is the same on every channel. ``replanning`` names other
    bookings the caller moves next (a course re-flowing), so they don't hold this one back.
    """
    now = now or timezone.now()
    with _slot_taken_on_conflict():
        _require_status(
            booking, {BookingStatus.BOOKED}, gettext_noop("A %(status)s booking can't be moved.")
        )
        override = clinical_gate(
            booking.client,
            booking.service,
            starts_at,
            by,
            override_reason,
            moving=[booking.pk, *replanning],
        )
        before = booking.starts_at
        Hold.objects.filter(booking=booking).update(active=False)
        slot, holds = _find_slot(
            booking.service,
            starts_at,
            channel,
            now,
            practitioner or booking.practitioner,
            None,
            None,
        )
        Hold.objects.filter(booking=booking).delete()
        booking.starts_at, booking.ends_at = slot.start, slot.end
        booking.practitioner_id = slot.practitioner
        booking.room_id, booking.device_id = slot.room, slot.device
        booking.version += 1
        booking.save(
            update_fields=["starts_at", "ends_at", "practitioner", "room", "device", "version"]
        )
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
        signals.booking_moved.send(Booking, booking=booking, now=now, previous_starts_at=before)
    return booking


@transaction.atomic
def booking_cancel(
    *, booking: Booking, by: User | None = None, reason: str = "", now: datetime | None = None
) -> Booking:
    """Cancel and free the time; inside the late-cancellation window it is recorded as late."""
    now = now or timezone.now()
    _require_status(
        booking, {BookingStatus.BOOKED}, gettext_noop("A %(status)s booking can't be cancelled.")
    )
    late = booking.starts_at - now < timedelta(hours=booking.location.late_cancellation_hours)
    kind = BookingEventKind.LATE_CANCELLED if late else BookingEventKind.CANCELLED
    _set_status(booking, BookingStatus.CANCELLED)
    Hold.objects.filter(booking=booking).update(active=False)
    _event(booking, kind, by, now, reason=reason)
    _offer_to_waitlist(booking.location, (booking.starts_at, booking.ends_at), now)
    signals.booking_cancelled.send(Booking, booking=booking, now=now)
    return booking


@transaction.atomic
def booking_check_in(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    _require_status(
        booking, {BookingStatus.BOOKED}, gettext_noop("A %(status)s booking can't be checked in.")
    )
    _set_status(booking, BookingStatus.CHECKED_IN, ends_links=False)
    _event(booking, BookingEventKind.CHECKED_IN, by, now or timezone.now())
    signals.booking_checked_in.send(Booking, booking=booking)
    return booking


@transaction.atomic
def booking_no_show(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    now = now or timezone.now()
    _require_status(
        booking,
        {BookingStatus.BOOKED},
        gettext_noop("A %(status)s booking can't be marked as a no-show."),
    )
    if now < booking.starts_at:
        raise DomainError(
            "too_soon", _("A booking can be marked as a no-show only once its time has come.")
        )
    _set_status(booking, BookingStatus.NO_SHOW)
    Hold.objects.filter(booking=booking).update(active=False)
    _event(booking, BookingEventKind.NO_SHOW, by, now)
    signals.booking_no_show.send(Booking, booking=booking)
    return booking


@transaction.atomic
def booking_complete(
    *, booking: Booking, by: User | None = None, now: datetime | None = None
) -> Booking:
    _require_status(
        booking,
        {BookingStatus.CHECKED_IN},
        gettext_noop("A %(status)s booking can't be completed."),
    )
    _set_status(booking, BookingStatus.COMPLETED, ends_links=False)
    _event(booking, BookingEventKind.COMPLETED, by, now or timezone.now())
    signals.booking_completed.send(Booking, booking=booking)
    return booking


@contextmanager
def _slot_taken_on_conflict() -> Iterator[None]:
    """One transaction; an overlap refused by the database becomes ``slot_taken``."""
    try:
        with transaction.atomic():
            yield
    except DatabaseError as error:
        if _is_conflict(error):
            raise DomainError("slot_taken", _(SLOT_TAKEN)) from error
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


def _check_bookable(client: Client, service: Service) -> None:
    if client.organisation_id != service.location.organisation_id:
        raise DomainError(
            "wrong_organisation", _("The client and the service belong to different organisations.")
        )
    if not service.is_active:
        raise DomainError(
            "service_inactive", _("%(service)s is no longer offered.") % {"service": service}
        )
    if client.anonymised_at is not None:
        raise DomainError(
            "client_erased", _("This client's data was erased: they can't be booked.")
        )


def clinical_gate(
    client: Client,
    service: Service,
    starts_at: datetime,
    by: User | None,
    override_reason: str,
    moving: Collection[int] = (),
) -> dict[str, object] | None:
    """The one clinical check of every booking and every move, on every channel.

    Staff form, staff API, the client online or through a clinic's website, a CSV
    import, a course plan, a waitlist offer accepted, a move: all of them come here
    through ``booking_create`` or ``booking_reschedule``. It reads the client's history
    once (``client_history``, with the clinical reviews in force on the visit's day) and:

    1. for a service that needs clearance (a treatment; a consultation needs none),
       refuses unless the latest medical history screens cleared for that day and the
       service's area (``_check_screening``). No override ever gets past this: an
       absolute contraindication never passes, a relative one passes once a clinician's
       review is recorded, a temporary one from its date (and its sign-off, where the
       rule asks for one);
    2. refuses a session too soon after (or before) another on the same zones, or past
       the course and maintenance limits; only this part may be overridden, by a
       practitioner, manager or owner with a reason. What was overridden, with the keys
       of the rules that refused it, is returned for the booking's history.
    """
    if starts_at.tzinfo is None:
        raise DomainError("naive_time", _("A booking time needs its time zone."))
    if not (service.needs_clearance or (service.area and service.indication)):
        return None  # nothing clinical to check: a consultation, say
    day = starts_at.astimezone(service.location.zone).date()
    rules = organisation_rules(client.organisation_id)
    history = _history_for(client, day)
    if service.needs_clearance:
        _check_screening(service, day, history, rules, override_reason)
        # Cleared for that day: no contraindication stands in the way of the interval,
        # so the interval is judged on the sessions, events and course alone (and the
        # history is not screened a second time on the hot path).
        history = replace(history, answers=None)
    eligibility = clinical_eligibility(client, service, history, rules)
    refusal, keys = (None, []) if eligibility is None else _interval_refusal(eligibility, day)
    # Read only when needed: the booked sessions matter to a treatment of an area that
    # the interval alone has not already refused.
    needs_booked = refusal is None and bool(service.area and service.indication)
    booked = reads.planned_sessions(client.pk, list(moving)) if needs_booked else []
    if refusal is None:
        refusal = planned_session_clash(service, day, booked, rules)
        keys = ["interval.planned_session"]
    if refusal is None:
        refusal, keys = _course_with_booked(service, day, booked, history, rules)
    if refusal is None:
        return None
    if "ae.open" in keys:  # an unhealed zone is no relative limit: nobody books past it
        raise DomainError(
            "adverse_event_open",
            _(
                "%(refusal)s An open adverse event on the area can't be overridden: record its "
                "resolution first."
            )
            % {"refusal": refusal},
        )
    if not override_reason.strip():
        raise DomainError("too_early", refusal)
    staff = getattr(by, "staff", None)
    if staff is None or staff.role not in OVERRIDE_ROLES:
        raise DomainError(
            "override_not_allowed",
            _("Only a practitioner, manager or owner may override the clinical interval."),
        )
    return {
        "earliest": eligibility.earliest.isoformat()
        if eligibility and eligibility.earliest
        else None,
        "blocked": bool(eligibility and eligibility.blocked),
        "refusal": refusal,
        "rules": keys,
        "rules_version": eligibility.rules_version if eligibility else "",
    }


def screening_gate(client: Client, service: Service, day: date) -> None:
    """The gate's screening alone, for ``day``: what planning a course asks before it
    searches for times, so that a client who can't be booked hears why, not "no time
    found". The bookings themselves still pass the whole gate."""
    if service.needs_clearance:
        history = _history_for(client, day)
        _check_screening(service, day, history, organisation_rules(client.organisation_id), "")


def _history_for(client: Client, day: date) -> History:
    """The client's history with the reviews in force on ``day``; a stored history that
    fails validation refuses the booking, it never reads as "no history"."""
    try:
        return client_history(client, reviews_on=day)
    except (ClinicalError, DomainError) as error:
        raise DomainError(
            "screening_needed",
            _(
                "The client's medical history on file can't be read as it stands "
                "(%(error)s): record their health questions again, then book."
            )
            % {"error": error.message},
        ) from error


def _check_screening(
    service: Service, day: date, history: History, rules: Rules, override_reason: str
) -> None:
    """Refuse unless the latest medical history screens cleared for ``day`` and the area.

    The reviews in ``history`` are those in force on ``day``. An override reason changes
    nothing here: it is for the treatment interval only.
    """
    if history.answers is None:
        raise DomainError(
            "screening_needed",
            _(
                "This treatment needs a medical history that screens clear for %(day)s, and "
                "there is none on file: record the client's health questions first (a "
                "consultation can be booked without)."
            )
            % {"day": long_date(day)},
        )
    if history.answers.answered_on > day:
        raise DomainError(
            "screening_needed",
            _(
                "The medical history on file is dated %(answered)s, after the visit on "
                "%(day)s, so it can't screen that day: choose a later day, or record the "
                "health questions as they stood."
            )
            % {"answered": long_date(history.answers.answered_on), "day": long_date(day)},
        )
    zones = [service.area] if service.area else None
    try:
        result = screen(
            history.answers,
            day,
            zones=zones,
            reviews=[review for review in history.reviews if review.on <= day],
            rules=rules,
        )
    except ClinicalError as error:
        raise DomainError(
            "screening_needed",
            _(
                "The medical history on file doesn't pass validation (%(error)s): "
                "record the client's health questions again, then book."
            )
            % {"error": error.message},
        ) from error
    if result.outcome != Outcome.CLEARED:
        when = long_date(day)  # formatted only for a refusal: most bookings pass
        raise _not_cleared(result, when, rules, overriding=bool(override_reason.strip()))


def _not_cleared(
    result: ScreeningResult, when: str, rules: Rules, *, overriding: bool
) -> DomainError:
    """The refusal of a screening that is not cleared, in clinical words."""
    absolute: list[str] = []
    lines: dict[str, list[str]] = {}
    reviews_needed = False
    for reason in result.reasons:
        ci = rules.contraindication(reason.key)
        said = lines.setdefault(rule_text(ci.name), [])
        if reason.severity == "declined" and ci.category == "absolute":
            absolute.append(rule_text(ci.name))
            said.append(_("an absolute contraindication, which only a change to the history lifts"))
        elif reason.severity == "declined":
            said.append(reason_text(reason, rules).rstrip("."))
        elif reason.severity == "deferred" and reason.until is not None:
            said.append(_("not before %(day)s") % {"day": long_date(reason.until)})
        elif reason.severity == "deferred":
            reviews_needed = True
            said.append(_("until a clinician clears it"))
        elif reason.severity == "review":
            reviews_needed = True
            said.append(_("needs a clinical review"))
    outcome = ScreeningOutcome(result.outcome.value).label.lower()
    found = "; ".join(
        _("%(name)s: %(said)s") % {"name": name, "said": word_list(said)}
        for name, said in lines.items()
        if said
    )
    text = _("The screening for %(day)s is not cleared (%(outcome)s). %(found)s.") % {
        "day": when,
        "outcome": outcome,
        "found": found,
    }
    if absolute and overriding:
        text = _("%(never)s. %(text)s This treatment can't be booked.") % {
            "never": _(NEVER_OVERRIDDEN),
            "text": text,
        }
    elif absolute:
        text += " " + _("%(never)s: this treatment can't be booked.") % {
            "never": _(NEVER_OVERRIDDEN)
        }
    elif result.outcome == Outcome.DECLINED:
        text += " " + _("A clinician declined it: this treatment can't be booked.")
    elif result.until is not None and result.outcome == Outcome.DEFERRED and reviews_needed:
        text += " " + _(
            "It can be booked from %(day)s, once a practitioner has recorded a clinical review."
        ) % {"day": long_date(result.until)}
    elif result.until is not None and result.outcome == Outcome.DEFERRED:
        text += " " + _("It can be booked from %(day)s.") % {"day": long_date(result.until)}
    elif reviews_needed:
        text += " " + _(
            "A practitioner must record a clinical review before this treatment is booked."
        )
    if overriding and not absolute:
        text += " " + _(
            "An override reason covers the treatment interval only, never the screening."
        )
    details = {"outcome": result.outcome.value}
    if result.until is not None:
        details["until"] = result.until.isoformat()
    return DomainError("screening_not_cleared", text, details=details)


def planned_session_clash(
    service: Service, day: date, booked: list[reads.PlannedSession], rules: Rules
) -> str | None:
    """Why ``day`` is too close to another booked session on the same zones, if it is."""
    if not service.area or not service.indication:
        return None
    for other in booked:
        other_day = other.starts_at.astimezone(ZoneInfo(other.time_zone)).date()
        earlier, later = (other, service) if other_day <= day else (service, other)
        needed = days_between_sessions(rules, earlier, later)
        if needed and abs((day - other_day).days) < needed:
            return _(
                "Too close to the %(service)s booked on %(day)s: "
                "sessions on the same zones need %(days)s days between them."
            ) % {"service": other.name, "day": long_date(other_day), "days": needed}
    return None


def _course_with_booked(
    service: Service,
    day: date,
    booked_sessions: list[reads.PlannedSession],
    history: History,
    rules: Rules,
) -> tuple[str | None, list[str]]:
    """The course and maintenance limits counting the sessions already booked, too."""
    zones = set(rules.zones_of([service.area]))
    booked = [
        other.starts_at.astimezone(ZoneInfo(other.time_zone)).date()
        for other in booked_sessions
        if other.indication == service.indication and zones & set(rules.zones_of([other.area]))
    ]
    if not booked:
        return None, []
    plan = rules.indication(service.indication)
    found = course_limit_with_booked(
        course_sessions(history, zones, service.indication),
        booked,
        day,
        course_max=plan.course_max_sessions,
        per_year=plan.maintenance_per_year,
    )
    if found is None:
        return None, []
    key, message = found
    refusal = _("This treatment can't be booked on %(day)s.") % {"day": long_date(day)}
    return f"{refusal} {message_text(message, rules)}", [key]


def _interval_refusal(eligibility: Eligibility, day: date) -> tuple[str | None, list[str]]:
    """Why ``day`` is refused, and the keys of the rules that refuse it (for the record
    of an override: ``interval.dermal``, ``course.maintenance``, ``course.complete``...)."""
    reasons = reasons_text(eligibility.reasons)
    if eligibility.blocked:
        keys = {
            r.key for r in eligibility.reasons if r.until is None and r.severity != "precaution"
        }
        return _("This treatment can't be booked yet. %(reasons)s") % {"reasons": reasons}, sorted(
            keys
        )
    if eligibility.earliest is not None and day < eligibility.earliest:
        earliest = long_date(eligibility.earliest)
        keys = {r.key for r in eligibility.reasons if r.until is not None and day < r.until}
        text = _("Too early for this area: the earliest allowed date is %(day)s. %(reasons)s") % {
            "day": earliest,
            "reasons": reasons,
        }
        return text, sorted(keys)
    return None, []


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
            raise DomainError("slot_taken", _(SLOT_TAKEN))
        raise DomainError(
            "slot_unavailable",
            _("That time is not available. Please choose one of the free times."),
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
        ["organisation_id", "booking_id", "kind", "resource_id", "starts_at", "ends_at", "active"],
        [
            (
                booking.organisation_id,
                booking.pk,
                HoldKind(kind).value,
                resource_id,
                instant(start),
                instant(end),
                True,
            )
            for kind, resource_id, (start, end) in holds
        ],
    )


def _is_conflict(error: Exception) -> bool:
    """An overlap refused by the database (23P01 / SQLite trigger) or a lost deadlock (40P01)."""
    cause = error.__cause__
    code = getattr(cause, "sqlstate", None)
    return code in {"23P01", "40P01"} or "hold_resources_never_overlap" in str(error)


def _require_status(booking: Booking, allowed: set[str], refusal: str) -> None:
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
            "wrong_status",
            _(refusal) % {"status": booking.get_status_display().lower()},
        )


def _set_status(booking: Booking, status: str, *, ends_links: bool = True) -> None:
    """A new status; a new version too (the client's emailed links stop, a calendar file's
    sequence moves on) unless ``ends_links`` is False: checking in and completing leave
    the client's link working until the visit ends (to sign a consent on the day, say)."""
    booking.status = status
    fields = ["status"]
    if ends_links:
        booking.version += 1
        fields.append("version")
    booking.save(update_fields=fields)


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
        ["organisation_id", "booking_id", "kind", "at", "by_id", "reason", "data"],
        [
            (
                booking.organisation_id,
                booking.pk,
                kind.value,
                plain_sql.instant(at),
                None if by is None else by.pk,
                reason,
                EVENT_DATA.get_db_prep_save(data or {}, connection),
            )
        ],
    )
