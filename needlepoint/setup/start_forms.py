"""The one form of the guided first set-up: the clinic, who treats, and what it offers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from needlepoint.scheduling.starter import STARTER_SERVICES, TREATMENT
from needlepoint.setup.clinic_forms import LocationForm

STARTER_CHOICES = [(str(index), service.name) for index, service in enumerate(STARTER_SERVICES)]
FIRST_OFFERED = ["0", "1", "2"]  # a consultation, a patch test and the face


class StartForm(forms.Form):
    name = forms.CharField(
        label=_("Location name"),
        max_length=200,
        help_text=_("As clients know it, e.g. High Street."),
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="Europe/London")
    address = LocationForm.base_fields["address"]
    phone = LocationForm.base_fields["phone"]
    email = LocationForm.base_fields["email"]
    i_treat = forms.BooleanField(
        label=_("I treat clients myself, in the opening hours"), required=False, initial=True
    )
    practitioner_name = forms.CharField(
        label=_("Practitioner's name"), max_length=150, required=False
    )
    practitioner_email = forms.EmailField(
        label=_("Practitioner's email"),
        max_length=254,
        required=False,
        help_text=_("We email them a link to choose their password."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = LocationForm().fields["time_zone"]
        self.fields["time_zone"].choices = zones.choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, email = data.get("practitioner_name"), data.get("practitioner_email")
        if bool(name) != bool(email) and not self.errors:
            raise forms.ValidationError(
                _("To invite a practitioner, give both their name and their email.")
            )
        if not data.get("i_treat") and not email and not self.errors:
            raise forms.ValidationError(
                _("Someone has to treat clients: tick that you do, or invite a practitioner.")
            )
        treatments = [STARTER_SERVICES[int(i)].kind == TREATMENT for i in data.get("services", [])]
        if any(treatments) and not data.get("pen_serial", "").strip():
            self.add_error(
                "pen_serial",
                _("Treatments are given with a pen: give its serial number, or untick them."),
            )
        return data

    services = forms.MultipleChoiceField(
        label=_("What you offer"),
        choices=STARTER_CHOICES,
        initial=FIRST_OFFERED,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Prices and times can be changed later in Settings → Services."),
    )
    pen_name = forms.CharField(
        label=_("Your microneedling pen"), max_length=100, required=False, initial=_("Pen 1")
    )
    pen_serial = forms.CharField(
        label=_("Its serial number"),
        max_length=100,
        required=False,
        help_text=_("Treatments are booked with a pen; more can be added in Settings → Devices."),
    )
