"""The CSV file of each report: a header row, then the same figures the page shows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

from needlepoint.core.csv_export import attachment, safe
from needlepoint.reports.queries import (
    SESSION_COUNTS,
    BookingFigures,
    CourseFigures,
    OutcomeFigures,
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
