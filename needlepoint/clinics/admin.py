from django.contrib import admin

from needlepoint.clinics.models import (
    Closure,
    Device,
    Location,
    NeedleConfiguration,
    OpeningHours,
    Organisation,
    Room,
    StaffMember,
)
from needlepoint.core.emergency_admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "currency", "created_at")


class OpeningHoursInline(ReadOnlyInline):
    model = OpeningHours


class ClosureInline(ReadOnlyInline):
    model = Closure


class RoomInline(ReadOnlyInline):
    model = Room


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ("name", "time_zone", "organisation")
    inlines = (OpeningHoursInline, ClosureInline, RoomInline)


@admin.register(NeedleConfiguration)
class NeedleConfigurationAdmin(ReadOnlyAdmin):
    list_display = ("name", "device_kind", "needle_count", "material", "needle_length_mm")


@admin.register(Device)
class DeviceAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "model", "serial_number", "location", "status")
    list_filter = ("kind", "status", "location")


@admin.register(StaffMember)
class StaffMemberAdmin(ReadOnlyAdmin):
    list_display = ("user", "organisation", "role", "is_active")
    list_filter = ("role", "is_active")
