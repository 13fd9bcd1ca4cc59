"""One error body for every refusal: ``{"code": ..., "message": ..., "field": ...}``."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from needlepoint.core.errors import DomainError


class Error(Schema):
    code: str
    message: str
    field: str | None = None


STATUS_OF_CODE = {"slot_taken": 409, "wrong_status": 409, "not_found": 404}
"""Domain refusals that aren't a plain 400: the state changed under the caller (409), or
a body named a record the user can't see (404)."""
READ_ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: Error, 409: Error}
CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found"}


def install(api: NinjaAPI) -> None:
    def answer(
        request: HttpRequest, status: int, code: str, message: str, field: Any = None
    ) -> HttpResponse:
        body = {"code": code, "message": message, "field": field}
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain(request: HttpRequest, error: DomainError) -> HttpResponse:
        status = STATUS_OF_CODE.get(error.code, 400)
        return answer(request, status, error.code, error.message, error.field)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        problems = [(_field(e.get("loc", ())), e.get("msg", "is not valid")) for e in error.errors]
        message = "; ".join(f"{field or 'request'}: {msg}" for field, msg in problems[:5])
        return answer(request, 422, "invalid", message, problems[0][0] if problems else None)

    @api.exception_handler(HttpError)
    def http(request: HttpRequest, error: HttpError) -> HttpResponse:
        message = str(error)
        if isinstance(error, AuthenticationError):
            message = "Give a valid API token: Authorization: Bearer <token>."
        code = CODES.get(error.status_code, "error")
        response = answer(request, error.status_code, code, message)
        if error.status_code == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, error: Http404) -> HttpResponse:
        return answer(request, 404, "not_found", "Not found.")


def _field(location: Any) -> str | None:
    """``("body", "payload", "email")`` → ``"email"``; ``("query", "start")`` → ``"start"``."""
    parts = [str(part) for part in location]
    if parts[:1] == ["body"]:
        parts = parts[2:] or parts[1:]
    elif parts[:1] in (["query"], ["path"], ["header"]):
        parts = parts[1:]
    return ".".join(parts) or None
