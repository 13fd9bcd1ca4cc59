"""Reads for the client-facing pages, and for staff about what clients did online."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from needlepoint.accounts.access import visible_locations
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.public.models import OnlineRequest
from needlepoint.scheduling.models import Booking


def public_location(organisation_slug: str, location_slug: str) -> Location:
    """The location a public address names, with its organisation; 404 when there is none."""
    return get_object_or_404(
        Location.objects.select_related("organisation"),
        organisation__slug=organisation_slug,
        slug=location_slug,
    )


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
