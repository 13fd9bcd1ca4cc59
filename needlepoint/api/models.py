"""API tokens: a program's key to the API, acting as the staff member who made it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """Only the SHA-256 of the secret is kept: the secret is shown once, when it is made.

    The token acts as its user, within its scopes: the user's role and organisation
    still decide what it may reach. Revoking is for good; a deactivated staff member's
    tokens stop working too, and so does a token past its ``expires_at``. Not in the
    settings area: a token is seen only by the staff member who made it and the owners
    (the API tokens page).
    """

    organisation_path = "user__staff__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'Website booking'.")
    prefix = models.CharField(max_length=16, help_text="The secret's first characters.")
    secret_sha256 = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class IdempotencyKey(models.Model):
    """A write a program may safely send again: its ``Idempotency-Key``, what it asked and
    what it was answered, kept for a day (docs/api.md).

    Written in the transaction that made the record, so a key is kept only with the
    record it made. The answer may hold a client's contact details: it is deleted when
    it expires, at the organisation's next keyed write.
    """

    organisation_path = "organisation"
    organisation = models.ForeignKey(
        "clinics.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_sha256 = models.CharField(max_length=64, help_text="Method, path and body.")
    status = models.PositiveSmallIntegerField()
    # Empty only inside the transaction that claims the key: filled before it commits.
    body = models.TextField(blank=True, help_text="The answer's JSON, byte for byte.")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "token", "key"], name="idempotency_key_once_per_token"
            )
        ]
        indexes = [models.Index(fields=["organisation", "expires_at"])]

    def __str__(self) -> str:
        return self.key
