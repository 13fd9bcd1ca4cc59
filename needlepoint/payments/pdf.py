"""An invoice or credit note as a PDF for the client: who sells, who buys, the lines with
their tax, the totals, what was paid and what is left."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from needlepoint.core.languages import in_language_of, long_date
from needlepoint.core.money import Money, format_money
from needlepoint.core.pdf import PLAIN_PUNCTUATION, Write, document
from needlepoint.payments.choices import InvoiceKind, PaymentKind
from needlepoint.payments.models import Invoice
from needlepoint.payments.queries import InvoiceSummary, invoice_summary

RIGHT = "RIGHT"
LEFT = "LEFT"


@in_language_of(lambda invoice: invoice.client.preferred_language)
def invoice_pdf(invoice: Invoice) -> bytes:
    summary = invoice_summary(invoice)
    pdf, write = document()
    title = _title(invoice)
    pdf.set_title(f"{title} {invoice.reference}".strip())
    pdf.set_author(summary.seller.get("name", ""))
    write(summary.seller.get("trading_as", ""), size=10)
    write(f"{title} {invoice.reference}".strip(), size=16, style="B", gap=3)
    _dates(invoice, write)
    _parties(summary, write)
    _lines(pdf, write, summary)
    _totals(pdf, write, summary)
    _payments(pdf, write, summary)
    note = summary.seller.get("note", "")
    if note:
        write(note, size=9, gap=2)
    return bytes(pdf.output())


def _title(invoice: Invoice) -> str:
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return _("Credit note")
    return _("Invoice") if invoice.is_issued else _("Draft invoice")


def _dates(invoice: Invoice, write: Write) -> None:
    zone = invoice.location.zone
    if invoice.issued_at:
        write(_("Date: %(day)s") % {"day": _day(invoice.issued_at.astimezone(zone))}, size=10)
    else:
        write(_("Not issued: not valid as an invoice."), size=10, style="B")
    corrected = invoice.corrects
    if corrected is not None:
        write(
            _("Corrects invoice %(reference)s of %(day)s.")
            % {
                "reference": corrected.reference,
                "day": _day(corrected.issued_at.astimezone(zone)) if corrected.issued_at else "",
            },
            size=10,
            style="B",
        )
        write(_("Reason: %(reason)s") % {"reason": invoice.reason}, size=10)
    write("", size=4)


def _day(moment: datetime) -> str:
    return long_date(moment.date())


def _parties(summary: InvoiceSummary, write: Write) -> None:
    seller, buyer = summary.seller, summary.buyer
    write(_("From"), size=11, style="B")
    for line in (seller.get("name", ""), seller.get("address", "")):
        if line:
            write(line, size=10, gap=0)
    if seller.get("tax_number"):
        write(_("Tax number: %(number)s") % {"number": seller["tax_number"]}, size=10, gap=0)
    contact = " · ".join(part for part in (seller.get("email"), seller.get("phone")) if part)
    if contact:
        write(contact, size=10, gap=0)
    write("", size=4)
    write(_("To"), size=11, style="B")
    write(buyer.get("name", ""), size=10, gap=0)
    if buyer.get("email"):
        write(buyer["email"], size=10, gap=0)
    write("", size=4)


def _money(summary: InvoiceSummary, minor: int) -> str:
    return format_money(Money(minor, summary.invoice.currency))


def _lines(pdf: FPDF, write: Write, summary: InvoiceSummary) -> None:
    heading = (_("Description"), _("Qty"), _("Unit price"), _("Rate"), _("Net"), _("Tax"))
    rows = [
        (
            line.description,
            str(line.quantity),
            _money(summary, line.unit_minor),
            f"{line.tax_rate_bp / 100:g}%",
            _money(summary, line.net_minor),
            _money(summary, line.tax_minor),
            _money(summary, line.gross_minor),
        )
        for line in summary.lines
    ]
    _table(
        pdf,
        write,
        [(*heading, _("Total")), *rows],
        widths=(52, 10, 22, 12, 22, 20, 22),
        align=(LEFT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT),
    )
    inclusive = summary.invoice.prices_include_tax
    write(
        _("Prices include tax.") if inclusive else _("Tax is added to the prices."), size=8, gap=3
    )
    if len(summary.rates) > 1 or any(rate.rate_bp for rate in summary.rates):
        by_rate = [
            (
                f"{rate.rate_bp / 100:g}%",
                _money(summary, rate.net),
                _money(summary, rate.tax),
                _money(summary, rate.gross),
            )
            for rate in summary.rates
        ]
        _table(
            pdf,
            write,
            [(_("Tax rate"), _("Net"), _("Tax"), _("Total")), *by_rate],
            widths=(25, 30, 30, 30),
            align=(LEFT, RIGHT, RIGHT, RIGHT),
        )


def _totals(pdf: FPDF, write: Write, summary: InvoiceSummary) -> None:
    rows = [
        (_("Net"), _money(summary, summary.net)),
        (_("Tax"), _money(summary, summary.tax)),
        (_("Total"), _money(summary, summary.total)),
    ]
    if not summary.is_credit_note and summary.invoice.is_issued:
        if summary.credited:
            rows.append((_("Credited"), _money(summary, -summary.credited)))
        rows.append((_("Paid"), _money(summary, summary.paid)))
        rows.append((_("Balance due"), _money(summary, summary.balance)))
    _table(pdf, write, rows, widths=(50, 40), align=(LEFT, RIGHT), heading=False)


def _payments(pdf: FPDF, write: Write, summary: InvoiceSummary) -> None:
    if not summary.movements:
        return
    write(_("Payments"), size=11, style="B")
    zone = summary.invoice.location.zone
    rows = [
        (
            _day(movement.payment.taken_at.astimezone(zone)),
            movement.payment.get_kind_display(),
            movement.payment.get_method_display(),
            movement.payment.get_status_display(),
            _money(
                summary,
                movement.payment.amount_minor
                if movement.payment.kind == PaymentKind.PAYMENT
                else -movement.payment.amount_minor,
            ),
        )
        for movement in summary.movements
    ]
    _table(
        pdf,
        write,
        [(_("Date"), _("Kind"), _("Method"), _("Status"), _("Amount")), *rows],
        widths=(35, 25, 45, 30, 25),
        align=(LEFT, LEFT, LEFT, LEFT, RIGHT),
    )


def _table(
    pdf: FPDF,
    write: Write,
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[int],
    align: Sequence[str],
    heading: bool = True,
) -> None:
    write("", size=9, gap=0)  # the document's font, at the table's size
    plain = pdf.font_family == "helvetica"
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        align="LEFT",
        text_align=tuple(align),
        first_row_as_headings=heading,
        headings_style=FontFace(emphasis="BOLD"),
        line_height=5,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        for row in rows:
            cells = table.row()
            for text in row:
                cells.cell(_plain(text) if plain else text)
    pdf.ln(3)


def _plain(text: str) -> str:
    return text.translate(PLAIN_PUNCTUATION).encode("latin-1", "replace").decode("latin-1")
