from django.contrib import admin

from needlepoint.core.admin import ScopedAdmin
from needlepoint.imports.models import ExternalClientId


@admin.register(ExternalClientId)
class ExternalClientIdAdmin(ScopedAdmin):
    """Clients' ids in the clinic's previous system, recorded by imports; fixable here."""

    list_display = ("external_id", "client")
    search_fields = ("external_id", "client__first_name", "client__last_name")
    raw_id_fields = ("client",)
