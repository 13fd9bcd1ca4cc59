from django.contrib import admin

from needlepoint.core.emergency_admin import ReadOnlyAdmin, ReadOnlyInline
from needlepoint.scheduling.models import (
    Booking,
    BookingEvent,
    Course,
    Service,
    ShiftException,
    TimeOff,
    WaitlistEntry,
    WorkingPeriod,
)


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "location",
        "kind",
        "area",
        "duration_minutes",
        "price_minor",
        "is_active",
    )
    list_filter = ("location", "kind", "is_active")


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(ReadOnlyAdmin):
    list_display = ("staff", "location", "weekday", "starts", "ends")
    list_filter = ("location", "weekday")


@admin.register(ShiftException)
class ShiftExceptionAdmin(ReadOnlyAdmin):
    list_display = ("staff", "location", "on", "starts", "ends")


@admin.register(TimeOff)
class TimeOffAdmin(ReadOnlyAdmin):
    list_display = ("staff", "starts_at", "ends_at", "reason")


class BookingEventInline(ReadOnlyInline):
    model = BookingEvent


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "client", "service", "practitioner", "status", "channel")
    list_filter = ("status", "channel", "location")
    inlines = (BookingEventInline,)


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("client", "service", "planned_sessions", "interval_days", "created_at")


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ("client", "service", "earliest_on", "latest_on", "status", "created_at")
    list_filter = ("status",)
