"""The calendar grid's many small pieces, drawn in Python: a day has hundreds of cells,
and a template loop pays for every tag and filter in every one of them (issue 23).
What each piece says is decided in scheduling/calendar.py; here it is only written out,
escaped, in the page's language and the location's time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django import template
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from needlepoint.core.templatetags.reader_dates import reader_date
from needlepoint.scheduling.calendar import HEAD, Grid

register = template.Library()
ANY_ID = "00000000-0000-0000-0000-000000000000"


@register.simple_tag
def grid_heads(calendar: Grid, today: date, query: str) -> SafeString:
    """The column heads: a practitioner's or a room's name, or a week's day linking to that
    day's page (keeping the switches in ``query``), marked when it is today."""
    parts = []
    for column in calendar.columns:
        head = f'data-column="{column.grid}">'
        if column.title:
            parts.append(f'<div class="column-head" {head}{conditional_escape(column.title)}</div>')
            continue
        assert column.day is not None  # a week's day
        today_class = " today" if column.day == today else ""
        url = reverse("scheduling:day", args=[calendar.location.slug, column.day.isoformat()])
        page = conditional_escape(f"{url}?{query}" if query else url)
        name = conditional_escape(date_filter(column.day, _("D j M")))
        parts.append(
            f'<div class="column-head{today_class}" {head}<a href="{page}">{name}</a></div>'
        )
    return mark_safe("".join(parts))


@register.simple_tag
def grid_times(calendar: Grid) -> SafeString:
    """The time column: a row every 15 minutes, the hour written on the hour."""
    parts = []
    for n, row in enumerate(calendar.rows, start=HEAD + 1):
        if row.minute == 0:
            parts.append(f'<div class="time hour" data-row="{n}">{row.hour:02d}:00</div>')
        else:
            parts.append(f'<div class="time" data-row="{n}"></div>')
    return mark_safe("".join(parts))


@register.simple_tag
def grid_visits(calendar: Grid) -> SafeString:
    """The visits, each a link to its booking; one still booked may be dragged elsewhere."""
    zone = calendar.location.zone
    by = getattr(calendar, "by", "")
    page, move_to = _each_booking("scheduling:booking"), _each_booking("scheduling:booking_move")
    parts = []
    for placed in calendar.bookings:
        booking = placed.booking
        move = ""
        if booking.status == "booked":
            move = f' data-move="{move_to(booking.public_id)}" aria-describedby="move-help"'
        if by == "room" or not by:
            last = f"<span>{conditional_escape(booking.practitioner)}</span>"
        elif booking.room:
            last = f"<span>{conditional_escape(booking.room)}</span>"
        else:
            last = ""
        at = booking.starts_at.astimezone(zone)
        parts.append(
            f'\n  <a class="booking {conditional_escape(placed.colour)}" draggable="false"'
            f' href="{page(booking.public_id)}"'
            f' data-column="{placed.grid}" data-row="{placed.row}" data-span="{placed.span}"'
            f' data-lane="{placed.lane}" data-lanes="{placed.lanes}"{move}>\n'
            f"    <strong>{at.hour:02d}:{at.minute:02d}"
            f" {conditional_escape(booking.client)}</strong>\n"
            f"    <span>{conditional_escape(booking.service)}</span>\n"
            f"    {last}\n  </a>\n  "
        )
    return mark_safe("".join(parts))


def _each_booking(name: str) -> Callable[[str], str]:
    """A booking URL by its public id, reversed once a page rather than once a visit."""
    before, after = reverse(name, args=[ANY_ID]).split(ANY_ID)
    return lambda public_id: f"{before}{public_id}{after}"


@register.simple_tag
def grid_cells(calendar: Grid) -> SafeString:
    """Every row of every column: a free one links to the booking form at its time (with
    its name for screen readers), the others are shaded. The form's URL is reversed and the
    names translated once a page, each row's time written once for the columns sharing it."""
    book = conditional_escape(reverse("scheduling:book", args=[calendar.location.slug]))
    by_whom = conditional_escape(_("Book %(who)s at %(at)s"))
    by_day = conditional_escape(_("Book %(on)s at %(at)s"))
    parts = []
    starts: list[datetime] | None = None
    times: list[tuple[str, str, str]] = []
    for column in calendar.columns:
        if column.starts is not starts:
            starts = column.starts
            times = [_row_time(row, at) for row, at in enumerate(starts, start=HEAD + 1)]
        who = conditional_escape(column.title)  # none for a week's day
        on = "" if who or not starts else conditional_escape(reader_date(starts[0], "weekday"))
        also = f"&amp;practitioner={column.practitioner}" if column.practitioner else ""
        place = f'data-column="{column.grid}" data-row="'
        whose = f' data-practitioner="{column.practitioner}"' if column.practitioner else ""
        for (row, stamp, hour), bookable in zip(times, column.bookable, strict=True):
            if not bookable:
                parts.append(f'<div class="slot off{hour}" {place}{row}{whose}></div>')
                continue
            if who:
                label = by_whom % {"who": who, "at": stamp[11:]}
            else:
                label = by_day % {"on": on, "at": stamp[11:]}
            parts.append(
                f'<a class="slot free{hour}" {place}{row}{whose}'
                f' href="{book}?starts_at={stamp}{also}" aria-label="{label}"></a>'
            )
    return mark_safe("".join(parts))


def _row_time(row: int, at: datetime) -> tuple[str, str, str]:
    """A row's grid row and start as attributes, its start as the form takes it, and
    whether it starts an hour."""
    stamp = f"{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}:{at.minute:02d}"
    return f'{row}" data-starts="{stamp}"', stamp, " hour" if at.minute == 0 else ""
