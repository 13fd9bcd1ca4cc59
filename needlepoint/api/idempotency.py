"""``Idempotency-Key``: a create sent again (after a timeout, say) makes nothing new.

The first request with a key claims it, in the transaction that makes the record, and
keeps its answer there; a repeat from the same token with the same body gets that answer
again, byte for byte. A key is kept for a day. A request that was refused kept nothing,
so it may be sent again with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Annotated

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Header, Schema
from pydantic import StringConstraints

from needlepoint.accounts.access import no_store
from needlepoint.api.models import ApiToken, IdempotencyKey
from needlepoint.core.errors import DomainError

KEPT_FOR = timedelta(hours=24)
HEADER = "Idempotency-Key"

KeyHeader = Annotated[
    str | None,
    StringConstraints(min_length=1, max_length=255, pattern=r"^[!-~]+$"),
    Header(
        None,
        alias=HEADER,
        description="Any unique text (a UUID, say) to send the same create again safely; "
        "kept for 24 hours.",
    ),
]
"""The header, for an operation's signature: printable ASCII without spaces, 1–255 long."""


def create_once(
    request: HttpRequest,
    key: str | None,
    payload: Schema,
    status: int,
    create: Callable[[], Schema],
) -> HttpResponse:
    """``create()`` and answer its result with ``status``; with a key, only once."""
    if key is None:
        return _answer(status, _json(create()))
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    asked = _fingerprint(request, payload)
    now = timezone.now()
    IdempotencyKey.objects.filter(
        organisation_id=token.user.staff.organisation_id, expires_at__lte=now
    ).delete()
    with transaction.atomic():
        claimed = _claim(token, key, asked, status, now)
        if claimed is None:
            return _replay(token, key, asked)
        claimed.body = _json(create())
        claimed.save(update_fields=["body"])
    return _answer(status, claimed.body)


def _claim(
    token: ApiToken, key: str, asked: str, status: int, now: datetime
) -> IdempotencyKey | None:
    """The key, newly ours; None when it was used already.

    A concurrent request with the same key waits here (PostgreSQL: on the unique index;
    SQLite: for the write lock) until the first commits, then finds its answer.
    """
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                organisation_id=token.user.staff.organisation_id,
                token=token,
                key=key,
                request_sha256=asked,
                status=status,
                created_at=now,
                expires_at=now + KEPT_FOR,
            )
    except IntegrityError:
        return None


def _replay(token: ApiToken, key: str, asked: str) -> HttpResponse:
    kept = IdempotencyKey.objects.get(token=token, key=key)
    if kept.request_sha256 != asked:
        raise DomainError(
            "idempotency_key_reused",
            "This Idempotency-Key was sent before with a different request: "
            "use a new key for each new request.",
            field=HEADER,
        )
    response = _answer(kept.status, kept.body)
    response["Idempotent-Replayed"] = "true"
    return response


def _fingerprint(request: HttpRequest, payload: Schema) -> str:
    """The same request: the same method and path and the same body, however it is spaced."""
    body = json.dumps(payload.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _json(answer: Schema) -> str:
    return json.dumps(answer.model_dump(mode="json"))


def _answer(status: int, body: str) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="application/json; charset=utf-8")
    return no_store(response)
