"""Courses sold as packages: the clinic's offers, the packages sold, each session redeemed,
and the pauses of a package's clock while the client is clinically deferred.

A package is the course plan (``scheduling.Course``) paid up front. Its ``used`` counter
can never pass its ``sessions``: the database refuses it (a CheckConstraint), and each
redemption adds one with a conditional UPDATE, so two completions at once can't both
take the last session. Money is in whole minor units of ``currency``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from needlepoint.clients.models import Client
from needlepoint.core.models import ImmutableModel, OrganisationOneToOneField, OrganisationRow
from needlepoint.packages.choices import PackageStatus, PauseReason
from needlepoint.payments.models import Invoice
from needlepoint.scheduling.models import Booking, Course, Service

MOST_SESSIONS = 24


class PackageOffer(OrganisationRow):
    """A course the clinic sells: N sessions of a service at a price, valid for N days."""

    organisation_from = "service"
    organisation_path = "service__location__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="package_offers")
    name = models.CharField(_("name"), max_length=120)
    sessions = models.PositiveSmallIntegerField(_("sessions"))
    price_minor = models.PositiveIntegerField(_("price"))
    valid_days = models.PositiveSmallIntegerField(
        _("valid for (days)"), help_text=_("From the day it is sold; paused while deferred.")
    )
    sold_online = models.BooleanField(_("sold online"), default=False)
    is_active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        ordering = ("service", "sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions__gte=1, sessions__lte=MOST_SESSIONS),
                name="package_offer_sessions_1_to_24",
            ),
            models.CheckConstraint(
                condition=Q(valid_days__gte=1), name="package_offer_valid_a_day_or_more"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Package(OrganisationRow):
    """A course sold to a client: its plan, its sale invoice and what is left of it."""

    organisation_from = "client"
    organisation_path = "client__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="packages")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    offer = models.ForeignKey(
        PackageOffer, on_delete=models.PROTECT, null=True, blank=True, related_name="packages"
    )
    course = OrganisationOneToOneField(Course, on_delete=models.PROTECT, related_name="package")
    sessions = models.PositiveSmallIntegerField()
    used = models.PositiveSmallIntegerField(default=0)
    price_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    invoice = models.ForeignKey(
        Invoice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The sale invoice; none for a package received by transfer.",
    )
    transferred_from = OrganisationOneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="transferred_to"
    )
    sold_at = models.DateTimeField()
    expires_on = models.DateField(help_text="As sold: pauses move the effective expiry on.")
    status = models.CharField(
        max_length=12, choices=PackageStatus.choices, default=PackageStatus.ACTIVE
    )
    sold_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.TextField(blank=True)
    end_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    end_amount_minor = models.BigIntegerField(default=0)
    consent_recorded = models.BooleanField(
        default=False, help_text="A transfer: staff recorded that the client agreed."
    )

    class Meta:
        ordering = ("-sold_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions__gte=1, sessions__lte=MOST_SESSIONS),
                name="package_sessions_1_to_24",
            ),
            models.UniqueConstraint(
                fields=["organisation", "course"], name="package_once_per_course"
            ),
            models.UniqueConstraint(
                fields=["organisation", "transferred_from"], name="package_transferred_once"
            ),
            models.CheckConstraint(
                condition=Q(used__lte=F("sessions")), name="package_used_at_most_sold"
            ),
            models.CheckConstraint(
                condition=Q(price_minor__gte=0), name="package_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(end_percent__isnull=True) | Q(end_percent__lte=100),
                name="package_end_percent_at_most_100",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"])]

    def __str__(self) -> str:
        return f"{self.service} × {self.sessions}"

    @property
    def left(self) -> int:
        return self.sessions - self.used


class Redemption(OrganisationRow, ImmutableModel):
    """One session of a package given: at most one per booking, ever."""

    organisation_from = "package"
    organisation_path = "package__client__organisation"
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="redemptions")
    booking = OrganisationOneToOneField(
        Booking, on_delete=models.PROTECT, related_name="redemption"
    )
    number = models.PositiveSmallIntegerField(help_text="Session k of the package.")
    value_minor = models.BigIntegerField()
    at = models.DateTimeField()

    class Meta:
        ordering = ("package", "number")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "package", "number"],
                name="redemption_number_once_per_package",
            ),
            models.UniqueConstraint(
                fields=["organisation", "booking"], name="redemption_once_per_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"Session {self.number} of {self.package}"


class Pause(OrganisationRow):
    """Days the package's clock stood still, and why: open (no end) until the reason ends."""

    organisation_from = "package"
    organisation_path = "package__client__organisation"
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="pauses")
    reason = models.CharField(max_length=16, choices=PauseReason.choices)
    source = models.CharField(max_length=40, help_text="What paused it, e.g. screening:12.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Open while empty.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("package", "starts_on", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "package", "source"], name="pause_once_per_source"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="pause_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.starts_on}"
