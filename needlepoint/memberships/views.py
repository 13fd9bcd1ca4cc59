"""The membership pages: a membership (its periods, invoices, charges and their tries, and
cancelling it), signing up at the desk from the client page, Settings → Memberships, the
report with its CSV, and the public pages where a client signed in to the portal joins a
plan with their card (the card step of online booking: payments/online.py).

Each action is its own URL, so the permission table (accounts/permissions.py) says who
may do what; every change goes through memberships/services.py, which audits it.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from uuid import UUID, uuid4

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.accounts.models import User
from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation, local_today
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, as_decimal, parse_money
from needlepoint.memberships import queries, services
from needlepoint.memberships.forms import PlanForm, plan_initial
from needlepoint.memberships.models import Membership, MembershipPlan
from needlepoint.payments import gateway, online
from needlepoint.payments.dates import short_month_date
from needlepoint.payments.queries import may
from needlepoint.public.portal_views import signed_in
from needlepoint.public.queries import public_location
from needlepoint.reports.forms import MoneyFilter


def _user(request: StaffRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _membership(request: StaffRequest, public_id: UUID) -> Membership:
    found = queries.memberships_for(request.staff.organisation_id, visible_locations(request.staff))
    return get_object_or_404(found, public_id=public_id)


def _to(membership: Membership) -> HttpResponse:
    return redirect("memberships:detail", public_id=membership.public_id)


# ---- a membership ---------------------------------------------------------------------


@staff_view
def detail(request: StaffRequest, public_id: UUID) -> HttpResponse:
    membership = _membership(request, public_id)
    today = local_today(membership.location)
    context = {
        "nav": "clients",
        "membership": membership,
        "view": queries.member_view(membership, today),
        "periods": queries.period_rows(membership),
        "refund_suggested": as_decimal(
            Money(services.refund_suggested(membership, today), membership.currency)
        ),
        "may_end_now": may(request.staff, "memberships:end_now"),
    }
    record(Action.VIEWED, Target.MEMBERSHIP, membership.public_id, client=membership.client)
    return no_store(render(request, "memberships/detail.html", context))


@require_POST
@staff_view
def cancel(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Cancel at the end of the period: it is paid for, and its benefits go on until then."""
    membership = _membership(request, public_id)
    try:
        services.membership_cancel(
            membership=membership, reason=request.POST.get("reason", ""), by=_user(request)
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The membership ends on %(day)s.") % {"day": short_month_date(membership.period_end)},
        )
    return _to(membership)


@require_POST
@staff_view
def end_now(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """End now, giving back what the manager decides of the current period."""
    membership = _membership(request, public_id)
    try:
        text = request.POST.get("refund", "").strip() or "0"
        refund = parse_money(text, membership.currency, field="refund")
        services.membership_cancel(
            membership=membership,
            reason=request.POST.get("reason", ""),
            by=_user(request),
            now_too=True,
            refund_minor=refund.minor,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The membership has ended."))
    return _to(membership)


@require_POST
@staff_view
def sign_up(request: StaffRequest, client_id: UUID) -> HttpResponse:
    """Sign the client up at the desk: the first period is charged to their saved card."""
    client = get_object_or_404(
        Client.objects.filter(organisation_id=request.staff.organisation_id), public_id=client_id
    )
    plans = queries.plans_for(visible_locations(request.staff))
    try:
        plan = plans.get(public_id=UUID(request.POST.get("plan", "")))
    except (ValueError, MembershipPlan.DoesNotExist):
        messages.error(request, _("Choose a plan."))
        return redirect("clients:detail", public_id=client.public_id)
    try:
        membership = services.membership_start(
            client=client,
            plan=plan,
            by=_user(request),
            key=request.POST.get("key", "")[:60] or uuid4().hex,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("clients:detail", args=[client.public_id]) + "#memberships")
    messages.success(
        request,
        _("%(name)s is now a member of %(plan)s.")
        % {"name": client.first_name, "plan": membership.plan_name},
    )
    return _to(membership)


def client_panel(staff: Any, client: Client) -> dict[str, Any] | None:
    """The client page's membership panel, for those who may see money."""
    if not may(staff, "memberships:detail"):
        return None
    today = local_today(client.home_location)
    return {
        "members": queries.client_memberships(client, today),
        "plans": queries.plans_for(visible_locations(staff)).filter(active=True),
        "may_sign_up": may(staff, "memberships:sign_up"),
        "has_card": hasattr(client, "saved_card"),
        "key": uuid4().hex,
    }


# ---- Settings → Memberships -------------------------------------------------------------


def _settings_page(request: StaffRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return no_store(render(request, f"memberships/{template}", {"nav": "settings", **context}))


@staff_view
def plans(request: StaffRequest) -> HttpResponse:
    locations = visible_locations(request.staff).order_by("name")
    return _settings_page(
        request,
        "plans.html",
        {"plans": queries.plans_for(locations), "locations": locations},
    )


@staff_view
def plan_new(request: StaffRequest, slug: str) -> HttpResponse:
    location = get_object_or_404(visible_locations(request.staff), slug=slug)
    return _plan_form(request, location, None)


@staff_view
def plan_edit(request: StaffRequest, public_id: UUID) -> HttpResponse:
    plan = get_object_or_404(
        queries.plans_for(visible_locations(request.staff)), public_id=public_id
    )
    return _plan_form(request, plan.location, plan)


def _plan_form(
    request: StaffRequest, location: Location, plan: MembershipPlan | None
) -> HttpResponse:
    initial = (
        plan_initial(plan, str(as_decimal(Money(plan.price_minor, plan.currency))))
        if plan
        else None
    )
    form = PlanForm(location, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_save(location=location, terms=form.terms(), by=_user(request), plan=plan)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("settings:memberships")
    return _settings_page(
        request, "plan_form.html", {"form": form, "plan": plan, "location": location}
    )


# ---- the report -------------------------------------------------------------------------


def _report_form(request: StaffRequest) -> MoneyFilter:
    return MoneyFilter(request.staff, request.GET)


@staff_view
def report(request: StaffRequest) -> HttpResponse:
    form = _report_form(request)
    context: dict[str, Any] = {"nav": "reports", "form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        scope = form.scope()
        context["figures"] = queries.figures(
            request.staff.organisation_id, scope.locations, scope.start, scope.end
        )
        context["currency"] = request.staff.organisation.currency
    return no_store(render(request, "memberships/report.html", context))


@staff_view
def report_csv(request: StaffRequest) -> HttpResponse:
    form = _report_form(request)
    if not form.is_valid():
        return report(request)
    scope = form.scope()
    currency = request.staff.organisation.currency
    figures = queries.figures(
        request.staff.organisation_id, scope.locations, scope.start, scope.end
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "new", "churned", "failed_payments", "revenue", "currency"])
    for month in figures.months:
        writer.writerow(
            [
                month.starts_on.strftime("%Y-%m"),
                month.new,
                month.churned,
                month.failed_payments,
                as_decimal(Money(month.revenue, currency)),
                currency,
            ]
        )
    writer.writerow(
        [
            "total",
            figures.new,
            figures.churned,
            figures.failed_payments,
            as_decimal(Money(figures.revenue, currency)),
            currency,
        ]
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="memberships.csv"'
    return no_store(response)


# ---- online: the public plans and joining with a card -------------------------------------


def public_plans(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    context = {
        "location": location,
        "organisation": location.organisation,
        "plans": queries.plans_sold_online(location),
        "takes_cards": gateway.client_for(location.organisation) is not None,
    }
    return render(request, "memberships/public_plans.html", context)


@signed_in
def join(
    request: HttpRequest, organisation: Organisation, client: Client, plan_id: UUID
) -> HttpResponse:
    """The card step for a plan: Stripe.js saves the card (a SetupIntent), then the first
    period is charged to it (a PaymentIntent, which the client's bank may ask them to
    confirm); the membership starts once Stripe says it was paid."""
    plan = get_object_or_404(
        MembershipPlan.objects.filter(organisation=organisation, active=True, sold_online=True),
        public_id=plan_id,
    )
    state = request.session.get(_state_key(plan), {})
    payment_secret = ""
    try:
        services.check_may_join(client=client, plan=plan, online_sale=True, needs_card=False)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("memberships:public_plans", organisation.slug, plan.location.slug)
    if request.method == "POST":
        try:
            payment_secret, membership = _pay_first_period(request, client, plan, state)
        except DomainError as error:
            messages.error(request, error.message)
            if error.code in ("card_declined", "deposit_unpaid", "card_missing"):
                state = {"ref": state.get("ref", ""), "tries": int(state.get("tries", 0)) + 1}
        else:
            if membership is not None:
                request.session.pop(_state_key(plan), None)
                messages.success(
                    request,
                    _("Welcome to %(plan)s: your membership has started.")
                    % {"plan": membership.plan_name},
                )
                return redirect("public:portal", organisation.slug)
    context: dict[str, Any] = {
        "organisation": organisation,
        "location": plan.location,
        "plan": plan,
        "payment_secret": payment_secret,
        "stripe_js_url": settings.STRIPE_JS_URL,
    }
    try:
        context["setup"] = _card_step(request, client, plan, state)
    except DomainError as error:
        messages.error(request, error.message)
    response = no_store(render(request, "memberships/join.html", context))
    response._csp_update = gateway.card_page_csp()  # type: ignore[attr-defined]
    return response


def _state_key(plan: MembershipPlan) -> str:
    return f"membership-join-{plan.public_id}"


def _card_step(
    request: HttpRequest, client: Client, plan: MembershipPlan, state: dict[str, Any]
) -> online.CardStep:
    if not state.get("ref"):
        state["ref"] = uuid4().hex
    step = online.card_step_start(
        client=client,
        customer=state.get("customer", ""),
        setup_intent=state.get("setup", ""),
        key=f"membership-{state['ref']}",
        attempt=int(state.get("tries", 0)),
    )
    state |= {"customer": step.customer, "setup": step.setup.stripe_id}
    request.session[_state_key(plan)] = state
    return step


def _pay_first_period(
    request: HttpRequest, client: Client, plan: MembershipPlan, state: dict[str, Any]
) -> tuple[str, Membership | None]:
    """Charge the first period to the card just saved (once), and start the membership
    when Stripe says it is paid. The client secret when the bank asks the client to
    confirm in Stripe.js."""
    organisation = plan.organisation
    amount = Money(plan.price_minor, plan.currency)
    if state.get("payment"):
        intent = online.deposit_intent(organisation=organisation, payment_intent=state["payment"])
    else:
        intent = online.deposit_charge(
            organisation=organisation,
            setup_intent=state.get("setup", ""),
            amount=amount,
            key=f"membership-{state.get('ref', '')}-first",
        )
        state["payment"] = intent.stripe_id
        request.session[_state_key(plan)] = state
    if intent.status == "requires_action":
        return intent.client_secret, None
    paid = online.card_step_outcome(
        organisation=organisation,
        setup_intent=state.get("setup", ""),
        payment_intent=intent.stripe_id,
    )
    assert paid.deposit is not None
    if (paid.deposit.amount, paid.deposit.currency) != (amount.minor, amount.currency):
        raise DomainError("deposit_unpaid", _("The payment did not match the plan's price."))
    now = timezone.now()
    online.card_keep(client=client, paid=paid, now=now)
    membership = services.membership_record_start(
        client=client,
        plan=plan,
        stripe_id=intent.stripe_id,
        by=None,
        key=f"online-{intent.stripe_id}",
        now=now,
    )
    return "", membership


def portal_panel(client: Client) -> list[queries.MemberView]:
    return queries.client_memberships(client, timezone.localdate())
