from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from needlepoint.api.choices import Scope
from needlepoint.api.tokens import DEFAULT_TERM, TERMS


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=_("Name"),
        help_text=_("What will use it, e.g. “Website booking”."),
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Scope.READ],
        label=_("It may"),
    )
    expires = forms.TypedChoiceField(
        choices=[
            *(
                (
                    str(days),
                    ngettext_lazy("After %(days)s day", "After %(days)s days", "days")
                    % {"days": days},
                )
                for days in TERMS
            ),
            ("never", _("Never")),
        ],
        coerce=lambda value: None if value == "never" else int(value),
        initial=str(DEFAULT_TERM),
        label=_("Expires"),
        help_text=_(
            "A program that runs for years can have a token that never expires; "
            "make a new one before an expiring token runs out."
        ),
    )
