"""A planned message made into words at the moment it is sent, from what is true then.

Each kind has a text template (``notifications/<kind>.txt``, wrapped in one HTML layout
for email) and a short one for text messages (``notifications/sms/<kind>.txt``). The
links in them are made fresh at sending time.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from babel.dates import format_date, format_time
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from needlepoint.clients.models import Client, MarketingConsent, Screening
from needlepoint.clients.newsletter import confirm_token, newsletter_recipients, unsubscribe_token
from needlepoint.clinical.aftercare import aftercare
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.consents.models import SignedConsent
from needlepoint.consents.pdf import consent_pdf
from needlepoint.core.languages import long_date, reader_locale
from needlepoint.notifications.choices import Channel, MessageKind
from needlepoint.notifications.models import Campaign, Message, MessageWording
from needlepoint.scheduling.ics import booking_calendar
from needlepoint.scheduling.links import booking_link
from needlepoint.scheduling.models import Booking, Service, WaitlistOffer
from needlepoint.treatments.models import TreatmentSession


class NothingToSend(Exception):
    """The message no longer applies (its booking was deleted, say): it is cancelled."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str = ""
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


SUBJECTS = {
    MessageKind.BOOKING_CONFIRMED: gettext_noop("Your appointment is confirmed: %(when)s"),
    MessageKind.BOOKING_MOVED: gettext_noop("Your appointment has moved: %(when)s"),
    MessageKind.BOOKING_CANCELLED: gettext_noop("Your appointment on %(when)s is cancelled"),
    MessageKind.REMINDER: gettext_noop("Reminder: your appointment on %(when)s"),
    MessageKind.PRE_CARE: gettext_noop("Getting ready for your treatment on %(when)s"),
    MessageKind.AFTERCARE: gettext_noop("Aftercare: %(title)s"),
    MessageKind.REBOOK: gettext_noop("You can book your next session"),
    MessageKind.FOLLOW_UP: gettext_noop("Time for your follow-up photos"),
    MessageKind.WAITLIST_OFFER: gettext_noop("A time has come free: %(when)s"),
}


def render(message: Message) -> Rendered:
    """The message in its recipient's words: rendered in their language (the client's, a
    staff member's, else the clinic's default), which its Content-Language header names."""
    language = recipient_language(message)
    with translation.override(language):
        rendered = _render(message)
    return replace(rendered, headers={**rendered.headers, "Content-Language": language})


def recipient_language(message: Message) -> str:
    """The language of whoever receives the message: a client's own or their clinic's
    default; for a message to the clinic's staff (a review request), the staff member's
    with that address, else the clinic's default."""
    if message.client_id is not None:
        return message.client.preferred_language  # type: ignore[union-attr]
    staff = StaffMember.objects.filter(
        organisation_id=message.organisation_id,
        user__email__iexact=message.recipient,
        is_active=True,
    ).first()
    if staff is not None:
        return staff.language
    return message.organisation.default_language


def _render(message: Message) -> Rendered:
    if message.kind == MessageKind.NEWSLETTER:
        return _newsletter(message)
    if message.kind in ONCE:
        return ONCE[MessageKind(message.kind)](message)
    context = _context(message)
    wording = clinic_wording(message, context)
    if wording is not None:
        return with_wording(wording, placeholder_values(context), context)
    kind = MessageKind(message.kind)
    if message.channel == Channel.SMS:
        text = render_to_string(f"notifications/sms/{kind.value}.txt", context).strip()
        return Rendered(subject="", text=text)
    stage = context.get("stage")
    subject = _(SUBJECTS[kind]) % {
        "when": context.get("when", ""),
        "title": getattr(stage, "title", ""),
    }
    body = render_to_string(f"notifications/{kind.value}.txt", context).strip() + "\n"
    html = render_to_string("notifications/email.html", {"subject": subject, "body": body})
    attachments = []
    if kind in {MessageKind.BOOKING_CONFIRMED, MessageKind.BOOKING_MOVED}:
        calendar = booking_calendar(context["booking"])  # type: ignore[arg-type]
        attachments.append(("appointment.ics", calendar, "text/calendar; method=PUBLISH"))
    if kind == MessageKind.BOOKING_CANCELLED:
        calendar = booking_calendar(context["booking"])  # type: ignore[arg-type]
        attachments.append(("appointment.ics", calendar, "text/calendar; method=CANCEL"))
    return Rendered(subject, body, html, attachments)


def clinic_wording(message: Message, context: dict[str, object]) -> MessageWording | None:
    """The clinic's own wording in the client's language, else in the clinic's default
    language; None for Needlepoint's own (translated) wording."""
    client = context.get("client")
    if isinstance(client, Client):
        order = [client.preferred_language, client.organisation.default_language]
    else:
        order = [message.organisation.default_language]
    wordings = {
        wording.language: wording
        for wording in MessageWording.objects.filter(
            organisation_id=message.organisation_id,
            kind=message.kind,
            channel=message.channel,
            language__in=order,
        )
    }
    return next((wordings[code] for code in order if code in wordings), None)


def _context(message: Message) -> dict[str, object]:
    kind_of_subject, _sep, ref = message.subject.partition(":")
    if kind_of_subject == "booking":
        return _booking_context(ref)
    if kind_of_subject == "session":
        return _session_context(ref, message)
    if kind_of_subject == "offer":
        return _offer_context(ref)
    raise NothingToSend(f"Unknown subject {message.subject!r}.")


def _booking_context(public_id: str) -> dict[str, object]:
    booking = (
        Booking.objects.select_related("client", "service", "location__organisation")
        .filter(public_id=public_id)
        .first()
    )
    if booking is None:
        raise NothingToSend("The booking is gone.")
    location = booking.location
    return {
        "booking": booking,
        "client": booking.client,
        "location": location,
        "when": _when(booking.starts_at, location),
        "link": absolute(booking_link(booking)),
        "book_link": _book_link(location),
        "treatment": booking.service.kind == "treatment",
    }


def _session_context(public_id: str, message: Message) -> dict[str, object]:
    session = (
        TreatmentSession.objects.select_related("client", "location__organisation")
        .filter(public_id=public_id)
        .first()
    )
    if session is None:
        raise NothingToSend("The session is gone.")
    location = session.location
    days = int(message.step[3:]) if message.step.startswith("day") else 0
    zones = tuple(session.zones.values_list("zone", flat=True))
    stages = aftercare(session.performed_on, session.performed_on + timedelta(days=days), zones)
    stage = next(stage for stage, current in stages if current)
    eligible = session.next_eligible_on
    return {
        "session": session,
        "client": session.client,
        "location": location,
        "session_on": long_date(session.performed_on),
        "stage": stage,
        "eligible_on": long_date(eligible) if eligible else "",
        "months": message.step.rstrip("m") if message.step.endswith("m") else "",
        "book_link": _book_link(location),
    }


def _offer_context(pk: str) -> dict[str, object]:
    offer = (
        WaitlistOffer.objects.select_related(
            "entry__client", "entry__service__location__organisation"
        )
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise NothingToSend("The offer is gone.")
    location = offer.entry.service.location
    return {
        "offer": offer,
        "client": offer.entry.client,
        "location": location,
        "when": _when(offer.starts_at, location),
        "until": _when(offer.expires_at, location),
    }


def with_wording(
    wording: MessageWording, values: dict[str, str], context: dict[str, object]
) -> Rendered:
    """The clinic's own wording, its ``$placeholders`` filled in (never code: plain text)."""
    text = string.Template(wording.body).safe_substitute(values).strip() + "\n"
    if wording.channel == Channel.SMS:
        return Rendered(subject="", text=text)
    subject = string.Template(wording.subject).safe_substitute(values).strip()
    html = render_to_string("notifications/email.html", {"subject": subject, "body": text})
    return Rendered(subject or str(context.get("when", "")), text, html)


def placeholder_values(context: dict[str, object]) -> dict[str, str]:
    location = context.get("location")
    stage = context.get("stage")
    client = context.get("client")
    return {
        "first_name": getattr(client, "first_name", ""),
        "clinic": location.organisation.name if isinstance(location, Location) else "",
        "location": getattr(location, "name", ""),
        "phone": getattr(location, "phone", ""),
        "when": str(context.get("when", "")),
        "link": str(context.get("link", "")),
        "book_link": str(context.get("book_link", "")),
        "stage": getattr(stage, "title", ""),
        "expect": getattr(stage, "expect", ""),
        "advice": getattr(stage, "advice", ""),
        "eligible_on": str(context.get("eligible_on", "")),
        "months": str(context.get("months", "")),
        "until": str(context.get("until", "")),
    }


def _newsletter(message: Message) -> Rendered:
    """The campaign, only while the address's consent is still live, with one-click unsubscribe."""
    campaign = Campaign.objects.filter(pk=message.subject.partition(":")[2]).first()
    consent = (
        newsletter_recipients(message.organisation).filter(address=message.recipient).first()
        if campaign is not None
        else None
    )
    if campaign is None or consent is None:
        raise NothingToSend("No campaign, or the address unsubscribed.")
    unsubscribe = absolute(
        reverse("public:newsletter_unsubscribe", kwargs={"token": unsubscribe_token(consent)})
    )
    body = (
        f"{campaign.body.strip()}\n\n" + _("Unsubscribe: %(link)s") % {"link": unsubscribe} + "\n"
    )
    html = render_to_string("notifications/email.html", {"subject": campaign.subject, "body": body})
    headers = {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return Rendered(campaign.subject, body, html, headers=headers)


def _when(moment: datetime, location: Location) -> str:
    local = moment.astimezone(location.zone)
    # Translators: a CLDR date pattern (babel) for a day with its weekday.
    pattern = pgettext("CLDR date pattern", "EEEE d MMMM y")
    return _("%(day)s at %(time)s") % {
        "day": format_date(local.date(), pattern, locale=reader_locale()),
        "time": format_time(local, "HH:mm", locale=reader_locale()),
    }


def _book_link(location: Location) -> str:
    return absolute(
        reverse(
            "public:location",
            kwargs={"org": location.organisation.slug, "loc": location.slug},
        )
    )


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _consent_copy(message: Message) -> Rendered:
    """The client's copy of what they signed, with the signed PDF."""
    signed = (
        SignedConsent.objects.select_related("client__organisation", "form_version__form")
        .filter(public_id=message.subject.partition(":")[2])
        .first()
    )
    if signed is None:
        raise NothingToSend("The signature is gone.")
    form = signed.form_version.form
    context = {"signed": signed, "client": signed.client, "form": form}
    subject = _("Your signed consent form: %(form)s") % {"form": form.name}
    attachment = ("signed-consent.pdf", consent_pdf(signed), "application/pdf")
    return _fixed(subject, "public/email/consent_signed", context, [attachment])


def _newsletter_confirm(message: Message) -> Rendered:
    """The double opt-in: a link to confirm, while the sign-up still waits for it."""
    consent = (
        MarketingConsent.objects.select_related("organisation")
        .filter(pk=message.subject.partition(":")[2], confirmed_at__isnull=True)
        .first()
    )
    if consent is None or consent.withdrawn_at is not None:
        raise NothingToSend("Confirmed or withdrawn already.")
    link = absolute(reverse("public:newsletter_confirm", args=[confirm_token(consent)]))
    context = {"consent": consent, "organisation": consent.organisation, "link": link}
    subject = _("Please confirm: %(clinic)s newsletter") % {"clinic": consent.organisation.name}
    return _fixed(subject, "public/email/newsletter_confirm", context)


def _review_requested(message: Message) -> Rendered:
    """Tells the location a client asked online and needs a practitioner's review first.

    The subject holds what was asked: ``review:<screening>:<service>:<time asked>``."""
    _kind, screening_id, service_id, asked = message.subject.split(":", 3)
    screening = Screening.objects.select_related("client").filter(pk=screening_id).first()
    service = Service.objects.select_related("location").filter(pk=service_id).first()
    if screening is None or service is None:
        raise NothingToSend("The screening or the service is gone.")
    location = service.location
    context = {
        "screening": screening,
        "client": screening.client,
        "service": service,
        "when": datetime.fromisoformat(asked).astimezone(location.zone),
        "location": location,
    }
    subject = _("Online request needs review: %(name)s") % {"name": screening.client.full_name}
    return _fixed(subject, "public/email/review", context)


def _fixed(
    subject: str,
    template: str,
    context: Mapping[str, object],
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> Rendered:
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    return Rendered(subject, text, html, attachments or [])


Renderer = Callable[[Message], Rendered]
ONCE: dict[MessageKind, Renderer] = {
    MessageKind.CONSENT_COPY: _consent_copy,
    MessageKind.NEWSLETTER_CONFIRM: _newsletter_confirm,
    MessageKind.REVIEW_REQUESTED: _review_requested,
}


def renders(kind: MessageKind) -> Callable[[Renderer], Renderer]:
    """How an app above this one words its once-only email (payments: an invoice with its
    PDF), registered when that app is ready: notifications can't import it."""

    def register(renderer: Renderer) -> Renderer:
        ONCE[kind] = renderer
        return renderer

    return register


def fixed(
    subject: str,
    template: str,
    context: Mapping[str, object],
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> Rendered:
    """An email in the house's fixed words: ``<template>.txt`` and ``<template>.html``."""
    return _fixed(subject, template, context, attachments)
