"""Who may see what: every staff view goes through these helpers.

Staff see only their own organisation, and within it the locations they belong to
(owners and managers see every location). Anything outside that is a 404, so ids
of other clinics' records reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from needlepoint.accounts.permissions import CLINICAL, access_for
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core.http import PORTAL_CLIENT_KEY, no_store

__all__ = [
    "PORTAL_CLIENT_KEY",
    "StaffRequest",
    "no_store",
    "staff_view",
    "visible_locations",
    "visible_locations_where",
]

P = ParamSpec("P")
"""The session key holding the id of the client signed in to the portal."""
R = TypeVar("R", bound=HttpResponseBase)


class StaffRequest(HttpRequest):
    staff: StaffMember


def current_staff(request: HttpRequest) -> StaffMember:
    staff: StaffMember | None = (
        getattr(request.user, "staff", None) if request.user.is_authenticated else None
    )
    if staff is None or not staff.is_active:
        raise PermissionDenied(_("This page is for the clinic's staff."))
    return staff


def staff_view(
    view: Callable[Concatenate[StaffRequest, P], R],
) -> Callable[Concatenate[HttpRequest, P], R]:
    """Require a signed-in, active staff member whose role may use this page (see
    accounts/permissions.py), and put them on ``request.staff``."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> R:
        staff = current_staff(request)
        access = access_for(request.resolver_match.view_name if request.resolver_match else "")
        if staff.role not in access.who:
            raise PermissionDenied(str(access.refusal))
        request.staff = staff  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)  # type: ignore[arg-type]

    return login_required(wrapped)  # type: ignore[return-value]


def sees_clinical_record(staff: StaffMember) -> bool:
    """Charts, photos, adverse events and progress are for clinical roles; the front desk
    sees a client's contact details, bookings, consents and screening outcome only."""
    return staff.role in CLINICAL


def visible_locations(staff: StaffMember) -> QuerySet[Location]:
    locations = Location.objects.filter(organisation_id=staff.organisation_id)
    if staff.manages_organisation:
        return locations
    return locations.filter(staff=staff)


def visible_locations_where(staff: StaffMember, alias: str) -> tuple[str, list[object]]:
    """``visible_locations`` as a plain-SQL condition on the ``clinics_location`` row named
    ``alias``, with its parameters: for the busiest reads, where building the ORM's query
    took longer than running it. The same rule; tests hold the two together."""
    sql = f"{alias}.organisation_id = %s"
    params: list[object] = [staff.organisation_id]
    if not staff.manages_organisation:
        sql += (
            " AND EXISTS (SELECT 1 FROM clinics_staffmember_locations sl"
            f" WHERE sl.location_id = {alias}.id AND sl.staffmember_id = %s)"
        )
        params.append(staff.pk)
    return sql, params
