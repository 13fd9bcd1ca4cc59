from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from needlepoint.clinical import default_rules
from needlepoint.clinics.choices import DeviceKind
from needlepoint.consents.models import ConsentForm, ConsentFormVersion, SignedConsent
from needlepoint.consents.services import Covers, consent_form_publish
from needlepoint.staff.admin_scoping import ReadOnlyScopedAdmin, ScopedAdmin, ScopedTabularInline


class ConsentFormAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    wording = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=(
            "Saving changed wording publishes a new version: clients sign it again before "
            "their next treatment. Earlier versions stay exactly as they were signed."
        ),
    )

    depth_band = forms.ChoiceField(
        label="Covers needling up to",
        required=False,
        help_text="For a procedure consent (§7.3): deeper needling needs a new consent. "
        "Leave empty for a form that covers no needling, such as photographs.",
    )
    indications = forms.MultipleChoiceField(
        label="For the indications", required=False, widget=forms.CheckboxSelectMultiple
    )
    device_kinds = forms.MultipleChoiceField(
        label="With the devices",
        required=False,
        choices=DeviceKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ConsentForm
        fields = ("organisation", "name", "services", "is_active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = default_rules()
        self.fields["depth_band"].choices = [  # type: ignore[attr-defined]
            ("", "— (no needling)"),
            *((key, band.name) for key, band in rules.depth_bands.items()),
        ]
        self.fields["indications"].choices = [  # type: ignore[attr-defined]
            (key, indication.name) for key, indication in rules.indications.items()
        ]
        if self.instance.pk:
            current = self.instance.versions.order_by("-version").first()
            self.fields["wording"].initial = current.text if current else ""
            if current is not None:
                self.fields["depth_band"].initial = current.depth_band
                self.fields["indications"].initial = current.indications
                self.fields["device_kinds"].initial = current.device_kinds

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("depth_band") and not (
            cleaned.get("indications") and cleaned.get("device_kinds")
        ):
            raise forms.ValidationError(
                "A consent that covers needling names its indications and its devices."
            )
        return cleaned

    def covers(self) -> Covers | None:
        band = self.cleaned_data.get("depth_band")
        if not band:
            return None
        return Covers(
            band,
            tuple(self.cleaned_data.get("indications") or ()),
            tuple(self.cleaned_data.get("device_kinds") or ()),
        )


class VersionInline(ScopedTabularInline):
    model = ConsentFormVersion
    fields = ("version", "published_at", "depth_band", "indications", "device_kinds")
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
        consent_form_publish(form=obj, text=form.cleaned_data["wording"], covers=form.covers())


@admin.register(SignedConsent)
class SignedConsentAdmin(ReadOnlyScopedAdmin):
    list_display = ("client", "form_version", "signed_at", "kind", "ip_address")
    search_fields = ("client__first_name", "client__last_name", "typed_name")
