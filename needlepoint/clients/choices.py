from django.db import models
from django.utils.translation import gettext_lazy as _


class Fitzpatrick(models.IntegerChoices):
    I = 1, _("I — always burns, never tans")  # noqa: E741
    II = 2, _("II — usually burns, tans poorly")
    III = 3, _("III — sometimes burns, tans gradually")
    IV = 4, _("IV — rarely burns, tans easily")
    V = 5, _("V — very rarely burns, tans darkly")
    VI = 6, _("VI — never burns, deeply pigmented")


class SubmissionSource(models.TextChoices):
    ONLINE = "online", _("Online booking")
    STAFF = "staff", _("Entered by staff")
    PORTAL = "portal", _("Client portal")
    IMPORT = "import", _("Imported")
    KIOSK = "kiosk", _("On the clinic's tablet")


class ScreeningOutcome(models.TextChoices):
    CLEARED = "cleared", _("Cleared")
    NEEDS_REVIEW = "needs_review", _("Needs practitioner review")
    DEFERRED = "deferred", _("Deferred")
    DECLINED = "declined", _("Declined")


class ConsentChannel(models.TextChoices):
    EMAIL = "email", _("Email newsletter")
    SMS = "sms", _("Text messages")
    PHOTOS = "photos", _("Photos in the clinic's marketing")


class ReviewDecision(models.TextChoices):
    """What a clinician decided on reviewing a contraindication (see clients/reviews.py)."""

    CLEARED = "cleared", _("Cleared")
    CLEARED_WITH_CONDITIONS = "cleared_with_conditions", _("Cleared with conditions")
    DECLINED = "declined", _("Declined")
