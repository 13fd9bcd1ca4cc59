"""The language switcher on the client's pages and the language form in their portal."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from needlepoint.clients.models import Client
from needlepoint.clients.services import client_update
from needlepoint.clinics.models import Organisation
from needlepoint.core import languages
from needlepoint.core.errors import DomainError
from needlepoint.public.language import clinic_and_client, remember
from needlepoint.public.portal_views import signed_in


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The public pages' language switcher: remembers the choice, back to the page."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    try:  # the page's clinic decides which languages may be chosen
        page = resolve(urlsplit(back).path)
    except Resolver404:
        offered = list(languages.codes())
    else:
        offered = clinic_and_client(urlsplit(back).path, page.kwargs)[0]
    chosen = languages.supported(request.POST.get("language"), offered)
    if chosen:
        remember(request, chosen)
    return HttpResponseRedirect(back)


@signed_in
@require_POST
def portal_language(
    request: HttpRequest, organisation: Organisation, client: Client
) -> HttpResponse:
    """The client's own language, for their pages and every message we send them."""
    chosen = languages.supported(request.POST.get("language"), organisation.offered_languages())
    if chosen is None:
        messages.error(request, _("Choose one of the languages offered."))
        return redirect("public:portal", organisation.slug)
    try:
        client_update(client=client, language=chosen)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        remember(request, chosen)
        with translation.override(chosen):  # the answer in the language just chosen
            messages.success(request, _("Saved: we will write to you in this language."))
    return redirect("public:portal", organisation.slug)
