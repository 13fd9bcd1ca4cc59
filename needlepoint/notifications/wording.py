"""Clinics' own wording for their messages: starting points, and a preview with sample values."""

from __future__ import annotations

import string

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.notifications.choices import Channel, MessageKind

SAMPLE = {
    "first_name": "Alex",
    "clinic": "Harbour Skin Clinic",
    "location": "Harbour Street",
    "phone": "023 9200 0000",
    "when": gettext_lazy("Tuesday 24 November 2026 at 10:00"),
    "link": "https://clinic.example/b/…",
    "book_link": "https://clinic.example/c/demo/harbour-street/",
    "stage": gettext_lazy("Day 1"),
    "expect": gettext_lazy("Redness fading."),
    "advice": gettext_lazy("Use a mineral SPF 30 or higher."),
    "eligible_on": gettext_lazy("22 December 2026"),
    "months": "3",
    "until": gettext_lazy("Tuesday 24 November 2026 at 12:00"),
}

STARTING_POINTS = {
    MessageKind.BOOKING_CONFIRMED: gettext_lazy(
        "Your appointment is confirmed for $when at $location.\nTo move or cancel: $link"
    ),
    MessageKind.BOOKING_MOVED: gettext_lazy(
        "Your appointment has moved to $when at $location.\nTo move or cancel: $link"
    ),
    MessageKind.BOOKING_CANCELLED: gettext_lazy(
        "Your appointment on $when is cancelled.\nBook again any time: $book_link"
    ),
    MessageKind.REMINDER: gettext_lazy(
        "A reminder of your appointment on $when at $location.\nTo move or cancel: $link"
    ),
    MessageKind.PRE_CARE: gettext_lazy(
        "Your treatment is on $when. Please stop retinoids and acids 3 to 5 "
        "days before, and avoid sun and tanning. Unwell or a cold sore? Call us on $phone."
    ),
    MessageKind.AFTERCARE: gettext_lazy("$stage: $expect $advice"),
    MessageKind.REBOOK: gettext_lazy(
        "You can book your next session from $eligible_on: $book_link"
    ),
    MessageKind.FOLLOW_UP: gettext_lazy(
        "It is $months months since your last session: time for follow-up "
        "photos. Book here: $book_link"
    ),
    MessageKind.WAITLIST_OFFER: gettext_lazy(
        "$when has come free and is held for you until $until. Call us on $phone to take it."
    ),
}


def starting_point(kind: str, channel: str) -> tuple[str, str]:
    """A subject (email only) and a body to start editing from."""
    body = str(STARTING_POINTS[MessageKind(kind)])
    if channel == Channel.SMS:
        return "", "$clinic: " + body
    greeting = _("Hello $first_name,")
    return str(MessageKind(kind).label), f"{greeting}\n\n{body}\n\n$clinic"


def preview(text: str) -> str:
    return string.Template(text).safe_substitute(SAMPLE)
