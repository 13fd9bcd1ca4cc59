"""The clinic's money set-up, changed through Settings: its billing details and Stripe
keys, each location's fees and deposits, and the cancellation policy clients accept."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.clinics.setup import location_update
from needlepoint.core.errors import DomainError, checked
from needlepoint.core.money import HIGHEST_MINOR, Money, format_money, parse_money
from needlepoint.payments.choices import (
    ClinicalRefund,
    DepositKind,
)
from needlepoint.payments.keys import seal, unseal
from needlepoint.payments.models import (
    Billing,
    DepositRule,
    PaymentPolicy,
)
from needlepoint.payments.services import _audit, billing_for, policy_for
from needlepoint.scheduling.models import Service

logger = logging.getLogger(__name__)

# ---- set-up through Settings: billing, Stripe keys, the payment policy, deposits --------
# (needlepoint/setup/billing_views.py; the demo too.) A key given as None stays as it is,
# "" removes it. Secret keys are sealed (payments/keys.py) and never shown again.

STRIPE_KEYS = {
    "publishable_key": "stripe_publishable_key",
    "secret_key": "stripe_secret_key",
    "webhook_secret": "stripe_webhook_secret",
}
SEALED_KEYS = frozenset({"secret_key", "webhook_secret"})  # the publishable key is public
KEY_SHAPES = {
    "publishable_key": re.compile(r"pk_(test|live)_[A-Za-z0-9]{6,190}", re.ASCII),
    "secret_key": re.compile(r"[sr]k_(test|live)_[A-Za-z0-9]{6,190}", re.ASCII),
    "webhook_secret": re.compile(r"whsec_[A-Za-z0-9+/=]{6,190}", re.ASCII),
}
LONGEST_WORDING = 3000
BILLING_DETAILS = ("legal_name", "address", "tax_number", "prices_include_tax", "invoice_note")
POLICY_DETAILS = (
    "no_show_fee_minor",
    "late_cancel_fee_minor",
    "charge_fees_automatically",
    "clinical_refund",
    "cancellation_wording",
)


@transaction.atomic
def billing_update(
    *,
    organisation: Organisation,
    by: StaffMember,
    legal_name: str,
    address: str,
    tax_number: str,
    prices_include_tax: bool,
    invoice_note: str,
    publishable_key: str | None = None,
    secret_key: str | None = None,
    webhook_secret: str | None = None,
) -> Billing:
    """The organisation's legal details for invoices, whether its prices include tax, and
    (an owner's decision: where the clinic's card money goes) its Stripe keys."""
    billing = Billing.objects.select_for_update().get(pk=billing_for(organisation).pk)
    given = {
        name: value.strip()
        for name, value in {
            "publishable_key": publishable_key,
            "secret_key": secret_key,
            "webhook_secret": webhook_secret,
        }.items()
        if value is not None
    }
    if given and by.role != Role.OWNER:
        raise DomainError(
            "owner_only", _("Only an owner changes the Stripe keys."), field=next(iter(given))
        )
    before = {name: getattr(billing, name) for name in BILLING_DETAILS}
    billing.legal_name = legal_name.strip()
    billing.address = address.strip().replace("\r\n", "\n")
    billing.tax_number = tax_number.strip()
    billing.prices_include_tax = bool(prices_include_tax)
    billing.invoice_note = invoice_note.strip()
    for name, value in given.items():
        _key_set(billing, name, value)
    _keys_belong_together(billing)
    checked(billing, "invalid_billing", exclude=["organisation"])
    billing.save()
    changed = [name for name in BILLING_DETAILS if getattr(billing, name) != before[name]]
    keys = {name: "set" if value else "removed" for name, value in given.items()}
    if changed or keys:
        _audit(
            Action.CHANGED,
            Target.BILLING,
            organisation.pk,
            None,
            organisation_id=organisation.pk,
            what="billing",
            fields=changed,
            stripe_keys=keys,
        )
    return billing


def _key_set(billing: Billing, name: str, value: str) -> None:
    if value and not KEY_SHAPES[name].fullmatch(value):
        raise DomainError("invalid_key", _key_shape_problem(name, value), field=name)
    stored = seal(value) if name in SEALED_KEYS else value
    setattr(billing, STRIPE_KEYS[name], stored)


def _key_shape_problem(name: str, value: str) -> str:
    secret, publishable = value.startswith(("sk_", "rk_")), value.startswith("pk_")
    if name == "publishable_key" and secret:
        return _("That is a secret key: it goes under Secret key. Here, the key starting pk_.")
    if name == "secret_key" and publishable:
        return _("That is the publishable key: the secret key starts sk_ (or rk_).")
    if name == "webhook_secret" and (secret or publishable):
        return _("That is an API key: the webhook's signing secret starts whsec_.")
    problems = {
        "publishable_key": _(
            "A publishable key starts pk_test_ or pk_live_: copy it from Stripe "
            "(Developers → API keys)."
        ),
        "secret_key": _(
            "A secret key starts sk_test_ or sk_live_ (a restricted key rk_test_ or rk_live_): "
            "copy it from Stripe (Developers → API keys)."
        ),
        "webhook_secret": _(
            "A webhook signing secret starts whsec_: copy it from the endpoint's page in "
            "Stripe (Developers → Webhooks)."
        ),
    }
    return problems[name]


def _keys_belong_together(billing: Billing) -> None:
    """Card payments need both keys, from the same mode: a test key with a live one would
    take the client's card in one account and look for the payment in the other."""
    has_publishable, has_secret = (
        bool(billing.stripe_publishable_key),
        bool(billing.stripe_secret_key),
    )
    if has_publishable != has_secret:
        missing = "secret_key" if has_publishable else "publishable_key"
        raise DomainError(
            "keys_incomplete",
            _(
                "Card payments need both keys: give the publishable and the secret key, or "
                "remove both."
            ),
            field=missing,
        )
    secret_mode = _mode(unseal(billing.stripe_secret_key))
    if secret_mode and stripe_mode(billing) != secret_mode:
        raise DomainError(
            "keys_mixed",
            _(
                "One key is a test key and the other a live key: use both keys from test mode, "
                "or both from live mode."
            ),
            field="secret_key",
        )


def _mode(key: str) -> str:
    matched = re.match(r"[psr]k_(test|live)_", key)
    return matched.group(1) if matched else ""


def stripe_mode(billing: Billing) -> str:
    """ "test" or "live" as the publishable key says; "" without keys."""
    return _mode(billing.stripe_publishable_key)


def stripe_key_ending(billing: Billing, name: str) -> str | None:
    """The last four characters of a stored key, to recognise it by; "" when there is none,
    None when it is stored but can't be read (sealed under another NEEDLEPOINT_KEYS_SECRET)."""
    stored = getattr(billing, STRIPE_KEYS[name])
    if not stored:
        return ""
    key = unseal(stored) if name in SEALED_KEYS else stored
    return key[-4:] if key else None


def webhook_url(organisation: Organisation) -> str:
    """Where Stripe sends the organisation's events: registered in Stripe by the owner."""
    return f"{settings.SITE_URL.rstrip('/')}/payments/stripe/{organisation.slug}/webhook/"


@transaction.atomic
def payment_policy_update(
    *,
    location: Location,
    no_show_fee: Money | str,
    late_cancel_fee: Money | str,
    charge_fees_automatically: bool,
    clinical_refund: str,
    cancellation_wording: str,
    late_cancellation_hours: int | None = None,
) -> PaymentPolicy:
    """The location's fees, whether they are charged without asking, where a deposit goes
    when a clinical decision stops a visit, and the cancellation policy clients accept
    ("" for the wording made from the fees). The late window is the location's own
    (``late_cancellation_hours``), changed through its set-up service."""
    currency = location.organisation.currency
    policy = PaymentPolicy.objects.select_for_update().get(pk=policy_for(location).pk)
    before = {name: getattr(policy, name) for name in POLICY_DETAILS}
    policy.no_show_fee_minor = _fee(no_show_fee, currency, "no_show_fee")
    policy.late_cancel_fee_minor = _fee(late_cancel_fee, currency, "late_cancel_fee")
    policy.charge_fees_automatically = bool(charge_fees_automatically)
    if clinical_refund not in ClinicalRefund.values:
        raise DomainError(
            "invalid_choice",
            _("Choose what happens to a deposit when a clinical decision stops a visit."),
            field="clinical_refund",
        )
    policy.clinical_refund = clinical_refund
    wording = cancellation_wording.strip().replace("\r\n", "\n")
    if len(wording) > LONGEST_WORDING:
        raise DomainError(
            "wording_too_long",
            _("Keep the cancellation policy under %(most)s characters.")
            % {"most": LONGEST_WORDING},
            field="cancellation_wording",
        )
    policy.cancellation_wording = wording
    if late_cancellation_hours is not None:
        location_update(location=location, late_cancellation_hours=late_cancellation_hours)
    policy.save()
    changed = [name for name in POLICY_DETAILS if getattr(policy, name) != before[name]]
    if changed:
        _audit(
            Action.CHANGED,
            Target.BILLING,
            location.public_id,
            None,
            organisation_id=location.organisation_id,
            what="payment_policy",
            location=location.slug,
            fields=changed,
        )
    return policy


def _fee(amount: Money | str, currency: str, field: str) -> int:
    """A fee as typed ("25", "25.00") or as Money in the organisation's currency; 0 is none."""
    if not isinstance(amount, Money):
        text = str(amount).strip()
        return parse_money(text, currency, field=field).minor if text else 0
    if amount.currency != currency:
        raise DomainError(
            "wrong_currency",
            _("This clinic takes %(currency)s.") % {"currency": currency},
            field=field,
        )
    if not 0 <= amount.minor <= HIGHEST_MINOR:
        raise DomainError("invalid_amount", _("Give an amount from zero up."), field=field)
    return amount.minor


class DepositChoice(NamedTuple):
    """A deposit rule as chosen: the kind, and its amount ("36.00") or percentage ("20")."""

    kind: str
    amount: Money | str = ""
    percent: int | str = ""


@transaction.atomic
def deposit_rule_set(
    *, location: Location, service: Service | None, choice: DepositChoice | None
) -> DepositRule | None:
    """The location's rule for every service (``service`` None), or one service's own; a
    service's ``choice`` of None removes its own rule, so the location's applies again."""
    if service is not None and service.location_id != location.pk:
        raise DomainError("not_found", _("No such service at this location."))
    rules = DepositRule.objects.select_for_update().filter(location=location, service=service)
    rule = rules.first()
    if choice is None:
        if service is None:
            raise DomainError(
                "rule_missing", _("Choose the location's deposit, or No deposit."), field="kind"
            )
        if rule is not None:
            rule.delete()
            _deposit_audit(location, service, None)
        return None
    kind, fixed, percent = _deposit_checked(choice, location.organisation.currency)
    if rule is not None and (rule.kind, rule.fixed_minor, rule.percent) == (kind, fixed, percent):
        return rule
    rule = rule or DepositRule(location=location, service=service)
    rule.kind, rule.fixed_minor, rule.percent = kind, fixed, percent
    rule.save()
    _deposit_audit(location, service, rule)
    return rule


def _deposit_checked(choice: DepositChoice, currency: str) -> tuple[str, int, int]:
    """(kind, fixed amount, percentage) of a valid choice; the unused one is 0."""
    if choice.kind not in DepositKind.values:
        raise DomainError("invalid_choice", _("Choose a kind of deposit."), field="kind")
    if choice.kind == DepositKind.FIXED:
        fixed = _fee(choice.amount, currency, "amount")
        if fixed <= 0:
            raise DomainError(
                "invalid_amount", _("A fixed deposit must be more than zero."), field="amount"
            )
        return choice.kind, fixed, 0
    if choice.kind == DepositKind.PERCENT:
        text = str(choice.percent).strip().removesuffix("%").strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= 100):
            raise DomainError(
                "invalid_percent",
                _("Give a percentage from 1 to 100, as a whole number."),
                field="percent",
            )
        return choice.kind, 0, int(text)
    return choice.kind, 0, 0


def _deposit_audit(location: Location, service: Service | None, rule: DepositRule | None) -> None:
    _audit(
        Action.CHANGED if rule is not None else Action.REMOVED,
        Target.BILLING,
        service.public_id if service is not None else location.public_id,
        None,
        organisation_id=location.organisation_id,
        what="deposit_rule",
        location=location.slug,
        service=service.name if service is not None else "",
        kind=rule.kind if rule is not None else "as_location",
        fixed=rule.fixed_minor if rule is not None else 0,
        percent=rule.percent if rule is not None else 0,
    )


@transaction.atomic
def deposit_rules_set(
    *, location: Location, rules: Mapping[Service | None, DepositChoice | None]
) -> None:
    """Several rules at once (Settings' deposits form): all saved, or none. A refusal keeps
    its field and names the service in ``details["service"]`` (its public id)."""
    for service, choice in rules.items():
        try:
            deposit_rule_set(location=location, service=service, choice=choice)
        except DomainError as error:
            which = {"service": str(service.public_id)} if service is not None else {}
            raise DomainError(
                error.code, error.message, field=error.field, details=which
            ) from error


# ---- the cancellation policy clients accept ----------------------------------------------


def cancellation_wording(location: Location) -> str:
    """What a client booking at ``location`` accepts: the clinic's own wording, or the one
    made from its fees and late-cancellation window."""
    policy = PaymentPolicy.objects.filter(location=location).first()
    if policy is not None and policy.cancellation_wording.strip():
        return policy.cancellation_wording.strip()
    return default_cancellation_wording(location, policy)


def default_cancellation_wording(location: Location, policy: PaymentPolicy | None = None) -> str:
    """The cancellation policy in plain words, from the location's fees, late window and
    what happens to a deposit when a clinical decision stops a visit."""
    if policy is None:
        policy = PaymentPolicy.objects.filter(location=location).first() or PaymentPolicy()
    currency = location.organisation.currency
    hours = location.late_cancellation_hours
    late, no_show = policy.late_cancel_fee_minor, policy.no_show_fee_minor
    automatic = policy.charge_fees_automatically
    sentences = []
    if hours:
        sentences.append(
            ngettext(
                "If you can't come, please cancel at least %(hours)s hour before your visit.",
                "If you can't come, please cancel at least %(hours)s hours before your visit.",
                hours,
            )
            % {"hours": hours}
        )
    else:
        sentences.append(_("You can cancel free of charge at any time before your visit."))
    if hours and late:
        fee = format_money(Money(late, currency))
        sentences.append(
            (
                _("Cancelling later than that costs a late-cancellation fee of %(fee)s.")
                if automatic
                else _("Cancelling later than that may cost a late-cancellation fee of %(fee)s.")
            )
            % {"fee": fee}
        )
    if no_show:
        fee = format_money(Money(no_show, currency))
        sentences.append(
            (
                _("Missing your visit without cancelling costs a no-show fee of %(fee)s.")
                if automatic
                else _("Missing your visit without cancelling may cost a no-show fee of %(fee)s.")
            )
            % {"fee": fee}
        )
    sentences.append(
        _(
            "If your practitioner decides, for your safety, that the treatment can't go ahead, "
            "there is no fee and any deposit you paid is refunded in full."
        )
        if policy.clinical_refund == ClinicalRefund.REFUND
        else _(
            "If your practitioner decides, for your safety, that the treatment can't go ahead, "
            "there is no fee and any deposit you paid is kept for you as account credit."
        )
    )
    return " ".join(sentences)
