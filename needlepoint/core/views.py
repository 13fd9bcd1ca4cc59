from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from needlepoint.clients.queries import clients_awaiting_review, clients_for
from needlepoint.clinics.queries import location_statuses
from needlepoint.core.access import StaffRequest, no_store, staff_view, visible_locations


@staff_view
def home(request: StaffRequest) -> HttpResponse:
    """The staff home page: each location today, and who is waiting for a practitioner."""
    staff = request.staff
    context = {
        "nav": "home",
        "organisation": staff.organisation,
        "locations": location_statuses(visible_locations(staff), timezone.now()),
        "awaiting_review": list(clients_awaiting_review(staff)[:10]),
        "client_count": clients_for(staff).count(),
    }
    return no_store(render(request, "core/home.html", context))
