"""A gift voucher as a PDF to print or to give: the clinic's name, the value, the code,
who it is for with the buyer's message, and the last day it can be spent."""

from __future__ import annotations

from django.utils.translation import gettext as _

from needlepoint.core.languages import in_language_of, long_date
from needlepoint.core.money import Money, format_money
from needlepoint.core.pdf import document
from needlepoint.payments.services import billing_for
from needlepoint.vouchers.models import GiftVoucher


@in_language_of(lambda voucher: voucher.buyer.preferred_language)
def voucher_pdf(voucher: GiftVoucher) -> bytes:
    location = voucher.location
    clinic = billing_for(voucher.organisation).legal_name or voucher.organisation.name
    pdf, write = document()
    pdf.set_title(_("Gift voucher"))
    pdf.set_author(clinic)
    write(location.name, size=12, style="B")
    write(_("Gift voucher"), size=26, style="B", gap=4)
    write(format_money(Money(voucher.initial_minor, voucher.currency)), size=22, gap=6)
    if voucher.recipient_name:
        write(_("For %(name)s") % {"name": voucher.recipient_name}, size=14, gap=2)
    if voucher.message:
        write(voucher.message, size=12, gap=6)
    write(_("Code"), size=10, gap=0)
    write(voucher.shown_code, size=20, style="B", gap=6)
    day = voucher.expires_on
    write(
        _("Valid until %(day)s. Spend it on any treatment or product at %(clinic)s.")
        % {"day": long_date(day), "clinic": location.name},
        size=10,
    )
    contact = " · ".join(
        part for part in (location.address, location.phone, location.email) if part
    )
    if contact:
        write(contact, size=9, gap=2)
    write(
        _("Keep the code safe: whoever has it can spend the voucher."),
        size=8,
    )
    return bytes(pdf.output())
