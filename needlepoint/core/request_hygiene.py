"""Two rules for every request and answer, kept in one place rather than in each view.

- NUL characters are taken out of query parameters and form fields (names and values)
  before any view sees them. No field means one, a browser never sends one by itself,
  and PostgreSQL can't store or compare one: a search for ``?q=%00`` failed with a 500.
  Taking them out, rather than refusing the request, keeps every search box and form
  answering as it does for other odd input (results, or the form's own field errors).
- Every ``text/*`` answer names its charset, so no client has to guess it (the calendar
  feed answered plain ``text/calendar``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict

if TYPE_CHECKING:
    from django.http.request import _ImmutableQueryDict

NUL = "\x00"
FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class StripNulMiddleware:
    """Query parameters and posted form fields without NUL characters, for every view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.GET):
            request.GET = _without_nul(request.GET)
        # A posted form is parsed here once and kept for the view, as the CSRF check does.
        if request.method == "POST" and request.content_type in FORMS and _has_nul(request.POST):
            request.POST = _without_nul(request.POST)
        return self.get_response(request)


def _has_nul(parameters: QueryDict) -> bool:
    return any(
        NUL in name or any(NUL in value for value in values) for name, values in parameters.lists()
    )


def _without_nul(parameters: QueryDict) -> _ImmutableQueryDict:
    pairs = [
        (name.replace(NUL, ""), value.replace(NUL, ""))
        for name, values in parameters.lists()
        for value in values
    ]
    encoding = parameters.encoding
    return QueryDict(urlencode(pairs, encoding=encoding), encoding=encoding)  # not mutable


class TextCharsetMiddleware:
    """Adds ``; charset=utf-8`` (the answer's charset) to a ``text/*`` type without one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        kind = response.get("Content-Type", "")
        if kind.lower().startswith("text/") and "charset=" not in kind.lower():
            response["Content-Type"] = f"{kind}; charset={response.charset}"
        return response
