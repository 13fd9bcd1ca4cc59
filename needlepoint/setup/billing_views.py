"""Settings: how the clinic takes money. Billing (legal details, tax, the Stripe keys) for
the organisation; each location's payment policy (fees, the late window, the clinical
rule, the wording clients accept) and its deposits.

Every change goes through needlepoint/payments/services.py; a refusal is shown on the form
and nothing changes. Stripe keys are write-only here: the page says whether one is set
and how it ends, never the key.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.accounts.recent import password_again
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Location
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, as_decimal, format_money
from needlepoint.payments.billing import (
    STRIPE_KEYS,
    billing_update,
    default_cancellation_wording,
    deposit_rules_set,
    payment_policy_update,
    stripe_key_ending,
    stripe_mode,
    webhook_url,
)
from needlepoint.payments.choices import DepositKind
from needlepoint.payments.models import Billing, DepositRule, PaymentPolicy
from needlepoint.payments.services import deposit_due
from needlepoint.scheduling.models import Service
from needlepoint.setup.billing_forms import KEY_LABELS, BillingForm, DepositsForm, PaymentPolicyForm


def _page(request: StaffRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return no_store(render(request, f"setup/billing/{template}", {"nav": "settings", **context}))


def _refused(form: forms.Form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# Billing --------------------------------------------------------------------------------


@staff_view
def billing(request: StaffRequest) -> HttpResponse:
    organisation = request.staff.organisation
    current = Billing.objects.filter(organisation=organisation).first() or Billing()
    initial = {
        "legal_name": current.legal_name,
        "tax_number": current.tax_number,
        "address": current.address,
        "prices_include_tax": current.prices_include_tax,
        "invoice_note": current.invoice_note,
    }
    form = BillingForm(request.POST or None, initial=initial)
    owner = request.staff.role == Role.OWNER
    if request.method == "POST" and form.is_valid():
        changes_keys = any(form.cleaned_data[name] is not None for name in STRIPE_KEYS)
        if owner and changes_keys:  # where the clinic's card money goes: the password first
            asked = password_again(request)
            if asked is not None:
                return asked
        try:
            billing_update(organisation=organisation, by=request.staff, **form.cleaned_data)
        except DomainError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("settings:billing")
    keys = [
        {
            "name": name,
            "label": KEY_LABELS[name],
            "field": form[name],
            "remove": form[f"remove_{name}"],
            "ending": stripe_key_ending(current, name),
        }
        for name in STRIPE_KEYS
    ]
    context = {
        "form": form,
        "owner": owner,
        "keys": keys,
        "mode": stripe_mode(current),
        "webhook_url": webhook_url(organisation),
        "locations": visible_locations(request.staff).order_by("name"),
    }
    return _page(request, "billing.html", context)


# A location's payment policy and deposits ------------------------------------------------


def _policy_initial(place: Location, policy: PaymentPolicy) -> dict[str, Any]:
    currency = place.organisation.currency
    return {
        "no_show_fee": as_decimal(Money(policy.no_show_fee_minor, currency)),
        "late_cancel_fee": as_decimal(Money(policy.late_cancel_fee_minor, currency)),
        "late_cancellation_hours": place.late_cancellation_hours,
        "charge_fees_automatically": policy.charge_fees_automatically,
        "clinical_refund": policy.clinical_refund,
        "cancellation_wording": policy.cancellation_wording,
    }


def _deposits_initial(place: Location, services: list[Service]) -> dict[str, Any]:
    currency = place.organisation.currency
    prefixes: dict[int | None, str] = {None: ""}
    prefixes |= {service.pk: DepositsForm.prefix_for(service) for service in services}
    initial: dict[str, Any] = {"kind": DepositKind.NONE}
    for rule in DepositRule.objects.filter(location=place):
        prefix = prefixes.get(rule.service_id)
        if prefix is None:  # a retired service's rule
            continue
        initial[f"{prefix}kind"] = rule.kind
        if rule.kind == DepositKind.FIXED:
            initial[f"{prefix}amount"] = as_decimal(Money(rule.fixed_minor, currency))
        if rule.kind == DepositKind.PERCENT:
            initial[f"{prefix}percent"] = rule.percent
    return initial


def _deposit_shown(service: Service) -> str:
    """What booking the service online asks for now, in words."""
    kind, amount = deposit_due(service)
    if kind == DepositKind.CARD:
        return _("A card saved for fees")
    return format_money(amount) if amount.minor else _("No deposit")


@staff_view
def payment_policy(request: StaffRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(visible_locations(request.staff), slug=slug)
    currency = place.organisation.currency
    policy = PaymentPolicy.objects.filter(location=place).first() or PaymentPolicy()
    services = list(place.services.filter(is_active=True).order_by("name"))
    sent = request.POST if request.method == "POST" else None
    part = request.POST.get("part") if sent else ""
    policy_form = PaymentPolicyForm(
        sent if part == "policy" else None,
        initial=_policy_initial(place, policy),
        currency=currency,
    )
    deposits_form = DepositsForm(
        sent if part == "deposits" else None,
        initial=_deposits_initial(place, services),
        services=services,
        currency=currency,
    )
    if part == "policy" and policy_form.is_valid():
        try:
            payment_policy_update(location=place, **policy_form.cleaned_data)
        except DomainError as error:
            _refused(policy_form, error)
        else:
            messages.success(request, _("Fees and cancellations saved."))
            return redirect("settings:payment_policy", slug=place.slug)
    if part == "deposits" and deposits_form.is_valid():
        try:
            deposit_rules_set(location=place, rules=deposits_form.rules())
        except DomainError as error:
            _deposit_refused(deposits_form, error)
        else:
            messages.success(request, _("Deposits saved."))
            return redirect("settings:payment_policy", slug=place.slug)
    place.refresh_from_db()  # a refused change leaves the window as it was
    context = {
        "location": place,
        "policy_form": policy_form,
        "deposits_form": deposits_form,
        "currency": currency,
        "default_wording": default_cancellation_wording(place, policy),
        "deposit_rows": [
            row | {"due": _deposit_shown(row["service"])} for row in deposits_form.rows()
        ],
    }
    return _page(request, "payment_policy.html", context)


def _deposit_refused(form: DepositsForm, error: DomainError) -> None:
    which = error.details.get("service")
    service = next((s for s in form.services if str(s.public_id) == which), None)
    prefix = DepositsForm.prefix_for(service) if service is not None else ""
    field = f"{prefix}{error.field}" if error.field else None
    form.add_error(field if field in form.fields else None, error.message)
