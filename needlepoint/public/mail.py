"""The emails the client-facing pages send straight away: each a subject, a text and an
HTML part. Messages about bookings and sessions (confirmations, reminders, aftercare)
are planned in the outbox and sent by the worker: see ``needlepoint.notifications``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from needlepoint.clients.models import Client, MarketingConsent, Screening
from needlepoint.clinics.models import Location
from needlepoint.consents.models import SignedConsent
from needlepoint.consents.pdf import consent_pdf
from needlepoint.public.verification import CODE_LIFETIME
from needlepoint.scheduling.models import Service


def review_requested(screening: Screening, service: Service, starts_at: datetime | None) -> None:
    """Tell the location a client asked online and needs a practitioner's review first."""
    location = service.location
    if not location.email:
        return
    when = starts_at.astimezone(location.zone) if starts_at else None
    context = {
        "screening": screening,
        "client": screening.client,
        "service": service,
        "when": when,
        "location": location,
    }
    _message(
        f"Online request needs review: {screening.client.full_name}",
        "public/email/review",
        context,
        to=location.email,
    ).send()


def email_code(location: Location, email: str, code: str) -> None:
    """The code that proves ``email`` belongs to the person booking online.

    The same words whether or not the address is a client's: it reveals nobody.
    """
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    context = {"location": location, "code": code, "minutes": minutes}
    subject = _("Your code for booking at %(clinic)s: %(code)s") % {
        "clinic": location.name,
        "code": code,
    }
    _message(subject, "public/email/booking_code", context, to=email).send()


def newsletter_confirmation(consent: MarketingConsent, link: str) -> None:
    context = {"consent": consent, "organisation": consent.organisation, "link": link}
    subject = f"Please confirm: {consent.organisation.name} newsletter"
    _message(subject, "public/email/newsletter_confirm", context, to=consent.address).send()


def portal_sign_in(client: Client, link: str) -> None:
    organisation = client.organisation
    context = {"client": client, "organisation": organisation, "link": link}
    subject = f"Your sign-in link for {organisation.name}"
    _message(subject, "public/email/portal_link", context, to=client.email).send()


def consent_copy(signed: SignedConsent) -> None:
    """The client's copy of what they signed, as a PDF attachment."""
    if not signed.client.email:
        return
    context = {"signed": signed, "client": signed.client, "form": signed.form_version.form}
    message = _message(
        f"Your signed consent form: {signed.form_version.form.name}",
        "public/email/consent_signed",
        context,
        to=signed.client.email,
    )
    message.attach("signed-consent.pdf", consent_pdf(signed), "application/pdf")
    message.send()


def _message(
    subject: str, template: str, context: Mapping[str, object], *, to: str
) -> EmailMultiAlternatives:
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    return message
