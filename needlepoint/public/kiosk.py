"""The clinic's tablet handed to a client: its lock, and the medical history taken on it.

A staff member puts their own signed-in browser into tablet mode for one booking of the
day. Until they take it back with their password, that browser reaches only the tablet
pages of that booking (``KioskMiddleware``): no staff pages, no other client. The state is
the session's; a signed cookie set at the same time outlives it, so a session that lapses
in the client's hands shows "please hand the tablet back", never the staff sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.clients.choices import ScreeningOutcome, SubmissionSource
from needlepoint.clients.models import Screening
from needlepoint.clients.services import questionnaire_submit
from needlepoint.core.errors import DomainError
from needlepoint.core.http import no_store
from needlepoint.public.flow import screen_for_visit
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Booking

SESSION_KEY = "kiosk"
COOKIE = "np_tablet"
_COOKIE_SALT = "needlepoint.public.kiosk"


def kiosk_booking_id(session: SessionBase) -> str | None:
    """The public id of the booking this browser is handed over for, if it is."""
    state: dict[str, Any] = session.get(SESSION_KEY) or {}
    return state.get("booking")


def kiosk_screening_id(session: SessionBase) -> int | None:
    """The screening of the history answered on the tablet this time, once answered."""
    state: dict[str, Any] = session.get(SESSION_KEY) or {}
    return state.get("screening")


def kiosk_begin(session: SessionBase, booking: Booking) -> None:
    session[SESSION_KEY] = {"booking": str(booking.public_id), "screening": None}


def kiosk_history_taken(session: SessionBase, screening: Screening) -> None:
    session[SESSION_KEY] = {**session[SESSION_KEY], "screening": screening.pk}


def kiosk_end(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def lock_cookie_set(response: HttpResponse, booking: Booking) -> None:
    """Mark the browser as handed over, in a cookie that outlives the staff session."""
    response.set_signed_cookie(
        COOKIE,
        str(booking.public_id),
        salt=_COOKIE_SALT,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def lock_cookie_clear(response: HttpResponse) -> None:
    response.delete_cookie(COOKIE, samesite="Lax")


def locked_booking_id(request: HttpRequest) -> str | None:
    """The booking the browser was handed over for, by its cookie (signed, so not forged)."""
    value: str | None = request.get_signed_cookie(COOKIE, default=None, salt=_COOKIE_SALT)
    return value


def visit_today(booking: Booking) -> bool:
    """A visit the client can be at the clinic for now: booked or checked in, for today."""
    location = booking.location
    on = booking.starts_at.astimezone(location.zone).date()
    active = booking.status in {BookingStatus.BOOKED, BookingStatus.CHECKED_IN}
    return active and on == location.local_now().date()


def may_hand_over(booking: Booking) -> None:
    if not visit_today(booking):
        raise DomainError(
            "not_today",
            _("The tablet is for a visit today that is booked or checked in."),
        )


@transaction.atomic
def history_taken_in_clinic(
    *, booking: Booking, answers: dict[str, Any], today: date, by: User | None
) -> Screening:
    """The client's answers on the clinic's tablet, kept as a new version of their medical
    history and screened for this visit exactly as the online questionnaire's are."""
    may_hand_over(booking)
    questionnaire_submit(
        client=booking.client,
        answers=answers,
        answered_on=today,
        source=SubmissionSource.KIOSK,
        by=by,
    )
    visit_on = booking.starts_at.astimezone(booking.location.zone).date()
    return screen_for_visit(booking.client, booking.service, visit_on)


def consents_may_follow(booking: Booking, screening: Screening) -> bool:
    """Consents are asked for a treatment that may still go ahead today: not when the
    answers defer or rule it out (the clinic will find another time, or another service)."""
    stopped = screening.outcome in {ScreeningOutcome.DEFERRED, ScreeningOutcome.DECLINED}
    return not (stopped and booking.service.needs_clearance)


class KioskMiddleware:
    """While a browser is handed over, every page but its booking's tablet pages sends it
    back to the tablet's first page. Once the staff session has lapsed in the client's
    hands, every page is "please hand the tablet back", whose one button (for staff) ends
    the lock and leads to the sign-in page.

    It runs before any view, so before ``staff_view`` would send the browser to sign in.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        booking_id = kiosk_booking_id(request.session)
        if booking_id is not None:
            if _allowed(request.path, reverse("kiosk:home", kwargs={"public_id": booking_id})):
                return self.get_response(request)
            return redirect("kiosk:home", public_id=booking_id)
        if locked_booking_id(request) is None or _allowed(request.path, reverse("kiosk:release")):
            return self.get_response(request)
        return no_store(render(request, "kiosk/hand_back.html"))


def _allowed(path: str, prefix: str) -> bool:
    static = (
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}"
    )
    return path.startswith((prefix, static))
