"""The public gift voucher pages: buying one online (details, then the card step, then the
code), and checking a code's balance, limited per address and answering an unknown code
and a mistyped one alike, so the page tells a guesser nothing."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from needlepoint.accounts.access import no_store
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, Organisation
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.core.throttle import client_address, hit, limit_posts, too_many
from needlepoint.payments import gateway
from needlepoint.payments import online as card_online
from needlepoint.public.flow import client_for_details
from needlepoint.public.queries import public_location
from needlepoint.vouchers import services
from needlepoint.vouchers.forms import BuyForm, CheckForm
from needlepoint.vouchers.models import GiftVoucher

CARD_REFUSED = frozenset({"card_declined", "card_unpaid", "deposit_unpaid"})


def _draft_key(location: Location) -> str:
    return f"voucher-draft-{location.pk}"


def _draft(request: HttpRequest, location: Location) -> dict[str, Any] | None:
    draft = request.session.get(_draft_key(location))
    return draft if isinstance(draft, dict) else None


def _keep(request: HttpRequest, location: Location, draft: dict[str, Any]) -> None:
    request.session[_draft_key(location)] = draft


@limit_posts("booking")
def buy(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    organisation = location.organisation
    form = BuyForm(request.POST or None, currency=organisation.currency)
    if request.method == "POST" and form.is_valid() and card_online.sells_online(organisation):
        data = form.cleaned_data
        if not _details_match(location, data["email"], data["date_of_birth"]):
            # checked before the card is charged: the buyer's record is made after it
            form.add_error(
                "date_of_birth",
                _(
                    "These details don't match our records. Please check your date of "
                    "birth, or call the clinic."
                ),
            )
            return no_store(render(request, "vouchers/public/buy.html", _buy(location, form)))
        details = {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "email": data["email"].strip().lower(),
            "date_of_birth": data["date_of_birth"].isoformat(),
            "phone": "",
        }
        _keep(
            request,
            location,
            {
                "amount": data["money"].minor,
                "details": details,
                "recipient_name": data["recipient_name"],
                "message": data["message"],
                "ref": uuid4().hex,
            },
        )
        return redirect("vouchers_public:card", org, loc)
    return no_store(render(request, "vouchers/public/buy.html", _buy(location, form)))


def _buy(location: Location, form: BuyForm) -> dict[str, Any]:
    return {
        "location": location,
        "form": form,
        "on_sale": card_online.sells_online(location.organisation),
    }


def _details_match(location: Location, email: str, born: date) -> bool:
    """An email on file must come with its date of birth, as online booking asks."""
    on_file = Client.objects.filter(
        organisation_id=location.organisation_id, email=email.strip().lower()
    ).first()
    return on_file is None or on_file.date_of_birth == born


@limit_posts("booking")
def card(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    draft = _draft(request, location)
    if draft is None:
        return redirect("vouchers_public:buy", org, loc)
    organisation = location.organisation
    amount = Money(int(draft["amount"]), organisation.currency)
    payment_secret = ""
    if request.method == "POST":
        try:
            payment_secret = _paid(request, location, draft, amount)
            if not payment_secret:
                return _issue(request, location, draft)
        except DomainError as error:
            messages.error(request, error.message)
            if error.code in CARD_REFUSED:  # a new card: a new SetupIntent and charge
                draft |= {"setup": "", "payment": "", "ref": uuid4().hex}
                _keep(request, location, draft)
    context: dict[str, Any] = {
        "location": location,
        "amount": amount,
        "draft": draft,
        "payment_secret": payment_secret,
        "stripe_js_url": settings.STRIPE_JS_URL,
    }
    try:
        context["setup"] = _card_step(request, location, draft)
    except DomainError as error:
        messages.error(request, error.message)
    response = no_store(render(request, "vouchers/public/card.html", context))
    response._csp_update = gateway.card_page_csp()  # type: ignore[attr-defined]
    return response


def _card_step(
    request: HttpRequest, location: Location, draft: dict[str, Any]
) -> card_online.CardStep:
    details = draft["details"]
    step = card_online.buyer_card_step(
        organisation=location.organisation,
        email=details["email"],
        name=f"{details['first_name']} {details['last_name']}",
        customer=draft.get("customer", ""),
        setup_intent=draft.get("setup", ""),
        key=f"voucher-{draft['ref']}",
    )
    draft |= {"customer": step.customer, "setup": step.setup.stripe_id}
    _keep(request, location, draft)
    return step


def _paid(request: HttpRequest, location: Location, draft: dict[str, Any], amount: Money) -> str:
    """Charge the voucher's value to the card Stripe.js has just saved (once). Returns the
    client secret when the bank asks the buyer to confirm, else "" when it is paid."""
    organisation = location.organisation
    if draft.get("payment"):
        intent = card_online.deposit_intent(
            organisation=organisation, payment_intent=draft["payment"]
        )
    else:
        intent = card_online.deposit_charge(
            organisation=organisation,
            setup_intent=draft.get("setup", ""),
            amount=amount,
            key=f"voucher-{draft['ref']}-payment",
        )
        draft["payment"] = intent.stripe_id
        _keep(request, location, draft)
    if intent.status == "requires_action":
        return intent.client_secret
    if not intent.succeeded:
        raise DomainError(
            "card_unpaid", intent.error or _("Your card was declined. Please try another.")
        )
    return ""


def _issue(request: HttpRequest, location: Location, draft: dict[str, Any]) -> HttpResponse:
    """Stripe says it is paid: the buyer's record, the voucher, its email; then its code."""
    organisation = location.organisation
    paid = card_online.card_step_outcome(
        organisation=organisation,
        setup_intent=draft.get("setup", ""),
        payment_intent=draft.get("payment", ""),
    )
    assert paid.deposit is not None
    buyer = client_for_details(location, draft["details"] | {"language": get_language()})
    voucher = services.voucher_sell_online(
        location=location,
        buyer=buyer,
        intent=paid.deposit,
        recipient_name=draft.get("recipient_name", ""),
        message=draft.get("message", ""),
    )
    request.session.pop(_draft_key(location), None)
    request.session[f"voucher-bought-{location.pk}"] = str(voucher.public_id)
    return redirect("vouchers_public:thanks", location.organisation.slug, location.slug)


def thanks(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    bought = str(request.session.get(f"voucher-bought-{location.pk}", ""))
    voucher = (
        GiftVoucher.objects.filter(location=location, public_id=bought).first() if bought else None
    )
    if voucher is None:
        return redirect("vouchers_public:buy", org, loc)
    context = {"location": location, "voucher": voucher}
    return no_store(render(request, "vouchers/public/thanks.html", context))


def check(request: HttpRequest, org: str) -> HttpResponse:
    """A code's balance. Unknown, mistyped, used up, expired or cancelled: one answer."""
    organisation = get_object_or_404(Organisation, slug=org)
    form = CheckForm(request.POST or None)
    found: GiftVoucher | None = None
    answered = False
    if request.method == "POST":
        wait = hit("voucher_check", client_address(request))
        if wait:
            return too_many(request, wait)
        if form.is_valid():
            voucher = services.find(organisation, form.cleaned_data["code"])
            if voucher is not None and services.spendable(voucher, timezone.now()):
                found = voucher
            answered = True
    context = {
        "organisation": organisation,
        "location": organisation.locations.order_by("name").first(),
        "form": form,
        "found": found,
        "answered": answered,
        "no_match": services.no_match(),
    }
    return no_store(render(request, "vouchers/public/check.html", context))
