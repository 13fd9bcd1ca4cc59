"""Sign-in links for the client portal: single use, short-lived, stored only as a hash."""

from __future__ import annotations

from django.db import models

from needlepoint.clients.models import Client
from needlepoint.core.models import OrganisationRow


class PortalLink(OrganisationRow):
    organisation_from = "client"
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


class OnlineRequest(OrganisationRow):
    """A time asked for online by a client whose answers need a practitioner's review first.

    Nothing is booked or held: staff review the screening, then book the time (or
    another) from the staff home page. A request is open until the client has a booking
    for the service made after it, or its time has passed.
    """

    organisation_from = "client"
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="online_requests")
    service = models.ForeignKey(
        "scheduling.Service", on_delete=models.CASCADE, related_name="online_requests"
    )
    starts_at = models.DateTimeField()
    screening = models.ForeignKey(
        "clients.Screening", on_delete=models.CASCADE, related_name="online_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("starts_at",)

    def __str__(self) -> str:
        return f"{self.client} asked for {self.service} at {self.starts_at:%Y-%m-%d %H:%M}"
