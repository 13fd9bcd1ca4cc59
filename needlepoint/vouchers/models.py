"""Gift vouchers: a code with a balance in the clinic's currency, spent across invoices.

The balance never goes below zero nor above what the voucher was sold for: the database
refuses it (CheckConstraints), and every spend is a conditional UPDATE that only takes
what is there. Each spend, and each refund put back, is a ``VoucherRedemption`` row that
is never changed, so a balance is always the value sold less what was spent, plus what
was put back.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation
from needlepoint.core.models import ImmutableModel, OrganisationRow
from needlepoint.payments.models import Invoice, Payment
from needlepoint.vouchers.choices import Country, RedemptionKind, VoucherStatus
from needlepoint.vouchers.codes import grouped


class VoucherSettings(models.Model):
    """How long the organisation's vouchers stay valid, within its country's law (law.py)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="voucher_settings"
    )
    country = models.CharField(
        _("country whose law applies"), max_length=8, choices=Country.choices, default=Country.GB
    )
    validity_months = models.PositiveSmallIntegerField(_("valid for (months)"), default=12)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(validity_months__gte=1, validity_months__lte=120),
                name="voucher_validity_1_to_120_months",
            )
        ]

    def __str__(self) -> str:
        return f"Vouchers of {self.organisation}: {self.validity_months} months"


class GiftVoucher(models.Model):
    organisation_path = "organisation"
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=16)
    currency = models.CharField(max_length=3)
    initial_minor = models.BigIntegerField()
    balance_minor = models.BigIntegerField()
    buyer = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="vouchers_bought")
    recipient_name = models.CharField(_("for"), max_length=120, blank=True)
    message = models.TextField(_("message"), max_length=500, blank=True)
    issued_at = models.DateTimeField()
    expires_on = models.DateField()
    status = models.CharField(
        max_length=10, choices=VoucherStatus.choices, default=VoucherStatus.ACTIVE
    )
    sale_invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+")
    sale_payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="+")
    sale_key = models.CharField(max_length=120)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_reason = models.TextField(blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-issued_at", "-pk")
        constraints = [
            # a code is typed on one clinic's page or at its till: unique within it
            models.UniqueConstraint(
                fields=["organisation", "code"], name="voucher_code_unique_in_organisation"
            ),
            models.UniqueConstraint(
                fields=["organisation", "sale_key"], name="voucher_sale_once_per_key"
            ),
            models.CheckConstraint(
                condition=Q(balance_minor__gte=0), name="voucher_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(balance_minor__lte=F("initial_minor")),
                name="voucher_balance_at_most_its_value",
            ),
            models.CheckConstraint(condition=Q(initial_minor__gt=0), name="voucher_value_positive"),
            models.CheckConstraint(
                condition=~Q(status=VoucherStatus.CANCELLED) | Q(cancelled_reason__gt=""),
                name="cancelled_voucher_says_why",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status", "expires_on"])]

    def __str__(self) -> str:
        return self.shown_code

    @property
    def shown_code(self) -> str:
        return grouped(self.code)


class VoucherRedemption(OrganisationRow, ImmutableModel):
    """Value taken off a voucher to pay an invoice, or put back by refunding that payment."""

    organisation_from = "voucher"
    organisation_path = "voucher__organisation"
    voucher = models.ForeignKey(GiftVoucher, on_delete=models.PROTECT, related_name="redemptions")
    kind = models.CharField(
        max_length=8, choices=RedemptionKind.choices, default=RedemptionKind.SPEND
    )
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="+")
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="+")
    amount_minor = models.BigIntegerField()
    key = models.CharField(max_length=120)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ("voucher", "at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="voucher_redemption_once_per_key"
            ),
            models.CheckConstraint(
                condition=Q(amount_minor__gt=0), name="redemption_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_minor} {self.voucher.currency}"
