"""Treatment consent: forms per service, their versions, and the signatures given.

A form's wording is never edited: a change is a new version, and a new version means a
new signature is due. A signature is written once and never changed or deleted; the
database refuses it too.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.db import models

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation
from needlepoint.consents.choices import SignatureKind
from needlepoint.core.models import ImmutableModel, JoinRow, OrganisationRow

if TYPE_CHECKING:
    from needlepoint.scheduling.models import Service


class ConsentForm(models.Model):
    """A consent form a clinic asks clients to sign before the services it covers."""

    organisation_path = "organisation"
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="consent_forms"
    )
    name = models.CharField(max_length=120)
    services: models.ManyToManyField[Service, ConsentFormService] = models.ManyToManyField(
        "scheduling.Service",
        related_name="consent_forms",
        blank=True,
        through="ConsentFormService",
        help_text="The services that need this form signed first.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("organisation", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="consent_form_name_unique_in_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ConsentFormService(JoinRow):
    """A service that needs a consent form signed first."""

    organisation_from = "consent_form"
    organisation_to = "service"
    organisation_path = "consent_form__organisation"
    consent_form = models.ForeignKey(
        ConsentForm, on_delete=models.CASCADE, related_name="+", db_column="consentform_id"
    )
    service = models.ForeignKey("scheduling.Service", on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "consents_consentform_services"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "consent_form", "service"],
                name="consent_form_covers_service_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.consent_form_id} covers {self.service_id}"


class ConsentFormVersion(OrganisationRow, ImmutableModel):
    """One published wording of a form, fixed for ever once written."""

    organisation_from = "form"
    organisation_path = "form__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(ConsentForm, on_delete=models.PROTECT, related_name="versions")
    # Each language's text has its own numbers: the English text (the clinic's source) is
    # version 1, 2, …; a translation says which English version it translates, and is
    # offered only while that English version is the current one.
    language = models.CharField(max_length=10, default="en-gb")
    version = models.PositiveIntegerField()
    translates = models.PositiveIntegerField(
        null=True, blank=True, help_text="The English version translated; empty for English."
    )
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    published_at = models.DateTimeField(auto_now_add=True)
    # What a procedure consent covers (§7.3): needling for these indications, up to this
    # depth band, with these kinds of device. Blank for a form that covers no needling
    # (photographs, say). Fixed with the version: a wider scope is a new version.
    depth_band = models.CharField(
        max_length=32, blank=True, help_text="Depth band key, e.g. band.mid_dermal."
    )
    indications = models.JSONField(default=list, blank=True)
    device_kinds = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("form", "-version")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "form", "language", "version"],
                name="consent_version_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.language == "en-gb":
            return f"{self.form} v{self.version}"
        return f"{self.form} v{self.version} ({self.language})"


class SignedConsent(OrganisationRow, ImmutableModel):
    """A client's signature on one version of a form: what, when, from where, and how."""

    organisation_from = "client"
    organisation_path = "client__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="signed_consents")
    form_version = models.ForeignKey(
        ConsentFormVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    text_sha256 = models.CharField(max_length=64, help_text="The hash of the text as signed.")
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=8, choices=SignatureKind.choices)
    typed_name = models.CharField(max_length=200)
    drawing_png = models.BinaryField(blank=True, default=b"", help_text="The drawn signature.")

    class Meta:
        ordering = ("client", "-signed_at")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client", "form_version"],
                name="one_signature_per_client_and_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} signed {self.form_version}"

    @property
    def language(self) -> str:
        """The language of the text signed (fixed with the version signed)."""
        return self.form_version.language
