from django.db import models


class ServiceKind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    PATCH_TEST = "patch_test", "Patch test"
    TREATMENT = "treatment", "Microneedling treatment"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    CHECKED_IN = "checked_in", "Checked in"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    STAFF = "staff", "Staff"
    API = "api", "API"
    IMPORT = "import", "Import"


class HoldKind(models.TextChoices):
    PRACTITIONER = "practitioner", "Practitioner"
    ROOM = "room", "Room"
    DEVICE = "device", "Device"


class BookingEventKind(models.TextChoices):
    CREATED = "created", "Booked"
    RESCHEDULED = "rescheduled", "Moved"
    CANCELLED = "cancelled", "Cancelled"
    LATE_CANCELLED = "late_cancelled", "Cancelled late"
    CHECKED_IN = "checked_in", "Checked in"
    NO_SHOW = "no_show", "No-show"
    COMPLETED = "completed", "Completed"
    INTERVAL_OVERRIDDEN = "interval_overridden", "Clinical interval overridden"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a time"
    BOOKED = "booked", "Booked"
    WITHDRAWN = "withdrawn", "Withdrawn"


class OfferStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"
