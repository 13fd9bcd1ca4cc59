from django.contrib import admin

from needlepoint.core.emergency_admin import ReadOnlyAdmin, ReadOnlyInline
from needlepoint.treatments.models import AdverseEvent, Cartridge, TreatmentSession, ZoneTreatment


class ZoneTreatmentInline(ReadOnlyInline):
    model = ZoneTreatment


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(ReadOnlyAdmin):
    list_display = ("client", "performed_on", "indication", "status", "practitioner", "location")
    list_filter = ("status", "indication", "location")
    inlines = (ZoneTreatmentInline,)


@admin.register(Cartridge)
class CartridgeAdmin(ReadOnlyAdmin):
    list_display = ("serial", "lot", "configuration", "expires_on", "session")
    list_select_related = ("configuration", "session__client")
    search_fields = ("lot", "serial")


@admin.register(AdverseEvent)
class AdverseEventAdmin(ReadOnlyAdmin):
    list_display = ("client", "kind", "grade", "onset_on", "resolved_on")
    list_filter = ("kind", "grade")
