"""The clinic: organisation, locations with their hours and closures, rooms, devices, staff."""

from __future__ import annotations

import functools
import json
import uuid
import zoneinfo
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.clinical import ClinicalError, Rules, default_rules
from needlepoint.clinics.choices import (
    ChecklistItem,
    DeviceKind,
    DeviceStatus,
    NeedleMaterial,
    Role,
    Weekday,
)
from needlepoint.clinics.clinical_wording import error_text
from needlepoint.core import languages
from needlepoint.core.models import JoinRow, OrganisationRow

LONGEST_REPROCESSING_MINUTES = 10 * 60
MAX_PEN_STROKE_RATE_HZ = 333  # 20,000 strokes a minute: the clinical core's upper bound


def default_checklist_blocking() -> list[str]:
    return [item.value for item in ChecklistItem]


def default_languages() -> list[str]:
    return [settings.LANGUAGE_CODE]


def validate_language(value: str) -> None:
    if value not in languages.codes():
        raise ValidationError(
            _("%(code)s is not a language we offer; choose from: %(codes)s."),
            params={"code": repr(value), "codes": ", ".join(languages.codes())},
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(zone)s is not a known time zone (e.g. Europe/London).") % {"zone": repr(value)}
        )


@functools.lru_cache(maxsize=64)
def rules_with_overrides(overrides_json: str) -> Rules:
    overrides = json.loads(overrides_json)
    return default_rules().with_overrides(overrides) if overrides else default_rules()


class Organisation(models.Model):
    """A clinic business: one or more locations sharing clients and staff."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    currency = models.CharField(
        max_length=3,
        default="GBP",
        validators=[
            RegexValidator(
                r"^[A-Z]{3}$", gettext_lazy("Give the ISO 4217 code, e.g. GBP, USD, EUR.")
            )
        ],
        help_text=gettext_lazy(
            "The currency prices are shown in (ISO 4217 code, e.g. GBP, USD, EUR)."
        ),
    )
    checklist_blocking = models.JSONField(
        default=default_checklist_blocking,
        blank=True,
        help_text=gettext_lazy(
            "Treatment-day checklist items that must be green before needling starts."
        ),
    )
    rescreen_after_days = models.PositiveSmallIntegerField(
        default=180,
        validators=[MinValueValidator(1)],
        help_text=gettext_lazy(
            "A screening older than this is not current: the client is screened again."
        ),
    )
    clinical_retention_years = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=gettext_lazy(
            "How long a client's clinical record is kept after their last treatment, in years, "
            "even when they ask for their data to be erased. UK guidance for adult records is 8 "
            "years after the last treatment; set what your jurisdiction requires."
        ),
    )
    rule_overrides = models.JSONField(
        default=dict,
        blank=True,
        help_text=gettext_lazy(
            "The responsible clinician's changes to the clinical defaults, e.g. "
            '{"ci.isotretinoin_recent.wait": "P3M"}. See docs/clinical.md.'
        ),
    )
    languages = models.JSONField(
        default=default_languages,
        help_text="The languages clients may choose (codes from settings.LANGUAGES).",
    )
    default_language = models.CharField(
        max_length=8,
        default="en-gb",
        validators=[validate_language],
        help_text="Clients who have not chosen a language get this one; it is offered.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        known = {item.value for item in ChecklistItem}
        if (
            not isinstance(self.checklist_blocking, list)
            or not set(self.checklist_blocking) <= known
        ):
            raise ValidationError(
                {
                    "checklist_blocking": _("Give a list of items from: %(items)s.")
                    % {"items": ", ".join(sorted(known))}
                }
            )
        try:
            self.rules()
        except ClinicalError as error:
            raise ValidationError({"rule_overrides": error_text(error)}) from error
        codes = languages.codes()
        if (
            not isinstance(self.languages, list)
            or not self.languages
            or not set(self.languages) <= set(codes)
        ):
            raise ValidationError(
                {
                    "languages": _("Offer at least one language from: %(codes)s.")
                    % {"codes": ", ".join(codes)}
                }
            )
        if self.default_language not in self.languages:
            raise ValidationError(
                {"default_language": _("The default language must be one of those offered.")}
            )

    def offered_languages(self) -> list[str]:
        """The languages offered here, in settings order; the default one at least."""
        offered = [code for code in languages.codes() if code in (self.languages or [])]
        return offered or [self.default_language]

    def rules(self) -> Rules:
        """The clinical rules in force here: the shipped defaults with this clinic's changes."""
        return rules_with_overrides(json.dumps(self.rule_overrides or {}, sort_keys=True))


class Location(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="locations"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    email = models.EmailField(blank=True)
    minimum_notice_minutes = models.PositiveIntegerField(
        default=120, help_text="How soon before a visit it can still be booked online."
    )
    booking_horizon_days = models.PositiveIntegerField(
        default=90, help_text="How far ahead visits can be booked."
    )
    waitlist_hold_minutes = models.PositiveIntegerField(
        default=120,
        help_text="How long a freed time is kept for the waiting client it is offered to.",
    )
    reminder_hours = models.CharField(
        max_length=40,
        default="48,2",
        validators=[
            RegexValidator(
                r"^\d{1,3}(,\d{1,3})*$", "Give hours before the visit, separated by commas."
            )
        ],
        help_text="When reminders go out, in hours before the visit, e.g. 48,2.",
    )
    quiet_from = models.TimeField(
        default=time(21), help_text="No reminders or follow-ups from this local time…"
    )
    quiet_until = models.TimeField(default=time(8), help_text="…until this local time.")
    late_cancellation_hours = models.PositiveIntegerField(
        default=24, help_text="Cancelling closer to the visit than this counts as late."
    )

    class Meta:
        ordering = ("organisation", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="location_slug_unique_in_organisation"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def reminder_offsets(self) -> list[int]:
        """Hours before a visit that reminders go out, latest first."""
        return sorted(
            {int(hours) for hours in self.reminder_hours.split(",") if hours}, reverse=True
        )

    def local_now(self) -> datetime:
        return timezone.now().astimezone(self.zone)


def local_today(location: Location | None) -> date:
    """Today's calendar date where the client is treated (the site default without a location)."""
    zone = location.zone if location is not None else timezone.get_default_timezone()
    return timezone.now().astimezone(zone).date()


class OpeningHours(OrganisationRow):
    """One opening period on a weekday, in the location's wall-clock time.

    A day may have several periods (a lunch break); a day without any is closed.
    """

    organisation_from = "location"
    organisation_path = "location__organisation"
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ("location", "weekday", "opens")
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")), name="opening_hours_open_before_close"
            ),
            models.UniqueConstraint(
                fields=["organisation", "location", "weekday", "opens"],
                name="opening_hours_unique_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self) -> None:
        if self.opens is not None and self.closes is not None and self.opens >= self.closes:
            raise ValidationError("Opening time must be before closing time.")


class Closure(OrganisationRow):
    """Days a location is shut (holidays, refurbishment), inclusive of both dates."""

    organisation_from = "location"
    organisation_path = "location__organisation"
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ("location", "starts_on")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="closure_starts_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.starts_on}–{self.ends_on})"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.starts_on > self.ends_on:
            raise ValidationError("A closure must end on or after the day it starts.")

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Room(OrganisationRow):
    organisation_from = "location"
    organisation_path = "location__organisation"
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ("location", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location", "name"], name="room_name_unique_in_location"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.location})"


class NeedleConfiguration(models.Model):
    """A cartridge or roller head: how many needles, of what, and (rollers) how long."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="needle_configurations"
    )
    device_kind = models.CharField(max_length=16, choices=DeviceKind.choices)
    name = models.CharField(max_length=100)
    needle_count = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    material = models.CharField(
        max_length=16, choices=NeedleMaterial.choices, default=NeedleMaterial.STEEL
    )
    needle_length_mm = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Fixed needle length (rollers and stamps); pens set depth per zone.",
    )

    class Meta:
        ordering = ("organisation", "device_kind", "needle_count")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="needle_configuration_name_unique"
            ),
            models.CheckConstraint(
                condition=Q(needle_length_mm__isnull=True)
                | Q(needle_length_mm__gt=0, needle_length_mm__lte=3),
                name="needle_length_within_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Device(OrganisationRow):
    """A pen, roller or stamp handpiece kept at a location, tracked by serial number."""

    organisation_from = "location"
    organisation_path = "location__organisation"
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="devices")
    kind = models.CharField(max_length=16, choices=DeviceKind.choices)
    name = models.CharField(max_length=100)
    model = models.CharField(max_length=100, blank=True)
    serial_number = models.CharField(max_length=100)
    status = models.CharField(
        max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.IN_SERVICE
    )
    reprocessing_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="Cleaning time between clients, kept free after each booking."
    )
    stroke_rate_hz = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PEN_STROKE_RATE_HZ)],
        help_text="Pens: how fast the needles stamp, in strokes per second (Hz), e.g. 117 "
        "for 7,000 a minute. Charting and channel density use it.",
    )
    needle_configurations: models.ManyToManyField[
        NeedleConfiguration, DeviceNeedleConfiguration
    ] = models.ManyToManyField(
        NeedleConfiguration,
        blank=True,
        related_name="devices",
        through="DeviceNeedleConfiguration",
    )

    class Meta:
        ordering = ("location", "kind", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location", "serial_number"],
                name="device_serial_unique_in_location",
            ),
            models.CheckConstraint(
                condition=Q(reprocessing_minutes__lte=LONGEST_REPROCESSING_MINUTES),
                name="device_reprocessing_at_most_10_hours",
                violation_error_message="Reprocessing can't take more than 10 hours.",
            ),
            models.CheckConstraint(
                condition=Q(stroke_rate_hz__isnull=True) | Q(kind=DeviceKind.PEN),
                name="device_stroke_rate_for_pens_only",
                violation_error_message="Only a pen has a stroke rate.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def is_available(self) -> bool:
        return self.status == DeviceStatus.IN_SERVICE


class DeviceNeedleConfiguration(JoinRow):
    """A needle configuration a device takes."""

    organisation_from = "device"
    organisation_to = "needle_configuration"
    organisation_path = "device__organisation"
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    needle_configuration = models.ForeignKey(
        NeedleConfiguration,
        on_delete=models.CASCADE,
        related_name="+",
        db_column="needleconfiguration_id",
    )

    class Meta:
        db_table = "clinics_device_needle_configurations"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "device", "needle_configuration"],
                name="device_takes_needle_configuration_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.device_id} takes {self.needle_configuration_id}"


class StaffMember(models.Model):
    """A user's place in one organisation: role and the locations they work at."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(max_length=16, choices=Role.choices)
    locations: models.ManyToManyField[Location, StaffLocation] = models.ManyToManyField(
        Location, related_name="staff", blank=True, through="StaffLocation"
    )
    is_active = models.BooleanField(default=True)
    language = models.CharField(
        max_length=8,
        default="en-gb",
        validators=[validate_language],
        help_text="Staff pages and the messages sent to them are in this language.",
    )

    class Meta:
        ordering = ("organisation", "user__full_name")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    @property
    def manages_organisation(self) -> bool:
        return self.role in {Role.OWNER, Role.MANAGER}


class StaffLocation(JoinRow):
    """A location a member of staff works at."""

    organisation_from = "staff_member"
    organisation_to = "location"
    organisation_path = "staff_member__organisation"
    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="+", db_column="staffmember_id"
    )
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="+")

    class Meta:
        db_table = "clinics_staffmember_locations"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "staff_member", "location"],
                name="staff_member_works_at_location_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_member_id} works at {self.location_id}"
