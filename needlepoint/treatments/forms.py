"""The chart's forms. Each one only shapes input; the rules live in ``treatments.services``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django import forms

from needlepoint.clinical import SCAR_WEIGHTS, Rules
from needlepoint.clinics.models import Device, NeedleConfiguration
from needlepoint.scheduling.forms import local_datetime
from needlepoint.treatments.choices import (
    Endpoint,
    Glogau,
    PhotoTiming,
    PhotoView,
    Reaction,
    ScarGrade,
    Technique,
)
from needlepoint.treatments.models import TreatmentSession

TEXT = {"rows": 2}


class DetailsForm(forms.Form):
    device = forms.ModelChoiceField(queryset=Device.objects.none(), required=False)
    speed_hz = forms.IntegerField(
        label="Pen speed (strokes per second)", min_value=1, max_value=200, required=False
    )
    numbing_product = forms.CharField(max_length=120, required=False)
    numbing_applied_at = forms.TimeField(
        label="Numbing on at (local time)",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    topicals = forms.CharField(
        label="Glide, serums and topicals",
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    reaction = forms.ChoiceField(
        label="Immediate reaction", choices=[("", "—"), *Reaction.choices], required=False
    )
    reaction_notes = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, session: TreatmentSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["device"].queryset = Device.objects.filter(  # type: ignore[attr-defined]
            location_id=session.location_id
        )

    def clean_numbing_applied_at(self) -> datetime | None:
        at = self.cleaned_data["numbing_applied_at"]
        if at is None:
            return None
        return local_datetime(
            datetime.combine(self.session.performed_on, at), self.session.location
        )


class ZoneForm(forms.Form):
    zone = forms.CharField(widget=forms.HiddenInput)
    depth_mm = forms.DecimalField(
        label="Needle depth (mm)",
        min_value=Decimal("0.05"),
        max_value=Decimal("3"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )
    passes = forms.IntegerField(min_value=1, max_value=12, initial=3)
    technique = forms.ChoiceField(choices=[("", "—"), *Technique.choices], required=False)
    endpoint = forms.ChoiceField(
        label="Endpoint reached", choices=[("", "—"), *Endpoint.choices], required=False
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    override_reason = forms.CharField(
        label="Reason to go past the depth limit",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs=TEXT),
        help_text="Only a practitioner, manager or owner may; the reason is kept with the chart.",
    )


class CartridgeForm(forms.Form):
    configuration = forms.ModelChoiceField(
        label="Cartridge type", queryset=NeedleConfiguration.objects.none()
    )
    serial = forms.CharField(label="Serial (as printed or scanned)", max_length=100)
    lot = forms.CharField(label="Lot number", max_length=100)
    expires_on = forms.DateField(label="Lot expiry", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, session: TreatmentSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["configuration"].queryset = (  # type: ignore[attr-defined]
            NeedleConfiguration.objects.filter(organisation_id=session.client.organisation_id)
        )


class PhotoForm(forms.Form):
    view = forms.ChoiceField(choices=PhotoView.choices)
    timing = forms.ChoiceField(choices=PhotoTiming.choices, initial=PhotoTiming.BEFORE)
    image = forms.FileField(
        label="Photo",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class OutcomeForm(forms.Form):
    scar_grade = forms.TypedChoiceField(
        label="Goodman & Baron grade",
        choices=[("", "—"), *ScarGrade.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    hypertrophic_area_cm2 = forms.FloatField(
        label="Hypertrophic or keloidal scar area (cm²)", min_value=0, required=False
    )
    glogau = forms.TypedChoiceField(
        choices=[("", "—"), *Glogau.choices], coerce=int, empty_value=None, required=False
    )
    improvement = forms.IntegerField(
        label="Client's rating of improvement (0–10)", min_value=0, max_value=10, required=False
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in SCAR_WEIGHTS:
            self.fields[f"count_{key}"] = forms.IntegerField(
                label=key.replace("_", " ").capitalize(), min_value=0, required=False
            )

    def scar_counts(self) -> dict[str, int]:
        return {key: self.cleaned_data.get(f"count_{key}") or 0 for key in SCAR_WEIGHTS}

    def count_fields(self) -> list[forms.BoundField]:
        return [self[f"count_{key}"] for key in SCAR_WEIGHTS]


class AddendumForm(forms.Form):
    text = forms.CharField(
        label="Addendum", max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdverseEventForm(forms.Form):
    kind = forms.ChoiceField(label="Event")
    grade = forms.TypedChoiceField(
        choices=[(1, "G1 – self-limited"), (2, "G2 – needs treatment"), (3, "G3 – serious")],
        coerce=int,
    )
    zones = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    onset_on = forms.DateField(label="Onset", widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs=TEXT))
    follow_up = forms.CharField(
        label="Follow-up plan", required=False, widget=forms.Textarea(attrs=TEXT)
    )

    def __init__(self, *args: Any, rules: Rules, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [  # type: ignore[attr-defined]
            (key, event.name) for key, event in rules.adverse_events.items()
        ]
        self.fields["zones"].choices = [  # type: ignore[attr-defined]
            (key, zone.name) for key, zone in rules.zones.items()
        ]


class ResolveForm(forms.Form):
    resolved_on = forms.DateField(
        label="Resolved on", widget=forms.DateInput(attrs={"type": "date"})
    )
    follow_up = forms.CharField(label="Note", required=False, max_length=1000)
