"""Reads for staff about what clients did online."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef

from needlepoint.clinics.models import StaffMember
from needlepoint.core.access import visible_locations
from needlepoint.public.models import OnlineRequest
from needlepoint.scheduling.models import Booking


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
