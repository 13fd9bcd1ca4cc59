from django.db import models
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    BOOKING_CONFIRMED = "booking_confirmed", _("Booking confirmation")
    BOOKING_MOVED = "booking_moved", _("Booking moved")
    BOOKING_CANCELLED = "booking_cancelled", _("Booking cancelled")
    REMINDER = "reminder", _("Reminder")
    PRE_CARE = "pre_care", _("Pre-care instructions")
    AFTERCARE = "aftercare", _("Aftercare")
    REBOOK = "rebook", _("You can book your next session")
    FOLLOW_UP = "follow_up", _("Follow-up photo visit")
    WAITLIST_OFFER = "waitlist_offer", _("Waitlist offer")
    NEWSLETTER = "newsletter", _("Newsletter")
    # Sent once, by email, as things happen; not reworded by the clinic.
    CONSENT_COPY = "consent_copy", _("Copy of a signed consent")
    NEWSLETTER_CONFIRM = "newsletter_confirm", _("Newsletter: confirm the address")
    REVIEW_REQUESTED = "review_requested", _("Online request waiting for review")
    INVOICE = "invoice", _("Invoice or credit note")
    GIFT_VOUCHER = "gift_voucher", _("Gift voucher")
    CHARGE_FAILED = "charge_failed", _("A card payment failed")
    MEMBERSHIP = "membership", _("Membership ended")


FIXED_WORDING = frozenset(
    {
        MessageKind.NEWSLETTER,
        MessageKind.CONSENT_COPY,
        MessageKind.NEWSLETTER_CONFIRM,
        MessageKind.REVIEW_REQUESTED,
        MessageKind.INVOICE,
        MessageKind.GIFT_VOUCHER,
        MessageKind.CHARGE_FAILED,
        MessageKind.MEMBERSHIP,
    }
)
"""Kinds whose words are not the clinic's to change (a newsletter is written each time)."""


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class MessageStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
