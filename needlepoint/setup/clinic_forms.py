"""Forms of Settings' organisation and locations pages: they type what is sent; the rules
(names, zones, phone numbers, overlapping hours…) are needlepoint/clinics/setup.py's."""

from __future__ import annotations

from datetime import time
from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from needlepoint.clinics.choices import ChecklistItem
from needlepoint.clinics.setup import CURRENCIES, LIMITS, time_zones
from needlepoint.core.languages import choices as language_choices

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Organisation name"), max_length=200)
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[(code, code) for code in sorted(CURRENCIES)],
        help_text=_("Prices are shown in it."),
    )
    rescreen_after_days = forms.IntegerField(
        label=_("Screen clients again after (days)"),
        min_value=1,
        max_value=3650,
        help_text=_("An older screening is not current: the client answers the questions again."),
    )
    clinical_retention_years = forms.IntegerField(
        label=_("Keep clinical records for (years)"),
        min_value=1,
        max_value=100,
        help_text=_(
            "After the client's last treatment, even if they ask to be erased. UK guidance for "
            "adults is 8 years. Changing it asks for your password again."
        ),
    )
    checklist_blocking = forms.MultipleChoiceField(
        label=_("Must be green before needling starts"),
        choices=ChecklistItem.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The treatment-day checklist shows every item; these ones stop the session."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages offered to clients"),
        choices=language_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Clients choose one of these on the booking pages and in their account."),
    )
    default_language = forms.ChoiceField(
        label=_("Default language"),
        choices=language_choices,
        help_text=_("For clients who have not chosen one; it must be among those offered."),
    )


def _booking_rule(label: Any, field: str, help_text: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=LIMITS[field], help_text=help_text
    )


class LocationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="Europe/London")
    address = forms.CharField(
        label=_("Address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    minimum_notice_minutes = _booking_rule(
        _("Minimum notice (minutes)"),
        "minimum_notice_minutes",
        _("How soon before a visit it can still be booked online."),
    )
    booking_horizon_days = _booking_rule(
        _("Booking horizon (days)"),
        "booking_horizon_days",
        _("How far ahead visits can be booked."),
    )
    waitlist_hold_minutes = _booking_rule(
        _("Waitlist hold (minutes)"),
        "waitlist_hold_minutes",
        _("How long a freed time is kept for the waiting client it is offered to."),
    )
    late_cancellation_hours = _booking_rule(
        _("Late cancellation (hours)"),
        "late_cancellation_hours",
        _("Cancelling closer to the visit than this counts as late."),
    )
    reminder_hours = forms.CharField(
        label=_("Reminders (hours before the visit)"),
        max_length=40,
        initial="48, 2",
        help_text=_("Separated by commas, e.g. 48, 2."),
    )
    quiet_from = forms.TimeField(
        label=_("Quiet from"),
        widget=TIME,
        initial=time(21),
        help_text=_("No reminders or follow-ups from this time…"),
    )
    quiet_until = forms.TimeField(
        label=_("Quiet until"),
        widget=TIME,
        initial=time(8),
        help_text=_("…until this time, in the location's time zone."),
    )

    def __init__(self, *args: Any, current_zone: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = list(time_zones())
        if current_zone and current_zone not in zones:
            zones.insert(0, current_zone)
        self.fields["time_zone"].choices = [  # type: ignore[attr-defined]
            (zone, zone.replace("_", " ")) for zone in zones
        ]


class OpeningHoursForm(forms.Form):
    """The whole week: each day ticked closed, or its periods (two for a lunch break)."""

    def __init__(self, *args: Any, slots: int = 2, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slots = slots
        for day, name in WEEKDAYS.items():
            self.fields[f"{day}-closed"] = forms.BooleanField(label=_("Closed"), required=False)
            for n in range(slots):
                where = gettext("%(day)s, period %(n)s:") % {"day": name, "n": n + 1}
                for end, label in (("opens", _("Opens")), ("closes", _("Closes"))):
                    field = forms.TimeField(label=label, required=False, widget=TIME)
                    field.where = where  # type: ignore[attr-defined]
                    self.fields[f"{day}-{n}-{end}"] = field

    def days(self) -> list[dict[str, Any]]:
        """The form's fields by day, as the template lays them out."""
        return [
            {
                "day": day,
                "name": name,
                "closed": self[f"{day}-closed"],
                "periods": [
                    (self[f"{day}-{n}-opens"], self[f"{day}-{n}-closes"]) for n in range(self.slots)
                ],
            }
            for day, name in WEEKDAYS.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        week: dict[int, list[tuple[time, time]]] = {}
        for day, name in WEEKDAYS.items():
            if data.get(f"{day}-closed"):
                week[day] = []
                continue
            times = [
                (data.get(f"{day}-{n}-opens"), data.get(f"{day}-{n}-closes"))
                for n in range(self.slots)
            ]
            if any((opens is None) != (closes is None) for opens, closes in times):
                message = gettext("%(day)s: give each period both its opening and closing time.")
                raise forms.ValidationError(message % {"day": name})
            periods = [(o, c) for o, c in times if o is not None and c is not None]
            if not periods:
                message = gettext("%(day)s: give its opening hours, or tick Closed.")
                raise forms.ValidationError(message % {"day": name})
            week[day] = periods
        data["week"] = week
        return data


class ClosureForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("To (included)"), widget=DATE)
    reason = forms.CharField(
        label=_("Reason"), max_length=200, help_text=_("e.g. Christmas, refurbishment.")
    )


class RoomForm(forms.Form):
    name = forms.CharField(label=_("Room name"), max_length=100)


class RoomEditForm(RoomForm):
    is_active = forms.BooleanField(
        label=_("In use"),
        required=False,
        help_text=_("A room out of use is not offered for new bookings."),
    )
