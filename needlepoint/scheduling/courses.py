"""Courses: N real bookings of one service, planned on the client's preferred days and
times, never closer together than the clinical interval; moving one re-flows the rest."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.clients.models import Client
from needlepoint.clinics.models import StaffMember
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.models import Booking, Course, Service
from needlepoint.scheduling.queries import (
    available_slots,
    days_between_sessions,
)
from needlepoint.scheduling.services import booking_create, booking_reschedule, screening_gate
from needlepoint.scheduling.slots import Slot

SEARCH_DAYS = 42  # how far past each session's earliest day to look for a preferred time


@dataclass(frozen=True)
class Preferences:
    weekdays: Collection[int] = ()  # 0 = Monday; empty = any
    time_from: time | None = None
    time_to: time | None = None

    def suit(self, slot: Slot, service: Service) -> bool:
        local = slot.start.astimezone(service.location.zone)
        if self.weekdays and local.weekday() not in self.weekdays:
            return False
        if self.time_from is not None and local.time() < self.time_from:
            return False
        return self.time_to is None or local.time() <= self.time_to


@dataclass(frozen=True)
class CourseProgress:
    done: int
    planned: int
    upcoming: list[Booking]


def course_interval(service: Service, requested_days: int | None = None) -> int:
    """The days between sessions: what was asked for, never less than the clinical rule."""
    rules = service.location.organisation.rules()
    minimum = days_between_sessions(rules, service, service)
    typical = (
        rules.indication(service.indication).interval_typical_days[0] if service.indication else 0
    )
    return max(requested_days or typical, minimum, 1)


def course_propose(
    *,
    client: Client,
    service: Service,
    sessions: int,
    start_on: date,
    preferences: Preferences = Preferences(),
    interval_days: int | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    """The first free times that suit the client, one per session, each a full interval apart.

    A client whose medical history doesn't screen cleared for ``start_on`` is refused
    with the screening's reasons (the clinical gate); every session booked is checked
    again on its own day.
    """
    if not 1 <= sessions <= 24:
        raise DomainError("invalid_sessions", _("A course has between 1 and 24 sessions."))
    if not service.area:
        raise DomainError(
            "not_a_treatment",
            _("%(service)s is not a treatment, so it has no course.") % {"service": service},
        )
    screening_gate(client, service, start_on)
    now = now or timezone.now()
    gap = timedelta(days=course_interval(service, interval_days))
    proposals: list[Slot] = []
    earliest = start_on
    for number in range(1, sessions + 1):
        slot = _first_suitable(service, client if number == 1 else None, earliest, preferences, now)
        if slot is None:
            raise DomainError(
                "no_time_found",
                _(
                    "No free time suits session %(number)s within %(days)s days of %(day)s. "
                    "Try other days or times."
                )
                % {
                    "number": number,
                    "days": SEARCH_DAYS,
                    "day": date_format(earliest, "DATE_FORMAT"),
                },
            )
        proposals.append(slot)
        earliest = slot.start.astimezone(service.location.zone).date() + gap
    return proposals


@transaction.atomic
def course_book(
    *,
    client: Client,
    service: Service,
    sessions: int,
    start_on: date,
    preferences: Preferences = Preferences(),
    interval_days: int | None = None,
    by: User | None = None,
    now: datetime | None = None,
) -> Course:
    """Plan and book the whole course at once: every session is booked, or none is."""
    proposals = course_propose(
        client=client,
        service=service,
        sessions=sessions,
        start_on=start_on,
        preferences=preferences,
        interval_days=interval_days,
        now=now,
    )
    course = Course.objects.create(
        client=client,
        service=service,
        planned_sessions=sessions,
        interval_days=course_interval(service, interval_days),
        preferred_weekdays=sorted(preferences.weekdays),
        preferred_from=preferences.time_from,
        preferred_to=preferences.time_to,
        created_by=by,
    )
    for slot in proposals:
        booking_create(
            client=client,
            service=service,
            starts_at=slot.start,
            practitioner=StaffMember.objects.get(pk=slot.practitioner),
            channel=Channel.STAFF,
            by=by,
            course=course,
            now=now,
        )
    return course


@transaction.atomic
def course_move_session(
    *, booking: Booking, starts_at: datetime, by: User | None = None, now: datetime | None = None
) -> list[Booking]:
    """Move one session; later sessions that come too close move on to keep the interval.

    Returns the bookings that moved. Nothing moves unless all of them can.
    """
    course = booking.course
    if course is None:
        raise DomainError("not_in_course", _("This booking is not part of a course."))
    now = now or timezone.now()
    later = list(
        course.bookings.filter(
            status=BookingStatus.BOOKED, starts_at__gt=booking.starts_at
        ).order_by("starts_at")
    )
    moved = [
        booking_reschedule(
            booking=booking, starts_at=starts_at, by=by, now=now, replanning=[b.pk for b in later]
        )
    ]
    zone = course.service.location.zone
    preferences = Preferences(course.preferred_weekdays, course.preferred_from, course.preferred_to)
    earliest = starts_at.astimezone(zone).date() + timedelta(days=course.interval_days)
    for index, session in enumerate(later):
        day = session.starts_at.astimezone(zone).date()
        if day < earliest:
            slot = _first_suitable(course.service, None, earliest, preferences, now)
            if slot is None:
                raise DomainError(
                    "no_time_found",
                    _("No free time found for the session after %(day)s.")
                    % {"day": date_format(earliest, "DATE_FORMAT")},
                )
            remaining = [b.pk for b in later[index + 1 :]]
            moved.append(
                booking_reschedule(
                    booking=session, starts_at=slot.start, by=by, now=now, replanning=remaining
                )
            )
            day = slot.start.astimezone(zone).date()
        earliest = day + timedelta(days=course.interval_days)
    return moved


def course_progress(course: Course) -> CourseProgress:
    bookings = list(course.bookings.exclude(status=BookingStatus.CANCELLED).order_by("starts_at"))
    return CourseProgress(
        done=sum(1 for b in bookings if b.status == BookingStatus.COMPLETED),
        planned=course.planned_sessions,
        upcoming=[
            b for b in bookings if b.status in (BookingStatus.BOOKED, BookingStatus.CHECKED_IN)
        ],
    )


def _first_suitable(
    service: Service,
    client: Client | None,
    earliest: date,
    preferences: Preferences,
    now: datetime,
) -> Slot | None:
    slots: Sequence[Slot] = available_slots(
        service,
        earliest,
        earliest + timedelta(days=SEARCH_DAYS),
        now=now,
        channel=Channel.STAFF,
        client=client,
    )
    return next((slot for slot in slots if preferences.suit(slot, service)), None)
