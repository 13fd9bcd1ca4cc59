"""The outbox: every message to a client is a row, sent once by the worker.

A message is planned as a row with an idempotency key made of its kind, its subject
(the booking, session, offer or campaign it is about), its step, its channel and
recipient, and its due time; the key is unique in the database, so planning twice
never makes two messages. The worker claims due rows, sends them with the key (so a
retry after a crash is recognised downstream), and marks them sent.
"""

from __future__ import annotations

import hashlib
import secrets
import string

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.core.models import OrganisationRow
from needlepoint.notifications.choices import Channel, MessageKind, MessageStatus


def idempotency_key(
    kind: str, subject: str, step: str, channel: str, recipient: str, due_at_iso: str
) -> str:
    text = "|".join((kind, subject, step, channel, recipient.lower(), due_at_iso))
    return hashlib.sha256(text.encode()).hexdigest()[:48]


class Message(models.Model):
    organisation_path = "organisation"
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(
        Client, on_delete=models.PROTECT, null=True, blank=True, related_name="messages"
    )
    kind = models.CharField(max_length=24, choices=MessageKind.choices)
    subject = models.CharField(
        max_length=80, help_text="What it is about, e.g. booking:<id>, session:<id>."
    )
    step = models.CharField(max_length=16, blank=True, help_text="e.g. 48h, day3, 3m.")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    recipient = models.CharField(max_length=254)
    due_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=48)
    status = models.CharField(
        max_length=12, choices=MessageStatus.choices, default=MessageStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(help_text="Due time, then pushed back after a failure.")
    lease_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-due_at",)
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status__in=["pending", "sending"]),
                name="messages_waiting_by_time",
            ),
            models.Index(fields=["subject", "status"], name="messages_by_subject"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="sent_message_has_its_time",
            ),
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="message_sent_once_per_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} at {self.due_at:%Y-%m-%d %H:%M}"


class Campaign(models.Model):
    """A newsletter, written by staff and sent through the outbox to confirmed subscribers."""

    organisation_path = "organisation"
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=150)
    body = models.TextField(help_text=_("Plain text; links are made clickable in the HTML part."))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.subject


PLACEHOLDERS = {
    "first_name": _("the client's first name"),
    "clinic": _("the clinic's name"),
    "location": _("the location's name"),
    "phone": _("the location's phone number"),
    "when": _("the appointment's day and time"),
    "link": _("the client's link to move or cancel"),
    "book_link": _("the online booking page"),
    "stage": _("the aftercare day's title"),
    "expect": _("what to expect that day"),
    "advice": _("what to do that day"),
    "eligible_on": _("the date the next session may be booked from"),
    "months": _("months since the course ended"),
    "until": _("until when a waitlist offer is held"),
}


def validate_placeholders(text: str) -> None:
    """Only the known ``$placeholders`` may appear (``$$`` is a dollar sign)."""
    unknown = set()
    for escaped, named, braced, _invalid in string.Template.pattern.findall(text):
        name = named or braced
        if not escaped and name not in PLACEHOLDERS:
            unknown.add(f"${name}" if name else str(_("a lone $ (write $$ for a dollar sign)")))
    if unknown:
        known = ", ".join(f"${name}" for name in PLACEHOLDERS)
        raise ValidationError(
            _("Unknown placeholder %(unknown)s; use %(known)s.")
            % {"unknown": ", ".join(sorted(unknown)), "known": known}
        )


class MessageWording(models.Model):
    """A clinic's own wording for one kind of message on one channel in one language,
    instead of the default: a client gets their language's, else the clinic default's."""

    organisation_path = "organisation"
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=24, choices=MessageKind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    language = models.CharField(max_length=10, default="en-gb")
    subject = models.CharField(max_length=150, blank=True, validators=[validate_placeholders])
    body = models.TextField(validators=[validate_placeholders])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "channel", "language"],
                name="one_wording_per_message",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_channel_display()}, {self.language})"


class WorkerHeartbeat(models.Model):
    """Each worker writes its last sign of life here; the staff home warns when it stalls."""

    worker_id = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()
    started_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker_id} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class CalendarFeed(OrganisationRow):
    """A practitioner's private iCalendar subscription: a secret URL, revocable."""

    organisation_from = "staff"
    organisation_path = "staff__organisation"
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.staff}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh secret and the hash stored for it (the secret itself is never stored)."""
        token = secrets.token_urlsafe(32)
        return token, hashlib.sha256(token.encode()).hexdigest()

    @staticmethod
    def hash_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
