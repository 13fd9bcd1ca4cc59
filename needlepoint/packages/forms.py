"""The package forms: an offer in Settings, a sale at the desk, and the ways to end one.
Amounts are typed as people write them and read with payments' ``read_amount``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.clinics.choices import Weekday
from needlepoint.packages.choices import Payment
from needlepoint.packages.models import MOST_SESSIONS
from needlepoint.scheduling.models import Service


class OfferForm(forms.Form):
    service = forms.ModelChoiceField(label=gettext_lazy("Service"), queryset=Service.objects.none())
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    sessions = forms.IntegerField(
        label=gettext_lazy("Sessions"), min_value=1, max_value=MOST_SESSIONS
    )
    price = forms.CharField(label=gettext_lazy("Price"), max_length=20)
    valid_days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"),
        min_value=1,
        help_text=gettext_lazy(
            "From the day it is sold; the clock pauses while the client is deferred."
        ),
    )
    sold_online = forms.BooleanField(label=gettext_lazy("Sold online"), required=False)
    is_active = forms.BooleanField(label=gettext_lazy("On sale"), required=False, initial=True)

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services


class SellForm(forms.Form):
    offer = forms.ChoiceField(label=gettext_lazy("Course"), required=False)
    service = forms.ModelChoiceField(
        label=gettext_lazy("Or a course of: service"),
        queryset=Service.objects.none(),
        required=False,
    )
    sessions = forms.IntegerField(
        label=gettext_lazy("Sessions"), min_value=1, max_value=MOST_SESSIONS, required=False
    )
    price = forms.CharField(label=gettext_lazy("Price"), max_length=20, required=False)
    valid_days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, required=False
    )
    start_on = forms.DateField(
        label=gettext_lazy("First session from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Preferred days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: any day."),
    )
    time_from = forms.TimeField(
        required=False,
        label=gettext_lazy("Not before"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    time_to = forms.TimeField(
        required=False,
        label=gettext_lazy("Not after"),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    method = forms.ChoiceField(label=gettext_lazy("Paid by"), choices=Payment.choices)
    instalments = forms.IntegerField(
        label=gettext_lazy("Instalments"),
        min_value=2,
        max_value=24,
        required=False,
        help_text=gettext_lazy(
            "By instalments only: monthly charges of the saved card, the first today."
        ),
    )

    def __init__(
        self, *args: Any, offers: list[tuple[str, str]], services: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offer"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("A course of our own (below)")), *offers]
        chosen = self.fields["service"]
        assert isinstance(chosen, forms.ModelChoiceField)
        chosen.queryset = services

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("time_from") and data.get("time_to") and data["time_from"] >= data["time_to"]:
            raise forms.ValidationError(_("“Not before” must be earlier than “Not after”."))
        own = ("service", "sessions", "price", "valid_days")
        if not data.get("offer"):
            for name in own:
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Choose a course on sale, or give this."))
        if data.get("method") == Payment.INSTALMENTS and not data.get("instalments"):
            self.add_error("instalments", _("Say in how many instalments the client pays."))
        return data


class TransferForm(forms.Form):
    to = forms.CharField(
        label=gettext_lazy("Client receiving the sessions"),
        max_length=254,
        help_text=gettext_lazy("Their email address, or their record id."),
    )
    client_agreed = forms.BooleanField(
        label=gettext_lazy("The client agreed to give their unused sessions away"), required=False
    )
    reason = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


class MoneyBackForm(forms.Form):
    percent = forms.IntegerField(
        label=gettext_lazy("Share of the unused value (%)"), min_value=0, max_value=100, initial=100
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class VoidForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
