from django.contrib import admin

from needlepoint.imports.models import ExternalClientId
from needlepoint.staff.admin_scoping import ScopedAdmin


@admin.register(ExternalClientId)
class ExternalClientIdAdmin(ScopedAdmin):
    """Clients' ids in the clinic's previous system, recorded by imports; fixable here."""

    list_display = ("external_id", "client")
    search_fields = ("external_id", "client__first_name", "client__last_name")
    raw_id_fields = ("client",)
