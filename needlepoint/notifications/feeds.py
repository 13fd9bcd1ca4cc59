"""A practitioner's own appointments as an iCalendar feed, from a month back to a year ahead.

Times are written in UTC (``...Z``), which every calendar app shows in its own zone, so
a visit across a clock change keeps its real time. Client names are initials only: the
feed leaves the clinic's systems.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from needlepoint.clinics.models import StaffMember
from needlepoint.core.languages import in_language_of
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Booking


@in_language_of(lambda staff: staff.language)
def practitioner_calendar(staff: StaffMember) -> bytes:
    now = timezone.now()
    bookings = (
        Booking.objects.filter(
            practitioner=staff,
            starts_at__gte=now - timedelta(days=31),
            starts_at__lt=now + timedelta(days=366),
        )
        .exclude(status__in=[BookingStatus.CANCELLED])
        .select_related("client", "service", "location", "room")
        .order_by("starts_at")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Needlepoint//practitioner feed//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{staff.user.full_name} — {staff.organisation.name}")
    for booking in bookings:
        event = Event()
        event.add("uid", f"{booking.public_id}@needlepoint")
        event.add("dtstamp", now)
        event.add("dtstart", booking.starts_at)
        event.add("dtend", booking.ends_at)
        initials = f"{booking.client.first_name[:1]}{booking.client.last_name[:1]}"
        event.add("summary", f"{booking.service.name} ({initials})")
        where = booking.location.name + (f", {booking.room.name}" if booking.room else "")
        event.add("location", where)
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
