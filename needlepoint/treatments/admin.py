from django.contrib import admin

from needlepoint.core.admin import ScopedAdmin, ScopedTabularInline
from needlepoint.treatments.models import AdverseEvent, Cartridge, TreatmentSession, ZoneTreatment


class ZoneTreatmentInline(ScopedTabularInline):
    model = ZoneTreatment


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(ScopedAdmin):
    list_display = ("client", "performed_on", "indication", "practitioner", "location")
    list_filter = ("indication", "location")
    inlines = (ZoneTreatmentInline,)


@admin.register(Cartridge)
class CartridgeAdmin(ScopedAdmin):
    list_display = ("serial", "lot", "configuration", "expires_on", "session")
    search_fields = ("lot", "serial")


@admin.register(AdverseEvent)
class AdverseEventAdmin(ScopedAdmin):
    list_display = ("client", "kind", "grade", "onset_on", "resolved_on")
    list_filter = ("kind", "grade")
