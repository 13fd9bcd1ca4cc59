"""Emails to the client and the clinic about an online booking.

Sent straight after the transaction commits. Booking emails carry no clinical detail.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from needlepoint.clients.models import Screening
from needlepoint.public.ics import booking_calendar
from needlepoint.scheduling.models import Booking, Service


def booking_confirmed(booking: Booking, link: str, *, moved: bool = False) -> None:
    context = _context(booking) | {"link": link, "moved": moved}
    verb = "moved" if moved else "confirmed"
    message = _message(
        f"Your appointment is {verb}: {context['when']}",
        "public/email/confirmed",
        context,
        to=booking.client.email,
    )
    message.attach("appointment.ics", booking_calendar(booking), "text/calendar; method=PUBLISH")
    message.send()


def booking_cancelled(booking: Booking) -> None:
    context = _context(booking)
    message = _message(
        f"Your appointment on {context['when']} is cancelled",
        "public/email/cancelled",
        context,
        to=booking.client.email,
    )
    message.attach("appointment.ics", booking_calendar(booking), "text/calendar; method=CANCEL")
    message.send()


def review_requested(screening: Screening, service: Service, starts_at: datetime | None) -> None:
    """Tell the location a client asked online and needs a practitioner's review first."""
    location = service.location
    if not location.email:
        return
    when = starts_at.astimezone(location.zone) if starts_at else None
    context = {
        "screening": screening,
        "client": screening.client,
        "service": service,
        "when": when,
        "location": location,
    }
    _message(
        f"Online request needs review: {screening.client.full_name}",
        "public/email/review",
        context,
        to=location.email,
    ).send()


def _context(booking: Booking) -> dict[str, object]:
    location = booking.location
    local = booking.starts_at.astimezone(location.zone)
    return {
        "booking": booking,
        "location": location,
        "client": booking.client,
        "local": local,
        "when": f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}",
    }


def _message(
    subject: str, template: str, context: Mapping[str, object], *, to: str
) -> EmailMultiAlternatives:
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    return message
