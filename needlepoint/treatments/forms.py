"""The chart's forms. Each one only shapes input; the rules live in ``treatments.services``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from needlepoint.clinical import (
    MAX_STROKES_PER_MINUTE,
    MIN_STROKES_PER_SECOND,
    SCAR_WEIGHTS,
    STROKE_UNITS,
    InvalidValue,
    Rules,
    StrokeUnit,
    describe_stroke_rate,
    stroke_rate_hz,
)
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
from needlepoint.treatments.models import Cartridge, TreatmentSession
from needlepoint.treatments.widgets import PLAIN_WIDGETS

TEXT = {"rows": 2}


class ChartForm(forms.Form):
    """A form the chart page shows: its fields drawn without a template each (widgets.py)."""

    default_renderer = PLAIN_WIDGETS


# The Goodman & Baron scar types counted on the outcome form, by their keys in SCAR_WEIGHTS.
SCAR_COUNT_LABELS = {
    "macular": _("Macular"),
    "mildly_atrophic": _("Mildly atrophic"),
    "moderately_atrophic": _("Moderately atrophic"),
    "punched_out_shallow": _("Punched out shallow"),
    "shallow_broad_atrophic": _("Shallow broad atrophic"),
    "punched_out_deep_normal_base": _("Punched out deep normal base"),
    "punched_out_deep_abnormal_base": _("Punched out deep abnormal base"),
    "linear_troughed": _("Linear troughed"),
    "deep_broad_atrophic": _("Deep broad atrophic"),
    "papular": _("Papular"),
}


class GroupedNumberField(forms.DecimalField):
    """A number that may be typed with thousands grouped, as pens are labelled: "6,000"."""

    def to_python(self, value: Any) -> Any:  # a Decimal or None (the stubs say int)
        if isinstance(value, str):
            decimal = get_format("DECIMAL_SEPARATOR")
            for mark in {get_format("THOUSAND_SEPARATOR"), " ", "\u00a0", "\u202f"} - {decimal}:
                value = value.replace(mark, "")
        return super().to_python(value)


SPEED_UNITS = [
    ("per_minute", _("strokes per minute")),
    ("hz", _("Hz")),
    ("per_second", _("strokes per second")),
]


class DetailsForm(ChartForm):
    """The session-wide details. The pen's speed is typed in the unit the pen is sold with
    and kept in Hz (``TreatmentSession.speed_hz``, whole strokes per second)."""

    device = forms.ModelChoiceField(
        label=_("Device"), queryset=Device.objects.none(), required=False
    )
    speed = GroupedNumberField(
        label=_("Pen speed"),
        required=False,
        max_digits=9,
        decimal_places=2,
        localize=True,
        help_text=_(
            "As on the pen: strokes per minute, Hz or strokes per second (Hz = per second)."
        ),
    )
    speed_unit = forms.ChoiceField(
        label=_("Unit"), choices=SPEED_UNITS, initial="hz", required=False
    )
    numbing_product = forms.CharField(label=_("Numbing product"), max_length=120, required=False)
    numbing_applied_at = forms.TimeField(
        label=_("Numbing on at (local time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    topicals = forms.CharField(
        label=_("Glide, serums and topicals"),
        required=False,
        widget=forms.Textarea(attrs=TEXT),
    )
    reaction = forms.ChoiceField(
        label=_("Immediate reaction"), choices=[("", "—"), *Reaction.choices], required=False
    )
    reaction_notes = forms.CharField(
        label=_("Reaction notes"), required=False, widget=forms.Textarea(attrs=TEXT)
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, session: TreatmentSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session = session
        self.fields["device"].queryset = Device.objects.filter(  # type: ignore[attr-defined]
            location_id=session.location_id
        )

    @staticmethod
    def speed_text(hz: int | None) -> str:
        """A stored speed with its conversion, e.g. "100 Hz = 6,000 strokes/min"."""
        return describe_stroke_rate(hz, "hz") if hz else ""

    def clean(self) -> dict[str, Any]:
        """``speed`` and ``speed_unit`` become ``speed_hz``; ``given_speed`` says both."""
        data = super().clean() or {}
        speed = data.pop("speed", None)
        unit = cast(StrokeUnit, data.pop("speed_unit", "") or "hz")
        self.given_speed = ""
        data["speed_hz"] = None
        if speed is None:
            return data
        if unit not in STROKE_UNITS:
            self.add_error("speed_unit", _("Choose strokes per minute, Hz or strokes per second."))
            return data
        try:
            hz = stroke_rate_hz(float(speed), unit)
        except InvalidValue:
            self.add_error("speed", self._speed_problem(float(speed), unit))
            return data
        data["speed_hz"] = round(hz)
        self.given_speed = describe_stroke_rate(float(speed), unit)
        return data

    @staticmethod
    def _speed_problem(speed: float, unit: StrokeUnit) -> str:
        if speed <= 0:
            return str(_("A pen speed must be above 0."))
        per_minute = speed if unit == "per_minute" else speed * 60
        if per_minute > MAX_STROKES_PER_MINUTE:
            return str(
                _(
                    "No pen goes faster than %(most)s strokes per minute (%(hz)s Hz): "
                    "check the number and the unit."
                )
                % {
                    "most": f"{MAX_STROKES_PER_MINUTE:,.0f}",
                    "hz": f"{MAX_STROKES_PER_MINUTE / 60:.0f}",
                }
            )
        return str(
            _(
                "That is slower than %(least)s Hz (%(per_minute)s strokes per minute): "
                "check the number and the unit."
            )
            % {
                "least": f"{MIN_STROKES_PER_SECOND:g}",
                "per_minute": f"{MIN_STROKES_PER_SECOND * 60:g}",
            }
        )

    def clean_numbing_applied_at(self) -> datetime | None:
        at = self.cleaned_data["numbing_applied_at"]
        if at is None:
            return None
        return local_datetime(
            datetime.combine(self.session.performed_on, at), self.session.location
        )


class ZoneForm(ChartForm):
    zone = forms.CharField(widget=forms.HiddenInput)
    depth_mm = forms.DecimalField(
        label=_("Needle depth (mm)"),
        min_value=Decimal("0.05"),
        max_value=Decimal("3"),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )
    passes = forms.IntegerField(label=_("Passes"), min_value=1, max_value=12, initial=3)
    cartridge = forms.TypedChoiceField(
        label=_("Cartridge used"), choices=[], coerce=int, required=False, empty_value=None
    )
    technique = forms.ChoiceField(
        label=_("Technique"), choices=[("", "—"), *Technique.choices], required=False
    )
    endpoint = forms.ChoiceField(
        label=_("Endpoint reached"), choices=[("", "—"), *Endpoint.choices], required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs=TEXT))
    override_reason = forms.CharField(
        label=_("Reason to go past the depth limit"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs=TEXT),
        help_text=_(
            "Only a practitioner, manager or owner may; the reason is kept with the chart."
        ),
    )

    def __init__(self, *args: Any, cartridges: list[Cartridge], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cartridges = {cartridge.pk: cartridge for cartridge in cartridges}
        self.fields["cartridge"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((pk, f"{c.configuration.name} · {c.serial}") for pk, c in self.cartridges.items()),
        ]

    def clean_cartridge(self) -> Cartridge | None:
        chosen = self.cleaned_data["cartridge"]
        return None if chosen is None else self.cartridges[chosen]


class CartridgeForm(ChartForm):
    configuration = forms.ModelChoiceField(
        label=_("Cartridge type"), queryset=NeedleConfiguration.objects.none()
    )
    serial = forms.CharField(label=_("Serial (as printed or scanned)"), max_length=100)
    lot = forms.CharField(label=_("Lot number"), max_length=100)
    expires_on = forms.DateField(
        label=_("Lot expiry"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, session: TreatmentSession, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["configuration"].queryset = (  # type: ignore[attr-defined]
            NeedleConfiguration.objects.filter(organisation_id=session.client.organisation_id)
        )


class PhotoForm(ChartForm):
    view = forms.ChoiceField(label=_("View"), choices=PhotoView.choices)
    timing = forms.ChoiceField(
        label=_("Timing"), choices=PhotoTiming.choices, initial=PhotoTiming.BEFORE
    )
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class OutcomeForm(ChartForm):
    scar_grade = forms.TypedChoiceField(
        label=_("Goodman & Baron grade"),
        choices=[("", "—"), *ScarGrade.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    hypertrophic_area_cm2 = forms.FloatField(
        label=_("Hypertrophic or keloidal scar area (cm²)"), min_value=0, required=False
    )
    glogau = forms.TypedChoiceField(
        label=_("Glogau"),
        choices=[("", "—"), *Glogau.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    improvement = forms.IntegerField(
        label=_("Client's rating of improvement (0–10)"), min_value=0, max_value=10, required=False
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in SCAR_WEIGHTS:
            self.fields[f"count_{key}"] = forms.IntegerField(
                label=SCAR_COUNT_LABELS.get(key, key.replace("_", " ").capitalize()),
                min_value=0,
                required=False,
            )

    def scar_counts(self) -> dict[str, int]:
        return {key: self.cleaned_data.get(f"count_{key}") or 0 for key in SCAR_WEIGHTS}

    def count_fields(self) -> list[forms.BoundField]:
        return [self[f"count_{key}"] for key in SCAR_WEIGHTS]


class AddendumForm(ChartForm):
    text = forms.CharField(
        label=_("Addendum"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AdverseEventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Event"))
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        choices=[
            (1, _("G1 – self-limited")),
            (2, _("G2 – needs treatment")),
            (3, _("G3 – serious")),
        ],
        coerce=int,
    )
    zones = forms.MultipleChoiceField(
        label=_("Zones"), required=False, widget=forms.CheckboxSelectMultiple
    )
    onset_on = forms.DateField(label=_("Onset"), widget=forms.DateInput(attrs={"type": "date"}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs=TEXT))
    follow_up = forms.CharField(
        label=_("Follow-up plan"), required=False, widget=forms.Textarea(attrs=TEXT)
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
        label=_("Resolved on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    follow_up = forms.CharField(label=_("Note"), required=False, max_length=1000)
