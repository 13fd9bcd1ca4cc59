"""Which language a page is in, chosen once per request before the view runs.

- Staff pages: the signed-in staff member's language (their profile; the owner sets it on
  the team page too). Signed out (sign-in, password reset): the browser's Accept-Language.
- Public pages (online booking, the portal, booking links, the kiosk): the language the
  client chose with the switcher (kept in the session), else the one on their record when
  the page is theirs (a booking link, a portal sign-in link, the kiosk), else the
  browser's Accept-Language among the languages the clinic offers, else the clinic's default.
- The API: Accept-Language if given, else the token's staff member's (api/auth.py).

Every response says which language it is in (``Content-Language``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from needlepoint.clinics.models import Location, Organisation
from needlepoint.core import languages
from needlepoint.public.portal import portal_link_language
from needlepoint.public.queries import organisation_by_slug
from needlepoint.scheduling.links import LinkProblem, booking_from_token
from needlepoint.scheduling.models import Booking

SESSION_KEY = "client_language"
"""The language the client chose on the public pages, in their session."""

PUBLIC_PREFIXES = ("/c/", "/my/", "/b/", "/n/", "/v/", "/cancelled/", "/kiosk/")
"""Where the client-facing pages are (public/urls.py, vouchers/public_urls.py, kiosk)."""


class LanguageMiddleware:
    """Activates the page's language for the view and its templates; restores it after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        before = translation.get_language()
        try:
            response = self.get_response(request)
            chosen = getattr(request, "LANGUAGE_CODE", None)
            if chosen and "Content-Language" not in response.headers:
                response.headers["Content-Language"] = chosen
            response.headers.setdefault("Vary", "Accept-Language, Cookie")
            return response
        finally:
            if before:
                translation.activate(before)
            else:
                translation.deactivate()

    def process_view(
        self, request: HttpRequest, view: object, args: Any, kwargs: dict[str, Any]
    ) -> None:
        language = page_language(request, kwargs)
        translation.activate(language)
        request.LANGUAGE_CODE = language


def page_language(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    header = request.headers.get("Accept-Language", "")
    if request.path.startswith(PUBLIC_PREFIXES):
        return client_page_language(request, kwargs)
    user = getattr(request, "user", None)
    staff = getattr(user, "staff", None) if user is not None and user.is_authenticated else None
    if staff is not None and staff.is_active and not request.path.startswith("/api/"):
        return str(staff.language)
    return languages.from_accept_language(header) or translation.get_language() or "en-gb"


def client_page_language(request: HttpRequest, kwargs: dict[str, Any]) -> str:
    offered, default, own = clinic_and_client(request.path, kwargs)
    chosen = languages.supported(request.session.get(SESSION_KEY), offered)
    if chosen:
        return chosen
    if own and own in offered:
        return own
    header = request.headers.get("Accept-Language", "")
    return languages.from_accept_language(header, offered) or default


def clinic_and_client(path: str, kwargs: dict[str, Any]) -> tuple[list[str], str, str]:
    """The languages the page's clinic offers, its default, and the client's own language
    when the page is one client's (a booking link, the kiosk)."""
    organisation: Organisation | None = None
    own = ""
    if "org" in kwargs:
        organisation = organisation_by_slug(kwargs["org"])
        if organisation is not None and "token" in kwargs:  # a portal sign-in link
            own = portal_link_language(token=str(kwargs["token"]), organisation=organisation)
    elif "token" in kwargs and path.startswith("/b/"):
        organisation, own = _booking_link(str(kwargs["token"]))
    elif "public_id" in kwargs:  # the kiosk: one booking's pages
        booking = (
            Booking.objects.select_related("client", "location__organisation")
            .filter(public_id=kwargs["public_id"])
            .first()
        )
        if booking is not None:
            organisation, own = booking.location.organisation, booking.client.language
    elif "location" in kwargs:
        place = (
            Location.objects.select_related("organisation")
            .filter(public_id=kwargs["location"])
            .first()
        )
        organisation = place.organisation if place else None
    if organisation is None:
        return list(languages.codes()), translation.get_language() or "en-gb", own
    return organisation.offered_languages(), organisation.default_language, own


def _booking_link(token: str) -> tuple[Organisation | None, str]:
    try:
        booking = booking_from_token(token)
    except LinkProblem:
        return None, ""
    return booking.location.organisation, booking.client.language


def remember(request: HttpRequest, code: str) -> None:
    """Keep `code` as this browser's language on the public pages (the portal's form, a
    signed-in client's own language)."""
    if code:
        request.session[SESSION_KEY] = code
    else:
        request.session.pop(SESSION_KEY, None)
