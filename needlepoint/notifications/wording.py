"""Clinics' own wording for their messages: starting points, and a preview with sample values."""

from __future__ import annotations

import string

from needlepoint.notifications.choices import Channel, MessageKind

SAMPLE = {
    "first_name": "Alex",
    "clinic": "Harbour Skin Clinic",
    "location": "Harbour Street",
    "phone": "023 9200 0000",
    "when": "Tuesday 24 November 2026 at 10:00",
    "link": "https://clinic.example/b/…",
    "book_link": "https://clinic.example/c/demo/harbour-street/",
    "stage": "Day 1",
    "expect": "Redness fading.",
    "advice": "Use a mineral SPF 30 or higher.",
    "eligible_on": "22 December 2026",
    "months": "3",
    "until": "Tuesday 24 November 2026 at 12:00",
}

STARTING_POINTS = {
    MessageKind.BOOKING_CONFIRMED: "Your appointment is confirmed for $when at $location.\n"
    "To move or cancel: $link",
    MessageKind.BOOKING_MOVED: "Your appointment has moved to $when at $location.\n"
    "To move or cancel: $link",
    MessageKind.BOOKING_CANCELLED: "Your appointment on $when is cancelled.\n"
    "Book again any time: $book_link",
    MessageKind.REMINDER: "A reminder of your appointment on $when at $location.\n"
    "To move or cancel: $link",
    MessageKind.PRE_CARE: "Your treatment is on $when. Please stop retinoids and acids 3 to 5 "
    "days before, and avoid sun and tanning. Unwell or a cold sore? Call us on $phone.",
    MessageKind.AFTERCARE: "$stage: $expect $advice",
    MessageKind.REBOOK: "You can book your next session from $eligible_on: $book_link",
    MessageKind.FOLLOW_UP: "It is $months months since your last session: time for follow-up "
    "photos. Book here: $book_link",
    MessageKind.WAITLIST_OFFER: "$when has come free and is held for you until $until. "
    "Call us on $phone to take it.",
}


def starting_point(kind: str, channel: str) -> tuple[str, str]:
    """A subject (email only) and a body to start editing from."""
    body = STARTING_POINTS[MessageKind(kind)]
    if channel == Channel.SMS:
        return "", f"$clinic: {body}"
    return MessageKind(kind).label, f"Hello $first_name,\n\n{body}\n\n$clinic"


def preview(text: str) -> str:
    return string.Template(text).safe_substitute(SAMPLE)
