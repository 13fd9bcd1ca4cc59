"""What monitors read: the health check."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from needlepoint.accounts.access import no_store


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 when the database answers, else 503.

    Says nothing else about the installation (no versions, no counts).
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return no_store(JsonResponse({"status": "unavailable", "database": "down"}, status=503))
    return no_store(JsonResponse({"status": "ok", "database": "ok"}))
