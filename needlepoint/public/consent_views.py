"""Signing a consent form from the booking link, and its PDF."""

from __future__ import annotations

import base64
import binascii
from uuid import UUID

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from needlepoint.accounts.access import no_store
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentFormVersion, SignedConsent
from needlepoint.consents.pdf import consent_pdf
from needlepoint.consents.services import consents_due, shown_instead, version_covers_text
from needlepoint.core.errors import DomainError
from needlepoint.core.throttle import limit_posts
from needlepoint.public.links import from_booking_link
from needlepoint.public.services import consent_sign_with_copy
from needlepoint.scheduling.models import Booking

DATA_URL_PREFIX = "data:image/png;base64,"


class SignForm(forms.Form):
    kind = forms.ChoiceField(
        choices=SignatureKind.choices,
        widget=forms.RadioSelect,
        initial=SignatureKind.TYPED,
        label=gettext_lazy("How would you like to sign?"),
    )
    typed_name = forms.CharField(max_length=200, label=gettext_lazy("Your full name"))
    drawing = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500_000)
    agree = forms.BooleanField(
        label=gettext_lazy("I have read this form, I understand it, and I agree to the treatment."),
        error_messages={"required": gettext_lazy("Please tick to show you agree.")},
    )

    def drawing_png(self) -> bytes:
        data = self.cleaned_data.get("drawing") or ""
        if not data:
            return b""
        if not data.startswith(DATA_URL_PREFIX):
            raise DomainError("drawing_invalid", _("The drawing could not be read."))
        try:
            return base64.b64decode(data[len(DATA_URL_PREFIX) :], validate=True)
        except (binascii.Error, ValueError) as error:
            raise DomainError("drawing_invalid", _("The drawing could not be read.")) from error


def _due_version(booking: Booking, version_id: UUID) -> ConsentFormVersion:
    for version in consents_due(booking.client, booking.service):
        if version.public_id == version_id:
            return version
    raise Http404("Nothing to sign here.")


@require_http_methods(["GET", "POST"])
@limit_posts("booking")
@from_booking_link
def sign(request: HttpRequest, booking: Booking, token: str, version_id: UUID) -> HttpResponse:
    version = _due_version(booking, version_id)
    form = SignForm(request.POST or None, initial={"typed_name": booking.client.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            consent_sign_with_copy(
                client=booking.client,
                form_version=version,
                kind=SignatureKind(form.cleaned_data["kind"]),
                typed_name=form.cleaned_data["typed_name"],
                drawing_png=form.drawing_png(),
                ip_address=request.META.get("REMOTE_ADDR"),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except DomainError as error:
            form.add_error("drawing" if error.field == "drawing" else None, error.message)
        else:
            return redirect("public:booking", token=token)
    context = {
        "booking": booking,
        "location": booking.location,
        "version": version,
        "covers": version_covers_text(version),
        "instead": shown_instead(version, booking.client),
        "form": form,
        "token": token,
    }
    return no_store(render(request, "public/consent_sign.html", context))


@from_booking_link
def pdf(request: HttpRequest, booking: Booking, token: str, signed_id: str) -> HttpResponse:
    signed = (
        SignedConsent.objects.select_related("form_version__form", "client__organisation")
        .filter(public_id=signed_id, client=booking.client)
        .first()
    )
    if signed is None:
        if not audit.signed_in_someone(request):  # the middleware logs signed-in people's 404s
            # Only a valid booking link gets this far: its holder reached for another form.
            audit.record(
                Action.DENIED,
                Target.CONSENT,
                signed_id,
                client=booking.client,
                detail={"status": 404, "method": request.method},
            )
        raise Http404("No such signed form.")
    audit.record(Action.PRINTED, Target.CONSENT, signed.public_id, client=signed.client)
    response = HttpResponse(consent_pdf(signed), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="signed-consent.pdf"'
    return no_store(response)
