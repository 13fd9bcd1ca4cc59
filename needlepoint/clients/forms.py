from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from needlepoint.clients.choices import ReviewDecision
from needlepoint.clinical import Rules
from needlepoint.core.languages import choices as language_choices


class ErasureForm(forms.Form):
    """The erasure request on the client page (clients/detail.html writes its fields)."""

    reason = forms.CharField(max_length=1000)
    confirm = forms.BooleanField()


class MergeForm(forms.Form):
    """Why two records are one person, and the user's yes (clients/merge.html)."""

    reason = forms.CharField(
        label=_("Why are they the same person?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("e.g. same mobile and birthday; she registered online under her new name."),
    )
    confirm = forms.BooleanField(label=_("I have checked: these two records are the same person."))


class ClinicalReviewForm(forms.Form):
    """A clinician's review of the contraindications the latest screening named."""

    keys = forms.MultipleChoiceField(
        label=_("Contraindications reviewed"), widget=forms.CheckboxSelectMultiple
    )
    zones = forms.MultipleChoiceField(
        label=_("Only these zones"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked for a review that covers every zone."),
    )
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you saw, asked or were sent, e.g. the physician's letter of 2 March."),
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when clearing with conditions, e.g. no deeper than 1 mm on the cheeks."),
    )
    expires_on = forms.DateField(
        label=_("Counts until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Optional: from this day the review no longer counts."),
    )
    attachment = forms.FileField(
        label=_("Letter"),
        required=False,
        help_text=_("Optional: a physician's or oncologist's letter (PDF, JPEG or PNG, 10 MB)."),
    )

    def __init__(self, *args: Any, rules: Rules, keys: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reviewed, zones = self.fields["keys"], self.fields["zones"]
        assert isinstance(reviewed, forms.MultipleChoiceField)
        assert isinstance(zones, forms.MultipleChoiceField)
        reviewed.choices = [(key, rules.contraindication(key).name) for key in keys]
        reviewed.initial = list(keys)
        zones.choices = [(key, zone.name) for key, zone in rules.zones.items()]


CHANNELS = [("email", _("Email")), ("sms", _("Text message")), ("both", _("Email and text"))]


class ClientForm(forms.Form):
    """A client's details as the front desk takes them (on the phone, say)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Email"), required=False, max_length=254)
    message_channel = forms.ChoiceField(
        label=_("Reminders and aftercare by"), choices=CHANNELS, initial="email"
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=lambda: [("", _("The clinic's default")), *language_choices()],
        help_text=_("Their booking pages, account and every message we send them."),
    )
    home_location = forms.TypedChoiceField(
        label=_("Usual location"), coerce=int, required=False, empty_value=None
    )
    alert = forms.CharField(
        label=_("Alert"),
        max_length=200,
        required=False,
        help_text=_("Shown to staff wherever the client appears, e.g. needle-phobic: numb 45 min."),
    )
    notes = forms.CharField(
        label=_("Notes"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    not_on_file = forms.BooleanField(required=False, widget=forms.HiddenInput)
    """Set once the front desk has seen the possible duplicates and says it is someone new."""

    def __init__(self, *args: Any, locations: Sequence[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locations = {location.pk: location for location in locations}
        self.fields["home_location"].choices = [  # type: ignore[attr-defined]
            ("", "—"),
            *((pk, location.name) for pk, location in self.locations.items()),
        ]

    def clean_home_location(self) -> Any:
        chosen = self.cleaned_data["home_location"]
        return None if chosen is None else self.locations[chosen]
