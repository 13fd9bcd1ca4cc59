"""Money: invoices and credit notes, payments and refunds, fees, account credit, deposits
and the day's cash-up. Amounts are whole minor units (pence, cents) of ``currency``.

An issued invoice never changes and its lines never change: the database refuses it
(migrations/0002). Payments and refunds are separate rows, so a balance is always the
invoice's total less what was paid, as recorded.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation
from needlepoint.core.models import ImmutableModel, OrganisationOneToOneField, OrganisationRow
from needlepoint.payments.choices import (
    ChargeStatus,
    ClinicalRefund,
    DepositKind,
    FeeKind,
    FeeStatus,
    InvoiceKind,
    InvoiceStatus,
    Method,
    PaymentKind,
    PaymentStatus,
    Purpose,
)
from needlepoint.scheduling.models import Booking, Service


class Billing(models.Model):
    """An organisation's legal details for invoices, how its prices carry tax, and its
    Stripe keys (the secret ones encrypted: payments/keys.py)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="billing"
    )
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    address = models.TextField(_("registered address"), blank=True)
    tax_number = models.CharField(_("tax (VAT) number"), max_length=40, blank=True)
    prices_include_tax = models.BooleanField(
        _("prices include tax"),
        default=True,
        help_text=_("On: service prices are what the client pays (UK, EU). Off: tax is added."),
    )
    invoice_note = models.CharField(_("note on every invoice"), max_length=300, blank=True)
    stripe_publishable_key = models.CharField(max_length=200, blank=True)
    stripe_secret_key = models.TextField(blank=True, help_text="Encrypted.")
    stripe_webhook_secret = models.TextField(blank=True, help_text="Encrypted.")

    def __str__(self) -> str:
        return self.legal_name or str(self.organisation)


class PaymentPolicy(OrganisationRow):
    """A location's fees and what happens to money when a clinical decision stops a visit."""

    organisation_from = "location"
    location = OrganisationOneToOneField(
        Location, on_delete=models.CASCADE, related_name="payment_policy"
    )
    no_show_fee_minor = models.PositiveIntegerField(_("no-show fee"), default=0)
    late_cancel_fee_minor = models.PositiveIntegerField(_("late cancellation fee"), default=0)
    charge_fees_automatically = models.BooleanField(
        _("charge fees automatically"),
        default=False,
        help_text=_("Off: staff charge or waive each fee with one action."),
    )
    clinical_refund = models.CharField(
        _("when a clinical decision stops a visit"),
        max_length=8,
        choices=ClinicalRefund.choices,
        default=ClinicalRefund.REFUND,
    )
    cancellation_wording = models.TextField(_("cancellation policy shown to clients"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location"], name="payment_policy_once_per_location"
            ),
        ]

    def __str__(self) -> str:
        return f"Payment policy of {self.location}"


class DepositRule(OrganisationRow):
    """What a client pays or leaves when booking online: for one service, or (with no
    service) for every service of the location that has no rule of its own."""

    organisation_from = "location"
    organisation_path = "location__organisation"
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="deposit_rules")
    service = OrganisationOneToOneField(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="deposit_rule"
    )
    kind = models.CharField(max_length=8, choices=DepositKind.choices, default=DepositKind.NONE)
    fixed_minor = models.PositiveIntegerField(default=0)
    percent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location"],
                condition=Q(service=None),
                name="one_deposit_rule_per_location",
            ),
            models.UniqueConstraint(
                fields=["organisation", "service"], name="deposit_rule_once_per_service"
            ),
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="deposit_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.service or self.location})"


class InvoiceSeries(OrganisationRow):
    """The next number of a location's invoices or credit notes: taken and moved on in the
    transaction that issues, so a number is never skipped nor used twice."""

    organisation_from = "location"
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location", "kind"], name="one_series_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.kind} from {self.next_number}"


class Invoice(models.Model):
    organisation_path = "organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="invoices")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="invoices")
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="invoices"
    )
    kind = models.CharField(max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credit_notes"
    )
    status = models.CharField(
        max_length=8, choices=InvoiceStatus.choices, default=InvoiceStatus.DRAFT
    )
    number = models.PositiveIntegerField(null=True, blank=True)
    reference = models.CharField(max_length=80, blank=True, help_text="e.g. HARBOUR-STREET-000012")
    currency = models.CharField(max_length=3)
    prices_include_tax = models.BooleanField(default=True)
    seller = models.JSONField(default=dict, blank=True)
    buyer = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True, help_text="Why a credit note was issued.")
    net_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    total_minor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location", "kind", "number"],
                name="invoice_number_once_per_series",
            ),
            models.CheckConstraint(
                condition=Q(status=InvoiceStatus.DRAFT, number=None)
                | Q(status=InvoiceStatus.ISSUED, number__isnull=False, issued_at__isnull=False),
                name="issued_invoice_has_a_number",
            ),
            models.CheckConstraint(
                condition=Q(kind=InvoiceKind.INVOICE, corrects=None)
                | Q(kind=InvoiceKind.CREDIT_NOTE, corrects__isnull=False),
                name="credit_note_names_its_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Draft"))

    @property
    def is_issued(self) -> bool:
        return self.status == InvoiceStatus.ISSUED


class InvoiceLine(OrganisationRow):
    organisation_from = "invoice"
    organisation_path = "invoice__organisation"
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    description = models.CharField(max_length=200)
    quantity = models.PositiveSmallIntegerField(default=1)
    unit_minor = models.BigIntegerField(help_text="As priced: with tax if the invoice includes it.")
    tax_rate_bp = models.PositiveIntegerField(default=0, help_text="Basis points: 2000 = 20%.")
    net_minor = models.BigIntegerField(default=0)
    tax_minor = models.BigIntegerField(default=0)
    gross_minor = models.BigIntegerField(default=0)
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.BALANCE)

    class Meta:
        ordering = ("invoice", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_minor__gte=0), name="line_price_not_negative"),
        ]

    def __str__(self) -> str:
        return self.description


class Payment(models.Model):
    """Money in (a payment) or out (a refund), by one method, as it happened."""

    organisation_path = "organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="payments")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="payments")
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    kind = models.CharField(max_length=8, choices=PaymentKind.choices, default=PaymentKind.PAYMENT)
    refund_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.BALANCE)
    method = models.CharField(max_length=16, choices=Method.choices)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(
        max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.SUCCEEDED
    )
    idempotency_key = models.CharField(max_length=120)
    stripe_id = models.CharField(max_length=120, blank=True, help_text="PaymentIntent or refund.")
    note = models.CharField(max_length=300, blank=True)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    taken_at = models.DateTimeField()
    # A card payment or refund being sent to Stripe is held by one sender (its ``claim``)
    # until ``leased_until``; after an answer that settles nothing it waits until then to
    # be tried again. ``claim`` stays set once any sender has tried it. (Both nullable: on
    # SQLite, adding them keeps the table, and with it migration 0002's trigger.)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    leased_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-taken_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "idempotency_key"], name="payment_once_per_key"
            ),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(kind=PaymentKind.PAYMENT, refund_of=None)
                | Q(kind=PaymentKind.REFUND, refund_of__isnull=False),
                name="refund_names_its_payment",
            ),
        ]
        indexes = [models.Index(fields=["location", "taken_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_minor} {self.currency}"


class Fee(OrganisationRow):
    """A no-show or late-cancellation fee: at most one per booking, ever."""

    organisation_from = "booking"
    organisation_path = "booking__location__organisation"
    booking = OrganisationOneToOneField(Booking, on_delete=models.PROTECT, related_name="fee")
    kind = models.CharField(max_length=12, choices=FeeKind.choices)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=8, choices=FeeStatus.choices, default=FeeStatus.PENDING)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invoice = models.ForeignKey(
        Invoice, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True, help_text="Why it was waived.")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "booking"], name="fee_once_per_booking"
            ),
            models.CheckConstraint(condition=Q(amount_minor__gte=0), name="fee_not_negative"),
            models.CheckConstraint(
                condition=~Q(status=FeeStatus.WAIVED) | Q(reason__gt=""),
                name="waived_fee_says_why",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} fee for {self.booking}"


class CreditEntry(OrganisationRow, ImmutableModel):
    """A line of a client's account credit: positive adds, negative spends."""

    organisation_from = "client"
    organisation_path = "client__organisation"
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="credit_entries")
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=300)
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ("client", "at", "pk")
        constraints = [
            models.CheckConstraint(condition=~Q(amount_minor=0), name="credit_entry_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.amount_minor} {self.currency}: {self.reason}"


class SavedCard(OrganisationRow):
    """A card the client saved with Stripe for fees (a SetupIntent); we hold only its ids."""

    organisation_from = "client"
    organisation_path = "client__organisation"
    client = OrganisationOneToOneField(Client, on_delete=models.CASCADE, related_name="saved_card")
    stripe_customer = models.CharField(max_length=120)
    stripe_payment_method = models.CharField(max_length=120)
    brand = models.CharField(max_length=20, blank=True)
    last4 = models.CharField(max_length=4, blank=True)
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "client"], name="saved_card_once_per_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.brand} •••• {self.last4}"


class PolicyAcceptance(OrganisationRow, ImmutableModel):
    """The deposit and cancellation policy a client accepted when booking, word for word."""

    organisation_from = "booking"
    organisation_path = "booking__location__organisation"
    booking = OrganisationOneToOneField(
        Booking, on_delete=models.PROTECT, related_name="policy_acceptance"
    )
    wording = models.TextField()
    deposit_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    card_saved = models.BooleanField(default=False)
    accepted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "booking"], name="policy_accepted_once_per_booking"
            ),
        ]

    def __str__(self) -> str:
        return f"Policy accepted for {self.booking}"


class StripeEvent(models.Model):
    """A Stripe webhook event, verified and stored once (its id is unique for the
    organisation whose secret signed it, so no clinic can shadow another's events); the
    worker processes it once and records when."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    event_id = models.CharField(max_length=120)
    type = models.CharField(max_length=80)
    payload = models.JSONField()
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "event_id"], name="stripe_event_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class CashUp(OrganisationRow, ImmutableModel):
    """A location's day closed: what was taken by each method, and the cash counted."""

    organisation_from = "location"
    organisation_path = "location__organisation"
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="cash_ups")
    day = models.DateField()
    currency = models.CharField(max_length=3)
    takings = models.JSONField(help_text="Net takings by method, in minor units.")
    expected_cash_minor = models.BigIntegerField()
    counted_cash_minor = models.BigIntegerField()
    card_online_minor = models.BigIntegerField(default=0)
    stripe_reported_minor = models.BigIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField()

    class Meta:
        ordering = ("-day",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "location", "day"], name="one_cash_up_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Cash-up {self.location} {self.day}"

    @property
    def cash_difference_minor(self) -> int:
        return self.counted_cash_minor - self.expected_cash_minor


class ScheduledCharge(models.Model):
    """A charge of the client's saved card on a day to come: an instalment of an issued
    invoice, or a membership's next period. On its day the worker writes its payment to the
    outbox (services.send_due carries it out); a refused card is tried again on the
    schedule in ``charges.RETRY_DAYS`` and the client is told each time."""

    organisation_path = "organisation"
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="scheduled_charges")
    invoice = models.ForeignKey(
        "Invoice", on_delete=models.PROTECT, related_name="scheduled_charges"
    )
    purpose = models.CharField(max_length=16, choices=Purpose.choices, default=Purpose.BALANCE)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    due_on = models.DateField()
    next_try_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ChargeStatus.choices, default=ChargeStatus.SCHEDULED
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ("due_on", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="scheduled_charge_once_per_key"
            ),
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="scheduled_charge_amount_positive"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_try_at"], name="scheduled_charge_due")]

    def __str__(self) -> str:
        return f"{self.amount_minor} {self.currency} due {self.due_on}"
