"""The API tokens page: make a token (its secret shown once) and revoke one."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.accounts.recent import password_again
from needlepoint.api.forms import TokenForm
from needlepoint.api.tokens import token_create, token_revoke, tokens_for
from needlepoint.clinics.choices import Role
from needlepoint.core.errors import DomainError


@staff_view
def tokens(request: StaffRequest) -> HttpResponse:
    """Every staff member's own tokens; an owner also sees and revokes the organisation's."""
    staff = request.staff
    if request.method == "POST" and "revoke" in request.POST:
        token = get_object_or_404(tokens_for(staff), public_id=_uuid(request.POST["revoke"]))
        token_revoke(token=token)
        messages.success(
            request, _("“%(name)s” is revoked: it no longer works.") % {"name": token.name}
        )
        return redirect("api:tokens")
    if request.method == "POST" and (asked := password_again(request)) is not None:
        return asked  # a new token is a new way in
    form = TokenForm(request.POST if request.method == "POST" else None)
    created = None
    if form.is_valid():
        try:
            created = token_create(
                user=staff.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                days=form.cleaned_data["expires"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            form = TokenForm()
    context = {
        "nav": "api",
        "form": form,
        "created": created,
        "tokens": tokens_for(staff),
        "organisation_wide": staff.role == Role.OWNER,
        "now": timezone.now(),
    }
    return no_store(render(request, "api/tokens.html", context))


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError as error:
        raise Http404("No such token.") from error
