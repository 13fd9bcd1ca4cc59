from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")


class SessionsEvery(models.TextChoices):
    """How often the included sessions come round: each billing period, or each quarter
    (three months from the day the membership started)."""

    PERIOD = "period", _("Each billing period")
    QUARTER = "quarter", _("Each quarter")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAST_DUE = "past_due", _("Past due")
    CANCELLED = "cancelled", _("Cancelled")
    LAPSED = "lapsed", _("Lapsed")


# A client has benefits while the membership is one of these (past due: the card is
# being tried again; benefits stop only when the last try fails).
LIVE = (MembershipStatus.ACTIVE, MembershipStatus.PAST_DUE)


class PeriodStatus(models.TextChoices):
    DUE = "due", _("To pay")
    PAID = "paid", _("Paid")
    UNPAID = "unpaid", _("Not paid")
    VOID = "void", _("Cancelled")
