"""The invoice email, with its PDF: worded here, sent through the notifications outbox
(which can't import payments, so this registers itself when the app is ready)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from needlepoint.core.money import Money, format_money
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from needlepoint.notifications.rendering import NothingToSend, Rendered, fixed, renders
from needlepoint.payments.choices import InvoiceKind, InvoiceStatus
from needlepoint.payments.models import Invoice, ScheduledCharge
from needlepoint.payments.pdf import invoice_pdf


@renders(MessageKind.INVOICE)
def invoice_email(message: Message) -> Rendered:
    invoice = (
        Invoice.objects.select_related("client", "location__organisation", "corrects")
        .filter(public_id=message.subject.partition(":")[2], status=InvoiceStatus.ISSUED)
        .first()
    )
    if invoice is None:
        raise NothingToSend("The invoice is gone.")
    credit_note = invoice.kind == InvoiceKind.CREDIT_NOTE
    values = {"reference": invoice.reference, "clinic": invoice.seller.get("trading_as", "")}
    subject = (
        _("Credit note %(reference)s from %(clinic)s")
        if credit_note
        else _("Invoice %(reference)s from %(clinic)s")
    ) % values
    context = {"invoice": invoice, "client": invoice.client, "credit_note": credit_note}
    attachment = (f"{invoice.reference}.pdf", invoice_pdf(invoice), "application/pdf")
    return fixed(subject, "payments/email/invoice", context, [attachment])


@renders(MessageKind.CHARGE_FAILED)
def charge_failed_email(message: Message) -> Rendered:
    charge_id, again = message.subject.split(":")[1::2]
    charge = (
        ScheduledCharge.objects.select_related("client", "invoice", "location")
        .filter(pk=charge_id)
        .first()
    )
    if charge is None:
        raise NothingToSend("The charge is gone.")
    clinic = charge.invoice.seller.get("trading_as", "")
    context = {
        "client": charge.client,
        "clinic": clinic,
        "amount": format_money(Money(charge.amount_minor, charge.currency)),
        "reference": charge.invoice.reference,
        "next_try": date.fromisoformat(again) if again else None,
    }
    subject = _("Your card payment to %(clinic)s did not go through") % {"clinic": clinic}
    return fixed(subject, "payments/email/charge_failed", context)
