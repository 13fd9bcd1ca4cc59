"""The package pages: Settings → Packages (the offers), selling a course from the client
record, the package itself with the ways it ends, and the report with its CSV.

Each action is its own URL, so the permission table (accounts/permissions.py) says who may
do what; every change goes through packages/services.py, which audits it.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.clients.queries import clients_for
from needlepoint.clinics.models import local_today
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, as_decimal, format_money
from needlepoint.packages import queries, services
from needlepoint.packages.forms import MoneyBackForm, OfferForm, SellForm, TransferForm, VoidForm
from needlepoint.packages.models import Package, PackageOffer
from needlepoint.payments.forms import read_amount, refuse
from needlepoint.payments.models import Invoice, ScheduledCharge
from needlepoint.payments.queries import may
from needlepoint.reports.exports import csv_response
from needlepoint.reports.forms import MoneyFilter
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.courses import Preferences
from needlepoint.scheduling.models import Booking, Service


def _user(request: StaffRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _packages(request: StaffRequest) -> QuerySet[Package]:
    return queries.visible_packages(visible_locations(request.staff))


def _package(request: StaffRequest, public_id: UUID) -> Package:
    return get_object_or_404(_packages(request), public_id=public_id)


def _to_package(package: Package) -> HttpResponse:
    return redirect("packages:detail", public_id=package.public_id)


# ---- Settings → Packages ------------------------------------------------------------------------


def _treatments(request: StaffRequest) -> Any:
    return Service.objects.filter(
        location__in=visible_locations(request.staff), kind=ServiceKind.TREATMENT, is_active=True
    ).select_related("location__organisation")


@staff_view
def offers(request: StaffRequest) -> HttpResponse:
    """The clinic's courses for sale, and a form to add one."""
    return _offer_page(request, None)


@staff_view
def offer(request: StaffRequest, public_id: UUID) -> HttpResponse:
    found = get_object_or_404(
        queries.offers_of(request.staff.organisation).filter(
            service__location__in=visible_locations(request.staff)
        ),
        public_id=public_id,
    )
    return _offer_page(request, found)


def _offer_page(request: StaffRequest, editing: PackageOffer | None) -> HttpResponse:
    currency = request.staff.organisation.currency
    initial: dict[str, Any] = {}
    if editing is not None:
        initial = {
            "service": editing.service,
            "name": editing.name,
            "sessions": editing.sessions,
            "price": str(as_decimal(Money(editing.price_minor, currency))),
            "valid_days": editing.valid_days,
            "sold_online": editing.sold_online,
            "is_active": editing.is_active,
        }
    data = request.POST if request.method == "POST" else None
    form = OfferForm(data, services=_treatments(request), initial=initial)
    if form.is_valid():
        try:
            terms = services.OfferTerms(
                name=form.cleaned_data["name"],
                sessions=form.cleaned_data["sessions"],
                price=read_amount(form.cleaned_data["price"], currency, field="price"),
                valid_days=form.cleaned_data["valid_days"],
                sold_online=form.cleaned_data["sold_online"],
                is_active=form.cleaned_data["is_active"],
            )
            if editing is None:
                services.offer_create(
                    service=form.cleaned_data["service"], terms=terms, by=_user(request)
                )
            else:
                services.offer_update(offer=editing, terms=terms, by=_user(request))
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("settings:package_offers")
    context = {
        "nav": "settings",
        "form": form,
        "editing": editing,
        "offers": queries.offers_of(request.staff.organisation).filter(
            service__location__in=visible_locations(request.staff)
        ),
        "currency": currency,
    }
    return no_store(render(request, "packages/offers.html", context))


# ---- selling a course -----------------------------------------------------------------------


@staff_view
def sell(request: StaffRequest, client_id: UUID) -> HttpResponse:
    client = get_object_or_404(clients_for(request.staff), public_id=client_id)
    on_sale = list(
        queries.offers_of(request.staff.organisation).filter(
            is_active=True, service__location__in=visible_locations(request.staff)
        )
    )
    currency = request.staff.organisation.currency
    choices = [
        (
            str(o.public_id),
            _("%(name)s — %(sessions)s × %(service)s, %(price)s, valid %(days)s days")
            % {
                "name": o.name,
                "sessions": o.sessions,
                "service": o.service.name,
                "price": format_money(Money(o.price_minor, currency)),
                "days": o.valid_days,
            },
        )
        for o in on_sale
    ]
    data = request.POST if request.method == "POST" else None
    form = SellForm(
        data,
        offers=choices,
        services=_treatments(request),
        initial={"start_on": local_today(client.home_location)},
    )
    if form.is_valid():
        given = form.cleaned_data
        chosen = next((o for o in on_sale if str(o.public_id) == given["offer"]), None)
        try:
            sale = (
                services.Sale.of(chosen)
                if chosen is not None
                else services.Sale(
                    given["service"],
                    given["sessions"],
                    read_amount(given["price"], currency, field="price"),
                    given["valid_days"],
                )
            )
            package = services.package_sell(
                client=client,
                sale=sale,
                start_on=given["start_on"],
                method=given["method"],
                instalments=given["instalments"] or 0,
                by=_user(request),
                preferences=Preferences(
                    given["weekdays"],
                    given["time_from"],
                    given["time_to"],
                ),
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(
                request,
                _("Sold %(name)s to %(client)s; every session is booked.")
                % {"name": chosen.name if chosen else str(package), "client": client.full_name},
            )
            return _to_package(package)
    context = {"nav": "clients", "client": client, "form": form, "offers": on_sale}
    return no_store(render(request, "packages/sell.html", context))


# ---- the package -----------------------------------------------------------------------------


@staff_view
def detail(request: StaffRequest, public_id: UUID) -> HttpResponse:
    return _detail_page(request, _package(request, public_id))


def _detail_page(request: StaffRequest, package: Package, **forms: Any) -> HttpResponse:
    summary = queries.row(package)
    redemptions = package.redemptions.select_related("booking").order_by("number")
    sessions = Booking.objects.filter(course_id=package.course_id).order_by("starts_at")
    invoices: list[Invoice] = []
    instalments: list[ScheduledCharge] = []
    if package.invoice is not None:
        invoices = [package.invoice, *package.invoice.credit_notes.order_by("pk")]
        instalments = list(package.invoice.scheduled_charges.order_by("due_on", "pk"))
    may_end = may(request.staff, "packages:void")
    context = {
        "nav": "clients",
        "package": package,
        "summary": summary,
        "redemptions": redemptions,
        "sessions": sessions,
        "pauses": package.pauses.order_by("starts_on", "pk"),
        "invoices": invoices,
        "instalments": instalments,
        "zone": package.service.location.time_zone,
        "may_end": may_end and summary.is_open,
        "transfer_form": forms.get("transfer_form") or TransferForm(),
        "credit_form": forms.get("credit_form") or MoneyBackForm(auto_id="credit_%s"),
        "refund_form": forms.get("refund_form") or MoneyBackForm(auto_id="refund_%s"),
        "void_form": forms.get("void_form") or VoidForm(auto_id="void_%s"),
        "received": getattr(package, "transferred_to", None)
        if hasattr(package, "transferred_to")
        else None,
    }
    audit.record(Action.VIEWED, Target.PACKAGE, package.public_id, client=package.client)
    return no_store(render(request, "packages/detail.html", context))


@require_POST
@staff_view
def transfer(request: StaffRequest, public_id: UUID) -> HttpResponse:
    package = _package(request, public_id)
    form = TransferForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, package, transfer_form=form)
    to = _receiver(request, form.cleaned_data["to"].strip())
    if to is None:
        form.add_error("to", _("No client of the clinic has that email address or record id."))
        return _detail_page(request, package, transfer_form=form)
    try:
        received = services.package_transfer(
            package=package,
            to=to,
            client_agreed=form.cleaned_data["client_agreed"],
            reason=form.cleaned_data["reason"],
            by=_user(request),
        )
    except DomainError as error:
        refuse(form, error)
        return _detail_page(request, package, transfer_form=form)
    messages.success(
        request,
        _("%(left)s sessions transferred to %(client)s.")
        % {"left": received.sessions, "client": to.full_name},
    )
    return _to_package(received)


def _receiver(request: StaffRequest, given: str) -> Client | None:
    """The client named by email address or record id, among those the staff member sees."""
    clients = clients_for(request.staff)
    try:
        return clients.filter(public_id=UUID(given)).first()
    except ValueError:
        return clients.filter(email__iexact=given).first() if given else None


def _money_back(request: StaffRequest, public_id: UUID, *, to_credit: bool) -> HttpResponse:
    package = _package(request, public_id)
    prefix = "credit" if to_credit else "refund"
    form = MoneyBackForm(request.POST, auto_id=f"{prefix}_%s")
    if form.is_valid():
        end = services.package_credit if to_credit else services.package_refund
        try:
            package = end(
                package=package,
                percent=form.cleaned_data["percent"],
                reason=form.cleaned_data["reason"],
                by=_user(request),
            )
        except DomainError as error:
            refuse(form, error)
        else:
            said = (
                _("%(amount)s put on the client's account.")
                if to_credit
                else _("%(amount)s refunded.")
            )
            amount = format_money(Money(package.end_amount_minor, package.currency))
            messages.success(request, said % {"amount": amount})
            return _to_package(package)
    return _detail_page(request, package, **{f"{prefix}_form": form})


@require_POST
@staff_view
def credit(request: StaffRequest, public_id: UUID) -> HttpResponse:
    return _money_back(request, public_id, to_credit=True)


@require_POST
@staff_view
def refund(request: StaffRequest, public_id: UUID) -> HttpResponse:
    return _money_back(request, public_id, to_credit=False)


@require_POST
@staff_view
def void(request: StaffRequest, public_id: UUID) -> HttpResponse:
    package = _package(request, public_id)
    form = VoidForm(request.POST, auto_id="void_%s")
    if form.is_valid():
        try:
            services.package_void(
                package=package, reason=form.cleaned_data["reason"], by=_user(request)
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Package voided."))
            return _to_package(package)
    return _detail_page(request, package, void_form=form)


# ---- the report --------------------------------------------------------------------------------


@staff_view
def report(request: StaffRequest) -> HttpResponse:
    form = MoneyFilter(request.staff, request.GET)
    context: dict[str, Any] = {"nav": "reports", "form": form, "csv_url": "packages:report_csv"}
    if form.is_valid():
        scope = form.scope()
        context |= {
            "report": queries.report(
                request.staff.organisation, scope.locations, scope.start, scope.end
            ),
            "query": request.GET.urlencode(),
        }
    return no_store(render(request, "packages/report.html", context))


@staff_view
def report_csv(request: StaffRequest) -> HttpResponse:
    form = MoneyFilter(request.staff, request.GET)
    if not form.is_valid():
        return report(request)
    scope = form.scope()
    found = queries.report(request.staff.organisation, scope.locations, scope.start, scope.end)
    audit.record(
        Action.EXPORTED,
        Target.PACKAGE,
        "report",
        organisation_id=request.staff.organisation_id,
        detail={"from": scope.start.isoformat(), "to": scope.end.isoformat()},
    )
    header = [
        "from",
        "to",
        "currency",
        "sold",
        "sold_minor",
        "redeemed",
        "redeemed_minor",
        "expired",
        "breakage_minor",
        "outstanding_sessions_now",
        "liability_minor_now",
    ]
    rows = [
        [
            period.start.isoformat(),
            period.end.isoformat(),
            found.currency,
            period.sold,
            period.sold_minor,
            period.redeemed,
            period.redeemed_minor,
            period.expired,
            period.breakage_minor,
            found.outstanding_sessions,
            found.liability_minor,
        ]
        for period in found.periods
    ]
    return no_store(csv_response("packages", header, rows))
