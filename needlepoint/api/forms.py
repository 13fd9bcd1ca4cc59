from django import forms

from needlepoint.api.choices import Scope
from needlepoint.api.tokens import DEFAULT_TERM, TERMS


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, label="Name", help_text="What will use it, e.g. “Website booking”."
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        label="It may",
    )
    expires = forms.TypedChoiceField(
        choices=[*((str(days), f"After {days} days") for days in TERMS), ("never", "Never")],
        coerce=lambda value: None if value == "never" else int(value),
        initial=str(DEFAULT_TERM),
        label="Expires",
        help_text="A program that runs for years can have a token that never expires; "
        "make a new one before an expiring token runs out.",
    )
