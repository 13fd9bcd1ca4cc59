"""Forms of Settings' billing and payment policy pages: they shape what is sent; the rules
(key shapes, fees as money, percentages, who may change the keys) are
needlepoint/payments/services.py's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from needlepoint.clinics.setup import LIMITS
from needlepoint.core.money import example
from needlepoint.payments.billing import LONGEST_WORDING, STRIPE_KEYS, DepositChoice
from needlepoint.payments.choices import ClinicalRefund, DepositKind
from needlepoint.scheduling.models import Service

KEY_INPUT = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}
KEY_LABELS = {
    "publishable_key": _("Publishable key"),
    "secret_key": _("Secret key"),
    "webhook_secret": _("Webhook signing secret"),
}


class KeyInput(forms.TextInput):
    """Shows what is pasted but never sends a key back to the page, not even after a
    refusal: a secret key pasted into the publishable key's field stays off the screen."""

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        return super().get_context(name, None, attrs)


def _key_field(name: str) -> forms.CharField:
    widget = (
        KeyInput(attrs=KEY_INPUT)
        if name == "publishable_key"
        else forms.PasswordInput(attrs=KEY_INPUT | {"autocomplete": "new-password"})
    )
    return forms.CharField(label=KEY_LABELS[name], max_length=300, required=False, widget=widget)


class BillingForm(forms.Form):
    legal_name = forms.CharField(
        label=_("Legal name"),
        max_length=200,
        required=False,
        help_text=_("As registered, e.g. Harbour Skin Clinic Ltd. Invoices are issued in it."),
    )
    tax_number = forms.CharField(label=_("Tax (VAT) number"), max_length=40, required=False)
    address = forms.CharField(
        label=_("Registered address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Empty: invoices show the location's address."),
    )
    prices_include_tax = forms.BooleanField(
        label=_("Prices include tax"),
        required=False,
        help_text=_(
            "On: a service's price is what the client pays, tax included (UK, EU). "
            "Off: tax is added to the price (US sales tax)."
        ),
    )
    invoice_note = forms.CharField(
        label=_("Note on every invoice"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. your company number, or payment terms."),
    )
    publishable_key = _key_field("publishable_key")
    secret_key = _key_field("secret_key")
    webhook_secret = _key_field("webhook_secret")
    remove_publishable_key = forms.BooleanField(
        label=_("Remove the publishable key"), required=False
    )
    remove_secret_key = forms.BooleanField(label=_("Remove the secret key"), required=False)
    remove_webhook_secret = forms.BooleanField(
        label=_("Remove the webhook signing secret"), required=False
    )

    def clean(self) -> dict[str, Any]:
        """Each key becomes None (keep the stored one), "" (remove it) or the new key."""
        data = super().clean() or {}
        for name in STRIPE_KEYS:
            typed = (data.get(name) or "").strip()
            remove = data.pop(f"remove_{name}", False)
            if remove and typed:
                self.add_error(name, _("Give a new key or remove this one, not both."))
            data[name] = "" if remove else (typed or None)
        return data


class PaymentPolicyForm(forms.Form):
    no_show_fee = forms.CharField(label=_("No-show fee"), max_length=20)
    late_cancel_fee = forms.CharField(label=_("Late-cancellation fee"), max_length=20)
    late_cancellation_hours = forms.IntegerField(
        label=_("Late cancellation (hours)"),
        min_value=0,
        max_value=LIMITS["late_cancellation_hours"],
        help_text=_("Cancelling closer to the visit than this counts as late."),
    )
    charge_fees_automatically = forms.BooleanField(
        label=_("Charge fees automatically"),
        required=False,
        help_text=_(
            "On: a fee is taken from the deposit or the saved card as soon as it is due. "
            "Off: staff charge or waive each fee."
        ),
    )
    clinical_refund = forms.ChoiceField(
        label=_("When a clinical decision stops a visit, the deposit is…"),
        choices=ClinicalRefund.choices,
        widget=forms.RadioSelect,
        help_text=_("There is never a fee then."),
    )
    cancellation_wording = forms.CharField(
        label=_("Cancellation policy clients accept"),
        max_length=LONGEST_WORDING,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Empty: the wording below, made from your fees and window, is used."),
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hint = _("%(currency)s, e.g. %(example)s; 0 for none.") % {
            "currency": currency,
            "example": example(currency),
        }
        for name in ("no_show_fee", "late_cancel_fee"):
            self.fields[name].help_text = hint
            self.fields[name].widget.attrs["inputmode"] = "decimal"


AS_LOCATION = "location"


def _kind_field(label: Any, *, as_location: bool) -> forms.ChoiceField:
    choices = [*DepositKind.choices]
    if as_location:
        choices.insert(0, (AS_LOCATION, _("As the location")))
    return forms.ChoiceField(label=label, choices=choices, initial=AS_LOCATION)


def _amount_field(currency: str) -> forms.CharField:
    return forms.CharField(
        label=_("Amount (%(currency)s)") % {"currency": currency},
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def _percent_field() -> forms.CharField:
    return forms.CharField(
        label=_("Percentage of the price"),
        max_length=5,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )


class DepositsForm(forms.Form):
    """The location's deposit rule, and each service's: its own, or as the location's."""

    def __init__(
        self, *args: Any, services: Iterable[Service], currency: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.services = list(services)
        self.fields["kind"] = _kind_field(_("Deposit for every service"), as_location=False)
        self.fields["amount"] = _amount_field(currency)
        self.fields["percent"] = _percent_field()
        for service in self.services:
            prefix = self.prefix_for(service)
            self.fields[f"{prefix}kind"] = _kind_field(_("Deposit"), as_location=True)
            self.fields[f"{prefix}amount"] = _amount_field(currency)
            self.fields[f"{prefix}percent"] = _percent_field()

    @staticmethod
    def prefix_for(service: Service) -> str:
        return f"service-{service.pk}-"

    def rows(self) -> list[dict[str, Any]]:
        """Each service's fields, as the template lays them out."""
        return [
            {
                "service": service,
                "kind": self[f"{self.prefix_for(service)}kind"],
                "amount": self[f"{self.prefix_for(service)}amount"],
                "percent": self[f"{self.prefix_for(service)}percent"],
            }
            for service in self.services
        ]

    def rules(self) -> dict[Service | None, DepositChoice | None]:
        data = self.cleaned_data
        rules: dict[Service | None, DepositChoice | None] = {
            None: DepositChoice(data["kind"], data["amount"], data["percent"])
        }
        for service in self.services:
            prefix = self.prefix_for(service)
            kind = data[f"{prefix}kind"]
            rules[service] = (
                DepositChoice(kind, data[f"{prefix}amount"], data[f"{prefix}percent"])
                if kind != AS_LOCATION
                else None
            )
        return rules
