"""The owners' and managers' reports: one page per group, each with its CSV file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.accounts.recent import password_again, requires_recent_password
from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record
from needlepoint.core.money import Money, format_money
from needlepoint.core.replica import reads_replica
from needlepoint.reports import charts, exports, queries
from needlepoint.reports.forms import COHORT_DEFAULT_DAYS, LotSearch, MoneyFilter, ReportFilter
from needlepoint.treatments.models import Cartridge


def page(request: StaffRequest, template: str, form: ReportFilter, **context: Any) -> HttpResponse:
    query = request.GET.copy()
    context |= {"nav": "reports", "form": form, "query": query.urlencode()}
    return no_store(render(request, f"reports/{template}.html", context))


@staff_view
@reads_replica
def index(request: StaffRequest) -> HttpResponse:
    return no_store(render(request, "reports/index.html", {"nav": "reports"}))


@staff_view
@reads_replica
def utilisation(request: StaffRequest) -> HttpResponse:
    form = ReportFilter(request.staff, request.GET)
    if not form.is_valid():
        return page(request, "utilisation", form)
    scope = form.scope()
    figures = queries.utilisation(scope)
    several = len(scope.locations) > 1
    chart_list = [
        (
            kind,
            charts.bar_chart(
                title,
                _("Booked minutes as a share of available minutes."),
                [
                    charts.Bar(
                        f"{u.name} · {u.location}" if several else u.name,
                        u.share or 0,
                        u.share_text,
                    )
                    for u in rows
                ],
                top=1,
            ),
        )
        for kind, title, rows in (
            (_("Practitioners"), _("Utilisation of practitioners"), figures.practitioners),
            (_("Rooms"), _("Utilisation of rooms"), figures.rooms),
            (_("Devices"), _("Utilisation of devices"), figures.devices),
        )
    ]
    return page(request, "utilisation", form, figures=figures, charts=chart_list)


@staff_view
@reads_replica
def utilisation_csv(request: StaffRequest) -> HttpResponse:
    form = ReportFilter(request.staff, request.GET)
    if not form.is_valid():
        return page(request, "utilisation", form)
    return exports.csv_response(
        "utilisation", *exports.utilisation_rows(queries.utilisation(form.scope()))
    )


@staff_view
@reads_replica
def bookings(request: StaffRequest) -> HttpResponse:
    form = ReportFilter(request.staff, request.GET)
    if not form.is_valid():
        return page(request, "bookings", form)
    figures = queries.booking_figures(form.scope())
    chart = charts.bar_chart(
        _("Bookings by channel"),
        _("How many bookings for visits in the range were made through each channel."),
        [charts.Bar(c.label, c.bookings, str(c.bookings)) for c in figures.channels],
    )
    return page(request, "bookings", form, figures=figures, chart=chart)


@staff_view
@reads_replica
def bookings_csv(request: StaffRequest) -> HttpResponse:
    form = ReportFilter(request.staff, request.GET)
    if not form.is_valid():
        return page(request, "bookings", form)
    return exports.csv_response(
        "bookings", *exports.booking_rows(queries.booking_figures(form.scope()))
    )


@staff_view
@reads_replica
def courses(request: StaffRequest) -> HttpResponse:
    form = ReportFilter(request.staff, request.GET, COHORT_DEFAULT_DAYS)
    if not form.is_valid():
        return page(request, "courses", form)
    figures = queries.course_figures(form.scope(), request.staff.organisation.rules())
    if figures.due:
        record(
            Action.VIEWED,
            Target.PAGE,
            detail={"report": "courses", "clients_listed": len(figures.due)},
        )
    chart = charts.bar_chart(
        _("Courses by state"),
        _("Courses whose first visit falls in the range, by their state today."),
        [
            charts.Bar(str(queries.STATE_LABELS[state]), count, str(count))
            for state, count in figures.counts.items()
        ],
    )
    return page(request, "courses", form, figures=figures, chart=chart)


@staff_view
@requires_recent_password
@reads_replica
def courses_csv(request: StaffRequest) -> HttpResponse:
    form = ReportFilter(request.staff, request.GET, COHORT_DEFAULT_DAYS)
    if not form.is_valid():
        return page(request, "courses", form)
    figures = queries.course_figures(form.scope(), request.staff.organisation.rules())
    record(Action.EXPORTED, Target.PAGE, detail={"report": "courses", "rows": len(figures.courses)})
    return exports.csv_response("courses", *exports.course_rows(figures))


@staff_view
@reads_replica
def outcomes(request: StaffRequest) -> HttpResponse:
    form = ReportFilter(request.staff, request.GET, COHORT_DEFAULT_DAYS)
    if not form.is_valid():
        return page(request, "outcomes", form)
    figures = queries.outcome_figures(form.scope(), request.staff.organisation.rules())
    improvement = [row for row in figures.rows if row.scale.key == "improvement"]
    line = charts.line_chart(
        _("Median client-rated improvement"),
        _(
            "Median change in the client's own rating (0–10) from their first session, "
            "after 1 to 4 sessions, per indication."
        ),
        [_("after %(n)s") % {"n": n} for n in queries.SESSION_COUNTS],
        [
            charts.Line(row.name, [row.medians[n] for n in queries.SESSION_COUNTS])
            for row in improvement
        ],
        unit=" " + _("points"),
    )
    events = charts.bar_chart(
        _("Adverse events per 100 sessions"),
        _("Adverse events recorded against completed sessions in the range, per 100 sessions."),
        [charts.Bar(e.name, e.per_100 or 0, f"{e.per_100 or 0:.1f}") for e in figures.events],
    )
    return page(request, "outcomes", form, figures=figures, line=line, events_chart=events)


@staff_view
@reads_replica
def outcomes_csv(request: StaffRequest) -> HttpResponse:
    form = ReportFilter(request.staff, request.GET, COHORT_DEFAULT_DAYS)
    if not form.is_valid():
        return page(request, "outcomes", form)
    figures = queries.outcome_figures(form.scope(), request.staff.organisation.rules())
    return exports.csv_response("outcomes", *exports.outcome_rows(figures))


@staff_view
@reads_replica
def lots(request: StaffRequest) -> HttpResponse:
    form = LotSearch(request.staff, request.GET)
    if not form.is_valid():
        return page(request, "lots", form)
    usage = queries.lot_usage(form.scope())
    recall = recall_for(form)
    chart = charts.bar_chart(
        _("Cartridges used per lot"),
        _("Single-use cartridges used in completed sessions in the range, per lot."),
        [
            charts.Bar(f"{use.lot} · {use.configuration}", use.cartridges, str(use.cartridges))
            for use in usage
        ],
    )
    return page(request, "lots", form, usage=usage, recall=recall, chart=chart)


def recall_for(form: LotSearch) -> list[Cartridge] | None:
    """The recall list when a lot was asked for (audited: it names clients), else None."""
    if not form.cleaned_data["lot"]:
        return None
    found = recall_found(form)
    record(
        Action.VIEWED,
        Target.PAGE,
        detail={
            "report": "lot recall",
            "lot": form.cleaned_data["lot"],
            "clients_listed": len(found),
        },
    )
    return found


def recall_found(form: LotSearch) -> list[Cartridge]:
    """Every cartridge of the lot used at the chosen locations, whatever the dates."""
    wanted = form.cleaned_data
    return queries.recall_list(
        form.staff.organisation_id,
        form.scope().location_ids,
        wanted["lot"],
        wanted["configuration"].pk if wanted["configuration"] else None,
        wanted["device"].pk if wanted["device"] else None,
    )


@staff_view
@requires_recent_password
@reads_replica
def lots_csv(request: StaffRequest) -> HttpResponse:
    form = LotSearch(request.staff, request.GET)
    if form.is_valid() and not form.cleaned_data["lot"]:
        form.add_error("lot", _("Give the lot number to export its recall list."))
    if not form.is_valid():
        return page(request, "lots", form)
    found = recall_found(form)
    lot = form.cleaned_data["lot"]
    record(
        Action.EXPORTED,
        Target.PAGE,
        detail={"report": "lot recall", "lot": lot, "rows": len(found)},
    )
    return exports.csv_response(f"recall-{slugify(lot)}", *exports.recall_rows(found))


MONEY_BAR_WIDTH = 220  # room beside each bar for an amount like £12,345.50
MONEY_ROWS_SHOWN = 100
"""Rows of each list the page shows; the section's CSV file has them all."""
Listing = tuple[
    Callable[[queries.Scope, int | None], queries.Section],
    Callable[[queries.Section, str], tuple[exports.Row, Any]],
]
MONEY_LISTS: dict[str, Listing] = {
    "outstanding": (queries.outstanding, exports.outstanding_rows),
    "deposits": (queries.deposits_held, exports.deposit_rows),
    "fees": (queries.fees_decided, exports.fee_rows),
    "refunds": (queries.refunds_made, exports.refund_rows),
    "credit": (queries.credit_held, exports.credit_rows),
}
"""The money report's sections that name clients: their CSV files ask for the password
again and are audited. ``takings`` names nobody."""


@staff_view
@reads_replica
def money(request: StaffRequest) -> HttpResponse:
    form = MoneyFilter(request.staff, request.GET)
    if not form.is_valid():
        return page(request, "money", form)
    currency = request.staff.organisation.currency
    figures = queries.money_figures(form.scope(), currency, MONEY_ROWS_SHOWN)
    if figures.clients_listed:
        record(
            Action.VIEWED,
            Target.PAGE,
            detail={"report": "money", "clients_listed": figures.clients_listed},
        )
    chart = charts.bar_chart(
        _("Net takings by method"),
        _(
            "Payments less refunds that went through in the range, by how they were paid "
            "(account credit and gift vouchers move no money and are left out)."
        ),
        [
            charts.Bar(m.label, m.net, format_money(Money(m.net, currency)))
            for m in figures.takings.methods
            if m.method not in queries.NOT_MONEY  # moves no money
        ],
        bar_width=MONEY_BAR_WIDTH,
    )
    return page(request, "money", form, figures=figures, chart=chart)


@staff_view
@reads_replica
def money_csv(request: StaffRequest, section: str) -> HttpResponse:
    if section != "takings" and section not in MONEY_LISTS:
        raise Http404
    if section in MONEY_LISTS and (asked := password_again(request)) is not None:
        return asked
    form = MoneyFilter(request.staff, request.GET)
    if not form.is_valid():
        return page(request, "money", form)
    scope, currency = form.scope(), request.staff.organisation.currency
    if section == "takings":
        return exports.csv_response(
            "money-takings", *exports.money_rows(queries.takings(scope), currency)
        )
    read, write = MONEY_LISTS[section]
    header, rows = write(read(scope, None), currency)
    record(Action.EXPORTED, Target.PAGE, detail={"report": f"money {section}", "rows": len(rows)})
    return exports.csv_response(f"money-{section}", header, rows)
