"""Treatment sessions with the depth used on each zone, cartridges and adverse events.

These are the facts the clinical core needs to compute a client's next eligible date.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, NeedleConfiguration, Organisation, StaffMember


class TreatmentSession(models.Model):
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sessions")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="sessions")
    practitioner = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="sessions")
    indication = models.CharField(max_length=64, help_text="Indication key, e.g. ind.acne_scars.")
    performed_on = models.DateField(help_text="The location's local date of the session.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("client", "-performed_on")
        indexes = [models.Index(fields=["client", "performed_on"])]

    def __str__(self) -> str:
        return f"{self.client} on {self.performed_on}"


class ZoneTreatment(models.Model):
    organisation_path = "session__client__organisation"
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="zones")
    zone = models.CharField(max_length=64, help_text="Zone key, e.g. zone.cheeks.")
    depth_mm = models.DecimalField(max_digits=3, decimal_places=2)
    passes = models.PositiveSmallIntegerField(default=3)

    class Meta:
        ordering = ("session", "zone")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "zone"], name="one_record_per_zone_per_session"
            ),
            models.CheckConstraint(
                condition=Q(depth_mm__gt=0, depth_mm__lte=3), name="zone_depth_within_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.zone} at {self.depth_mm} mm"


class Cartridge(models.Model):
    """A sterile single-use cartridge: one physical cartridge is one row, used in one session."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cartridges"
    )
    configuration = models.ForeignKey(
        NeedleConfiguration, on_delete=models.PROTECT, related_name="cartridges"
    )
    serial = models.CharField(max_length=100)
    lot = models.CharField(max_length=100)
    expires_on = models.DateField()
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, null=True, blank=True, related_name="cartridges"
    )

    class Meta:
        ordering = ("organisation", "lot", "serial")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "serial"], name="cartridge_serial_unique"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "lot"])]

    def __str__(self) -> str:
        return f"{self.configuration} lot {self.lot} #{self.serial}"


class AdverseEvent(models.Model):
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="adverse_events")
    session = models.ForeignKey(
        TreatmentSession,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adverse_events",
    )
    kind = models.CharField(max_length=64, help_text="Adverse event key, e.g. ae.pih.")
    zones = models.JSONField(default=list)
    grade = models.PositiveSmallIntegerField(choices=[(1, "G1"), (2, "G2"), (3, "G3")])
    onset_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ("client", "-onset_on")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("onset_on")),
                name="adverse_event_resolved_after_onset",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} G{self.grade} ({self.client})"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None
