"""A treatment session's chart: zones and depths, device and cartridge, photos, outcomes.

A session is charted while open; completing it signs and locks it, and the database
refuses any later change to it or its zones. Corrections are addenda. These are also
the facts the clinical core needs to compute a client's next eligible date.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage
from django.db import models
from django.db.models import F, Q

from needlepoint.clients.models import Client
from needlepoint.clinics.models import (
    Device,
    Location,
    NeedleConfiguration,
    Organisation,
    StaffMember,
)
from needlepoint.core.models import ImmutableModel, OrganisationOneToOneField, OrganisationRow
from needlepoint.core.storage import private_storage
from needlepoint.scheduling.models import Booking
from needlepoint.treatments.choices import (
    Endpoint,
    Glogau,
    PhotoTiming,
    PhotoView,
    Reaction,
    ScarGrade,
    SessionStatus,
    Technique,
)


def photo_storage() -> Storage:
    """Photos: the "private" storage (needlepoint/core/storage.py); only a permission-checked
    view reads them."""
    return private_storage


class TreatmentSession(OrganisationRow):
    organisation_from = "client"
    organisation_path = "client__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="sessions")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="sessions")
    practitioner = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="sessions")
    booking = OrganisationOneToOneField(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="session"
    )
    indication = models.CharField(max_length=64, help_text="Indication key, e.g. ind.acne_scars.")
    performed_on = models.DateField(help_text="The location's local date of the session.")
    status = models.CharField(
        max_length=16, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions"
    )
    speed_hz = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The pen's stroke rate as set, strokes per second."
    )
    numbing_product = models.CharField(max_length=120, blank=True)
    numbing_applied_at = models.DateTimeField(null=True, blank=True)
    topicals = models.TextField(blank=True, help_text="Glide, serums and topicals applied.")
    reaction = models.CharField(max_length=24, choices=Reaction.choices, blank=True)
    reaction_notes = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    next_eligible_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("client", "-performed_on")
        indexes = [models.Index(fields=["client", "performed_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "booking"], name="session_once_per_booking"
            ),
            models.CheckConstraint(
                condition=Q(status=SessionStatus.OPEN, completed_at__isnull=True)
                | Q(status=SessionStatus.COMPLETED, completed_at__isnull=False),
                name="completed_session_has_its_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} on {self.performed_on}"

    @property
    def is_locked(self) -> bool:
        return self.status == SessionStatus.COMPLETED


class ZoneTreatment(OrganisationRow):
    """One segment of a zone's treatment: a depth, its passes, the cartridge and endpoint.

    A zone may be treated in several segments in one session (say 1.5 mm on the scars,
    then 0.5 mm over the whole cheek); each is a row, and the deepest decides the
    interval and the consent band, so a shallower pass never hides a deeper one.
    """

    organisation_from = "session"
    organisation_path = "session__client__organisation"
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="zones")
    zone = models.CharField(max_length=64, help_text="Zone key, e.g. zone.cheeks.")
    depth_mm = models.DecimalField(max_digits=3, decimal_places=2)
    passes = models.PositiveSmallIntegerField(default=3)
    cartridge = models.ForeignKey(
        "Cartridge", on_delete=models.PROTECT, null=True, blank=True, related_name="segments"
    )
    technique = models.CharField(max_length=16, choices=Technique.choices, blank=True)
    endpoint = models.CharField(max_length=24, choices=Endpoint.choices, blank=True)
    notes = models.TextField(blank=True)
    depth_status = models.CharField(max_length=8, blank=True, help_text="ok, warn or block.")
    depth_message = models.TextField(blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("session", "zone", "pk")
        constraints = [
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
    opened_at = models.DateTimeField(null=True, blank=True)

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


class AdverseEvent(OrganisationRow):
    organisation_from = "client"
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
    follow_up = models.TextField(blank=True, help_text="What was done, and when to review.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

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


class SessionAddendum(OrganisationRow, ImmutableModel):
    """A correction or later note on a signed chart; the original stays as it was."""

    organisation_from = "session"
    organisation_path = "session__client__organisation"
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ("session", "at", "pk")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="addendum_has_text")]


class Countersignature(OrganisationRow, ImmutableModel):
    """A practitioner's signature under a chart a trainee signed: the chart is then complete."""

    organisation_from = "session"
    organisation_path = "session__client__organisation"
    session = OrganisationOneToOneField(
        TreatmentSession, on_delete=models.PROTECT, related_name="countersignature"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "session"], name="countersignature_once_per_session"
            ),
        ]


class Outcome(OrganisationRow, ImmutableModel):
    """The scores of one session: scar grade and count score, Glogau, the client's own rating."""

    organisation_from = "session"
    organisation_path = "session__client__organisation"
    session = OrganisationOneToOneField(
        TreatmentSession, on_delete=models.PROTECT, related_name="outcome"
    )
    scar_grade = models.PositiveSmallIntegerField(choices=ScarGrade.choices, null=True, blank=True)
    scar_counts = models.JSONField(default=dict, blank=True)
    scar_score = models.PositiveSmallIntegerField(null=True, blank=True)
    glogau = models.PositiveSmallIntegerField(choices=Glogau.choices, null=True, blank=True)
    improvement = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="The client's rating of improvement, 0 none to 10 complete.",
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "session"], name="outcome_once_per_session"
            ),
            models.CheckConstraint(
                condition=Q(scar_score__isnull=True) | Q(scar_score__lte=84),
                name="scar_score_within_scale",
            ),
            models.CheckConstraint(
                condition=Q(improvement__isnull=True) | Q(improvement__lte=10),
                name="improvement_within_scale",
            ),
        ]


class Photo(OrganisationRow):
    """A standard-view photo of a session, re-encoded without metadata, with a thumbnail."""

    organisation_from = "session"
    organisation_path = "session__client__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(TreatmentSession, on_delete=models.PROTECT, related_name="photos")
    view = models.CharField(max_length=16, choices=PhotoView.choices)
    timing = models.CharField(max_length=8, choices=PhotoTiming.choices)
    image = models.FileField(storage=photo_storage, max_length=200)
    thumbnail = models.FileField(storage=photo_storage, max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ("session", "timing", "view", "uploaded_at")

    def __str__(self) -> str:
        return f"{self.get_timing_display()} {self.get_view_display()} ({self.session})"
