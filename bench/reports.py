"""The report pages over every booking, rendered as a signed-in owner would see them.

Each page goes through the Django test client (middleware, view, queries, template), with
dates covering the whole data set, so every booking is in the report. Beside them, in the
same run: the home page (the least a staff page costs) and a bare SQL COUNT of the same
bookings (the least the database must do to touch them).
"""

from __future__ import annotations

from time import perf_counter
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.db.models import Max, Min
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from bench.scheduling import summary
from needlepoint.accounts.models import User
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.scheduling.models import Booking

PAGES = ("utilisation", "bookings", "courses", "outcomes", "lots")
WARM_UP = 2


def owner_browser(organisation: Organisation) -> Browser:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_user("owner@bench.test", None, full_name="Bench Owner")
    owner = StaffMember.objects.create(user=user, organisation=organisation, role=Role.OWNER)
    owner.locations.set(Location.objects.filter(organisation=organisation))
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    browser = Browser(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return browser


def measure_reports(renders: int) -> dict[str, Any]:
    # A bench run has no collectstatic: plain static URLs stand in for the manifest's.
    storages = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    # One connection for the whole run, as the other measures use: no reconnect per page.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with override_settings(STORAGES=storages):
            return measure_pages(renders)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def measure_pages(renders: int) -> dict[str, Any]:
    organisation = Organisation.objects.get()
    browser = owner_browser(organisation)
    span = Booking.objects.aggregate(first=Min("starts_at"), last=Max("starts_at"))
    start, end = span["first"].date().isoformat(), span["last"].date().isoformat()
    dates = {"start": start, "end": end}
    results: dict[str, Any] = {
        "reports_range": f"{start} to {end}",
        "reports_bookings": Booking.objects.count(),
    }
    pages: dict[str, Any] = {}
    for name in PAGES:
        query = dates | ({"lot": lot_in_use()} if name == "lots" else {})
        pages[name] = measure_page(browser, reverse(f"reports:{name}"), query, renders)
    results["reports"] = pages
    results["home_page"] = measure_page(browser, reverse("staff:home"), {}, renders)
    results["bare_count"] = summary(
        [timed_count(span["first"], span["last"]) for _ in range(renders)]
    )
    return results


def measure_page(browser: Browser, url: str, query: dict[str, str], renders: int) -> dict[str, Any]:
    for _ in range(WARM_UP):
        fetch(browser, url, query)
    with CaptureQueriesContext(connection) as queries:
        fetch(browser, url, query)
    statements = len(queries)  # read now: the log is cleared when the next request starts
    times = []
    for _ in range(renders):
        began = perf_counter()
        fetch(browser, url, query)
        times.append((perf_counter() - began) * 1000)
    return summary(times) | {"queries": statements}


def fetch(browser: Browser, url: str, query: dict[str, str]) -> None:
    response = browser.get(url, query, secure=True)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")


def lot_in_use() -> str:
    from needlepoint.treatments.models import Cartridge

    used = Cartridge.objects.filter(session__isnull=False).values_list("lot", flat=True)
    return used.first() or "no lot used yet"  # a quick run's bookings are all still to come


def timed_count(first: Any, last: Any) -> float:
    began = perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM scheduling_booking WHERE starts_at >= %s AND starts_at <= %s",
            [first, last],
        )
        cursor.fetchone()
    return (perf_counter() - began) * 1000
