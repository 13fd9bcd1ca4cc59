"""Structured logs: one JSON line per request, and the request id on every record.

``RequestLogMiddleware`` gives each request an id (the proxy's ``X-Request-ID`` when it
sends a sane one), returns it in ``X-Request-ID``, and logs method, path, status, time,
who and from where. Never the query string or the body: those may hold health data or
tokens. ``RequestIdFilter`` stamps the id on every log record made during the request;
``JsonFormatter`` writes records as JSON lines (``LOG_FORMAT``, docs/configuration.md).
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty

from needlepoint.core.http import PORTAL_CLIENT_KEY

logger = logging.getLogger("needlepoint.request")
request_id: ContextVar[str] = ContextVar("request_id", default="")
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
# Attributes every LogRecord has; anything else on a record came from ``extra=``.
STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class RequestLogMiddleware:
    """First in MIDDLEWARE, so the time covers every other middleware and the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted_proxies = set(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        current = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
        token = request_id.set(current)
        try:
            self._use_forwarded_address(request)
            response = self.get_response(request)  # Django turns exceptions into a 500 inside
            response["X-Request-ID"] = current
            logger.info(
                "%s %s %s",
                request.method,
                loggable_path(request),
                response.status_code,
                extra={
                    "method": request.method,
                    "path": loggable_path(request),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    **_who(request),
                    "remote_addr": request.META.get("REMOTE_ADDR", ""),
                },
            )
            return response
        finally:
            request_id.reset(token)

    def _use_forwarded_address(self, request: HttpRequest) -> None:
        """Behind a trusted proxy the client is the address that proxy appended last.

        Only the last entry counts: the ones before it came from the client and may be made up.
        """
        if request.META.get("REMOTE_ADDR") not in self.trusted_proxies:
            return
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            request.META["REMOTE_ADDR"] = forwarded


def _who(request: HttpRequest) -> dict[str, Any]:
    """The user id and staff role, read only if the request already loaded them (no queries)."""
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "_wrapped", None) is not empty and user.is_authenticated:
        staff = getattr(user, "staff", None)
        return {"user_id": user.pk, "role": staff.role if staff is not None else "site_admin"}
    session = getattr(request, "session", None)
    if session is not None and session.accessed and session.get(PORTAL_CLIENT_KEY) is not None:
        return {"user_id": None, "role": "client"}
    return {"user_id": None, "role": "anonymous"}


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or "") on every record, for both formats."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class LinkTokenFilter(logging.Filter):
    """Takes a secret link token out of records about a request (Django's "Not Found: …")."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        token = _link_token(request) if request is not None else None
        if token:
            record.msg, record.args = record.getMessage().replace(token, "…"), ()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id.get(),
        }
        for key, value in vars(record).items():
            # Plain values only: django.request passes the whole request object along.
            if key not in STANDARD and key not in line and _plain(value):
                line[key] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def _plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def loggable_path(request: HttpRequest, *, with_query: bool = False) -> str:
    """The path, with any secret link token in it replaced by ``…``.

    Booking links, portal sign-in links, newsletter confirmations, calendar feeds and
    password resets carry a ``token`` that acts for its holder: nobody reading the logs
    or the audit log should be able to use one.
    """
    path = request.get_full_path() if with_query else request.path
    token = _link_token(request)
    return path.replace(token, "…") if token else path


def _link_token(request: HttpRequest) -> str | None:
    """The secret token in the URL of a link that acts for its holder, if this is one."""
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match is not None else None
    return str(token) if token else None
