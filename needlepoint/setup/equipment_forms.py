"""Settings forms for equipment and the service catalogue. They only shape input: the
rules live in clinics.equipment, treatments.lots and scheduling.catalogue."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from needlepoint.clinical import STROKE_UNITS, InvalidValue, Rules, StrokeUnit, stroke_rate_hz
from needlepoint.clinics.choices import DeviceKind, DeviceStatus, NeedleMaterial, Role
from needlepoint.clinics.models import (
    LONGEST_REPROCESSING_MINUTES,
    Location,
    NeedleConfiguration,
    Organisation,
    StaffMember,
)
from needlepoint.core.money import example
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.models import LONGEST_VISIT_MINUTES
from needlepoint.treatments.forms import SPEED_UNITS, DetailsForm, GroupedNumberField
from needlepoint.treatments.lots import serials_from

DATE = forms.DateInput(attrs={"type": "date"})
TICKS = forms.CheckboxSelectMultiple


def _minutes(label: Any, least: int, most: int, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=least, max_value=most, **kwargs)


class NeedleConfigurationForm(forms.Form):
    device_kind = forms.ChoiceField(label=_("For"), choices=DeviceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    needle_count = forms.IntegerField(label=_("Needles"), min_value=1, max_value=600)
    material = forms.ChoiceField(label=_("Needle material"), choices=NeedleMaterial.choices)
    needle_length_mm = forms.DecimalField(
        label=_("Needle length (mm)"),
        required=False,
        min_value=Decimal("0.01"),
        max_value=Decimal("3"),
        max_digits=3,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
        help_text=_("Rollers and stamps only: pens set the depth for each zone."),
    )


class DeviceForm(forms.Form):
    """A device's details; the pen's speed is typed in the unit on the pen and kept in Hz."""

    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("E.g. Pen 2 (blue)."))
    model = forms.CharField(label=_("Make and model"), max_length=100, required=False)
    serial_number = forms.CharField(label=_("Serial number"), max_length=100)
    status = forms.ChoiceField(label=_("Status"), choices=DeviceStatus.choices)
    reprocessing_minutes = _minutes(
        _("Cleaning between clients (minutes)"),
        0,
        LONGEST_REPROCESSING_MINUTES,
        initial=15,
        help_text=_("Kept free after each booking that uses it."),
    )
    speed = GroupedNumberField(
        label=_("Pen speed"),
        required=False,
        max_digits=9,
        decimal_places=2,
        localize=True,
        help_text=_("Pens only, as on the pen: e.g. 7,000 strokes per minute or 117 Hz."),
    )
    speed_unit = forms.ChoiceField(
        label=_("Unit"), choices=SPEED_UNITS, initial="per_minute", required=False
    )
    needle_configurations = forms.ModelMultipleChoiceField(
        label=_("Takes these needle configurations"),
        queryset=NeedleConfiguration.objects.none(),
        required=False,
        widget=TICKS,
    )

    def __init__(
        self,
        *args: Any,
        locations: QuerySet[Location],
        organisation: Organisation,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["location"]
        else:
            self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        self.fields["needle_configurations"].queryset = (  # type: ignore[attr-defined]
            NeedleConfiguration.objects.filter(organisation=organisation)
        )

    def clean(self) -> dict[str, Any]:
        """``speed`` and ``speed_unit`` become ``stroke_rate_hz``."""
        data = super().clean() or {}
        speed = data.pop("speed", None)
        unit = cast(StrokeUnit, data.pop("speed_unit", "") or "per_minute")
        data["stroke_rate_hz"] = None
        if speed is None:
            return data
        if unit not in STROKE_UNITS:
            self.add_error("speed_unit", _("Choose strokes per minute, Hz or strokes per second."))
            return data
        try:
            data["stroke_rate_hz"] = round(stroke_rate_hz(float(speed), unit))
        except InvalidValue:
            self.add_error("speed", DetailsForm._speed_problem(float(speed), unit))
        return data


class CartridgeLotForm(forms.Form):
    configuration = forms.ModelChoiceField(
        label=_("Cartridge type"), queryset=NeedleConfiguration.objects.none()
    )
    lot = forms.CharField(label=_("Lot number"), max_length=100)
    expires_on = forms.DateField(label=_("Expiry date"), widget=DATE)
    serials = forms.CharField(
        label=_("Serials"),
        max_length=60_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line, as printed or scanned, one for each cartridge in the box."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["configuration"].queryset = (  # type: ignore[attr-defined]
            NeedleConfiguration.objects.filter(organisation=organisation)
        )

    def clean_serials(self) -> list[str]:
        return serials_from(self.cleaned_data["serials"])


class StaffChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.full_name} ({obj.get_role_display()})"


class ServiceForm(forms.Form):
    """A service; its area and indication are chosen by name from the clinical rules."""

    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), empty_label=None
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=ServiceKind.choices)
    area = forms.ChoiceField(
        label=_("Area treated"),
        required=False,
        help_text=_("Treatments only: the zones the client books."),
    )
    indication = forms.ChoiceField(
        label=_("Treats"), required=False, help_text=_("What the treatment is for.")
    )
    price = forms.CharField(label=_("Price"), max_length=20)
    tax_rate = forms.CharField(
        label=_("Tax rate (%)"),
        max_length=10,
        initial="0",
        required=False,
        help_text=_(
            "E.g. 20 for 20% VAT, 0 when the service is exempt. Whether prices include it is "
            "set in Billing."
        ),
    )
    duration_minutes = _minutes(_("Treatment time (minutes)"), 1, LONGEST_VISIT_MINUTES)
    numbing_minutes = _minutes(
        _("Numbing time before (minutes)"), 0, LONGEST_VISIT_MINUTES, initial=0
    )
    buffer_before_minutes = _minutes(
        _("Time kept free before (minutes)"), 0, LONGEST_VISIT_MINUTES, initial=0
    )
    buffer_after_minutes = _minutes(
        _("Time kept free after (minutes)"),
        0,
        LONGEST_VISIT_MINUTES,
        initial=10,
        help_text=_("Room turnover."),
    )
    device_kind = forms.ChoiceField(
        label=_("Device needed"),
        required=False,
        choices=[("", _("None")), *DeviceKind.choices],
    )
    needs_room = forms.BooleanField(label=_("Needs a room"), required=False, initial=True)
    bookable_online = forms.BooleanField(
        label=_("Clients can book it online"), required=False, initial=True
    )
    requires_patch_test = forms.BooleanField(
        label=_("A patch test must come first"), required=False
    )
    practitioners = StaffChoiceField(
        label=_("Who gives it"),
        queryset=StaffMember.objects.none(),
        required=False,
        widget=TICKS,
        help_text=_("Only people who work at the service's location."),
    )

    def clean_tax_rate(self) -> str:
        return str(self.cleaned_data.get("tax_rate") or "").strip() or "0"

    def __init__(
        self,
        *args: Any,
        rules: Rules,
        locations: QuerySet[Location],
        organisation: Organisation,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["location"]
        else:
            self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        area = cast(forms.ChoiceField, self.fields["area"])
        area.choices = [
            ("", _("None")),
            (_("Areas"), [(key, item.name) for key, item in rules.areas.items()]),
            (_("Single zones"), [(key, zone.name) for key, zone in rules.zones.items()]),
        ]
        indication = cast(forms.ChoiceField, self.fields["indication"])
        indication.choices = [
            ("", _("None")),
            *((key, item.name) for key, item in rules.indications.items()),
        ]
        self.fields["price"].label = _("Price (%(currency)s)") % {"currency": organisation.currency}
        self.fields["price"].help_text = _("E.g. %(example)s.") % {
            "example": example(organisation.currency)
        }
        self.fields["practitioners"].queryset = StaffMember.objects.filter(  # type: ignore[attr-defined]
            organisation=organisation,
            is_active=True,
            role__in=[Role.OWNER, Role.MANAGER, Role.PRACTITIONER, Role.TRAINEE],
        ).select_related("user")
