"""The CSV file of each report: a header row, then the same figures the page shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from needlepoint.core.csv_export import attachment, safe
from needlepoint.core.money import Money, as_decimal
from needlepoint.reports.queries import (
    SESSION_COUNTS,
    BookingFigures,
    CourseFigures,
    Credit,
    FeeDecided,
    Held,
    OutcomeFigures,
    Owed,
    Refund,
    Section,
    Takings,
    Utilisation,
)
from needlepoint.treatments.models import Cartridge

Row = Sequence[object]


def csv_response(name: str, header: Row, rows: Iterable[Row]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    # Names, contact details and lot numbers are people's text; figures stay numbers.
    writer.writerows(
        [safe(cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    return attachment(response, name)


def rate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def utilisation_rows(figures: Utilisation) -> tuple[Row, Sequence[Row]]:
    header = ("kind", "name", "location", "booked_minutes", "available_minutes", "utilisation")
    rows = [
        (u.kind, u.name, u.location, u.booked_minutes, u.available_minutes, rate(u.share))
        for u in figures.rows
    ]
    return header, rows


def booking_rows(figures: BookingFigures) -> tuple[Row, Sequence[Row]]:
    header = (
        "channel",
        "bookings",
        "cancelled",
        "late_cancelled",
        "no_shows",
        "no_show_rate",
        "late_cancel_rate",
    )
    rows = [
        (
            c.channel,
            c.bookings,
            c.cancelled,
            c.late_cancelled,
            c.no_shows,
            rate(c.no_show_rate),
            rate(c.late_cancel_rate),
        )
        for c in [*figures.channels, figures.total]
    ]
    return header, rows


def course_rows(figures: CourseFigures) -> tuple[Row, Sequence[Row]]:
    header = (
        "client_id",
        "client",
        "service",
        "location",
        "state",
        "sessions_done",
        "sessions_planned",
        "last_session_on",
        "due_on",
        "lapses_after",
        "next_visit_booked",
    )
    rows = [
        (
            c.course.client.public_id,
            c.course.client.full_name,
            c.course.service.name,
            c.course.service.location.name,
            c.state,
            c.done,
            c.course.planned_sessions,
            c.last_session_on or "",
            c.due_on or "",
            c.lapses_after or "",
            "yes" if c.booked else "no",
        )
        for c in figures.courses
    ]
    return header, rows


def outcome_rows(figures: OutcomeFigures) -> tuple[Row, Sequence[Row]]:
    """One row per figure: a scale's median after n sessions (based on n clients), or an
    indication's adverse events per 100 completed sessions (based on that many sessions)."""
    header = ("indication", "measure", "after_sessions", "value", "based_on")
    rows: list[Row] = [
        (
            row.indication,
            row.scale.key,
            n,
            "" if row.medians[n] is None else row.medians[n],
            row.counts[n],
        )
        for row in figures.rows
        for n in SESSION_COUNTS
    ]
    rows += [
        (e.indication, "adverse_events_per_100_sessions", "", rate(e.per_100), e.sessions)
        for e in figures.events
    ]
    return header, rows


RECALL_HEADER = (
    "lot",
    "serial",
    "configuration",
    "expires_on",
    "performed_on",
    "location",
    "practitioner",
    "device",
    "session_id",
    "client_id",
    "client",
    "email",
    "phone",
)


def recall_rows(cartridges: list[Cartridge]) -> tuple[Row, Sequence[Row]]:
    rows = []
    for cartridge in cartridges:
        session = cartridge.session
        assert session is not None
        rows.append(
            (
                cartridge.lot,
                cartridge.serial,
                cartridge.configuration.name,
                cartridge.expires_on,
                session.performed_on,
                session.location.name,
                session.practitioner.user.full_name,
                session.device.serial_number if session.device else "",
                session.public_id,
                session.client.public_id,
                session.client.full_name,
                session.client.email,
                session.client.phone,
            )
        )
    return RECALL_HEADER, rows


# Money: amounts in major units (85.50) with the currency beside them, so a spreadsheet adds
# them up; each row's dates are its location's own.


def money_rows(takings: Takings, currency: str) -> tuple[Row, Sequence[Row]]:
    """One row per day and method: what went through, what was refunded, the net."""
    header = ("day", "method", "taken", "refunded", "net", "currency")
    rows = [
        (
            day.day,
            method.method,
            major(day.taken.get(method.method, 0), currency),
            major(day.refunded.get(method.method, 0), currency),
            major(day.net[method.method], currency),
            currency,
        )
        for day in takings.days
        for method in takings.methods
        if method.method in day.net
    ]
    return header, rows


def major(minor: int, currency: str) -> object:
    return as_decimal(Money(minor, currency))


def outstanding_rows(section: Section, currency: str) -> tuple[Row, Sequence[Row]]:
    header = (
        "invoice_id",
        "reference",
        "issued_on",
        "location",
        "client_id",
        "client",
        "total",
        "balance",
        "currency",
    )
    owed: Sequence[Owed] = section.rows
    rows = [
        (
            o.invoice.public_id,
            o.invoice.reference,
            o.issued_on,
            o.invoice.location.name,
            o.invoice.client.public_id,
            o.invoice.client.full_name,
            major(o.invoice.total_minor, currency),
            major(o.balance, currency),
            currency,
        )
        for o in owed
    ]
    return header, rows


def deposit_rows(section: Section, currency: str) -> tuple[Row, Sequence[Row]]:
    header = (
        "payment_id",
        "client_id",
        "client",
        "location",
        "service",
        "visit_at",
        "taken_on",
        "method",
        "amount",
        "held",
        "currency",
    )
    held: Sequence[Held] = section.rows
    rows = [
        (
            h.payment.public_id,
            h.payment.client.public_id,
            h.payment.client.full_name,
            h.payment.location.name,
            h.booking.service.name,
            h.visit_at.isoformat(),
            h.taken_on,
            h.payment.method,
            major(h.payment.amount_minor, currency),
            major(h.held, currency),
            currency,
        )
        for h in held
    ]
    return header, rows


def fee_rows(section: Section, currency: str) -> tuple[Row, Sequence[Row]]:
    header = (
        "decided_on",
        "booking_id",
        "client_id",
        "client",
        "location",
        "service",
        "visit_at",
        "kind",
        "status",
        "amount",
        "currency",
        "decided_by",
        "reason",
    )
    fees: Sequence[FeeDecided] = section.rows
    rows = [
        (
            f.decided_on,
            f.fee.booking.public_id,
            f.fee.booking.client.public_id,
            f.fee.booking.client.full_name,
            f.fee.booking.location.name,
            f.fee.booking.service.name,
            f.visit_at.isoformat(),
            f.fee.kind,
            f.fee.status,
            major(f.fee.amount_minor, currency),
            currency,
            f.fee.decided_by.full_name if f.fee.decided_by else "",
            f.fee.reason,
        )
        for f in fees
    ]
    return header, rows


def refund_rows(section: Section, currency: str) -> tuple[Row, Sequence[Row]]:
    header = (
        "refund_id",
        "refunded_on",
        "client_id",
        "client",
        "location",
        "method",
        "to_credit",
        "amount",
        "currency",
        "purpose",
        "reason",
        "by",
        "payment_id",
    )
    refunds: Sequence[Refund] = section.rows
    rows = [
        (
            r.payment.public_id,
            r.on,
            r.payment.client.public_id,
            r.payment.client.full_name,
            r.payment.location.name,
            r.payment.method,
            "yes" if r.to_credit else "no",
            major(r.payment.amount_minor, currency),
            currency,
            r.payment.purpose,
            r.payment.note,
            r.payment.taken_by.full_name if r.payment.taken_by else "",
            r.payment.refund_of.public_id if r.payment.refund_of else "",
        )
        for r in refunds
    ]
    return header, rows


def credit_rows(section: Section, currency: str) -> tuple[Row, Sequence[Row]]:
    credit: Sequence[Credit] = section.rows
    header = ("client_id", "client", "balance", "currency")
    return header, [(c.client_id, c.name, major(c.balance, currency), currency) for c in credit]
