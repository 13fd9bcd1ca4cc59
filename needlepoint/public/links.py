"""The booking link's pages: refusing a link that can no longer be used, and the
decorator that turns a link's token into its booking (tokens: scheduling/links.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from needlepoint.accounts.access import no_store
from needlepoint.scheduling.links import LinkProblem, booking_from_token


def link_gone(request: HttpRequest, problem: object) -> HttpResponse:
    """The page for any emailed link that can't be used: why, with 410 Gone."""
    return no_store(render(request, "public/link_problem.html", {"problem": problem}, status=410))


def from_booking_link(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A view reached by a booking link: it gets the booking, or the client gets why not."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            booking = booking_from_token(token)
        except LinkProblem as problem:
            return link_gone(request, problem)
        return view(request, booking, token, *args, **kwargs)

    return wrapper
