"""Webhooks: an organisation's subscriptions, and the outbox of deliveries to them.

A change (a booking made, a session completed, …) writes one delivery row per subscribed
URL in the change's own transaction (webhooks/events.py); the worker posts each, signed,
with its idempotency key, and records the answer (webhooks/delivery.py).
"""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from needlepoint.clinics.models import Organisation
from needlepoint.core.models import OrganisationRow


class Event(models.TextChoices):
    BOOKING_CREATED = "booking.created", _("Booking made")
    BOOKING_CHANGED = "booking.changed", _("Booking moved, checked in, no-show or completed")
    BOOKING_CANCELLED = "booking.cancelled", _("Booking cancelled")
    SESSION_COMPLETED = "session.completed", _("Treatment session completed")
    CLIENT_SCREENED = "client.screened", _("Client screened")
    PAYMENT_SUCCEEDED = "payment.succeeded", _("Payment went through")
    PAYMENT_REFUNDED = "payment.refunded", _("Refund went through")
    INVOICE_ISSUED = "invoice.issued", _("Invoice or credit note issued")
    FEE_CHARGED = "fee.charged", _("No-show or late-cancellation fee charged")
    FEE_WAIVED = "fee.waived", _("No-show or late-cancellation fee waived")
    PACKAGE_SOLD = "package.sold", _("Course package sold")
    PACKAGE_REDEEMED = "package.redeemed", _("Course package session redeemed")
    PACKAGE_ENDED = "package.ended", _("Course package ended")
    VOUCHER_ISSUED = "voucher.issued", _("Gift voucher issued")
    VOUCHER_REDEEMED = "voucher.redeemed", _("Gift voucher spent")
    MEMBERSHIP_STARTED = "membership.started", _("Membership started (its first period paid)")
    MEMBERSHIP_RENEWED = "membership.renewed", _("Membership period paid")
    MEMBERSHIP_PAYMENT_FAILED = "membership.payment_failed", _("Membership payment refused")
    MEMBERSHIP_ENDED = "membership.ended", _("Membership cancelled or lapsed")
    PING = "ping", _("Test event")


SUBSCRIBABLE = [(value, label) for value, label in Event.choices if value != Event.PING]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


def new_secret() -> str:
    return f"whsec_{secrets.token_hex(24)}"


class WebhookSubscription(models.Model):
    """A URL of the organisation's that is told about the events it chose."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="Event names, e.g. booking.created.")
    secret = models.CharField(max_length=64, default=new_secret, help_text="Signs each delivery.")
    previous_secret = models.CharField(
        max_length=64, blank=True, help_text="The secret before the last rotation."
    )
    previous_secret_until = models.DateTimeField(
        null=True, blank=True, help_text="Until when the previous secret signs too."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-active", "-created_at")

    def __str__(self) -> str:
        return self.url

    def event_labels(self) -> list[str]:
        return [str(Event(event).label) for event in self.events if event in Event.values]

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets that sign a delivery made at ``now``, the newest first."""
        until = self.previous_secret_until
        if self.previous_secret and until is not None and now < until:
            return [self.secret, self.previous_secret]
        return [self.secret]


class WebhookDelivery(OrganisationRow):
    """One event for one subscription: sent once by the worker, retried, then failed."""

    organisation_from = "subscription"
    organisation_path = "subscription__organisation"
    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=32, choices=Event.choices)
    payload = models.JSONField(help_text="The event's data, sent as the body's data.")
    idempotency_key = models.UUIDField(default=uuid.uuid4, editable=False)
    status = models.CharField(
        max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(
        max_length=300, blank=True, help_text="The start of the answer, or why none came."
    )
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="webhooks_waiting_by_time",
            ),
            models.Index(fields=["subscription", "-created_at"], name="webhook_log"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(delivered_at__isnull=False),
                name="sent_webhook_has_its_time",
            ),
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="webhook_delivered_once_per_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} to {self.subscription.url}"


class WebhookAttempt(OrganisationRow):
    """One POST of a delivery: when, what came back (or why nothing did), how long it took."""

    organisation_from = "delivery"
    organisation_path = "delivery__subscription__organisation"
    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.CharField(max_length=300, blank=True)
    error = models.CharField(
        max_length=300, blank=True, help_text="Why no answer came: refused, timed out, unsafe."
    )
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ("attempted_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(status_code__isnull=False) | ~Q(error=""),
                name="webhook_attempt_has_an_answer_or_an_error",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delivery} at {self.attempted_at:%Y-%m-%d %H:%M:%S}"
