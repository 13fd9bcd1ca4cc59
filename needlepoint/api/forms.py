from django import forms

from needlepoint.api.choices import Scope


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
