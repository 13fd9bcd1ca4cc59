from django.contrib import admin

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
from needlepoint.staff.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin


@admin.register(Service)
class ServiceAdmin(ScopedAdmin):
    list_display = (
        "name",
        "location",
        "kind",
        "area",
        "numbing_minutes",
        "duration_minutes",
        "price",
        "is_active",
    )
    list_filter = ("location", "kind", "is_active")
    filter_horizontal = ("practitioners",)


@admin.register(WorkingPeriod)
class WorkingPeriodAdmin(ScopedAdmin):
    list_display = ("staff", "location", "weekday", "starts", "ends")
    list_filter = ("location", "weekday")


@admin.register(ShiftException)
class ShiftExceptionAdmin(ScopedAdmin):
    list_display = ("staff", "location", "on", "starts", "ends")


@admin.register(TimeOff)
class TimeOffAdmin(ScopedAdmin):
    list_display = ("staff", "starts_at", "ends_at", "reason")


class BookingEventInline(admin.TabularInline):  # type: ignore[type-arg]
    model = BookingEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "at", "by", "reason", "data")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyScopedAdmin):
    """Bookings change only through the calendar, so every rule and the history apply."""

    list_display = ("starts_at", "client", "service", "practitioner", "status", "channel")
    list_filter = ("status", "channel", "location")
    inlines = (BookingEventInline,)


@admin.register(Course)
class CourseAdmin(ReadOnlyScopedAdmin):
    list_display = ("client", "service", "planned_sessions", "interval_days", "created_at")


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyScopedAdmin):
    list_display = ("client", "service", "earliest_on", "latest_on", "status", "created_at")
    list_filter = ("status",)
