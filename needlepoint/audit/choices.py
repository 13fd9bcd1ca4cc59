from django.db import models


class Action(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    CREATED = "created", "Created"
    CHANGED = "changed", "Changed"
    REMOVED = "removed", "Removed"
    EXPORTED = "exported", "Exported"
    PRINTED = "printed", "Printed"
    OVERRIDDEN = "overridden", "Overrode a safety rule"
    COUNTERSIGNED = "countersigned", "Countersigned"
    ANONYMISED = "anonymised", "Anonymised"
    PURGED = "purged", "Purged"
    DENIED = "denied", "Refused access"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Sign-in locked out"
    CODE_REFUSED = "code_refused", "Sign-in code refused"
    SIGNED_OUT = "signed_out", "Signed out"


class Target(models.TextChoices):
    CLIENT = "client", "Client record"
    HEALTH = "health", "Medical history"
    SCREENING = "screening", "Screening"
    CHART = "chart", "Treatment chart"
    PHOTO = "photo", "Photo"
    CONSENT = "consent", "Consent"
    BOOKING = "booking", "Booking"
    ADVERSE_EVENT = "adverse_event", "Adverse event"
    AUDIT_LOG = "audit_log", "Audit log"
    ACCOUNT = "account", "Account"
    PAGE = "page", "Page"
    CAMPAIGN = "campaign", "Newsletter"
    WORDING = "wording", "Message wording"
    CALENDAR_FEED = "calendar_feed", "Calendar feed"
