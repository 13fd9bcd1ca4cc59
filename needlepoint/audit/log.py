"""Writing the audit log: ``record`` from services and views, the middleware for the context.

The middleware keeps the request in a context variable, so a service deep in a call
knows who is acting and from where without being passed the request. Work with no
request (the worker, a command) is recorded as ``system`` under the name it gives.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.core import plain_sql
from needlepoint.core.http import PORTAL_CLIENT_KEY
from needlepoint.core.request_log import loggable_path

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)
DENIED_STATUSES = {403, 404}


def record(
    action: Action,
    target: Target,
    target_id: object = "",
    *,
    client: Any = None,
    organisation_id: int | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
    actor: str = "",
) -> AuditEvent:
    """Append one event. ``client`` is the client whose record it concerns, if any."""
    request = _request.get()
    who = _actor(request)
    if organisation_id is None:
        organisation_id = client.organisation_id if client is not None else who["organisation_id"]
    event = AuditEvent(
        organisation_id=organisation_id,
        user_id=who["user_id"],
        actor=actor or who["actor"],
        role=who["role"],
        action=action,
        target=target,
        target_id=str(target_id or ""),
        client_id=getattr(client, "pk", None),
        ip=request.META.get("REMOTE_ADDR") or None if request is not None else None,
        path=loggable_path(request, with_query=True)[:300] if request is not None else "",
        reason=reason,
        detail=detail or {},
    )
    plain_sql.insert_new(event)  # one INSERT; the ORM's save cost more than writing it
    return event


def _actor(request: HttpRequest | None) -> dict[str, Any]:
    anonymous = {
        "user_id": None,
        "actor": "anonymous",
        "role": "anonymous",
        "organisation_id": None,
    }
    if request is None:
        return anonymous | {"actor": "system", "role": "system"}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        staff = getattr(user, "staff", None)
        return {
            "user_id": user.pk,
            "actor": user.email,
            "role": staff.role if staff is not None else "site_admin",
            "organisation_id": staff.organisation_id if staff is not None else None,
        }
    client_id = request.session.get(PORTAL_CLIENT_KEY) if hasattr(request, "session") else None
    if client_id is not None:
        return anonymous | {"actor": f"client {client_id}", "role": "client"}
    return anonymous


def signed_in_someone(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return hasattr(request, "session") and PORTAL_CLIENT_KEY in request.session


class AuditMiddleware:
    """Makes the request known to ``record``, and logs refusals to signed-in people.

    A 403 or 404 met by a signed-in user is how a changed id shows: someone reaching
    for a record that is not theirs to see. Anonymous misses are not logged (anyone can
    make those, endlessly).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code in DENIED_STATUSES and signed_in_someone(request):
                record(
                    Action.DENIED,
                    Target.PAGE,
                    detail={"status": response.status_code, "method": request.method},
                )
            return response
        finally:
            _request.reset(token)
