from django.contrib import admin

from needlepoint.clients.models import Client, MarketingConsent, QuestionnaireSubmission, Screening
from needlepoint.core.emergency_admin import ReadOnlyAdmin


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    list_display = ("last_name", "first_name", "email", "phone", "date_of_birth", "fitzpatrick")
    search_fields = ("first_name", "last_name", "email", "phone")
    list_filter = ("fitzpatrick", "home_location")


@admin.register(MarketingConsent)
class MarketingConsentAdmin(ReadOnlyAdmin):
    list_display = ("address", "channel", "requested_at", "confirmed_at", "withdrawn_at", "source")
    list_filter = ("channel",)
    search_fields = ("address",)


@admin.register(QuestionnaireSubmission)
class QuestionnaireSubmissionAdmin(ReadOnlyAdmin):
    list_display = ("client", "version", "answered_on", "source", "rules_version")
    search_fields = ("client__first_name", "client__last_name")


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ("client", "outcome", "deferred_until", "screened_on", "rules_version")
    list_filter = ("outcome",)
    search_fields = ("client__first_name", "client__last_name")
