"""``Authorization: Bearer <token>``: the token's user acts, within the token's scopes.

Each operation names the scope it needs and the roles that may use it; the same
organisation and location scoping as the pages then applies inside the operation.
A token past its rate (``THROTTLE_RATES["api"]``, core/throttle.py) is answered 429.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import AuthorizationError, Throttled
from ninja.security import HttpBearer

from needlepoint.accounts.permissions import ALL_STAFF, CLINICAL, MANAGERS
from needlepoint.api.choices import Scope
from needlepoint.api.models import ApiToken
from needlepoint.api.tokens import token_for_secret
from needlepoint.clinics.models import StaffMember
from needlepoint.core.throttle import hit


class ApiTokenAuth(HttpBearer):
    openapi_description = (
        "A token made on the API tokens page (/api-tokens/). It acts as the staff member "
        "who made it, within its scopes: read, book, chart."
    )

    def __init__(
        self, scope: Scope, roles: frozenset[str] = ALL_STAFF, refusal: str | Promise = ""
    ) -> None:
        super().__init__()
        self.scope, self.roles = scope, roles
        self.refusal = refusal or gettext_lazy("This is not part of your role.")

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        # As HttpBearer's, without logging a malformed header: it may hold a secret.
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for_secret(token)
        if found is None:
            return None
        # The audit log, the refusal log and the services see who is acting.
        request.user = found.user
        wait = hit("api", str(found.pk))
        if wait:
            raise Throttled(wait)
        if self.scope not in found.scopes:
            raise AuthorizationError(
                message=_("This token does not have the %(scope)s scope.") % {"scope": self.scope}
            )
        if found.user.staff.role not in self.roles:
            raise AuthorizationError(message=str(self.refusal))
        if "Accept-Language" not in request.headers:  # the caller's own choice wins
            request.LANGUAGE_CODE = found.user.staff.language
            translation.activate(found.user.staff.language)
        return found


READ = ApiTokenAuth(Scope.READ)
BOOK = ApiTokenAuth(Scope.BOOK)
CHART = ApiTokenAuth(Scope.CHART, CLINICAL, gettext_lazy("Charts are for clinical staff."))
MONEY = ApiTokenAuth(
    Scope.READ, MANAGERS, gettext_lazy("Invoices and payments are for managers and owners.")
)


def acting_staff(request: HttpRequest) -> StaffMember:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    return token.user.staff
