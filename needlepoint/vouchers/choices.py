from django.db import models
from django.utils.translation import gettext_lazy as _


class VoucherStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SPENT = "spent", _("Used up")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class RedemptionKind(models.TextChoices):
    SPEND = "spend", _("Spent")
    REFUND = "refund", _("Put back (refund)")


class Country(models.TextChoices):
    GB = "GB", _("United Kingdom")
    IE = "IE", _("Ireland")
    DE = "DE", _("Germany")
    ES = "ES", _("Spain")
    US = "US", _("United States")
    OTHER = "other", _("Another country")
