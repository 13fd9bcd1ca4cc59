"""The client portal: sign in by an emailed link, then see and manage one's own records."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import PORTAL_CLIENT_KEY as SESSION_KEY
from needlepoint.accounts.access import no_store
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.models import Client, MarketingConsent
from needlepoint.clients.newsletter import (
    newsletter_confirm,
    newsletter_recipients,
    newsletter_sign_up,
    newsletter_unsubscribe,
    newsletter_wording,
)
from needlepoint.clients.services import client_update, questionnaire_submit
from needlepoint.clinical.aftercare import aftercare
from needlepoint.clinics.models import Organisation
from needlepoint.core.errors import DomainError
from needlepoint.core.languages import choices as language_choices
from needlepoint.core.throttle import client_address, hit, limit_posts
from needlepoint.memberships.queries import client_memberships
from needlepoint.packages.queries import client_packages
from needlepoint.privacy.export import client_data
from needlepoint.public import mail
from needlepoint.public.forms import HealthForm, health_initial
from needlepoint.public.language import remember
from needlepoint.public.links import link_gone
from needlepoint.public.portal import portal_link_create, portal_link_use
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.courses import course_progress
from needlepoint.scheduling.links import booking_link
from needlepoint.treatments.queries import client_record

IDLE_SECONDS = 30 * 60

PortalView = Callable[..., HttpResponse]


class SignInForm(forms.Form):
    email = forms.EmailField(max_length=254, label=gettext_lazy("Your email"))


def _organisation(org: str) -> Organisation:
    return get_object_or_404(Organisation, slug=org)


def portal_client(request: HttpRequest, organisation: Organisation) -> Client | None:
    """The client signed in to this organisation's portal in this browser, if any."""
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    # An erased client's portal session ends with the erasure (privacy/erasure.py).
    return Client.objects.filter(pk=pk, organisation=organisation, anonymised_at=None).first()


def signed_in(view: PortalView) -> PortalView:
    @wraps(view)
    def wrapper(request: HttpRequest, org: str, *args: Any, **kwargs: Any) -> HttpResponse:
        organisation = _organisation(org)
        client = portal_client(request, organisation)
        if client is None:
            return redirect("public:portal_sign_in", org)
        request.session.set_expiry(IDLE_SECONDS)
        if request.method == "GET" and view.__name__ != "data":
            audit.record(Action.VIEWED, Target.CLIENT, client.public_id, client=client)
        return no_store(view(request, organisation, client, *args, **kwargs))

    return wrapper


def sign_in(request: HttpRequest, org: str) -> HttpResponse:
    organisation = _organisation(org)
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        # Past a limit the answer stays the same and nothing is sent: it reveals no address.
        limited = hit("portal_link_address", client_address(request)) or hit(
            "portal_link_email", email.strip().lower()
        )
        made = None if limited else portal_link_create(organisation=organisation, email=email)
        if made is not None:
            client, token = made
            path = reverse("public:portal_link", args=[organisation.slug, token])
            mail.portal_sign_in(client, request.build_absolute_uri(path))
        context = {"organisation": organisation, "email": email}
        return render(request, "public/portal_check_inbox.html", context)
    return render(
        request, "public/portal_sign_in.html", {"organisation": organisation, "form": form}
    )


@limit_posts("portal_link_address")
def use_link(request: HttpRequest, org: str, token: str) -> HttpResponse:
    """A button first: a mail scanner opening the link must not use it up."""
    organisation = _organisation(org)
    if request.method == "POST":
        try:
            client = portal_link_use(token=token, organisation=organisation)
        except DomainError as error:
            return link_gone(request, error)
        request.session.cycle_key()
        request.session[SESSION_KEY] = client.pk
        request.session.set_expiry(IDLE_SECONDS)
        if client.language:  # their pages in their own language from now on
            remember(request, client.language)
        audit.record(Action.SIGNED_IN, Target.ACCOUNT, client.public_id, client=client)
        return redirect("public:portal", org)
    return no_store(render(request, "public/portal_use_link.html", {"organisation": organisation}))


@require_POST
def sign_out(request: HttpRequest, org: str) -> HttpResponse:
    request.session.flush()
    return redirect("public:portal_sign_in", org)


@signed_in
def home(request: HttpRequest, organisation: Organisation, client: Client) -> HttpResponse:
    now = timezone.now()
    bookings = list(client.bookings.select_related("service", "location").order_by("-starts_at"))
    for booking in bookings:
        booking.local_start = booking.starts_at.astimezone(booking.location.zone)  # type: ignore[attr-defined]
    upcoming = [
        (b, booking_link(b))
        for b in reversed(bookings)
        if b.status == BookingStatus.BOOKED and b.ends_at >= now
    ]
    past = [b for b in bookings if b.starts_at < now or b.status != BookingStatus.BOOKED]
    record = client_record(client)
    last_session = record.sessions[0] if record.sessions else None
    today = timezone.localdate()
    context = {
        "organisation": organisation,
        "client": client,
        "upcoming": upcoming,
        "past": past[:20],
        "next_sessions": record.next_sessions,
        "courses": [
            (course, course_progress(course)) for course in client.courses.select_related("service")
        ],
        "last_session": last_session,
        "aftercare": aftercare(
            last_session.performed_on, today, tuple(z.zone for z in last_session.zones.all())
        )
        if last_session
        else [],
        "screening": record.latest_screening,
        "packages": [row for row in client_packages(client) if row.is_open],
        "newsletter": _newsletter(client),
        "newsletter_wording": newsletter_wording(organisation),
        "channel_choices": Client._meta.get_field("message_channel").choices,
        "memberships": client_memberships(client, today),
        "languages": language_choices(organisation.offered_languages()),
    }
    return render(request, "public/portal_home.html", context)


def _newsletter(client: Client) -> MarketingConsent | None:
    return newsletter_recipients(client.organisation).filter(address=client.email).first()


@signed_in
def health(request: HttpRequest, organisation: Organisation, client: Client) -> HttpResponse:
    rules = organisation.rules()
    zones = [(key, zone.name) for key, zone in rules.zones.items()]
    latest = client.questionnaires.order_by("-version").first()
    today = timezone.localdate()
    form = HealthForm(
        request.POST or None,
        rules=rules,
        area_zones=zones,
        today=today,
        initial=health_initial(latest.answers) if latest else {},
    )
    if request.method == "POST" and form.is_valid():
        try:
            screening = questionnaire_submit(
                client=client,
                answers=form.answers(),
                answered_on=today,
                source=SubmissionSource.PORTAL,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you: your medical history is updated. %(outcome)s")
                % {"outcome": _screening_sentence(screening)},
            )
            return redirect("public:portal", organisation.slug)
    context = {
        "organisation": organisation,
        "client": client,
        "form": form,
        "returning": latest is not None,
    }
    return render(request, "public/portal_health.html", context)


def _screening_sentence(screening: Any) -> str:
    return {
        "cleared": _("Nothing in it stops your treatment."),
        "needs_review": _("A practitioner will look at your answers before your next treatment."),
        "deferred": _("Some treatments need to wait: the clinic will be in touch."),
        "declined": _("The clinic will contact you about your treatment."),
    }[screening.outcome]


@signed_in
@require_POST
def message_channel(
    request: HttpRequest, organisation: Organisation, client: Client
) -> HttpResponse:
    """How the client wants reminders and aftercare: email, text, or both."""
    try:
        client_update(client=client, message_channel=request.POST.get("channel", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved: that is how we will reach you."))
    return redirect("public:portal", organisation.slug)


@signed_in
@require_POST
def newsletter(request: HttpRequest, organisation: Organisation, client: Client) -> HttpResponse:
    """From the portal the address is already proven by the sign-in link: no second email."""
    current = _newsletter(client)
    if request.POST.get("subscribe") == "yes" and current is None:
        consent = newsletter_sign_up(
            organisation=organisation, email=client.email, source="client portal"
        )
        newsletter_confirm(consent=consent)
        messages.success(request, _("You're subscribed to the newsletter."))
    elif request.POST.get("subscribe") == "no" and current is not None:
        newsletter_unsubscribe(consent=current)
        messages.success(request, _("You're unsubscribed from the newsletter."))
    return redirect("public:portal", organisation.slug)


@signed_in
def data(request: HttpRequest, organisation: Organisation, client: Client) -> HttpResponse:
    audit.record(Action.EXPORTED, Target.CLIENT, client.public_id, client=client)
    body = json.dumps(client_data(client), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response
