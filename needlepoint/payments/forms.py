"""The desk's money forms: amounts are typed as people write them and read with
``parse_money``, never as floats; each form that moves money carries the idempotency key
made when the page was drawn, so a double click moves it once."""

from __future__ import annotations

import re
import unicodedata
import uuid
from decimal import Decimal
from typing import Any

from babel.numbers import get_currency_symbol
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.core.errors import DomainError
from needlepoint.core.languages import reader_locale
from needlepoint.core.money import Money, currencies_in_use, example, parse_money
from needlepoint.payments.choices import DESK_METHODS, Method

CODE = re.compile(r"\b[A-Za-z]{3}\b")


def read_amount(text: str, currency: str, *, field: str | None = None) -> Money:
    """What was typed, in ``currency``: its own symbol or code may be typed with the number
    (£85.50, 85.50 GBP); another currency's is refused rather than read as ours."""
    raw = text.strip()
    for own in _symbols(currency):
        if raw.upper().startswith(own.upper()):
            raw = raw[len(own) :].strip()
            break
        if raw.upper().endswith(own.upper()):
            raw = raw[: -len(own)].strip()
            break
    if _another_currency(raw):
        raise DomainError(
            "wrong_currency",
            _("Amounts here are in %(currency)s: type the number only, e.g. %(example)s.")
            % {"currency": currency, "example": example(currency)},
            field=field,
        )
    return parse_money(raw, currency, field=field)


def _another_currency(text: str) -> bool:
    """A currency sign (€, $, ¥) or a currency's code (EUR) typed with the number."""
    if any(unicodedata.category(char) == "Sc" for char in text):
        return True
    return any(word.upper() in currencies_in_use() for word in CODE.findall(text))


def _symbols(currency: str) -> list[str]:
    locale = reader_locale()
    found = {currency}
    for where in (locale, "en"):
        try:
            found.add(get_currency_symbol(currency, locale=where))
        except (ValueError, LookupError):
            continue
    return sorted(found, key=len, reverse=True)


def new_key() -> str:
    return str(uuid.uuid4())


class AmountForm(forms.Form):
    """An amount in the invoice's currency (a hidden field says which, as the page showed it)."""

    ids = "id_%s"  # each form of a page has its own ids: several ask for an amount
    amount = forms.CharField(label=gettext_lazy("Amount"), max_length=30)
    currency = forms.CharField(widget=forms.HiddenInput, max_length=3)

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", self.ids)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("currency", currency)
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "amount" in data and "currency" in data:
            try:
                data["money"] = read_amount(data["amount"], data["currency"].upper())
            except DomainError as error:
                self.add_error("amount", error.message)
        return data


class KeyedForm(AmountForm):
    key = forms.UUIDField(widget=forms.HiddenInput, initial=new_key)


class PaymentForm(KeyedForm):
    ids = "pay_%s"
    method = forms.ChoiceField(
        label=gettext_lazy("How the client paid"),
        choices=[(method.value, method.label) for method in DESK_METHODS],
        initial=Method.CASH,
    )
    voucher_code = forms.CharField(
        label=gettext_lazy("Voucher code"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("With Voucher: the code on the gift voucher."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=300)
    field_order = ("method", "amount", "voucher_code", "note", "currency", "key")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("method") == Method.VOUCHER and not data.get("voucher_code", "").strip():
            self.add_error("voucher_code", _("Give the voucher's code."))
        return data


class RefundForm(KeyedForm):
    TO_METHOD, TO_CREDIT = "method", "credit"
    to = forms.ChoiceField(
        label=gettext_lazy("Give it back"),
        choices=[
            (TO_METHOD, gettext_lazy("The way it was paid")),
            (TO_CREDIT, gettext_lazy("As account credit")),
        ],
        initial=TO_METHOD,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.TextInput(attrs={"required": True}),
    )
    field_order = ("amount", "to", "reason", "currency", "key")


class CreditNoteForm(AmountForm):
    ids = "credit_%s"
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    credited_seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    field_order = ("amount", "reason", "currency", "credited_seen")


class LineForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Description"), max_length=200)
    quantity = forms.IntegerField(
        label=gettext_lazy("Quantity"), min_value=1, max_value=999, initial=1
    )
    unit_price = forms.CharField(label=gettext_lazy("Unit price"), max_length=30)
    tax_percent = forms.DecimalField(
        label=gettext_lazy("Tax %"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        initial=Decimal(0),
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "line_%s")
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["unit_price"].widget.attrs.update({"inputmode": "decimal"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "unit_price" in data:
            try:
                data["unit"] = read_amount(data["unit_price"], self.currency)
            except DomainError as error:
                self.add_error("unit_price", error.message)
        if data.get("tax_percent") is not None:
            data["tax_rate_bp"] = int(data["tax_percent"] * 100)
        return data


class CashUpForm(forms.Form):
    counted = forms.CharField(label=gettext_lazy("Cash counted"), max_length=30)
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Needed when the cash counted differs from what is expected."),
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["counted"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "counted" in data:
            try:
                data["money"] = read_amount(data["counted"], self.currency)
            except DomainError as error:
                self.add_error("counted", error.message)
        return data


def refuse(form: forms.Form, error: DomainError, names: dict[str, str] | None = None) -> None:
    """Show a service's refusal on the form, next to the field it names when there is one."""
    field = (names or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


class InstalmentsForm(forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("Number of instalments"), min_value=2, max_value=24, initial=3
    )
    first_due_on = forms.DateField(
        label=gettext_lazy("First charge on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    every_days = forms.IntegerField(
        label=gettext_lazy("Days between charges"), min_value=1, max_value=366, initial=30
    )


class ChargeCancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=300,
        widget=forms.TextInput(attrs={"required": True}),
    )
