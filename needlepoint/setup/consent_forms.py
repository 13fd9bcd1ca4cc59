"""The Settings forms for consent forms and clinical rules (the services check everything)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from needlepoint.clinical import parse_duration
from needlepoint.clinics.choices import DeviceKind
from needlepoint.clinics.clinical_rules import AdjustableRule, RuleValue
from needlepoint.clinics.models import Organisation
from needlepoint.consents.models import ConsentFormVersion
from needlepoint.scheduling.models import Service


class ConsentFormForm(forms.Form):
    """A form's title, services and wording, and what a procedure consent covers."""

    name = forms.CharField(label=_("Title"), max_length=120)
    services = forms.ModelMultipleChoiceField(
        label=_("Signed before these services"),
        queryset=Service.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(
        label=_("In use: clients are asked to sign it"), required=False, initial=True
    )
    text = forms.CharField(
        label=_("Wording"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Changed wording is published as a new version: clients sign it again before "
            "their next treatment. Earlier versions stay exactly as they were signed."
        ),
    )
    depth_band = forms.ChoiceField(
        label=_("Covers needling up to"),
        required=False,
        help_text=_(
            "Deeper needling needs a new consent. Choose none for a form that covers no "
            "needling, such as photographs."
        ),
    )
    indications = forms.MultipleChoiceField(
        label=_("For the indications"), required=False, widget=forms.CheckboxSelectMultiple
    )
    device_kinds = forms.MultipleChoiceField(
        label=_("With the devices"),
        required=False,
        choices=DeviceKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = organisation.rules()
        services = self.fields["services"]
        services.queryset = (  # type: ignore[attr-defined]
            Service.objects.filter(location__organisation=organisation)
            .select_related("location")
            .order_by("name", "location__name")
        )
        services.label_from_instance = _service_label  # type: ignore[attr-defined]
        self.fields["depth_band"].choices = [  # type: ignore[attr-defined]
            ("", _("No needling")),
            *((key, band.name) for key, band in rules.depth_bands.items()),
        ]
        self.fields["indications"].choices = [  # type: ignore[attr-defined]
            (key, indication.name) for key, indication in rules.indications.items()
        ]


class TranslationForm(forms.Form):
    """A form's text in a language other than English, translating the English text."""

    text = forms.CharField(
        label=_("Wording"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Translate the current English text. Changed wording is published as a new "
            "version: clients who read this language sign it again before their next "
            "treatment."
        ),
    )


def _service_label(service: Service) -> str:
    return f"{service.name} · {service.location.name}"


def version_initial(version: ConsentFormVersion | None) -> dict[str, Any]:
    if version is None:
        return {}
    return {
        "text": version.text,
        "depth_band": version.depth_band,
        "indications": version.indications,
        "device_kinds": version.device_kinds,
    }


UNITS = (("D", _("days")), ("W", _("weeks")), ("M", _("months")), ("Y", _("years")))


class ClinicalRuleForm(forms.Form):
    """The clinic's value of one rule: a number, a depth, or a wait (a number and a unit)."""

    def __init__(self, *args: Any, rule: AdjustableRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        if rule.kind == "mm":
            self.fields["value"] = forms.DecimalField(
                label=_("Depth in millimetres"), max_digits=4, decimal_places=2
            )
        elif rule.kind == "wait":
            self.fields["value"] = forms.IntegerField(
                label=_("How long"), min_value=0, max_value=10_000
            )
            self.fields["unit"] = forms.ChoiceField(label=_("Unit"), choices=UNITS)
        else:
            label = _("Days") if rule.kind == "days" else _("Sessions")
            self.fields["value"] = forms.IntegerField(label=label, max_value=100_000)

    def rule_value(self) -> RuleValue:
        value = self.cleaned_data["value"]
        if self.rule.kind == "mm":
            return float(Decimal(value))
        if self.rule.kind == "wait":
            return f"P{value}{self.cleaned_data['unit']}"
        return int(value)


def rule_initial(rule: AdjustableRule, value: RuleValue) -> dict[str, Any]:
    """The form's starting values for the value in force."""
    if rule.kind != "wait":
        return {"value": value}
    duration = parse_duration(str(value))
    months, days = duration.total_months, duration.total_days
    if not days:
        if months % 12 == 0 and months:
            return {"value": months // 12, "unit": "Y"}
        return {"value": months, "unit": "M"}
    if not months and days % 7 == 0:
        return {"value": days // 7, "unit": "W"}
    # A wait of months and days both (none ships so) shows as days, near enough to edit.
    return {"value": months * 30 + days, "unit": "D"}
