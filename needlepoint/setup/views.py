"""The front page of Settings: each part of the clinic's set-up, with what is there."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from needlepoint.accounts.access import StaffRequest, no_store, staff_view
from needlepoint.scheduling.starter import setup_step


@staff_view
def home(request: StaffRequest) -> HttpResponse:
    organisation = request.staff.organisation
    context = {
        "nav": "settings",
        "organisation": organisation,
        "setup_step": setup_step(organisation),
    }
    return no_store(render(request, "setup/home.html", context))
