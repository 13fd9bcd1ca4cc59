from django.contrib import admin

from needlepoint.consents.models import ConsentForm, ConsentFormVersion, SignedConsent
from needlepoint.core.emergency_admin import ReadOnlyAdmin, ReadOnlyInline


class VersionInline(ReadOnlyInline):
    model = ConsentFormVersion


@admin.register(ConsentForm)
class ConsentFormAdmin(ReadOnlyAdmin):
    list_display = ("name", "is_active")
    inlines = (VersionInline,)


@admin.register(SignedConsent)
class SignedConsentAdmin(ReadOnlyAdmin):
    list_display = ("client", "form_version", "signed_at", "kind", "ip_address")
    search_fields = ("client__first_name", "client__last_name", "typed_name")
