from django.contrib import admin

from needlepoint.core.emergency_admin import ReadOnlyAdmin
from needlepoint.imports.models import ExternalClientId


@admin.register(ExternalClientId)
class ExternalClientIdAdmin(ReadOnlyAdmin):
    list_display = ("external_id", "client")
    search_fields = ("external_id", "client__first_name", "client__last_name")
