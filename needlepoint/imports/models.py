"""The id a client had in the clinic's previous system, so appointments can name it."""

from __future__ import annotations

from django.db import models

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation


class ExternalClientId(models.Model):
    """One client's id in another system, recorded when clients are imported with one."""

    organisation_path = "organisation"
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(max_length=100)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="external_ids")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_id"], name="external_client_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.external_id
