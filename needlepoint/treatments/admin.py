from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from needlepoint.staff.admin_scoping import ScopedAdmin, ScopedTabularInline
from needlepoint.treatments.models import AdverseEvent, Cartridge, TreatmentSession, ZoneTreatment


class ReadOnly:
    """Charts are written on the chart pages, where every rule is checked; here they are read."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ZoneTreatmentInline(ReadOnly, ScopedTabularInline):
    model = ZoneTreatment


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(ReadOnly, ScopedAdmin):
    list_display = ("client", "performed_on", "indication", "status", "practitioner", "location")
    list_filter = ("status", "indication", "location")
    inlines = (ZoneTreatmentInline,)


@admin.register(Cartridge)
class CartridgeAdmin(ScopedAdmin):
    """Cartridges in stock are added here; using one is recorded on the chart."""

    list_display = ("serial", "lot", "configuration", "expires_on", "session")
    search_fields = ("lot", "serial")
    readonly_fields = ("session", "opened_at")


@admin.register(AdverseEvent)
class AdverseEventAdmin(ReadOnly, ScopedAdmin):
    list_display = ("client", "kind", "grade", "onset_on", "resolved_on")
    list_filter = ("kind", "grade")
