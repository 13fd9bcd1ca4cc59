"""Newsletter pages: sign up from a location's page, confirm from the email, unsubscribe."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from needlepoint.accounts.access import no_store
from needlepoint.clients import newsletter
from needlepoint.core.errors import DomainError
from needlepoint.core.throttle import limit_posts
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.planner import plan_email_now
from needlepoint.public.links import link_gone
from needlepoint.public.queries import public_location


class SignUpForm(forms.Form):
    email = forms.EmailField(max_length=254, label=_("Your email"))


@require_POST
@limit_posts("newsletter")
def sign_up(request: HttpRequest, org: str, loc: str) -> HttpResponse:
    location = public_location(org, loc)
    form = SignUpForm(request.POST)
    if not form.is_valid():
        wording = newsletter.newsletter_wording(location.organisation)
        context = {"location": location, "form": form, "wording": wording}
        return render(request, "public/newsletter_sign_up.html", context, status=400)
    consent = newsletter.newsletter_sign_up(
        organisation=location.organisation,
        email=form.cleaned_data["email"],
        source=f"public page of {location.name}",
    )
    if consent.confirmed_at is None:
        plan_email_now(
            organisation_id=consent.organisation_id,
            client=consent.client,
            kind=MessageKind.NEWSLETTER_CONFIRM,
            subject=f"marketing:{consent.pk}",
            to=consent.address,
        )
    context = {"location": location, "email": consent.address}
    return render(request, "public/newsletter_check_inbox.html", context)


@limit_posts("newsletter")
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A button, not a GET that confirms: mail scanners follow links, people press buttons."""
    try:
        consent = newsletter.consent_from_token(token, unsubscribe=False)
    except DomainError as error:
        return link_gone(request, error)
    done = False
    if request.method == "POST":
        done = newsletter.newsletter_confirm(consent=consent)
    context = {"consent": consent, "organisation": consent.organisation, "done": done}
    return no_store(render(request, "public/newsletter_confirm.html", context))


@csrf_exempt  # a mail client's one-click unsubscribe posts without our form; the token is the key
@limit_posts("newsletter")
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        consent = newsletter.consent_from_token(token, unsubscribe=True)
    except DomainError as error:
        return link_gone(request, error)
    if request.method == "POST":
        newsletter.newsletter_unsubscribe(consent=consent)
    context = {"consent": consent, "organisation": consent.organisation}
    return no_store(render(request, "public/newsletter_unsubscribe.html", context))
