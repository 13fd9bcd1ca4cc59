from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Who someone is at the clinic."""

    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    PRACTITIONER = "practitioner", _("Practitioner")
    FRONT_DESK = "front_desk", _("Front desk")
    TRAINEE = "trainee", _("Trainee")


TREATING_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.PRACTITIONER, Role.TRAINEE})
"""Who treats clients: gives services, charts sessions."""


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class DeviceKind(models.TextChoices):
    PEN = "pen", "Microneedling pen"
    ROLLER = "roller", "Roller"
    STAMP = "stamp", "Stamp"


class DeviceStatus(models.TextChoices):
    IN_SERVICE = "in_service", "In service"
    OUT_OF_SERVICE = "out_of_service", "Out for service"
    RETIRED = "retired", "Retired"


class NeedleMaterial(models.TextChoices):
    STEEL = "steel", "Surgical steel"
    TITANIUM = "titanium", "Titanium"
    GOLD_PLATED = "gold_plated", "Gold-plated"


class ChecklistItem(models.TextChoices):
    SCREENING = "screening", _("Screening current")
    CONSENT = "consent", _("Consent signed")
    PATCH_TEST = "patch_test", _("Patch test done")
    BEFORE_PHOTOS = "before_photos", _("Before photos taken")
    NUMBING = "numbing", _("Numbing applied and its time elapsed")
