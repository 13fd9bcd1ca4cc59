from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    PATCH_TEST = "patch_test", _("Patch test")
    TREATMENT = "treatment", _("Microneedling treatment")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    STAFF = "staff", _("Staff")
    API = "api", _("API")
    IMPORT = "import", _("Import")


class HoldKind(models.TextChoices):
    PRACTITIONER = "practitioner", _("Practitioner")
    ROOM = "room", _("Room")
    DEVICE = "device", _("Device")


class BookingEventKind(models.TextChoices):
    CREATED = "created", _("Booked")
    RESCHEDULED = "rescheduled", _("Moved")
    CANCELLED = "cancelled", _("Cancelled")
    LATE_CANCELLED = "late_cancelled", _("Cancelled late")
    CHECKED_IN = "checked_in", _("Checked in")
    NO_SHOW = "no_show", _("No-show")
    COMPLETED = "completed", _("Completed")
    INTERVAL_OVERRIDDEN = "interval_overridden", _("Clinical interval overridden")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a time")
    BOOKED = "booked", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OfferStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
