"""What a client of the clinic sees: the location's page, online booking, booking links."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import lru_cache
from html import escape
from itertools import groupby
from uuid import UUID, uuid4

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import no_store
from needlepoint.clients.models import Client, Screening
from needlepoint.clients.newsletter import newsletter_wording
from needlepoint.clinics.clinical_wording import rule_text
from needlepoint.clinics.models import Location
from needlepoint.clinics.queries import location_statuses
from needlepoint.consents.models import SignedConsent
from needlepoint.consents.services import consents_due
from needlepoint.core import plain_sql
from needlepoint.core.errors import DomainError
from needlepoint.core.templatetags.reader_dates import reader_date
from needlepoint.core.throttle import limit_posts
from needlepoint.packages import online as package_online
from needlepoint.packages.models import PackageOffer
from needlepoint.payments import gateway, online
from needlepoint.public import mail
from needlepoint.public.flow import (
    Draft,
    answers_submit,
    may_book,
    screen_for_visit,
)
from needlepoint.public.forms import (
    AcceptForm,
    CodeForm,
    DetailsForm,
    HealthForm,
    health_initial,
)
from needlepoint.public.links import from_booking_link
from needlepoint.public.newsletter_views import SignUpForm
from needlepoint.public.portal_views import portal_client
from needlepoint.public.queries import public_location
from needlepoint.public.services import online_booking_confirm, online_request_record
from needlepoint.public.verification import email_code_check, email_code_create
from needlepoint.scheduling.choices import BookingStatus, Channel, ServiceKind
from needlepoint.scheduling.ics import booking_calendar
from needlepoint.scheduling.links import booking_link
from needlepoint.scheduling.models import Booking, Service
from needlepoint.scheduling.queries import available_slots
from needlepoint.scheduling.services import booking_cancel, booking_reschedule
from needlepoint.scheduling.slots import Slot

DAYS_SHOWN = 7  # the day strip of the times page
LOOK_AHEAD_DAYS = 60  # how far the times page looks for the first free day


def _services(location: Location) -> list[Service]:
    return list(
        Service.objects.filter(location=location, is_active=True, bookable_online=True).order_by(
            "kind", "name"
        )
    )


def _service(location: Location, service_id: int | None) -> Service:
    if service_id is None:
        raise Http404("No service chosen.")
    return _offered(location, pk=service_id)


def _offered(
    location: Location, *, pk: int | None = None, public_id: UUID | None = None
) -> Service:
    """A service booked online here: by ``pk`` from the draft, by ``public_id`` from a link.

    Plain SQL, as ``public_location``: the times page reads it on every request."""
    column, value = (
        ("id", pk) if public_id is None else ("public_id", plain_sql.uuid_value(public_id))
    )
    found = plain_sql.rows(
        f"SELECT {plain_sql.columns(Service, 'sv')} FROM scheduling_service sv"
        f" WHERE sv.location_id = %s AND sv.is_active AND sv.bookable_online AND sv.{column} = %s",
        [location.pk, value],
    )
    if not found:
        raise Http404("No such service here.")
    service = plain_sql.instance(Service, found[0])
    service.location = location
    return service


def location_page(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    status = location_statuses(Location.objects.filter(pk=location.pk), timezone.now())[0]
    context = {
        "location": location,
        "status": status,
        "services": _services(location),
        "newsletter_form": SignUpForm(),
        "newsletter_wording": newsletter_wording(location.organisation),
    }
    return render(request, "public/location.html", context)


@cache_control(max_age=300, public=True)
def widget(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    """A script a clinic pastes into its own site: a "Book online" button to this flow.

    It needs no exception to the Content Security Policy or X-Frame-Options: the clinic's page
    loads it with <script src> (headers on a script response don't apply there), and the link
    opens the booking pages in a new tab, never in a frame, so they keep frame-ancestors 'none'.
    """
    location = public_location(org, loc)
    url = request.build_absolute_uri(reverse("public:services", args=[org, loc]))
    context = {
        "url_json": json.dumps(url),
        "label_json": json.dumps(_("Book online at %(location)s") % {"location": location.name}),
    }
    body = render(request, "public/widget.js", context).content
    return HttpResponse(body, content_type="text/javascript; charset=utf-8")


def choose_service(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    context = {"location": location, "services": _services(location), "step": 1}
    return render(request, "public/services.html", context)


def _days(slots: list[Slot], location: Location) -> dict[date, list[tuple[datetime, Slot]]]:
    local = [(slot.start.astimezone(location.zone), slot) for slot in slots]
    return {day: list(group) for day, group in groupby(local, key=lambda pair: pair[0].date())}


def _free(service: Service, first: date, last: date, client: Client | None) -> list[Slot]:
    return available_slots(
        service, first, last, now=timezone.now(), channel=Channel.ONLINE, client=client
    )


def _draft_client(draft: Draft, location: Location) -> Client | None:
    if draft.client_id is None:
        return None
    return Client.objects.filter(pk=draft.client_id, organisation=location.organisation).first()


def _parse_day(text: str | None, fallback: date) -> date:
    try:
        return date.fromisoformat(text) if text else fallback
    except ValueError:
        return fallback


@limit_posts("booking")
def times(request: HttpRequest, org: str, loc: str, service_id: UUID) -> HttpResponse:
    """The free times of a service, a week at a time; picking one moves to the next step."""
    location = public_location(org, loc)
    service = _offered(location, public_id=service_id)
    draft = Draft.load(request.session, location)
    client = _draft_client(draft, location)
    if request.method == "POST":
        chosen = _chosen_slot(request, service, client)
        if chosen is not None:
            draft.service_id, draft.starts_at = service.pk, chosen.start
            draft.screening_id = None
            draft.money_forget()
            draft.save(request.session, location)
            return redirect(_next_step(draft, location))
        messages.error(request, _("Sorry, that time is no longer free. Please pick another."))
    context = {"location": location, "step": 2} | _week_of_times(request, service, client)
    template = "public/_times.html" if request.htmx else "public/times.html"  # type: ignore[attr-defined]
    return no_store(render(request, template, context))


def _week_of_times(
    request: HttpRequest, service: Service, client: Client | None
) -> dict[str, object]:
    """A week of days with how many free times each has, and the times of the chosen day.

    Without a ``from`` day the week opens on the first day with a free time. A ``from`` day
    past the booking horizon opens the horizon's week (there are no times beyond it).
    """
    location = service.location
    today = location.local_now().date()
    horizon = today + timedelta(days=location.booking_horizon_days)
    first = min(max(_parse_day(request.GET.get("from"), today), today), horizon)
    last = first + timedelta(days=LOOK_AHEAD_DAYS)
    opening = request.GET.get("from") is None
    # Only the days shown are searched (a fortnight when the week opens on the first day
    # with a free time); the whole look-ahead only when that day is further off.
    searched = min(first + timedelta(days=(2 if opening else 1) * DAYS_SHOWN - 1), last)
    by_day = _days(_free(service, first, searched, client), location)
    if opening and (not by_day or min(by_day) >= first + timedelta(days=DAYS_SHOWN)):
        searched = last
        by_day = _days(_free(service, first, last, client), location)
    if opening and by_day:
        first = min(by_day)
    strip = [first + timedelta(days=n) for n in range(DAYS_SHOWN)]
    selected = _parse_day(request.GET.get("day"), next((d for d in strip if d in by_day), first))
    if searched < selected <= last:  # a day asked for beyond the days shown
        by_day |= _days(_free(service, selected, selected, client), location)
    counts = [(day, len(by_day.get(day, []))) for day in strip]
    # Each free time as its button's value and label, on the location's clock.
    times = [
        (slot.start.isoformat(), local.strftime("%H:%M"))
        for local, slot in by_day.get(selected, [])
    ]
    return {
        "service": service,
        "strip_days": _strip_days(counts, first, selected),
        "selected": selected,
        "times": times,
        "time_buttons": _time_buttons(times),
        "previous": first - timedelta(days=DAYS_SHOWN) if first > today else None,
        "next": first + timedelta(days=DAYS_SHOWN),
        "first": first,
    }


# The day strip's links and the time buttons of public/_times.html, written out here: in
# the template they were most of the times page's rendering. Each keeps the template's
# layout, so the page is the same to the byte; every value is escaped as it would be there.
STRIP_DAY = (
    '\n      <li><a href="?from={first}&amp;day={day}"'
    '\n        hx-get="?from={first}&amp;day={day}" hx-target="#times" hx-swap="outerHTML"'
    ' hx-push-url="true"'
    '\n        class="day{selected}{full}"'
    "\n        {current}>"
    '\n        <span class="weekday">{weekday}</span> <span class="date">{date}</span>'
    '\n        <span class="count">{count}</span>'
    "\n      </a></li>"
    "\n      "
)
TIME_BUTTON = '\n      <button type="submit" name="start" value="{}" class="time">{}</button>\n    '


def _strip_days(strip: list[tuple[date, int]], first: date, selected: date) -> SafeString:
    """The strip's days, each linking to its times, with how many free times it has."""
    language = get_language()
    return mark_safe(
        "".join(
            STRIP_DAY.format(
                first=first.isoformat(),
                day=day.isoformat(),
                selected=" selected" if day == selected else "",
                full="" if count else " full",
                current='aria-current="date"' if day == selected else "",
                count=_count_label(count, language),
                **_day_labels(day, language),
            )
            for day, count in strip
        )
    )


def _time_buttons(times: list[tuple[str, str]]) -> SafeString:
    return mark_safe("".join(TIME_BUTTON.format(escape(v), escape(label)) for v, label in times))


# A week's strip repeats the same few labels: each is worked out once per language (the
# active one, passed in as the cache's key).
@lru_cache(maxsize=2048)
def _day_labels(day: date, language: str) -> dict[str, str]:
    return {"weekday": escape(date_format(day, "D")), "date": escape(reader_date(day, "short"))}


@lru_cache(maxsize=1024)
def _count_label(count: int, language: str) -> str:
    if not count:  # as {% translate %} wrote it: escaped
        return escape(pgettext("no free times on a day", "none"))
    # as {% blocktranslate %} wrote it: the translation as it is, the number escaped
    counted = ngettext("%(counter)s time", "%(counter)s times", count)
    return counted % {"counter": escape(localize(count))}


def _chosen_slot(request: HttpRequest, service: Service, client: Client | None) -> Slot | None:
    try:
        start = datetime.fromisoformat(request.POST.get("start", ""))
    except ValueError:
        return None
    if start.tzinfo is None:
        return None
    day = start.astimezone(service.location.zone).date()
    return next((slot for slot in _free(service, day, day, client) if slot.start == start), None)


def _next_step(draft: Draft, location: Location) -> str:
    args = [location.organisation.slug, location.slug]
    if draft.details is None:
        return reverse("public:details", args=args)
    if not draft.verified:
        return reverse("public:verify", args=args)
    if draft.client_id is None:
        return reverse("public:health", args=args)
    return reverse("public:outcome", args=args)


def _require_time(draft: Draft, location: Location) -> Service:
    if draft.service_id is None or draft.starts_at is None:
        raise Http404("Choose a time first.")
    return _service(location, draft.service_id)


@limit_posts("booking")
def details(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    draft = Draft.load(request.session, location)
    if draft.service_id is None or draft.starts_at is None:
        return redirect("public:services", org, loc)
    service = _require_time(draft, location)
    known = portal_client(request, location.organisation)
    if known is not None and draft.details is None:  # signed in to the portal: we know them
        draft.details = {
            "first_name": known.first_name,
            "last_name": known.last_name,
            "email": known.email,
            "phone": known.phone,
            "date_of_birth": known.date_of_birth.isoformat(),
        }
        draft.verified_email = known.email  # the portal's sign-in link proved it
        draft.save(request.session, location)
        return redirect(_next_step(draft, location))
    today = location.local_now().date()
    form = DetailsForm(request.POST or None, today=today, initial=draft.details or {})
    if request.method == "POST" and form.is_valid():
        if draft.details != form.stored():
            draft.client_id = draft.screening_id = None
            draft.money_forget()
        draft.details = form.stored()
        draft.save(request.session, location)
        if not draft.verified:
            _send_code(request, draft, location)
        return redirect(_next_step(draft, location))
    context = _summary(location, service, draft) | {"form": form, "step": 3}
    return no_store(render(request, "public/details.html", context))


def _send_code(request: HttpRequest, draft: Draft, location: Location) -> bool:
    """Email a new code to the draft's address; the same for every address (it reveals
    nobody), refused only past the per-address rate."""
    assert draft.details is not None
    email = draft.details["email"]
    try:
        code = email_code_create(
            request.session, organisation=location.organisation, email=email, now=timezone.now()
        )
    except DomainError as error:
        messages.error(request, error.message)
        return False
    mail.email_code(location, email, code)
    return True


@limit_posts("booking")
def verify(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    """The code we emailed: proof that the address given is the client's own."""
    location = public_location(org, loc)
    draft = Draft.load(request.session, location)
    if draft.starts_at is None or draft.details is None:
        return redirect("public:services", org, loc)
    if draft.verified:
        return redirect(_next_step(draft, location))
    service = _require_time(draft, location)
    if request.POST.get("action") == "resend":
        if _send_code(request, draft, location):
            messages.success(request, _("A new code is on its way."))
        return redirect("public:verify", org, loc)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            email_code_check(
                request.session,
                organisation=location.organisation,
                email=draft.details["email"],
                code=form.cleaned_data["code"],
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_error("code", error.message)
        else:
            request.session.cycle_key()  # as at any sign-in: a planted session id gains nothing
            draft.verified_email = draft.details["email"]
            draft.save(request.session, location)
            return redirect(_next_step(draft, location))
    context = _summary(location, service, draft) | {
        "form": form,
        "email": draft.details["email"],
        "step": 3,
    }
    return no_store(render(request, "public/verify.html", context))


def _summary(location: Location, service: Service, draft: Draft) -> dict[str, object]:
    assert draft.starts_at is not None
    return {
        "location": location,
        "service": service,
        "starts_at": draft.starts_at.astimezone(location.zone),
    }


@limit_posts("booking")
def health(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    draft = Draft.load(request.session, location)
    if draft.starts_at is None or draft.details is None:
        return redirect("public:services", org, loc)
    if not draft.verified:
        return redirect("public:verify", org, loc)
    service = _require_time(draft, location)
    rules = location.organisation.rules()
    area_zones = (
        [(zone, rule_text(rules.zone(zone).name)) for zone in rules.zones_of([service.area])]
        if service.area
        else []
    )
    today = location.local_now().date()
    known = portal_client(request, location.organisation)
    latest = known.questionnaires.order_by("-version").first() if known else None
    form = HealthForm(
        request.POST or None,
        rules=rules,
        area_zones=area_zones,
        today=today,
        initial=health_initial(latest.answers) if latest else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = answers_submit(
                location=location,
                service=service,
                details=draft.details | {"language": get_language()},  # the pages' language
                answers=form.answers(),
                visit_on=draft.starts_at.astimezone(location.zone).date(),
                today=today,
            )
        except DomainError as error:
            if error.code == "details_mismatch":
                messages.error(request, error.message)
                return redirect("public:details", org, loc)
            form.add_error(None, error.message)
        else:
            draft.client_id, draft.screening_id = screening.client_id, screening.pk
            draft.save(request.session, location)
            if screening.outcome == "needs_review":
                online_request_record(
                    screening=screening, service=service, starts_at=draft.starts_at
                )
            return redirect("public:outcome", org, loc)
    context = _summary(location, service, draft) | {
        "form": form,
        "step": 4,
        "returning": latest is not None,
    }
    return no_store(render(request, "public/health.html", context))


def _screened_visit(
    request: HttpRequest, location: Location
) -> tuple[Draft, Client, Service, Screening] | None:
    """The draft's client, service and the screening of their history for the visit's day
    (screened again when the day has changed); none until the client is known."""
    draft = Draft.load(request.session, location)
    client = _draft_client(draft, location)
    if client is None or draft.starts_at is None:
        return None
    service = _require_time(draft, location)
    visit_on = draft.starts_at.astimezone(location.zone).date()
    screening = (
        Screening.objects.filter(pk=draft.screening_id, client=client).first()
        if draft.screening_id is not None
        else None
    )
    if screening is None or screening.screened_on != visit_on:
        screening = screen_for_visit(client, service, visit_on)
        draft.screening_id = screening.pk
        draft.save(request.session, location)
    return draft, client, service, screening


@limit_posts("booking")
def outcome(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    """The screening's answer for the chosen visit; when cleared, what it costs, the
    cancellation policy to accept and the button that books it (or goes on to the card)."""
    location = public_location(org, loc)
    visit = _screened_visit(request, location)
    if visit is None:
        return redirect("public:services", org, loc)
    draft, client, service, screening = visit
    bookable = may_book(service, screening)
    courses = package_online.online_offers(service) if bookable else []
    if request.method == "POST":  # a course chosen, or just this visit
        chosen = request.POST.get("course", "")
        draft.package_offer = chosen if any(str(c.public_id) == chosen for c in courses) else ""
    terms = _terms(service, draft, courses) if bookable else None
    posted = request.POST if request.method == "POST" else None  # bound even when empty
    # with a course on offer the policy is shown and ticked whichever the client chooses
    form = AcceptForm(posted, needed=bool(terms and (terms.to_accept or courses)))
    if request.method == "POST" and terms is not None and form.is_valid():
        if draft.card.get("for", "") != draft.package_offer:  # another price: a new charge
            draft.card = {k: v for k, v in draft.card.items() if k in ("ref", "customer")}
            draft.card["for"] = draft.package_offer
            draft.card["ref"] = uuid4().hex
        draft.accepted_at = timezone.now() if terms.to_accept else None
        draft.wording = terms.wording if terms.to_accept else ""
        draft.save(request.session, location)
        if terms.takes_card:
            return redirect("public:card", org, loc)
        return _book(request, location, draft, client, service)
    consultation = Service.objects.filter(
        location=location, kind=ServiceKind.CONSULTATION, is_active=True, bookable_online=True
    ).first()
    context = _summary(location, service, draft) | {
        "client": client,
        "screening": screening,
        "may_book": bookable,
        "needs_clearance": service.needs_clearance,
        "consultation": consultation,
        "terms": terms,
        "form": form,
        "card_step": bool(terms and terms.takes_card),
        "courses": courses,
        "chosen_course": draft.package_offer,
        "step": 5,
    }
    return no_store(render(request, "public/outcome.html", context))


def _terms(
    service: Service, draft: Draft, courses: list[PackageOffer] | None = None
) -> online.Terms:
    """The visit's own terms, or the course's the client chose (its full price by card)."""
    if draft.package_offer:
        offers = package_online.online_offers(service) if courses is None else courses
        chosen = next((c for c in offers if str(c.public_id) == draft.package_offer), None)
        if chosen is not None:
            return package_online.course_terms(chosen)
    return online.terms_for(service)


CARD_REFUSED = {"card_declined", "deposit_unpaid"}  # try another card
CARD_PROBLEMS = CARD_REFUSED | {"card_missing", "stripe_unreachable"}


def _book(
    request: HttpRequest, location: Location, draft: Draft, client: Client, service: Service
) -> HttpResponse:
    """Book the draft's visit with what the client accepted and paid; on to its page."""
    assert draft.starts_at is not None
    offer = next(
        (
            c
            for c in package_online.online_offers(service)
            if str(c.public_id) == draft.package_offer
        ),
        None,
    )
    try:
        if offer is not None:
            booking = package_online.package_buy_online(
                client=client,
                offer=offer,
                starts_at=draft.starts_at,
                setup_intent=draft.card.get("setup", ""),
                payment_intent=draft.card.get("payment", ""),
                wording=draft.wording,
                accepted_at=draft.accepted_at,
            )
        else:
            booking = online_booking_confirm(
                client=client,
                service=service,
                starts_at=draft.starts_at,
                wording=draft.wording,
                accepted_at=draft.accepted_at,
                setup_intent=draft.card.get("setup", ""),
                payment_intent=draft.card.get("payment", ""),
            )
    except DomainError as error:
        messages.error(request, error.message)
        args = [location.organisation.slug, location.slug]
        if error.code in CARD_PROBLEMS:
            if error.code in CARD_REFUSED:
                draft.card_again()
                draft.save(request.session, location)
            return redirect("public:card", *args)
        draft.money_forget()  # a deposit paid for it was refunded: a new time pays anew
        draft.save(request.session, location)
        return redirect("public:times", *args, service.public_id)
    Draft.clear(request.session, location)
    return redirect(booking_link(booking))


@limit_posts("booking")
def card(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    """The card step: the client types their card into Stripe's own field (Stripe.js), to
    pay the deposit or to leave the card for fees; then the visit is booked.

    Only when the organisation has Stripe keys (``online.terms_for``): without them the
    confirm step books straight away and nothing is charged.
    """
    location = public_location(org, loc)
    visit = _screened_visit(request, location)
    if visit is None:
        return redirect("public:services", org, loc)
    draft, client, service, screening = visit
    terms = _terms(service, draft)
    if not (may_book(service, screening) and terms.takes_card and draft.accepted_at):
        return redirect("public:outcome", org, loc)
    payment_secret = ""
    if request.method == "POST":
        try:
            payment_secret = _deposit_paid(request, location, draft, terms)
        except DomainError as error:
            messages.error(request, error.message)
            if error.code in CARD_REFUSED:
                draft.card_again()
                draft.save(request.session, location)
        else:
            if not payment_secret:
                return _book(request, location, draft, client, service)
    context = _summary(location, service, draft) | {
        "terms": terms,
        "payment_secret": payment_secret,
        "course": bool(draft.package_offer),
        "card_step": True,
        "step": 6,
        "stripe_js_url": settings.STRIPE_JS_URL,
    }
    try:
        context["setup"] = _card_step(request, location, draft, client)
    except DomainError as error:
        messages.error(request, error.message)
    response = no_store(render(request, "public/card.html", context))
    response._csp_update = gateway.card_page_csp()  # type: ignore[attr-defined]
    return response


def _card_step(
    request: HttpRequest, location: Location, draft: Draft, client: Client
) -> online.CardStep:
    """The SetupIntent the page's Stripe.js confirms: the draft's, or a new one. Stripe's
    idempotency keys are the draft's own reference, so a reload makes nothing twice."""
    if not draft.card.get("ref"):
        draft.card["ref"] = uuid4().hex
    step = online.card_step_start(
        client=client,
        customer=draft.card.get("customer", ""),
        setup_intent=draft.card.get("setup", ""),
        key=f"online-{draft.card['ref']}",
        attempt=int(draft.card.get("tries", "0")),
    )
    draft.card |= {"customer": step.customer, "setup": step.setup.stripe_id}
    draft.save(request.session, location)
    return step


def _deposit_paid(
    request: HttpRequest, location: Location, draft: Draft, terms: online.Terms
) -> str:
    """Charge the deposit to the card Stripe.js has just saved (once: a paid or pending
    charge is looked up, not made again). Returns the client secret when the bank asks
    the client to confirm in Stripe.js, else "" when there is nothing (more) to pay."""
    if not terms.pay_now.minor:
        return ""
    organisation = location.organisation
    intent = None
    if draft.card.get("payment"):
        intent = online.deposit_intent(
            organisation=organisation, payment_intent=draft.card["payment"]
        )
    if intent is None:
        intent = online.deposit_charge(
            organisation=organisation,
            setup_intent=draft.card.get("setup", ""),
            amount=terms.pay_now,
            key=f"online-{draft.card.get('ref', '')}-deposit",
        )
        draft.card["payment"] = intent.stripe_id
        draft.save(request.session, location)
    if intent.status == "requires_action":
        return intent.client_secret
    if not intent.succeeded:
        raise DomainError(
            "deposit_unpaid", intent.error or _("Your card was declined. Please try another.")
        )
    return ""


@from_booking_link
def booking_page(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    """The client's own view of a booking, reached from the link in their email."""
    return no_store(render(request, "public/booking.html", _booking_context(booking, token)))


def _booking_context(booking: Booking, token: str) -> dict[str, object]:
    location = booking.location
    now = timezone.now()
    window = timedelta(hours=location.late_cancellation_hours)
    active = booking.status == BookingStatus.BOOKED
    signable = booking.status in {BookingStatus.BOOKED, BookingStatus.CHECKED_IN}
    return {
        "booking": booking,
        "location": location,
        "token": token,
        "consents_due": consents_due(booking.client, booking.service) if signable else [],
        "consents_signed": SignedConsent.objects.filter(
            client=booking.client, form_version__form__services=booking.service
        ).select_related("form_version__form"),
        "starts_at": booking.starts_at.astimezone(location.zone),
        "changeable": booking.status == BookingStatus.BOOKED and booking.starts_at - now >= window,
        "active": active,
        "money": online.booking_money(booking),
    }


@require_POST
@limit_posts("booking")
@from_booking_link
def booking_cancel_view(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    context = _booking_context(booking, token)
    if not context["changeable"]:
        messages.error(request, _too_late(booking))
        return redirect("public:booking", token=token)
    booking_cancel(booking=booking, reason="Cancelled by the client online")
    messages.success(request, _("Your booking is cancelled. We have emailed you a confirmation."))
    return redirect("public:booking_cancelled", location=booking.location.public_id)


def _too_late(booking: Booking) -> str:
    location = booking.location
    hours = location.late_cancellation_hours
    if location.phone:
        return ngettext(
            "This booking is less than %(hours)d hour away, so it can no longer be changed "
            "online. Please call us on %(phone)s.",
            "This booking is less than %(hours)d hours away, so it can no longer be changed "
            "online. Please call us on %(phone)s.",
            hours,
        ) % {"hours": hours, "phone": location.phone}
    return ngettext(
        "This booking is less than %(hours)d hour away, so it can no longer be changed "
        "online. Please call us.",
        "This booking is less than %(hours)d hours away, so it can no longer be changed "
        "online. Please call us.",
        hours,
    ) % {"hours": hours}


def booking_cancelled(request: HttpRequest, location: str) -> HttpResponse:
    place = get_object_or_404(Location.objects.select_related("organisation"), public_id=location)
    return render(request, "public/cancelled.html", {"location": place})


@limit_posts("booking")
@from_booking_link
def booking_move(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    """Pick a new time for a booking, from the link in the client's email."""
    context = _booking_context(booking, token)
    if not context["changeable"]:
        messages.error(request, _too_late(booking))
        return redirect("public:booking", token=token)
    location, service = booking.location, booking.service
    service.location = location
    if request.method == "POST":
        chosen = _chosen_slot(request, service, booking.client)
        if chosen is not None:
            try:
                moved = booking_reschedule(
                    booking=booking, starts_at=chosen.start, channel=Channel.ONLINE
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Your booking has moved. We have emailed you the new details.")
                )
                return redirect(booking_link(moved))
        else:
            messages.error(request, _("Sorry, that time is no longer free. Please pick another."))
    context |= _week_of_times(request, service, booking.client)
    template = "public/_times.html" if request.htmx else "public/move.html"  # type: ignore[attr-defined]
    return no_store(render(request, template, context))


@from_booking_link
def booking_ics(request: HttpRequest, booking: Booking, token: str) -> HttpResponse:
    response = HttpResponse(booking_calendar(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    return no_store(response)
