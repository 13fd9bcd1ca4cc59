"""Sign-in links for the client portal: single use, short-lived, stored only as a hash."""

from __future__ import annotations

from django.db import models

from needlepoint.clients.models import Client


class PortalLink(models.Model):
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="portal_links")
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Sign-in link for {self.client}"
