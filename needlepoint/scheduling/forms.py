from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from needlepoint.clients.models import Client
from needlepoint.clinics.choices import Weekday
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.scheduling.models import Service


def local_datetime(value: datetime, location: Location) -> datetime:
    """A wall-clock time at the location, made aware; a time the clocks skip is refused."""
    aware = value.replace(tzinfo=location.zone, fold=0)
    if aware.astimezone(location.zone).replace(tzinfo=None) != value:
        raise forms.ValidationError(
            _("That time doesn't exist at this location (the clocks go forward).")
        )
    return aware


class BookingForm(forms.Form):
    client = forms.ModelChoiceField(label=_("Client"), queryset=Client.objects.none())
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Start (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"),
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label=_("Any qualified practitioner"),
    )
    override_reason = forms.CharField(
        label=_("Override reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only to book before the clinical interval allows: say why."),
    )

    def __init__(self, *args: Any, location: Location, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.location = location
        organisation_clients = Client.objects.filter(
            organisation_id=location.organisation_id, anonymised_at__isnull=True
        ).order_by("last_name", "first_name")
        practitioners = StaffMember.objects.filter(
            locations=location, is_active=True, services__location=location
        ).distinct()
        self._limit("client", organisation_clients)
        self._limit("service", Service.objects.filter(location=location, is_active=True))
        self._limit("practitioner", practitioners.select_related("user"))

    def _limit(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean_starts_at(self) -> datetime:
        value: datetime = self.cleaned_data["starts_at"]
        return local_datetime(value.replace(tzinfo=None), self.location)


class RescheduleForm(forms.Form):
    """A new start picked from the free times offered (or dropped on a calendar cell)."""

    starts_at = forms.DateTimeField(label=_("New start"))
    override_reason = forms.CharField(
        label=_("Override reason"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, location: Location, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.location = location

    def clean_starts_at(self) -> datetime:
        value: datetime = self.cleaned_data["starts_at"]
        return local_datetime(value.replace(tzinfo=None), self.location)


class MoveForm(RescheduleForm):
    """Where a booking was dropped on the calendar: a start, and a practitioner's column."""

    practitioner = forms.ModelChoiceField(
        label=_("Practitioner"), queryset=StaffMember.objects.none(), required=False
    )

    def __init__(self, *args: Any, location: Location, **kwargs: Any) -> None:
        super().__init__(*args, location=location, **kwargs)
        field = self.fields["practitioner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = StaffMember.objects.filter(
            organisation_id=location.organisation_id, locations=location, is_active=True
        )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class CourseForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=Service.objects.none())
    sessions = forms.IntegerField(label=_("Sessions"), min_value=1, max_value=24, initial=4)
    start_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Preferred days"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any day."),
    )
    time_from = forms.TimeField(
        required=False, label=_("Not before"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    time_to = forms.TimeField(
        required=False, label=_("Not after"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    interval_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        label=_("Days between sessions"),
        help_text=_(
            "Empty: the indication's usual interval. Never shorter than the clinical rule."
        ),
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("time_from") and data.get("time_to") and data["time_from"] >= data["time_to"]:
            raise forms.ValidationError(_("“Not before” must be earlier than “Not after”."))

        return data
