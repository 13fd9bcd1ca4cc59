"""Sensitive actions ask for the password again unless it was given in the last few minutes.

A session left open on a front-desk screen should not be enough to carry a client's
whole record, or the audit log, out of the clinic, nor to hand out access: exports,
API tokens, webhooks, erasure, staff and roles, the retention period, backup codes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

RECENT_SECONDS = 10 * 60
SESSION_KEY = "authenticated_at"


def mark_authenticated(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(time.time())


def recently_authenticated(request: HttpRequest) -> bool:
    given: int = request.session.get(SESSION_KEY, 0)
    return time.time() - given < RECENT_SECONDS


def password_again(request: HttpRequest, then: str = "") -> HttpResponse | None:
    """None when the password was given recently; else the way to give it, then on to
    ``then`` (this page by default). A form sent meanwhile is not acted on."""
    if recently_authenticated(request):
        return None
    if request.method == "POST":
        messages.info(
            request, _("Nothing was changed yet: give your password, then send it again.")
        )
    target = reverse("accounts:confirm_password")
    return redirect(f"{target}?{urlencode({'next': then or request.get_full_path()})}")


def requires_recent_password(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send the user to confirm their password first when they last gave it too long ago."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        asked = password_again(request)
        if asked is not None:
            return asked
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return wrapped
