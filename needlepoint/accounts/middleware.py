"""Staff sign-in rules applied to every request: two-factor for some roles, idle expiry."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from needlepoint.accounts.two_factor import needs_second_factor

REFRESH_SECONDS = 60
"""How often a request pushes the session's expiry on (not every request: that is a write)."""


class TwoFactorRequiredMiddleware:
    """Owners, managers, practitioners and site admins confirm a code before any page.

    Until they do, every page but the code page and signing out sends them there.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request.user) and not _exempt(request.path):
            if request.path.startswith(reverse("api-v1:api-root")):
                # The JSON API signs in by its token alone: a session halfway through
                # signing in lends it nobody, and it answers JSON, never this redirect.
                request.user = AnonymousUser()
                return self.get_response(request)
            target = reverse("accounts:two_factor")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _exempt(path: str) -> bool:
    allowed = (
        reverse("accounts:two_factor"),
        reverse("accounts:logout"),
        settings.STATIC_URL if settings.STATIC_URL.startswith("/") else f"/{settings.STATIC_URL}",
    )
    return path.startswith(allowed)


def mark_seen(request: HttpRequest) -> None:
    request.session["seen"] = int(time.time())


class IdleSessionMiddleware:
    """A signed-in session ends ``SESSION_COOKIE_AGE`` after its last request.

    Django sets the expiry when the session is saved, so touching it once a minute
    keeps an active session alive and lets an idle one lapse.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        stale = time.time() - request.session.get("seen", 0) >= REFRESH_SECONDS
        if stale and request.user.is_authenticated:
            mark_seen(request)
        return self.get_response(request)
