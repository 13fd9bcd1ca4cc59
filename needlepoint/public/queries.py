"""Reads for the client-facing pages, and for staff about what clients did online."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.http import Http404

from needlepoint.accounts.access import visible_locations
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.core import plain_sql
from needlepoint.public.models import OnlineRequest
from needlepoint.scheduling.models import Booking


def public_location(organisation_slug: str, location_slug: str) -> Location:
    """The location a public address names, with its organisation; 404 when there is none.

    Plain SQL: every public page reads it, and the ORM took longer to write the statement
    than the database took to answer it."""
    found = plain_sql.rows(
        f"SELECT {plain_sql.columns(Location, 'l')}, {plain_sql.columns(Organisation, 'o')}"
        " FROM clinics_location l JOIN clinics_organisation o ON o.id = l.organisation_id"
        " WHERE o.slug = %s AND l.slug = %s",
        [organisation_slug, location_slug],
    )
    if not found:
        raise Http404("No Location matches the given query.")
    location, organisation = plain_sql.instances(found[0], Location, Organisation)
    location.organisation = organisation  # type: ignore[attr-defined]
    return location  # type: ignore[return-value]


def organisation_by_slug(slug: str) -> Organisation | None:
    """The organisation a public address names, if any (read before every public page)."""
    found = plain_sql.rows(
        f"SELECT {plain_sql.columns(Organisation, 'o')} FROM clinics_organisation o"
        " WHERE o.slug = %s",
        [slug],
    )
    return plain_sql.instance(Organisation, found[0]) if found else None


def open_online_requests(staff: StaffMember, now: datetime, limit: int = 10) -> list[OnlineRequest]:
    """Times asked for online that wait for review: not yet past, not yet booked."""
    booked_since = Booking.objects.filter(
        client=OuterRef("client"),
        service=OuterRef("service"),
        created_at__gte=OuterRef("created_at"),
    )
    requests = list(
        OnlineRequest.objects.filter(
            service__location__in=visible_locations(staff), starts_at__gt=now
        )
        .exclude(Exists(booked_since))
        .select_related("client", "service__location")
        .order_by("starts_at")[:limit]
    )
    for request in requests:
        local = request.starts_at.astimezone(request.service.location.zone)
        request.local_start = local  # type: ignore[attr-defined]
    return requests
