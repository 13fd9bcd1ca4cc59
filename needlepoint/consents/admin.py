from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from needlepoint.consents.models import ConsentForm, ConsentFormVersion, SignedConsent
from needlepoint.consents.services import consent_form_publish
from needlepoint.core.admin import ReadOnlyScopedAdmin, ScopedAdmin, ScopedTabularInline


class ConsentFormAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    wording = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=(
            "Saving changed wording publishes a new version: clients sign it again before "
            "their next treatment. Earlier versions stay exactly as they were signed."
        ),
    )

    class Meta:
        model = ConsentForm
        fields = ("organisation", "name", "services", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            current = self.instance.versions.order_by("-version").first()
            self.fields["wording"].initial = current.text if current else ""


class VersionInline(ScopedTabularInline):
    model = ConsentFormVersion
    fields = ("version", "published_at", "text_sha256")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ConsentForm)
class ConsentFormAdmin(ScopedAdmin):
    form = ConsentFormAdminForm
    list_display = ("name", "is_active")
    filter_horizontal = ("services",)
    inlines = [VersionInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        consent_form_publish(form=obj, text=form.cleaned_data["wording"])


@admin.register(SignedConsent)
class SignedConsentAdmin(ReadOnlyScopedAdmin):
    list_display = ("client", "form_version", "signed_at", "kind", "ip_address")
    search_fields = ("client__first_name", "client__last_name", "typed_name")
