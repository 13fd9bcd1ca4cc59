"""Services, working patterns, bookings and the holds that keep them from colliding.

A booking holds its practitioner, room and device for a time range that includes the
buffers. Holds never overlap for one resource: PostgreSQL enforces it with an exclusion
constraint, SQLite with a trigger (see migrations/0002_no_overlapping_holds.py).
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from needlepoint.clients.models import Client
from needlepoint.clinics.choices import DeviceKind, Weekday
from needlepoint.clinics.models import Device, Location, Room, StaffMember
from needlepoint.core.models import ImmutableModel, JoinRow, OrganisationRow
from needlepoint.scheduling.choices import (
    BookingEventKind,
    BookingStatus,
    Channel,
    HoldKind,
    OfferStatus,
    ServiceKind,
    WaitlistStatus,
)

ACTIVE_STATUSES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.COMPLETED)
LONGEST_VISIT_MINUTES = 12 * 60  # buffers, numbing and treatment together
LONGEST_HOLD = timedelta(days=1)  # a visit and its device's reprocessing fit well inside


class Service(OrganisationRow):
    """Something a client can book at a location, and what it needs."""

    organisation_from = "location"
    organisation_path = "location__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=16, choices=ServiceKind.choices)
    area = models.CharField(
        max_length=64,
        blank=True,
        help_text="Area or zone treated, e.g. area.face (treatments only).",
    )
    indication = models.CharField(
        max_length=64, blank=True, help_text="Default indication, e.g. ind.acne_scars."
    )
    duration_minutes = models.PositiveSmallIntegerField(help_text="Treatment time, after numbing.")
    numbing_minutes = models.PositiveSmallIntegerField(
        default=0, help_text="Numbing cream time before treatment."
    )
    buffer_before_minutes = models.PositiveSmallIntegerField(default=0)
    buffer_after_minutes = models.PositiveSmallIntegerField(default=10, help_text="Room turnover.")
    price_minor = models.PositiveIntegerField(
        help_text="Price in the smallest unit of the organisation's currency (pence, cents, yen)."
    )
    tax_rate_bp = models.PositiveIntegerField(
        default=0,
        help_text="Tax on this service in basis points: 2000 is 20%, 0 for exempt treatments.",
    )
    needs_room = models.BooleanField(default=True)
    device_kind = models.CharField(max_length=16, choices=DeviceKind.choices, blank=True)
    practitioners: models.ManyToManyField[StaffMember, ServicePractitioner] = (
        models.ManyToManyField(
            StaffMember,
            related_name="services",
            blank=True,
            through="ServicePractitioner",
            help_text="Who is qualified to give it.",
        )
    )
    is_active = models.BooleanField(default=True)
    bookable_online = models.BooleanField(default=True)
    requires_patch_test = models.BooleanField(
        default=False, help_text="A completed patch test must come before this treatment."
    )

    class Meta:
        ordering = ("location", "name")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="service_has_a_duration"
            ),
            models.CheckConstraint(
                condition=Q(price_minor__gte=0), name="service_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(
                    numbing_minutes__lte=LONGEST_VISIT_MINUTES
                    - F("duration_minutes")
                    - F("buffer_before_minutes")
                    - F("buffer_after_minutes")
                ),
                name="service_visit_at_most_12_hours",
                violation_error_message="Buffers, numbing and treatment together can't exceed "
                "12 hours.",
            ),
            models.CheckConstraint(
                condition=Q(kind=ServiceKind.TREATMENT, area__gt="")
                | ~Q(kind=ServiceKind.TREATMENT),
                name="treatment_names_its_area",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def visit(self) -> timedelta:
        return timedelta(minutes=self.visit_minutes)

    @property
    def needs_clearance(self) -> bool:
        """Treatments need a cleared screening to be booked by clients; a consultation doesn't."""
        return self.kind == ServiceKind.TREATMENT

    @property
    def visit_minutes(self) -> int:
        """How long the client is with us: numbing, then the treatment."""
        return self.numbing_minutes + self.duration_minutes


class ServicePractitioner(JoinRow):
    """A member of staff qualified to give a service."""

    organisation_from = "service"
    organisation_to = "practitioner"
    organisation_path = "service__organisation"
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    practitioner = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="+", db_column="staffmember_id"
    )

    class Meta:
        db_table = "scheduling_service_practitioners"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service", "practitioner"],
                name="service_practitioner_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practitioner_id} gives {self.service_id}"


class WorkingPeriod(OrganisationRow):
    """A practitioner's weekly shift at a location, in its wall-clock time."""

    organisation_from = "staff"
    organisation_path = "staff__organisation"
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="working_periods")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="working_periods")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ("staff", "weekday", "starts")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")), name="working_period_starts_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} {self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class ShiftException(OrganisationRow):
    """One date whose hours replace the weekly pattern; no times means not working that day."""

    organisation_from = "staff"
    organisation_path = "staff__organisation"
    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="shift_exceptions"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="shift_exceptions"
    )
    on = models.DateField()
    starts = models.TimeField(null=True, blank=True)
    ends = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ("staff", "on", "starts")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__isnull=True, ends__isnull=True) | Q(starts__lt=F("ends")),
                name="shift_exception_both_times_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} on {self.on}"


class TimeOff(OrganisationRow):
    organisation_from = "staff"
    organisation_path = "staff__organisation"
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ("staff", "starts_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="time_off_starts_before_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff} off {self.starts_at:%Y-%m-%d %H:%M}"


class Course(OrganisationRow):
    """A planned course of treatment: N sessions of one service at a safe interval."""

    organisation_from = "client"
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="courses")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="courses")
    planned_sessions = models.PositiveSmallIntegerField()
    interval_days = models.PositiveSmallIntegerField()
    preferred_weekdays = models.JSONField(
        default=list, blank=True, help_text="0 = Monday; empty = any day."
    )
    preferred_from = models.TimeField(null=True, blank=True)
    preferred_to = models.TimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("client", "-created_at")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_sessions__gte=1, planned_sessions__lte=24),
                name="course_sessions_in_range",
            ),
            models.CheckConstraint(
                condition=Q(interval_days__gte=1), name="course_interval_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} × {self.planned_sessions} for {self.client}"


class Booking(OrganisationRow):
    organisation_from = "location"
    organisation_path = "location__organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="bookings")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="bookings")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    practitioner = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="bookings")
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, null=True, blank=True, related_name="bookings"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=16, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    version = models.PositiveIntegerField(
        default=1, help_text="Goes up with every change of time or status."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("starts_at",)
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="booking_starts_before_end"
            ),
        ]
        indexes = [
            models.Index(fields=["location", "starts_at"]),
            models.Index(fields=["client", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.service} for {self.client} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class SetupToken(models.Model):
    """A token the database changes whenever the clinic's set-up changes.

    Triggers on every table a search or a booking reads besides the holds (staff and what
    they offer, rooms, devices, opening hours, closures, shifts, exceptions, time off,
    webhook subscriptions, the organisation with its rules) give the single row a new
    random token on each insert, update or delete. Processes keep what they read under it
    (``core/setup_token.py``).
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


class Hold(OrganisationRow):
    """A resource kept for a booking over [starts_at, ends_at), buffers included."""

    organisation_from = "booking"
    organisation_path = "booking__location__organisation"
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="holds")
    kind = models.CharField(max_length=16, choices=HoldKind.choices)
    resource_id = models.BigIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="hold_starts_before_end"
            ),
            models.UniqueConstraint(
                fields=["organisation", "booking", "kind"], name="one_hold_per_kind_per_booking"
            ),
        ]
        indexes = [
            models.Index(
                # A hold lasts at most LONGEST_HOLD (the database refuses longer ones), so
                # "holds overlapping this window" is a range of start times a day wider than
                # the window, however long the history and however full the future.
                fields=["kind", "resource_id", "starts_at"],
                condition=Q(active=True),
                name="active_holds_by_start",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.kind} {self.resource_id} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"
        )


class BookingEvent(OrganisationRow, ImmutableModel):
    """The history of a booking: every change, who made it and why."""

    organisation_from = "booking"
    organisation_path = "booking__location__organisation"
    booking = models.ForeignKey(Booking, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=24, choices=BookingEventKind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("booking", "at", "pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class WaitlistEntry(OrganisationRow):
    """A client waiting for a time in a window of days and hours, first come first offered."""

    organisation_from = "client"
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="waitlist_entries")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="waitlist_entries")
    earliest_on = models.DateField()
    latest_on = models.DateField()
    weekdays = models.JSONField(default=list, blank=True, help_text="0 = Monday; empty = any day.")
    time_from = models.TimeField(null=True, blank=True)
    time_to = models.TimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(earliest_on__lte=F("latest_on")), name="waitlist_window_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} waiting for {self.service}"


class WaitlistOffer(OrganisationRow):
    """A freed time offered to a waiting client until ``expires_at``; never booked for them."""

    organisation_from = "entry"
    organisation_path = "entry__client__organisation"
    entry = models.ForeignKey(WaitlistEntry, on_delete=models.PROTECT, related_name="offers")
    starts_at = models.DateTimeField()
    practitioner = models.ForeignKey(StaffMember, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "entry"],
                condition=Q(status="open"),
                name="one_open_offer_per_waitlist_entry",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer of {self.starts_at:%Y-%m-%d %H:%M} to {self.entry.client}"
