"""The emails the client-facing pages send straight away: each a subject, a text and an
HTML part. Messages about bookings and sessions (confirmations, reminders, aftercare)
are planned in the outbox and sent by the worker: see ``needlepoint.notifications``.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location
from needlepoint.core.languages import in_language_of
from needlepoint.public.verification import CODE_LIFETIME


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


@in_language_of(lambda client, link: client.language)  # else the page's: they asked there
def portal_sign_in(client: Client, link: str) -> None:
    organisation = client.organisation
    context = {"client": client, "organisation": organisation, "link": link}
    subject = _("Your sign-in link for %(clinic)s") % {"clinic": organisation.name}
    _message(subject, "public/email/portal_link", context, to=client.email).send()


def _message(
    subject: str, template: str, context: Mapping[str, object], *, to: str
) -> EmailMultiAlternatives:
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    return message
