"""The filter every report shares, and the lot search of the recall list."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.accounts.access import visible_locations
from needlepoint.clinics.models import (
    Device,
    Location,
    NeedleConfiguration,
    StaffMember,
    local_today,
)
from needlepoint.reports.queries import Scope, practitioners_for

DEFAULT_DAYS = 30
COHORT_DEFAULT_DAYS = 365
"""Courses and outcomes follow clients over months (four sessions a month or more apart):
their reports look back a year unless dates are given."""
LONGEST_RANGE_DAYS = 3660  # ten years: enough for any report, few enough days to count


class PractitionerChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.full_name)


class ReportFilter(forms.Form):
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        required=False,
        empty_label=gettext_lazy("All your locations"),
        label=gettext_lazy("Location"),
    )
    practitioner = PractitionerChoice(
        queryset=StaffMember.objects.none(),
        required=False,
        empty_label=gettext_lazy("Everyone"),
        label=gettext_lazy("Practitioner"),
    )
    start = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput({"type": "date"}))

    def __init__(
        self, staff: StaffMember, data: QueryDict, default_days: int = DEFAULT_DAYS
    ) -> None:
        self.staff = staff
        self.visible = visible_locations(staff)
        super().__init__(with_default_dates(data, self.visible.first(), default_days))
        self.fields["location"].queryset = self.visible  # type: ignore[attr-defined]
        if "practitioner" in self.fields:
            self.fields["practitioner"].queryset = practitioners_for(self.visible)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date must be on or after the start date."))
        elif start and end and (end - start).days >= LONGEST_RANGE_DAYS:
            self.add_error("end", _("Choose at most %(days)s days.") % {"days": LONGEST_RANGE_DAYS})
        return cleaned

    def scope(self) -> Scope:
        wanted = self.cleaned_data
        chosen = wanted["location"]
        return Scope(
            organisation_id=self.staff.organisation_id,
            locations=[chosen] if chosen else list(self.visible.order_by("name")),
            start=wanted["start"],
            end=wanted["end"],
            practitioner=wanted.get("practitioner"),
        )


def with_default_dates(data: QueryDict, location: Location | None, days: int) -> QueryDict:
    """The last ``days`` days, ending today where the clinic is, unless dates were given."""
    filled = data.copy()
    today: date = local_today(location)
    if not filled.get("end"):
        filled["end"] = today.isoformat()
    if not filled.get("start"):
        filled["start"] = (today - timedelta(days=days - 1)).isoformat()
    return filled


class MoneyFilter(ReportFilter):
    """Money is the clinic's, not a practitioner's: locations and dates only."""

    practitioner = None  # type: ignore[assignment]


class LotSearch(ReportFilter):
    lot = forms.CharField(required=False, max_length=100, label=gettext_lazy("Lot number"))
    configuration = forms.ModelChoiceField(
        queryset=NeedleConfiguration.objects.none(),
        required=False,
        empty_label=gettext_lazy("Any configuration"),
        label=gettext_lazy("Needle configuration"),
    )
    device = forms.ModelChoiceField(
        queryset=Device.objects.none(),
        required=False,
        empty_label=gettext_lazy("Any device"),
        label=gettext_lazy("Device"),
    )

    def __init__(self, staff: StaffMember, data: QueryDict) -> None:
        super().__init__(staff, data)
        self.fields["configuration"].queryset = NeedleConfiguration.objects.filter(  # type: ignore[attr-defined]
            organisation_id=staff.organisation_id
        )
        self.fields["device"].queryset = Device.objects.filter(location__in=self.visible)  # type: ignore[attr-defined]
