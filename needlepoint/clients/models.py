"""Clients, their medical-history questionnaires (kept as versions), screenings and reviews."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.files.storage import Storage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy

from needlepoint.clients.choices import (
    ConsentChannel,
    Fitzpatrick,
    ReviewDecision,
    ScreeningOutcome,
    SubmissionSource,
)
from needlepoint.clinics.models import Location, Organisation, validate_language
from needlepoint.core.models import ImmutableModel, OrganisationRow
from needlepoint.core.storage import private_storage


class Client(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="clients")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    home_location = models.ForeignKey(
        Location, on_delete=models.SET_NULL, null=True, blank=True, related_name="clients"
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    phone = models.CharField(
        max_length=20, blank=True, help_text="International format, e.g. +44 7700 900123."
    )
    date_of_birth = models.DateField()
    message_channel = models.CharField(
        max_length=8,
        choices=[
            ("email", gettext_lazy("Email")),
            ("sms", gettext_lazy("Text message")),
            ("both", gettext_lazy("Email and text")),
        ],
        default="email",
        help_text="How the client likes reminders and aftercare to reach them.",
    )
    language = models.CharField(
        max_length=8,
        blank=True,
        validators=[validate_language],
        help_text="Pages and messages for the client are in it; blank: the clinic's default.",
    )
    fitzpatrick = models.PositiveSmallIntegerField(
        choices=Fitzpatrick.choices,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(6)],
        verbose_name="Fitzpatrick type",
    )
    alert = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown to staff wherever the client appears, e.g. needle-phobic: numb 45 min.",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    erasure_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Contact and marketing data erased."
    )
    purge_after = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The clinical record is kept until this date (retention), then purged.",
    )
    purged_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Only a tombstone is left."
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_records",
        help_text="A duplicate record, closed: the person's record is this one.",
    )

    class Meta:
        ordering = ("last_name", "first_name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"],
                condition=~Q(email=""),
                name="client_email_unique_in_organisation",
            ),
            models.CheckConstraint(
                condition=Q(fitzpatrick__isnull=True) | Q(fitzpatrick__gte=1, fitzpatrick__lte=6),
                name="client_fitzpatrick_i_to_vi",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "last_name", "first_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def preferred_language(self) -> str:
        """The language pages and messages for the client are in: theirs, or the clinic's."""
        return self.language or self.organisation.default_language


class MarketingConsent(models.Model):
    """A person's yes to marketing on one channel, in the words they were shown.

    A sign-up is pending until the person confirms it from the address itself (double
    opt-in); only a confirmed, not withdrawn consent may ever be used to send marketing.
    The person need not be a client yet. Consent to use a client's photos in marketing
    (channel ``photos``) is kept here too, apart from any treatment consent: given in the
    clinic, it is confirmed when given (see ``clients/photo_consent.py``).
    """

    organisation_path = "organisation"
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="marketing_consents"
    )
    client = models.ForeignKey(
        Client,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="marketing_consents",
    )
    channel = models.CharField(max_length=8, choices=ConsentChannel.choices)
    address = models.CharField(
        max_length=254,
        help_text="The email address or phone number; for photos, the client's record id.",
    )
    wording = models.TextField(help_text="Exactly what the person agreed to.")
    source = models.CharField(max_length=100, help_text="Where it was given, e.g. booking form.")
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("organisation", "-requested_at")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel", "address"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_marketing_consent_per_address",
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_at__gte=F("requested_at")),
                name="marketing_consent_confirmed_after_request",
            ),
        ]

    def __str__(self) -> str:
        if self.withdrawn_at:
            state = "withdrawn"
        else:
            state = "confirmed" if self.confirmed_at else "awaiting confirmation"
        return f"{self.get_channel_display()} consent {state}"

    @property
    def is_live(self) -> bool:
        return self.confirmed_at is not None and self.withdrawn_at is None


class QuestionnaireSubmission(OrganisationRow, ImmutableModel):
    """One complete set of medical-history answers. A change is a new version, never an edit."""

    organisation_from = "client"
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="questionnaires")
    version = models.PositiveIntegerField()
    answered_on = models.DateField(help_text="The client's local date when they answered.")
    answers = models.JSONField()
    rules_version = models.CharField(max_length=64, help_text="Rules the questions came from.")
    source = models.CharField(max_length=16, choices=SubmissionSource.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("client", "-version")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client", "version"], name="questionnaire_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Medical history v{self.version} of {self.client}"


class Screening(OrganisationRow, ImmutableModel):
    """The contraindication engine's decision on a questionnaire, with the rules that made it."""

    organisation_from = "client"
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="screenings")
    submission = models.ForeignKey(
        QuestionnaireSubmission, on_delete=models.PROTECT, related_name="screenings"
    )
    screened_on = models.DateField()
    zones = models.JSONField(default=list, help_text="Zones screened for; empty means every zone.")
    outcome = models.CharField(max_length=16, choices=ScreeningOutcome.choices)
    deferred_until = models.DateField(null=True, blank=True)
    reasons = models.JSONField(default=list)
    rules_version = models.CharField(max_length=64)
    values_in_force = models.JSONField(default=dict)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("client", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=~Q(rules_version=""), name="screening_names_rules_version"
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[c.value for c in ScreeningOutcome]),
                name="screening_outcome_known",
            ),
        ]
        indexes = [models.Index(fields=["outcome", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} — {self.client}"


def private_file_storage() -> Storage:
    """Reviewers' letters: the "private" storage (needlepoint/core/storage.py)."""
    return private_storage


class ClinicalReview(OrganisationRow, ImmutableModel):
    """A clinician's decision on contraindications of a client: what clears a relative one,
    and the clearance part of a temporary one. Never an absolute one.

    Written once, refused by the database on change (migration 0007); a correction is a
    new review, and the latest in force wins. ``zones`` empty means every zone;
    ``expires_on`` is the first day it no longer counts. See ``clients/reviews.py``.
    """

    organisation_from = "client"
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="clinical_reviews")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    keys = models.JSONField(help_text="The contraindications reviewed (ci.* keys).")
    zones = models.JSONField(
        default=list, blank=True, help_text="Zone or area keys it covers; empty means every zone."
    )
    decision = models.CharField(max_length=32, choices=ReviewDecision.choices)
    reason = models.TextField(help_text="Why: what the clinician saw, asked or was sent.")
    conditions = models.TextField(
        blank=True, help_text="What treatment must respect (cleared with conditions only)."
    )
    reviewed_on = models.DateField()
    expires_on = models.DateField(
        null=True, blank=True, help_text="From this day it no longer counts; empty: no expiry."
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rules_version = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    attachment = models.FileField(
        storage=private_file_storage,
        max_length=200,
        blank=True,
        help_text="A letter from a physician or oncologist (PDF, JPEG or PNG).",
    )

    class Meta:
        ordering = ("client", "-reviewed_on", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=[c.value for c in ReviewDecision]),
                name="clinical_review_decision_known",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="clinical_review_has_reason"),
            models.CheckConstraint(
                condition=~Q(decision=ReviewDecision.CLEARED_WITH_CONDITIONS) | ~Q(conditions=""),
                name="clinical_review_conditions_stated",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("reviewed_on")),
                name="clinical_review_expires_after_review",
            ),
            models.CheckConstraint(
                condition=~Q(rules_version=""), name="clinical_review_names_rules_version"
            ),
        ]
        indexes = [models.Index(fields=["client", "reviewed_on"])]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} review of {self.client}"
