from django.db import models
from django.utils.translation import gettext_lazy as _


class PackageStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    USED_UP = "used_up", _("Used up")
    EXPIRED = "expired", _("Expired")
    TRANSFERRED = "transferred", _("Transferred")
    CREDITED = "credited", _("Converted to account credit")
    REFUNDED = "refunded", _("Refunded")
    VOIDED = "voided", _("Voided")


# Ended by a decision of the clinic: nothing more is redeemed, nothing is owed.
ENDED = (
    PackageStatus.TRANSFERRED,
    PackageStatus.CREDITED,
    PackageStatus.REFUNDED,
    PackageStatus.VOIDED,
)


class PauseReason(models.TextChoices):
    SCREENING_DEFERRED = "deferred", _("Screening deferred treatment")
    SCREENING_REVIEW = "review", _("Screening needs a clinician's review or declined")
    ADVERSE_EVENT = "adverse_event", _("An adverse event is open")


class Payment(models.TextChoices):
    """How a package sold at the desk is paid."""

    CASH = "cash", _("Cash")
    TERMINAL = "terminal", _("Card (clinic terminal)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    INSTALMENTS = "instalments", _("By instalments on the saved card")
