"""Version 1 of the JSON API, mounted at /api/v1/ (docs/api.md).

Each domain app keeps its own router in ``api.py``; this module puts them together,
with token authentication (``read`` scope unless an operation asks for more) and the
one error body. Within v1, changes only add: new operations, new optional inputs,
new fields in answers.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, re_path
from ninja import NinjaAPI
from ninja.operation import Operation

from needlepoint.accounts.access import no_store
from needlepoint.api.auth import READ
from needlepoint.api.errors import install, methods_as_json, no_such_path
from needlepoint.clients.api import router as clients
from needlepoint.clinics.api import router as locations
from needlepoint.consents.api import router as consents
from needlepoint.memberships.api import router as memberships
from needlepoint.packages.api import router as packages
from needlepoint.payments.api import router as money
from needlepoint.scheduling.api import router as calendar
from needlepoint.treatments.api import router as charts
from needlepoint.vouchers.api import router as vouchers

DESCRIPTION = """\
Needlepoint's JSON API for the clinic's own programs: its website, a phone app, reports.

Send `Authorization: Bearer <token>` with a token from the **API tokens** page
(/api-tokens/). A token acts as the staff member who made it, within its scopes
(`read`, `book`, `chart`): their role and locations still apply (invoices and payments:
owners and managers only). Lists take `limit`
and `offset` and answer `{"count", "next", "items"}`. Every refusal answers
`{"code", "message", "field"}`. Times are ISO 8601 with their offset; dates are the
location's own.
"""


class NeedlepointAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        """Every answer may hold health data: browsers and proxies must not keep it."""
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        return no_store(response)

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """Every answer under /api/v1/ is JSON: a wrong method, and a path that isn't there.

        Ninja's last pattern is the API's root, which only raises Django's 404; the
        catch-all goes before it, so it answers for the root too.
        """
        urls = super()._get_urls()
        for url in urls:
            if isinstance(url, URLPattern):
                url.callback = methods_as_json(self, url.callback)
        catch_all = re_path(r"^.*$", no_such_path(self))
        return [*urls[:-1], catch_all, urls[-1]]


api = NeedlepointAPI(
    title="Needlepoint API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=READ,
)
install(api)
api.add_router("", locations)
api.add_router("", calendar)
api.add_router("", clients)
api.add_router("", consents)
api.add_router("", charts)
api.add_router("", money)
api.add_router("", packages)
api.add_router("", vouchers)
api.add_router("", memberships)
