"""Small response and session helpers every layer may use."""

from __future__ import annotations

from typing import TypeVar

from django.http.response import HttpResponseBase

PORTAL_CLIENT_KEY = "portal-client"
"""The session key holding the client signed in to the portal."""

R = TypeVar("R", bound=HttpResponseBase)


def no_store(response: R) -> R:
    """Pages with health data must not be kept by browsers or proxies."""
    response["Cache-Control"] = "no-store"
    return response
