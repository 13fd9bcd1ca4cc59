from django.db import models


class MessageKind(models.TextChoices):
    BOOKING_CONFIRMED = "booking_confirmed", "Booking confirmation"
    BOOKING_MOVED = "booking_moved", "Booking moved"
    BOOKING_CANCELLED = "booking_cancelled", "Booking cancelled"
    REMINDER = "reminder", "Reminder"
    PRE_CARE = "pre_care", "Pre-care instructions"
    AFTERCARE = "aftercare", "Aftercare"
    REBOOK = "rebook", "You can book your next session"
    FOLLOW_UP = "follow_up", "Follow-up photo visit"
    WAITLIST_OFFER = "waitlist_offer", "Waitlist offer"
    NEWSLETTER = "newsletter", "Newsletter"
    # Sent once, by email, as things happen; not reworded by the clinic.
    CONSENT_COPY = "consent_copy", "Copy of a signed consent"
    NEWSLETTER_CONFIRM = "newsletter_confirm", "Newsletter: confirm the address"
    REVIEW_REQUESTED = "review_requested", "Online request waiting for review"
    INVOICE = "invoice", "Invoice or credit note"
    GIFT_VOUCHER = "gift_voucher", "Gift voucher"
    CHARGE_FAILED = "charge_failed", "A card payment failed"
    MEMBERSHIP = "membership", "Membership ended"


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
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
