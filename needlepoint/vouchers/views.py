"""The desk's gift voucher pages (Money → Gift vouchers): the list and search, selling, a
voucher's page with its PDF, email and cancellation; Settings → Gift vouchers; and the
vouchers report with its CSV. Every change goes through vouchers/services.py."""

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
from needlepoint.clinics.models import local_today
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, format_money
from needlepoint.payments.forms import refuse
from needlepoint.payments.queries import may
from needlepoint.reports import exports
from needlepoint.reports.forms import COHORT_DEFAULT_DAYS, MoneyFilter
from needlepoint.vouchers import queries, services
from needlepoint.vouchers.choices import VoucherStatus
from needlepoint.vouchers.forms import CancelForm, SellForm, ValidityForm
from needlepoint.vouchers.law import LAW
from needlepoint.vouchers.models import GiftVoucher
from needlepoint.vouchers.pdf import voucher_pdf as render_voucher_pdf


def _user(request: StaffRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _vouchers(request: StaffRequest) -> QuerySet[GiftVoucher]:
    return queries.vouchers_at(visible_locations(request.staff)).filter(
        organisation_id=request.staff.organisation_id
    )


def _voucher(request: StaffRequest, public_id: UUID) -> GiftVoucher:
    return get_object_or_404(_vouchers(request), public_id=public_id)


def _to_voucher(voucher: GiftVoucher) -> HttpResponse:
    return redirect("vouchers:detail", public_id=voucher.public_id)


@staff_view
def voucher_list(request: StaffRequest) -> HttpResponse:
    typed = request.GET.get("q", "")[:60]
    status = request.GET.get("status", "")
    found = queries.search(visible_locations(request.staff), typed, status)
    exact = services.find(request.staff.organisation, typed) if typed else None
    if exact is not None and found.filter(pk=exact.pk).exists():  # a whole code: its page
        return _to_voucher(exact)
    context = {
        "nav": "vouchers",
        "vouchers": found[: queries.LIST_SIZE],
        "typed": typed,
        "status": status,
        "statuses": VoucherStatus.choices,
        "may_sell": may(request.staff, "vouchers:sell"),
    }
    return no_store(render(request, "vouchers/list.html", context))


@staff_view
def sell(request: StaffRequest) -> HttpResponse:
    organisation = request.staff.organisation
    locations = visible_locations(request.staff).order_by("name")
    buyer_id = request.GET.get("client", "")
    initial: dict[str, Any] = {}
    if buyer_id:
        buyer = Client.objects.filter(organisation=organisation, public_id=buyer_id).first()
        initial["buyer_email"] = buyer.email if buyer else ""
    form = SellForm(
        request.POST or None, currency=organisation.currency, locations=locations, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        buyer = Client.objects.filter(
            organisation=organisation, email=data["buyer_email"].strip().lower()
        ).first()
        if buyer is None:
            form.add_error(
                "buyer_email", _("No client has that email: add the buyer in Clients first.")
            )
        else:
            try:
                voucher = services.voucher_sell(
                    location=data["location"],
                    buyer=buyer,
                    amount=data["money"],
                    method=data["method"],
                    recipient_name=data["recipient_name"],
                    message=data["message"],
                    by=_user(request),
                    key=f"desk-voucher-{data['key']}",
                )
            except DomainError as error:
                refuse(form, error)
            else:
                messages.success(
                    request,
                    _("Gift voucher %(code)s sold for %(value)s.")
                    % {
                        "code": voucher.shown_code,
                        "value": format_money(Money(voucher.initial_minor, voucher.currency)),
                    },
                )
                return _to_voucher(voucher)
    context = {"nav": "vouchers", "form": form, "validity": services.settings_for(organisation)}
    return no_store(render(request, "vouchers/sell.html", context))


@staff_view
def detail(request: StaffRequest, public_id: UUID) -> HttpResponse:
    return _detail_page(request, _voucher(request, public_id))


def _detail_page(
    request: StaffRequest, voucher: GiftVoucher, cancel_form: CancelForm | None = None
) -> HttpResponse:
    now = local_today(voucher.location)
    context = {
        "nav": "vouchers",
        "voucher": voucher,
        "redemptions": voucher.redemptions.select_related("invoice", "payment", "by"),
        "past_expiry": voucher.status == VoucherStatus.ACTIVE and now > voucher.expires_on,
        "cancel_form": cancel_form or CancelForm(),
        "may_cancel": may(request.staff, "vouchers:cancel")
        and voucher.status != VoucherStatus.CANCELLED,
    }
    audit.record(Action.VIEWED, Target.VOUCHER, voucher.public_id, client=voucher.buyer)
    return no_store(render(request, "vouchers/detail.html", context))


@staff_view
def voucher_pdf(request: StaffRequest, public_id: UUID) -> HttpResponse:
    voucher = _voucher(request, public_id)
    audit.record(Action.PRINTED, Target.VOUCHER, voucher.public_id, client=voucher.buyer)
    response = HttpResponse(render_voucher_pdf(voucher), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="gift-voucher-{voucher.code[-4:]}.pdf"'
    return no_store(response)


@require_POST
@staff_view
def email(request: StaffRequest, public_id: UUID) -> HttpResponse:
    voucher = _voucher(request, public_id)
    try:
        address = services.voucher_send(voucher=voucher, by=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The voucher is on its way to %(address)s.") % {"address": address}
        )
    return _to_voucher(voucher)


@require_POST
@staff_view
def cancel(request: StaffRequest, public_id: UUID) -> HttpResponse:
    voucher = _voucher(request, public_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, voucher, form)
    try:
        services.voucher_cancel(
            voucher=voucher, reason=form.cleaned_data["reason"], by=_user(request)
        )
    except DomainError as error:
        refuse(form, error)
        return _detail_page(request, voucher, form)
    messages.success(request, _("The voucher is cancelled: it can't be spent any more."))
    return _to_voucher(voucher)


# ---- Settings → Gift vouchers -------------------------------------------------------------


@staff_view
def validity(request: StaffRequest) -> HttpResponse:
    organisation = request.staff.organisation
    current = services.settings_for(organisation)
    form = ValidityForm(
        request.POST or None,
        initial={"country": current.country, "validity_months": current.validity_months},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.voucher_settings_update(
                organisation=organisation, by=_user(request), **form.cleaned_data
            )
        except DomainError as error:
            refuse(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("vouchers:settings")
    context = {"nav": "settings", "form": form, "law": sorted(LAW.items())}
    return no_store(render(request, "vouchers/settings.html", context))


# ---- the report ---------------------------------------------------------------------------


def _figures(request: StaffRequest) -> tuple[MoneyFilter, queries.VoucherFigures | None]:
    form = MoneyFilter(request.staff, request.GET, COHORT_DEFAULT_DAYS)
    if not form.is_valid():
        return form, None
    scope = form.scope()
    today = local_today(scope.locations[0] if scope.locations else None)
    currency = request.staff.organisation.currency
    return form, queries.figures(scope.locations, scope.start, scope.end, today, currency)


@staff_view
def report(request: StaffRequest) -> HttpResponse:
    form, figures = _figures(request)
    context = {"nav": "reports", "form": form, "figures": figures, "query": request.GET.urlencode()}
    return no_store(render(request, "vouchers/report.html", context))


@staff_view
def report_csv(request: StaffRequest) -> HttpResponse:
    form, figures = _figures(request)
    if figures is None:
        return report(request)
    header = (
        "month",
        "issued_count",
        "issued_minor",
        "redeemed_minor",
        "expired_unspent_minor",
        "currency",
    )
    rows = [
        (
            month.month.strftime("%Y-%m"),
            month.issued_count,
            month.issued,
            month.redeemed,
            month.expired_unspent,
            figures.currency,
        )
        for month in figures.months
    ]
    return exports.csv_response("gift-vouchers", header, rows)
