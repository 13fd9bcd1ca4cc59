"""The client-facing forms: contact details, the medical-history questionnaire and the
cancellation policy accepted when booking."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from needlepoint.clients.services import normalise_phone
from needlepoint.clinical import Question, Rules
from needlepoint.clinics.clinical_wording import rule_text
from needlepoint.core.errors import DomainError

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=6,
        min_length=6,
        label=_("Code"),
        help_text=_("The six digits in the email we just sent you."),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )


class AcceptForm(forms.Form):
    """The tick that accepts the cancellation policy; absent when there is none to accept."""

    accept = forms.BooleanField(
        label=_("I accept the cancellation policy"),
        error_messages={"required": _("Please tick to accept the cancellation policy.")},
    )

    def __init__(self, *args: Any, needed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needed:
            del self.fields["accept"]


class DetailsForm(forms.Form):
    first_name = forms.CharField(max_length=100, label=_("First name"))
    last_name = forms.CharField(max_length=100, label=_("Last name"))
    email = forms.EmailField(max_length=254, label=_("Email"))
    phone = forms.CharField(
        max_length=32, label=_("Mobile phone"), help_text=_("For reminders, e.g. 07400 123456.")
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        autocomplete = {
            "first_name": "given-name",
            "last_name": "family-name",
            "email": "email",
            "phone": "tel",
            "date_of_birth": "bday",
        }
        for name, token in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = token

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except DomainError as error:
            raise forms.ValidationError(
                _("Please give a phone number we can text, e.g. 07400 123456.")
            ) from error

    def clean_date_of_birth(self) -> date:
        born: date = self.cleaned_data["date_of_birth"]
        if born >= self.today or born.year < 1900:
            raise forms.ValidationError(_("Please give your real date of birth."))
        return born

    def stored(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "email": data["email"].strip().lower(),
            "phone": data["phone"],
            "date_of_birth": data["date_of_birth"].isoformat(),
        }


class HealthForm(forms.Form):
    """Every screening question of the clinic's rules: yes or no, and details when yes.

    ``area_zones`` are the zones of the area being booked: a question about "an area
    you want treated" asks which of them.
    """

    def __init__(
        self,
        *args: Any,
        rules: Rules,
        area_zones: list[tuple[str, str]],
        today: date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = rules.questions()
        self.area_zones = area_zones
        self.today = today
        for question in self.questions:
            self._add(question)

    def _add(self, question: Question) -> None:
        key = question.key
        self.fields[key] = forms.ChoiceField(
            label=rule_text(question.text),
            choices=YES_NO,
            widget=forms.RadioSelect,
            error_messages={"required": _("Please answer yes or no.")},
        )
        if question.date_question:
            self.fields[f"{key}.since"] = forms.DateField(
                label=rule_text(question.date_question),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
        if question.can_be_ongoing:
            self.fields[f"{key}.ongoing"] = forms.BooleanField(
                label=rule_text(question.ongoing or ""),
                help_text=_("Tick this instead of giving a date if you haven't stopped yet."),
                required=False,
            )
        if question.asks_zones and len(self.area_zones) > 1:
            self.fields[f"{key}.zones"] = forms.MultipleChoiceField(
                label=_("Where? Tick all that apply."),
                required=False,
                choices=self.area_zones,
                widget=forms.CheckboxSelectMultiple,
            )
        if question.variants:
            self.fields[f"{key}.variant"] = forms.ChoiceField(
                label=_("Which kind?"),
                required=False,
                choices=[
                    ("", _("I'm not sure")),
                    *((c.key, rule_text(c.label)) for c in question.variants),
                ],
            )

    def grouped(self) -> list[tuple[forms.BoundField, list[forms.BoundField]]]:
        """Each question's yes/no field with the fields asked when the answer is yes."""
        return [
            (self[q.key], [self[name] for name in self.fields if name.startswith(f"{q.key}.")])
            for q in self.questions
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for question in self.questions:
            key = question.key
            since = data.get(f"{key}.since")
            ongoing = question.can_be_ongoing and data.get(f"{key}.ongoing", False)
            if since is not None and since > self.today:
                self.add_error(f"{key}.since", _("This date is in the future."))
            if data.get(key) != "yes":
                continue
            if ongoing and since is not None:
                self.add_error(
                    f"{key}.ongoing",
                    _(
                        "You gave a date and ticked that you are still taking or using it: "
                        "please clear one of them."
                    ),
                )
            elif question.date_required and since is None and not ongoing:
                self.add_error(f"{key}.since", _("Please give the date, even roughly."))
        return data

    def answers(self) -> dict[str, dict[str, Any]]:
        """The answers in the stored form of ``needlepoint.clients.answers``."""
        data = self.cleaned_data
        answers: dict[str, dict[str, Any]] = {}
        for question in self.questions:
            key = question.key
            entry: dict[str, Any] = {"present": data[key] == "yes"}
            if entry["present"]:
                since = data.get(f"{key}.since")
                if question.can_be_ongoing and data.get(f"{key}.ongoing"):
                    entry["ongoing"] = True
                elif since is not None:
                    entry["since"] = since.isoformat()
                if question.asks_zones:
                    chosen = data.get(f"{key}.zones") or [zone for zone, _ in self.area_zones]
                    if chosen:
                        entry["zones"] = sorted(chosen)
                if data.get(f"{key}.variant"):
                    entry["variant"] = data[f"{key}.variant"]
            answers[key] = entry
        return answers


def health_initial(stored: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A stored medical history as the questionnaire's initial answers, to confirm or change."""
    initial: dict[str, Any] = {}
    for key, answer in stored.items():
        initial[key] = "yes" if answer.get("present") else "no"
        if answer.get("since"):
            initial[f"{key}.since"] = answer["since"]
        if answer.get("ongoing"):
            initial[f"{key}.ongoing"] = True
        if answer.get("zones"):
            initial[f"{key}.zones"] = answer["zones"]
        if answer.get("variant"):
            initial[f"{key}.variant"] = answer["variant"]
    return initial
