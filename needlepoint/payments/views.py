"""The desk's money pages: a booking's invoice and fee, the invoice itself (lines, payments,
refunds, credit notes, its PDF and email), and closing the day's till.

Each action is its own URL, so the permission table (accounts/permissions.py) says who may
do what; every change goes through payments/services.py, which audits it. Card refunds are
sent to Stripe straight after their commit, so the page shows how it went.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clinics.models import Location, local_today
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, as_decimal, format_money
from needlepoint.payments import charges, services
from needlepoint.payments.choices import InvoiceKind, Method, PaymentKind, PaymentStatus, Purpose
from needlepoint.payments.forms import (
    CashUpForm,
    ChargeCancelForm,
    CreditNoteForm,
    InstalmentsForm,
    LineForm,
    PaymentForm,
    RefundForm,
    refuse,
)
from needlepoint.payments.models import CashUp, Invoice, InvoiceLine, Payment, SavedCard
from needlepoint.payments.pdf import invoice_pdf as render_invoice_pdf
from needlepoint.payments.queries import (
    day_payments,
    fee_outcome,
    fee_state,
    invoice_summary,
    may,
    takings_rows,
)
from needlepoint.scheduling.models import Booking

RECENT_CASH_UPS = 30


def _user(request: StaffRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _amount(minor: int, currency: str) -> str:
    return format_money(Money(minor, currency))


def _typed(minor: int, currency: str) -> str:
    """An amount as the desk types it into a form: 85.50."""
    return str(as_decimal(Money(minor, currency)))


def difference_said(minor: int, currency: str) -> str:
    if minor == 0:
        return _("as expected")
    amount = _amount(abs(minor), currency)
    return (
        _("%(amount)s over") % {"amount": amount}
        if minor > 0
        else _("%(amount)s short") % {"amount": amount}
    )


def _booking(request: StaffRequest, public_id: UUID) -> Booking:
    bookings = Booking.objects.filter(location__in=visible_locations(request.staff))
    return get_object_or_404(
        bookings.select_related("client", "service", "location__organisation"),
        public_id=public_id,
    )


def _invoices(request: StaffRequest) -> QuerySet[Invoice]:
    return Invoice.objects.filter(
        organisation_id=request.staff.organisation_id,
        location__in=visible_locations(request.staff),
    ).select_related("client", "location__organisation", "corrects", "booking")


def _invoice(request: StaffRequest, public_id: UUID) -> Invoice:
    return get_object_or_404(_invoices(request), public_id=public_id)


def _to_booking(booking: Booking) -> HttpResponse:
    return redirect(reverse("scheduling:booking", kwargs={"public_id": booking.public_id}))


def _to_invoice(invoice: Invoice) -> HttpResponse:
    return redirect(reverse("money:invoice", kwargs={"public_id": invoice.public_id}))


# ---- the booking's money ---------------------------------------------------------------------


@require_POST
@staff_view
def booking_invoice(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """Open the booking's invoice: the one made already, or a draft with the service on it."""
    booking = _booking(request, public_id)
    invoice = services.invoice_for_booking(booking=booking, by=_user(request))
    return _to_invoice(invoice)


@require_POST
@staff_view
def fee_charge(request: StaffRequest, public_id: UUID) -> HttpResponse:
    booking = _booking(request, public_id)
    try:
        fee = services.fee_charge(booking=booking, by=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        state = fee_state(booking, fee)
        assert state is not None
        messages.success(request, fee_outcome(state, fee.currency))
    return _to_booking(booking)


@require_POST
@staff_view
def fee_waive(request: StaffRequest, public_id: UUID) -> HttpResponse:
    booking = _booking(request, public_id)
    reason = request.POST.get("reason", "")[:1000]
    try:
        fee = services.fee_waive(booking=booking, by=_user(request), reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(kind)s fee waived.") % {"kind": fee.get_kind_display()})
    return _to_booking(booking)


@require_POST
@staff_view
def clinical_release(request: StaffRequest, public_id: UUID) -> HttpResponse:
    """A clinical decision stopped the visit: no fee, and the deposit goes back; a card
    refund is sent to Stripe once the decision is committed."""
    booking = _booking(request, public_id)
    reason = request.POST.get("reason", "")[:500]
    try:
        refunds = services.clinical_release(booking=booking, reason=reason, by=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
        return _to_booking(booking)
    refunds = [_sent(refund) for refund in refunds]
    said = [_("No fee will be charged for this booking.")]
    said += [_refund_said(refund) for refund in refunds]
    messages.success(request, " ".join(said))
    return _to_booking(booking)


def _sent(payment: Payment) -> Payment:
    if payment.method == Method.CARD_ONLINE and payment.status == PaymentStatus.PENDING:
        return services.payment_send(payment)
    return payment


def _refund_said(refund: Payment) -> str:
    values = {
        "amount": _amount(refund.amount_minor, refund.currency),
        "method": refund.get_method_display().lower(),
    }
    if refund.status == PaymentStatus.SUCCEEDED:
        return _("Refunded %(amount)s (%(method)s).") % values
    if refund.status == PaymentStatus.FAILED:
        return _("The refund of %(amount)s (%(method)s) was refused: %(why)s") % {
            **values,
            "why": refund.note,
        }
    return _("The refund of %(amount)s (%(method)s) is %(status)s.") % {
        **values,
        "status": refund.get_status_display().lower(),
    }


# ---- the invoice -----------------------------------------------------------------------------


@staff_view
def invoice(request: StaffRequest, public_id: UUID) -> HttpResponse:
    return _invoice_page(request, _invoice(request, public_id))


def _invoice_page(
    request: StaffRequest,
    invoice: Invoice,
    *,
    line_form: LineForm | None = None,
    payment_form: PaymentForm | None = None,
    refund_form: tuple[int, RefundForm] | None = None,
    credit_form: CreditNoteForm | None = None,
    instalments_form: InstalmentsForm | None = None,
) -> HttpResponse:
    summary = invoice_summary(invoice)
    currency = invoice.currency
    refund_forms = {
        movement.payment.pk: RefundForm(
            currency=currency,
            initial={"amount": _typed(movement.refundable, currency)},
            auto_id=f"refund{movement.payment.pk}_%s",
        )
        for movement in summary.movements
        if movement.refundable > 0
    }
    if refund_form is not None:
        refund_forms[refund_form[0]] = refund_form[1]
    due = max(summary.balance, 0)
    context: dict[str, Any] = {
        "nav": "clients",
        "invoice": invoice,
        "summary": summary,
        "client": invoice.client,
        "credit": services.credit_balance(invoice.client),
        "line_form": line_form or LineForm(currency=currency),
        "payment_form": payment_form
        or PaymentForm(currency=currency, initial={"amount": _typed(due, currency)}),
        "refunds": [
            (movement, refund_forms.get(movement.payment.pk)) for movement in summary.movements
        ],
        "credit_form": credit_form
        or CreditNoteForm(
            currency=currency,
            initial={
                "amount": _typed(max(summary.total - summary.credited, 0), currency),
                "credited_seen": summary.credited,
            },
        ),
        "open_refund": refund_form[0] if refund_form else None,
        "charges": invoice.scheduled_charges.select_related("payment"),
        "planned": invoice.scheduled_charges.filter(status__in=charges.OPEN).exists(),
        "card": SavedCard.objects.filter(client=invoice.client).first(),
        "instalments_form": instalments_form or InstalmentsForm(),
        "may_instalments": may(request.staff, "money:instalments"),
        "may_cancel_charge": may(request.staff, "money:charge_cancel"),
        "may_take": may(request.staff, "money:payment_take"),
        "may_refund": may(request.staff, "money:refund"),
        "may_credit": may(request.staff, "money:credit_note"),
        "is_invoice": invoice.kind == InvoiceKind.INVOICE,
    }
    audit.record(Action.VIEWED, Target.INVOICE, invoice.public_id, client=invoice.client)
    return no_store(render(request, "payments/invoice.html", context))


@require_POST
@staff_view
def invoice_line(request: StaffRequest, public_id: UUID) -> HttpResponse:
    invoice = _invoice(request, public_id)
    form = LineForm(request.POST, currency=invoice.currency)
    if not form.is_valid():
        return _invoice_page(request, invoice, line_form=form)
    try:
        services.invoice_line_add(
            invoice=invoice,
            description=form.cleaned_data["description"],
            quantity=form.cleaned_data["quantity"],
            unit_minor=form.cleaned_data["unit"].minor,
            tax_rate_bp=form.cleaned_data["tax_rate_bp"],
        )
    except DomainError as error:
        refuse(form, error, {"unit_minor": "unit_price", "tax_rate": "tax_percent"})
        return _invoice_page(request, invoice, line_form=form)
    messages.success(request, _("Line added."))
    return _to_invoice(invoice)


@require_POST
@staff_view
def invoice_line_remove(request: StaffRequest, public_id: UUID, line_id: int) -> HttpResponse:
    invoice = _invoice(request, public_id)
    line = get_object_or_404(InvoiceLine, invoice=invoice, pk=line_id)
    try:
        services.invoice_line_remove(invoice=invoice, line=line)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Line removed."))
    return _to_invoice(invoice)


@require_POST
@staff_view
def invoice_issue(request: StaffRequest, public_id: UUID) -> HttpResponse:
    invoice = _invoice(request, public_id)
    try:
        issued = services.invoice_issue(invoice=invoice, by=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Issued as %(reference)s.") % {"reference": issued.reference})
    return _to_invoice(invoice)


@require_POST
@staff_view
def payment_take(request: StaffRequest, public_id: UUID) -> HttpResponse:
    invoice = _invoice(request, public_id)
    form = PaymentForm(request.POST, currency=invoice.currency)
    if not form.is_valid():
        return _invoice_page(request, invoice, payment_form=form)
    data = form.cleaned_data
    try:
        payment = services.payment_take(
            location=invoice.location,
            client=invoice.client,
            amount=data["money"],
            method=data["method"],
            by=_user(request),
            key=f"desk-{invoice.public_id}-{data['key']}",
            invoice=invoice,
            purpose=_purpose(invoice),
            note=data["note"],
        )
    except DomainError as error:
        refuse(form, error)
        return _invoice_page(request, invoice, payment_form=form)
    messages.success(
        request,
        _("Took %(amount)s (%(method)s).")
        % {
            "amount": _amount(payment.amount_minor, payment.currency),
            "method": payment.get_method_display().lower(),
        },
    )
    return _to_invoice(invoice)


def _purpose(invoice: Invoice) -> str:
    """What a payment on the invoice is for: its fee's, when it is a fee's invoice."""
    purposes = set(invoice.lines.values_list("purpose", flat=True))
    return purposes.pop() if len(purposes) == 1 else Purpose.BALANCE


@require_POST
@staff_view
def refund(request: StaffRequest, public_id: UUID) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.filter(
            organisation_id=request.staff.organisation_id,
            location__in=visible_locations(request.staff),
            kind=PaymentKind.PAYMENT,
            invoice__isnull=False,
        ).select_related("invoice"),
        public_id=public_id,
    )
    invoice = _invoice(request, payment.invoice.public_id)  # type: ignore[union-attr]
    form = RefundForm(request.POST, currency=invoice.currency, auto_id=f"refund{payment.pk}_%s")
    if not form.is_valid():
        return _invoice_page(request, invoice, refund_form=(payment.pk, form))
    data = form.cleaned_data
    if data["money"].currency != payment.currency:
        form.add_error("amount", _("This payment was in %(c)s.") % {"c": payment.currency})
        return _invoice_page(request, invoice, refund_form=(payment.pk, form))
    try:
        made = services.refund_make(
            payment=payment,
            amount_minor=data["money"].minor,
            to_credit=data["to"] == RefundForm.TO_CREDIT,
            reason=data["reason"],
            by=_user(request),
            key=f"desk-{payment.public_id}-{data['key']}",
        )
    except DomainError as error:
        refuse(form, error)
        return _invoice_page(request, invoice, refund_form=(payment.pk, form))
    made = _sent(made)
    said = _refund_said(made)
    if made.status == PaymentStatus.SUCCEEDED:
        messages.success(request, said)
    else:
        messages.error(request, said)
    return _to_invoice(invoice)


@require_POST
@staff_view
def credit_note(request: StaffRequest, public_id: UUID) -> HttpResponse:
    invoice = _invoice(request, public_id)
    form = CreditNoteForm(request.POST, currency=invoice.currency)
    if not form.is_valid():
        return _invoice_page(request, invoice, credit_form=form)
    data = form.cleaned_data
    if data["money"].currency != invoice.currency:
        form.add_error("amount", _("This invoice is in %(c)s.") % {"c": invoice.currency})
        return _invoice_page(request, invoice, credit_form=form)
    try:
        note = services.credit_note_issue(
            invoice=invoice,
            amount_minor=data["money"].minor,
            reason=data["reason"],
            by=_user(request),
            credited_seen=data["credited_seen"],
        )
    except DomainError as error:
        refuse(form, error)
        return _invoice_page(request, invoice, credit_form=form)
    messages.success(
        request,
        _("Credit note %(reference)s issued for %(amount)s.")
        % {"reference": note.reference, "amount": _amount(note.total_minor, note.currency)},
    )
    return _to_invoice(note)


@staff_view
def invoice_pdf(request: StaffRequest, public_id: UUID) -> HttpResponse:
    invoice = _invoice(request, public_id)
    audit.record(Action.PRINTED, Target.INVOICE, invoice.public_id, client=invoice.client)
    response = HttpResponse(render_invoice_pdf(invoice), content_type="application/pdf")
    name = invoice.reference or f"draft-{invoice.public_id}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return no_store(response)


@require_POST
@staff_view
def invoice_email(request: StaffRequest, public_id: UUID) -> HttpResponse:
    invoice = _invoice(request, public_id)
    try:
        address = services.invoice_send(invoice=invoice, by=_user(request))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(reference)s is on its way to %(address)s.")
            % {"reference": invoice.reference, "address": address},
        )
    return _to_invoice(invoice)


# ---- the day's cash-up -----------------------------------------------------------------------


def _location(request: StaffRequest, slug: str) -> Location:
    return get_object_or_404(visible_locations(request.staff), slug=slug)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise Http404("Not a date.") from error


@staff_view
def cash_ups(request: StaffRequest) -> HttpResponse:
    """Each location's today to close, and the days closed lately."""
    locations = visible_locations(request.staff).order_by("name")
    if "on" in request.GET and "location" in request.GET:
        location = _location(request, request.GET["location"])
        try:
            on = date.fromisoformat(request.GET["on"])
        except ValueError:
            messages.error(request, _("Please choose a date."))
            return redirect("money:cash_ups")
        return redirect("money:cash_up", slug=location.slug, day=on.isoformat())
    context = {
        "nav": "home",
        "today": [(location, local_today(location)) for location in locations],
        "closed": CashUp.objects.filter(location__in=locations)
        .select_related("location", "closed_by")
        .order_by("-day", "location__name")[:RECENT_CASH_UPS],
    }
    return no_store(render(request, "payments/cash_ups.html", context))


@staff_view
def cash_up(request: StaffRequest, slug: str, day: str) -> HttpResponse:
    location = _location(request, slug)
    return _cash_up_page(request, location, _day(day))


def _cash_up_page(
    request: StaffRequest, location: Location, day: date, form: CashUpForm | None = None
) -> HttpResponse:
    currency = location.organisation.currency
    closed = CashUp.objects.filter(location=location, day=day).select_related("closed_by").first()
    taken = takings_rows(closed.takings if closed else services.takings(location, day))
    expected = next(row.amount for row in taken if row.method == Method.CASH)
    context = {
        "nav": "home",
        "location": location,
        "day": day,
        "today": local_today(location),
        "currency": currency,
        "closed": closed,
        "takings": taken,
        "expected": expected,
        "card_online": next(row.amount for row in taken if row.method == Method.CARD_ONLINE),
        "payments": day_payments(location, day)
        .select_related("client", "invoice", "taken_by")
        .order_by("taken_at", "pk"),
        "form": form
        or CashUpForm(currency=currency, initial={"counted": _typed(expected, currency)}),
    }
    return no_store(render(request, "payments/cash_up.html", context))


@require_POST
@staff_view
def cash_up_close(request: StaffRequest, slug: str, day: str) -> HttpResponse:
    location = _location(request, slug)
    on = _day(day)
    form = CashUpForm(request.POST, currency=location.organisation.currency)
    if not form.is_valid():
        return _cash_up_page(request, location, on, form)
    try:
        closed = services.cash_up_close(
            location=location,
            day=on,
            counted_cash=form.cleaned_data["money"],
            notes=form.cleaned_data["notes"],
            by=_user(request),
        )
    except DomainError as error:
        if error.code == "day_closed":  # by someone else meanwhile: show what they closed
            messages.error(request, error.message)
            return redirect("money:cash_up", slug=location.slug, day=on.isoformat())
        refuse(form, error, {"counted_cash": "counted"})
        return _cash_up_page(request, location, on, form)
    messages.success(
        request,
        _("The day is closed: %(counted)s counted, %(difference)s.")
        % {
            "counted": _amount(closed.counted_cash_minor, closed.currency),
            "difference": difference_said(closed.cash_difference_minor, closed.currency),
        },
    )
    return redirect("money:cash_up", slug=location.slug, day=on.isoformat())


@require_POST
@staff_view
def instalments(request: StaffRequest, public_id: UUID) -> HttpResponse:
    invoice = _invoice(request, public_id)
    form = InstalmentsForm(request.POST)
    if not form.is_valid():
        return _invoice_page(request, invoice, instalments_form=form)
    data = form.cleaned_data
    try:
        planned = charges.instalments_plan(
            invoice=invoice,
            count=data["count"],
            first_due_on=data["first_due_on"],
            every_days=data["every_days"],
            purpose=_purpose(invoice),
            by=_user(request),
        )
    except DomainError as error:
        refuse(form, error)
        return _invoice_page(request, invoice, instalments_form=form)
    messages.success(
        request,
        _("The balance is charged to the saved card in %(count)s instalments.")
        % {"count": len(planned)},
    )
    return _to_invoice(invoice)


@require_POST
@staff_view
def charge_cancel(request: StaffRequest, public_id: UUID, charge_id: int) -> HttpResponse:
    invoice = _invoice(request, public_id)
    charge = get_object_or_404(invoice.scheduled_charges, pk=charge_id)
    form = ChargeCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the charge is cancelled."))
        return _to_invoice(invoice)
    try:
        charges.charge_cancel(charge=charge, by=_user(request), reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
        return _to_invoice(invoice)
    messages.success(request, _("The charge is cancelled."))
    return _to_invoice(invoice)
