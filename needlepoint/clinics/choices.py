from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    PRACTITIONER = "practitioner", "Practitioner"
    FRONT_DESK = "front_desk", "Front desk"
    TRAINEE = "trainee", "Trainee"


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


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
