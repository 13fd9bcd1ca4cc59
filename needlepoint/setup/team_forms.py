"""Settings › Team: the forms. Each gives typed values to a service in accounts/team.py or
scheduling/shifts.py, which holds the rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.clinics.choices import Role, Weekday
from needlepoint.clinics.models import Location
from needlepoint.core.languages import choices as language_choices

PERIODS = ("", "_2")  # the first and the optional second period of a day


def role_choices(owner: bool) -> list[tuple[str, Any]]:
    """The roles a person may hand out: only an owner makes an owner."""
    return [(value, label) for value, label in Role.choices if owner or value != Role.OWNER]


class _Locations(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def clean(self, value: Any) -> Any:
        for pk in value or ():
            if not (isinstance(pk, str) and pk.isascii() and pk.isdigit() and len(pk) < 10):
                raise forms.ValidationError(_("Choose locations from the list."))
        return super().clean(value)

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MemberForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"))
    locations = _Locations(
        label=gettext_lazy("Works at"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=language_choices,
        required=False,
        help_text=gettext_lazy("Their pages and the messages sent to them are in it."),
    )

    def __init__(
        self, *args: Any, locations: Sequence[Location], owner: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(owner)  # type: ignore[attr-defined]
        field = self.fields["locations"]
        assert isinstance(field, _Locations)
        field.queryset = Location.objects.filter(pk__in=[place.pk for place in locations])


class InviteForm(MemberForm):
    full_name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Email"), max_length=254)
    field_order = ("full_name", "email", "role", "locations")


def _time(label: Any) -> forms.TimeField:
    return forms.TimeField(
        label=label, required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )


class WeekForm(forms.Form):
    """Monday to Sunday, each with a start and an end, and maybe a second period."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for day, name in Weekday.choices:
            for second in PERIODS:
                then = _(" (second period)") if second else ""
                self.fields[f"d{day}_starts{second}"] = _time(
                    _("%(day)s starts") % {"day": name} + then
                )
                self.fields[f"d{day}_ends{second}"] = _time(
                    _("%(day)s ends") % {"day": name} + then
                )

    @staticmethod
    def initial_for(week: dict[int, list[tuple[time, time]]]) -> dict[str, time]:
        initial: dict[str, time] = {}
        for day, periods in week.items():
            for second, (starts, ends) in zip(PERIODS, periods, strict=False):
                initial[f"d{day}_starts{second}"] = starts
                initial[f"d{day}_ends{second}"] = ends
        return initial

    def rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The grid: each day's name and its four fields."""
        return [
            (
                str(name),
                [
                    self[f"d{day}_{part}{second}"]
                    for second in PERIODS
                    for part in ("starts", "ends")
                ],
            )
            for day, name in Weekday.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        periods: list[tuple[int, time, time]] = []
        for day, name in Weekday.choices:
            for second in PERIODS:
                starts_key, ends_key = f"d{day}_starts{second}", f"d{day}_ends{second}"
                if starts_key in self.errors or ends_key in self.errors:
                    continue
                starts, ends = data.get(starts_key), data.get(ends_key)
                if (starts is None) != (ends is None):
                    missing = starts_key if starts is None else ends_key
                    self.add_error(
                        missing,
                        _("Give both a start and an end on %(day)s, or neither.") % {"day": name},
                    )
                elif starts is not None and ends is not None:
                    periods.append((day, starts, ends))
        data["periods"] = periods
        return data


class ExceptionForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = _time(gettext_lazy("Starts"))
    ends = _time(gettext_lazy("Ends"))


class TimeOffForm(forms.Form):
    from_day = forms.DateField(
        label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    from_time = _time(gettext_lazy("From time (empty: the whole day)"))
    until_day = forms.DateField(
        label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until_time = _time(gettext_lazy("Until time (empty: the whole day)"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)

    def clean_until_day(self) -> date:
        last: date = self.cleaned_data["until_day"]
        if last >= date.max - timedelta(days=1):
            raise forms.ValidationError(_("Give a date before the year 9999."))
        return last

    def instants(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The start and end in ``zone``'s wall-clock time (whole days when no time is given)."""
        data = self.cleaned_data
        first: date = data["from_day"]
        last: date = data["until_day"]
        starts = datetime.combine(first, data.get("from_time") or time.min, tzinfo=zone)
        if data.get("until_time") is not None:
            ends = datetime.combine(last, data["until_time"], tzinfo=zone)
        else:
            ends = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
        return starts, ends
