"""The vouchers' forms: selling at the desk, cancelling, the validity setting, and the
public pages (buying online, checking a balance). Amounts are read with payments'
``read_amount``, never as floats."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.clinics.models import Location
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, format_money
from needlepoint.payments.forms import new_key, read_amount
from needlepoint.vouchers.choices import Country
from needlepoint.vouchers.services import SALE_METHODS

SALE_CHOICES = [(method.value, method.label) for method in SALE_METHODS]


class _Amount(forms.Form):
    amount = forms.CharField(label=gettext_lazy("Value"), max_length=30)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "amount" in data:
            try:
                data["money"] = read_amount(data["amount"], self.currency)
            except DomainError as error:
                self.add_error("amount", error.message)
        return data


class SellForm(_Amount):
    buyer_email = forms.EmailField(
        label=gettext_lazy("Buyer's email"),
        help_text=gettext_lazy("The buyer's client record; add a new buyer in Clients first."),
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(), label=gettext_lazy("Sold at")
    )
    method = forms.ChoiceField(label=gettext_lazy("How the buyer paid"), choices=SALE_CHOICES)
    recipient_name = forms.CharField(
        label=gettext_lazy("For (recipient)"), required=False, max_length=120
    )
    message = forms.CharField(
        label=gettext_lazy("Message"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    key = forms.UUIDField(widget=forms.HiddenInput, initial=new_key)
    field_order = ("buyer_email", "amount", "method", "location", "recipient_name", "message")

    def __init__(self, *args: Any, locations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations  # type: ignore[attr-defined]
        self.fields["location"].empty_label = None  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it cancelled?"),
        max_length=500,
        widget=forms.TextInput(attrs={"required": True}),
    )


class ValidityForm(forms.Form):
    country = forms.ChoiceField(
        label=gettext_lazy("Country whose law applies"), choices=Country.choices
    )
    validity_months = forms.IntegerField(
        label=gettext_lazy("Vouchers stay valid for (months)"), min_value=1, max_value=120
    )


class BuyForm(_Amount):
    """A voucher bought online: who buys (their client record keeps the invoice), and for whom."""

    first_name = forms.CharField(label=gettext_lazy("Your first name"), max_length=100)
    last_name = forms.CharField(label=gettext_lazy("Your last name"), max_length=100)
    email = forms.EmailField(
        label=gettext_lazy("Your email"), help_text=gettext_lazy("We email the voucher here.")
    )
    date_of_birth = forms.DateField(
        label=gettext_lazy("Your date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Kept with your invoice, as for a booking."),
    )
    recipient_name = forms.CharField(
        label=gettext_lazy("Who is it for?"), required=False, max_length=120
    )
    message = forms.CharField(
        label=gettext_lazy("Your message"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ("amount", "recipient_name", "message", "first_name", "last_name", "email")

    LOWEST_MINOR = 1000
    HIGHEST_MINOR = 100_000

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        money = data.get("money")
        if money is not None and not self.LOWEST_MINOR <= money.minor <= self.HIGHEST_MINOR:
            self.add_error("amount", _("Choose a value from %(low)s to %(high)s.") % self._range())
        born = data.get("date_of_birth")
        if born is not None and born >= timezone.localdate():
            self.add_error("date_of_birth", _("Please check your date of birth."))
        return data

    def _range(self) -> dict[str, str]:
        return {
            "low": format_money(Money(self.LOWEST_MINOR, self.currency)),
            "high": format_money(Money(self.HIGHEST_MINOR, self.currency)),
        }


class CheckForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Voucher code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
