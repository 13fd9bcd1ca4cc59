"""What an import remembers of the clinic's previous system: a client's id there, so
appointments can name it, and the booking each imported appointment row made."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation
from needlepoint.core.models import OrganisationOneToOneField
from needlepoint.scheduling.models import Booking


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


class ImportedBooking(models.Model):
    """The booking an appointments import made, and how to know its row again on a re-run.

    ``source_id`` is the appointment's id in the old system, when the file had one;
    ``fingerprint`` hashes the row's client, service and start as imported. Both outlive
    a move or a cancellation in Needlepoint, so the row is never imported twice.
    """

    organisation_path = "organisation"
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    booking = OrganisationOneToOneField(Booking, on_delete=models.CASCADE, related_name="+")
    source_id = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "booking"], name="imported_booking_once_per_booking"
            ),
            models.UniqueConstraint(
                fields=["organisation", "source_id"],
                condition=~Q(source_id=""),
                name="imported_booking_source_id_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "fingerprint"], name="imported_booking_fingerprint_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.source_id or self.fingerprint[:12]
