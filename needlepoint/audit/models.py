"""The audit log: one row per access to or change of health data, never changed afterwards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from needlepoint.audit.choices import Action, Target
from needlepoint.core.models import ImmutableModel


class AuditEvent(ImmutableModel):
    """Who did what to which record, when and from where (and why, for overrides).

    Written only by ``needlepoint.audit.record``; the database refuses UPDATE and DELETE
    (see migration 0002). The links to the user, organisation and client carry no database
    constraint, so an event outlives anything it names.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    organisation = models.ForeignKey(
        "clinics.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    actor = models.CharField(max_length=254, help_text="Who, as they were known at the time.")
    role = models.CharField(max_length=16)
    action = models.CharField(max_length=16, choices=Action.choices)
    target = models.CharField(max_length=16, choices=Target.choices)
    target_id = models.CharField(max_length=64, blank=True)
    client = models.ForeignKey(
        "clients.Client",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    ip = models.GenericIPAddressField(null=True)
    path = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=["organisation", "-at"], name="audit_by_organisation"),
            models.Index(fields=["client", "-at"], name="audit_by_client"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.target}"
