"""A booking as an iCalendar event, with UTC times and the location's zone named."""

from __future__ import annotations

from babel.dates import format_date, format_time
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from needlepoint.core.languages import in_language_of, reader_locale
from needlepoint.scheduling.models import Booking


@in_language_of(lambda booking: booking.client.preferred_language)
def booking_calendar(booking: Booking) -> bytes:
    location = booking.location
    calendar = Calendar()
    calendar.add("prodid", "-//Needlepoint//Bookings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if booking.status == "cancelled" else "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.public_id}@needlepoint")
    event.add("sequence", booking.version)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.starts_at)
    event.add("dtend", booking.ends_at)
    event.add(
        "summary",
        _("%(service)s at %(location)s")
        % {"service": booking.service.name, "location": location.name},
        parameters={"LANGUAGE": get_language()},  # the client's (in_language_of)
    )
    event.add(
        "location",
        ", ".join(line.strip() for line in location.address.splitlines() if line.strip())
        or location.name,
    )
    local = booking.starts_at.astimezone(location.zone)
    locale = reader_locale()
    when = {
        "service": booking.service.name,
        "day": format_date(local.date(), format="full", locale=locale),
        "time": format_time(local, format="short", locale=locale),
        "zone": location.time_zone,
        "phone": location.phone,
    }
    if location.phone:
        description = (
            _(
                "%(service)s, %(day)s, %(time)s (%(zone)s). To change or cancel, use the link "
                "in your confirmation email or call %(phone)s."
            )
            % when
        )
    else:
        description = (
            _(
                "%(service)s, %(day)s, %(time)s (%(zone)s). To change or cancel, use the link "
                "in your confirmation email."
            )
            % when
        )
    event.add("description", description)
    if booking.status == "cancelled":
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
