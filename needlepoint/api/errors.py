"""One error body for every refusal: ``{"code": ..., "message": ..., "field": ...}``.

Under /api/v1/ that includes a path that isn't there (404), a method a path doesn't
take (405) and a fault of ours (500), as well as the operations' own refusals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from needlepoint.core.errors import DomainError
from needlepoint.core.request_log import request_id

logger = logging.getLogger("needlepoint.api")


class Error(Schema):
    code: str
    message: str
    field: str | None = None


class ClientExists(Error):
    existing_client: UUID


STATUS_OF_CODE = {
    "slot_taken": 409,
    "wrong_status": 409,
    "client_exists": 409,
    "not_found": 404,
    "idempotency_key_reused": 422,
    "token_expired": 401,
}
"""Domain refusals that aren't a plain 400: the state changed under the caller or the record
is already there (409), a body named a record the user can't see (404), or an
``Idempotency-Key`` came back with a different request (422)."""
TOKEN_REFUSALS = (401, 403, 429)
"""What any operation may answer before it runs: no live token, not its scope or role, or
too many requests with the token (``Retry-After`` says how many seconds to wait)."""
CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
}


def errors(*statuses: int, bodies: dict[int, Any] | None = None) -> dict[int, Any]:
    """The error answers an operation documents: the token refusals, then its own statuses,
    each with the error body unless ``bodies`` gives a fuller one."""
    documented: dict[int, Any] = dict.fromkeys((*TOKEN_REFUSALS, *statuses), Error)
    return {**documented, **(bodies or {})}


def install(api: NinjaAPI) -> None:
    def answer(
        request: HttpRequest, status: int, code: str, message: str, field: Any = None
    ) -> HttpResponse:
        body = {"code": code, "message": message, "field": field}
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, error: DomainError) -> HttpResponse:
        status = STATUS_OF_CODE.get(error.code, 400)
        body = {"code": error.code, "message": error.message, "field": error.field}
        response = api.create_response(request, {**body, **error.details}, status=status)
        if status == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        problems = [(_field(e.get("loc", ())), e.get("msg", "is not valid")) for e in error.errors]
        message = "; ".join(f"{field or 'request'}: {msg}" for field, msg in problems[:5])
        return answer(request, 422, "invalid", message, problems[0][0] if problems else None)

    @api.exception_handler(HttpError)
    def http(request: HttpRequest, error: HttpError) -> HttpResponse:
        message = str(error)
        if isinstance(error, AuthenticationError):
            message = _("Give a valid API token: Authorization: Bearer <token>.")
        if isinstance(error, Throttled):
            message = ngettext(
                "Too many requests with this token: try again in %(wait)s second.",
                "Too many requests with this token: try again in %(wait)s seconds.",
                error.wait or 0,
            ) % {"wait": error.wait}
        code = CODES.get(error.status_code, "error")
        response = answer(request, error.status_code, code, message)
        if error.status_code == 401:
            response["WWW-Authenticate"] = "Bearer"
        if isinstance(error, Throttled) and error.wait:
            response["Retry-After"] = str(error.wait)
        return response

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, error: Http404) -> HttpResponse:
        return answer(request, 404, "not_found", _("Not found."))

    @api.exception_handler(Exception)
    def fault(request: HttpRequest, error: Exception) -> HttpResponse:
        """Ours, not the caller's: logged in full; the answer gives only the request id."""
        current = request_id.get()
        logger.exception(
            "Unhandled error in %s %s (request %s)", request.method, request.path, current
        )
        message = _("Something went wrong on our side. Quote request id %(id)s.") % {
            "id": current or "unknown"
        }
        return answer(request, 500, "server_error", message)


def no_such_path(api: NinjaAPI) -> Callable[..., HttpResponse]:
    """The view behind the last URL pattern of the API: anything else under it is a 404."""

    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        message = _("There is no %(path)s in this API: see its schema, openapi.json.") % {
            "path": request.path
        }
        body = {"code": "not_found", "message": message, "field": None}
        return api.create_response(request, body, status=404)

    view.csrf_exempt = True  # type: ignore[attr-defined]  # no operation runs: nothing to forge
    return view


def methods_as_json(api: NinjaAPI, view: Callable[..., Any]) -> Callable[..., Any]:
    """Ninja's answer to a method a path doesn't take is text; the API's is the error body."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = response["Allow"]
        message = _("%(method)s is not allowed here; use %(allowed)s.") % {
            "method": request.method,
            "allowed": allowed,
        }
        body = {"code": "method_not_allowed", "message": message, "field": None}
        refusal = api.create_response(request, body, status=405)
        refusal["Allow"] = allowed
        return refusal

    return answer


def _field(location: Any) -> str | None:
    """``("body", "payload", "email")`` → ``"email"``; ``("query", "start")`` → ``"start"``."""
    parts = [str(part) for part in location]
    if parts[:1] == ["body"]:
        parts = parts[2:] or parts[1:]
    elif parts[:1] in (["query"], ["path"], ["header"]):
        parts = parts[1:]
    return ".".join(parts) or None
