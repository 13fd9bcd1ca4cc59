"""Signed links a client follows from an email to see, move or cancel a booking.

A link names the booking and the version it was sent for, and stops working when the
visit ends or the booking changes (a moved booking gets a new link in a new email), so
an old or replayed link can't act twice.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.scheduling.models import Booking

SALT = "needlepoint.public.booking-link"


def booking_token(booking: Booking) -> str:
    return signing.dumps(
        {"b": str(booking.public_id), "v": booking.version, "x": int(booking.ends_at.timestamp())},
        salt=SALT,
        compress=True,
    )


def booking_link(booking: Booking) -> str:
    return reverse("public:booking", kwargs={"token": booking_token(booking)})


class LinkProblem(Exception):
    """Why a link can't be used, in words for the client."""


def booking_from_token(token: str) -> Booking:
    """The booking a link names; ``LinkProblem`` when it is forged, stale or expired."""
    try:
        payload = signing.loads(token, salt=SALT)
        public_id, version, expires = payload["b"], int(payload["v"]), int(payload["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise LinkProblem(
            _("This link is not valid. Please use the link in your latest email.")
        ) from error
    if timezone.now().timestamp() > expires:
        raise LinkProblem(_("This link has expired: the appointment it was for is over."))
    booking = (
        Booking.objects.select_related(
            "service", "location__organisation", "client", "practitioner__user"
        )
        .filter(public_id=public_id)
        .first()
    )
    if booking is None:
        raise LinkProblem(_("This link is not valid. Please use the link in your latest email."))
    if booking.version != version:
        raise LinkProblem(
            _(
                "This booking has changed since this link was sent. Please use the link in "
                "your latest email."
            )
        )
    return booking
