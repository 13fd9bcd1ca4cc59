from django.db import models
from django.utils.translation import gettext_lazy as _


class DepositKind(models.TextChoices):
    NONE = "none", _("No deposit")
    FIXED = "fixed", _("A fixed amount")
    PERCENT = "percent", _("A percentage of the price")
    FULL = "full", _("The full price")
    CARD = "card", _("No deposit, but a card saved for fees")


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    TERMINAL = "terminal", _("Card (clinic terminal)")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    VOUCHER = "voucher", _("Voucher")
    CARD_ONLINE = "card_online", _("Card (online)")
    CREDIT = "credit", _("Account credit")


# What staff may record at the desk; online card payments come from Stripe.
DESK_METHODS = (Method.CASH, Method.TERMINAL, Method.BANK_TRANSFER, Method.VOUCHER, Method.CREDIT)


class PaymentKind(models.TextChoices):
    PAYMENT = "payment", _("Payment")
    REFUND = "refund", _("Refund")


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown: check")


class Purpose(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Treatment")
    NO_SHOW_FEE = "no_show_fee", _("No-show fee")
    LATE_CANCEL_FEE = "late_cancel_fee", _("Late cancellation fee")
    PACKAGE = "package", _("Course package")
    GIFT_VOUCHER = "gift_voucher", _("Gift voucher")
    MEMBERSHIP = "membership", _("Membership")


class FeeKind(models.TextChoices):
    NO_SHOW = "no_show", _("No-show")
    LATE_CANCEL = "late_cancel", _("Late cancellation")


class FeeStatus(models.TextChoices):
    PENDING = "pending", _("To charge")
    CHARGED = "charged", _("Charged")
    DUE = "due", _("Owed (no card to charge)")
    WAIVED = "waived", _("Waived")


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Invoice")
    CREDIT_NOTE = "credit_note", _("Credit note")


class InvoiceStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class ClinicalRefund(models.TextChoices):
    REFUND = "refund", _("Refund the deposit to the card or method it came from")
    CREDIT = "credit", _("Keep the deposit as account credit")


class ChargeStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PAID = "paid", _("Paid")
    RETRYING = "retrying", _("Failed: trying again")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
