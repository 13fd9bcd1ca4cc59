from django.db import models


class Fitzpatrick(models.IntegerChoices):
    I = 1, "I — always burns, never tans"  # noqa: E741
    II = 2, "II — usually burns, tans poorly"
    III = 3, "III — sometimes burns, tans gradually"
    IV = 4, "IV — rarely burns, tans easily"
    V = 5, "V — very rarely burns, tans darkly"
    VI = 6, "VI — never burns, deeply pigmented"


class SubmissionSource(models.TextChoices):
    ONLINE = "online", "Online booking"
    STAFF = "staff", "Entered by staff"
    PORTAL = "portal", "Client portal"
    IMPORT = "import", "Imported"
    KIOSK = "kiosk", "On the clinic's tablet"


class ScreeningOutcome(models.TextChoices):
    CLEARED = "cleared", "Cleared"
    NEEDS_REVIEW = "needs_review", "Needs practitioner review"
    DEFERRED = "deferred", "Deferred"
    DECLINED = "declined", "Declined"


class ConsentChannel(models.TextChoices):
    EMAIL = "email", "Email newsletter"
    SMS = "sms", "Text messages"
    PHOTOS = "photos", "Photos in the clinic's marketing"


class ReviewDecision(models.TextChoices):
    """What a clinician decided on reviewing a contraindication (see clients/reviews.py)."""

    CLEARED = "cleared", "Cleared"
    CLEARED_WITH_CONDITIONS = "cleared_with_conditions", "Cleared with conditions"
    DECLINED = "declined", "Declined"
