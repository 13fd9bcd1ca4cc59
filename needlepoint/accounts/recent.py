"""Exports ask for the password again unless it was given in the last few minutes.

A session left open on a front-desk screen should not be enough to carry a client's
whole record, or the audit log, out of the clinic.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

RECENT_SECONDS = 10 * 60
SESSION_KEY = "authenticated_at"


def mark_authenticated(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(time.time())


def recently_authenticated(request: HttpRequest) -> bool:
    given: int = request.session.get(SESSION_KEY, 0)
    return time.time() - given < RECENT_SECONDS


def requires_recent_password(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send the user to confirm their password first when they last gave it too long ago."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not recently_authenticated(request):
            target = reverse("accounts:confirm_password")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return wrapped
