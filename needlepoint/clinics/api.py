"""The API's locations: where the token's user works (owners and managers: every one)."""

# Annotations stay real types (no __future__ import): ninja reads these signatures,
# some through its paginate wrapper, whose module can't resolve names given as strings.

from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from needlepoint.accounts.access import visible_locations
from needlepoint.api.auth import acting_staff
from needlepoint.api.errors import errors
from needlepoint.api.pagination import Page
from needlepoint.clinics.models import Location

router = Router(tags=["Locations"])


class LocationOut(Schema):
    id: UUID
    name: str
    slug: str
    time_zone: str
    address: str
    phone: str
    email: str

    @staticmethod
    def resolve_id(location: Location) -> UUID:
        return location.public_id


@router.get("/locations", response={200: list[LocationOut], **errors(422)})
@paginate(Page)
def list_locations(request: HttpRequest) -> QuerySet[Location]:
    """The locations the token's user works at; owners and managers see every one."""
    return visible_locations(acting_staff(request)).order_by("name", "pk")
