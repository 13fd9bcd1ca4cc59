"""The staff home page: the day at each location and what waits for the staff member."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from needlepoint.accounts.access import StaffRequest, no_store, staff_view, visible_locations
from needlepoint.clients.queries import clients_awaiting_review, clients_for
from needlepoint.clients.reviews import REVIEW_ROLES
from needlepoint.clinics.queries import location_statuses
from needlepoint.notifications.queries import delivery_health
from needlepoint.payments.queries import may
from needlepoint.public.queries import open_online_requests
from needlepoint.scheduling.queries import todays_visits
from needlepoint.scheduling.starter import setup_step
from needlepoint.treatments.queries import charts_to_countersign
from needlepoint.treatments.services import OVERRIDE_ROLES


@staff_view
def home(request: StaffRequest) -> HttpResponse:
    """The staff home page: each location today with its visits, and who awaits review."""
    staff = request.staff
    now = timezone.now()
    statuses = location_statuses(visible_locations(staff), now)
    visits = todays_visits([status.location for status in statuses], now)
    context = {
        "nav": "home",
        "organisation": staff.organisation,
        "locations": [(status, visits[status.location.pk]) for status in statuses],
        "awaiting_review": list(clients_awaiting_review(staff)[:10]),
        "may_review": staff.role in REVIEW_ROLES,
        "may_cash_up": may(staff, "money:cash_up"),
        "online_requests": open_online_requests(staff, now),
        "client_count": clients_for(staff).count(),
        "health": delivery_health(staff, now),
        "setup_step": setup_step(staff.organisation) if staff.manages_organisation else None,
        "to_countersign": list(charts_to_countersign(staff)[:20])
        if staff.role in OVERRIDE_ROLES
        else [],
    }
    return no_store(render(request, "staff/home.html", context))
