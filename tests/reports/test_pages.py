"""The report pages: filters, scoping, CSV files, audit, bad input and query counts."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needlepoint.accounts.recent import SESSION_KEY
from needlepoint.audit.models import AuditEvent
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.models import Course
from tests import factories
from tests.reports import builders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned")]

RANGE = {"start": "2027-03-01", "end": "2027-03-31"}
NOW = datetime(2027, 4, 15, 9, tzinfo=UTC)
PAGES = ("utilisation", "bookings", "courses", "outcomes", "lots")


@pytest.fixture
def pinned() -> Iterator[None]:
    """Every page is asked for at NOW, whatever the real date."""
    with time_machine.travel(NOW, tick=False):
        yield


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2027, 3, day, hour, tzinfo=UTC)


def add_data(clinic, offered, nano, size: int) -> None:
    """``size`` clients, each with a course, two bookings, two scored sessions, a cartridge."""
    who = clinic.practitioner
    for n in range(size):
        client = factories.client(clinic.organisation)
        course = Course.objects.create(
            client=client, service=offered, planned_sessions=3, interval_days=28
        )
        day = 1 + n % 27
        for hour, channel in ((9, Channel.ONLINE), (14, Channel.STAFF)):
            builders.booking(
                offered, who, at(day, hour), client=client, channel=channel, course=course
            )
        first = builders.session(client, clinic.location, who, date(2027, 3, day), scar_score=30)
        builders.session(
            client, clinic.location, who, date(2027, 3, day) + timedelta(28), scar_score=20
        )
        builders.cartridge(first, nano, "L-100")
        builders.adverse_event(first, client, first.performed_on)


@pytest.fixture
def data(clinic):
    offered = factories.service(clinic.location)
    nano = builders.configuration(clinic.location)
    add_data(clinic, offered, nano, 2)
    return clinic, offered, nano


def get(member, name: str, **query):
    browser = factories.signed_in(member)
    session = browser.session
    session[SESSION_KEY] = int(time.time())
    session.save()
    return browser.get(reverse(f"reports:{name}"), query)


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("name", PAGES)
def test_each_report_shows_a_chart_for_an_owner(data, name):
    clinic, *_ = data
    with time_machine.travel(NOW, tick=False):
        response = get(clinic.owner, name, **RANGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<svg class="chart"' in body and "<title id=" in body
    assert ' style="' not in body.split("<main", 1)[1]


def test_the_index_links_every_report(clinic):
    body = get(clinic.manager, "index").content.decode()
    for name in PAGES:
        assert reverse(f"reports:{name}") in body


@pytest.mark.parametrize(
    "query",
    [
        {"start": "yesterday"},
        {"start": "2027-03-10", "end": "2027-03-01"},
        {"start": "2000-01-01", "end": "2027-03-01"},
        {"location": "999999"},
        {"practitioner": "nobody"},
    ],
)
@pytest.mark.parametrize("name", [*PAGES, "utilisation_csv", "lots_csv"])
def test_bad_filters_give_a_form_error_not_a_crash(clinic, name, query):
    response = get(clinic.owner, name, **query)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_dates_default_to_the_last_30_days(clinic):
    with time_machine.travel(NOW, tick=False):
        form = get(clinic.owner, "bookings").context["form"]
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (
        date(2027, 3, 17),
        date(2027, 4, 15),
    )


def test_another_organisations_location_is_not_a_choice(data, other_clinic):
    clinic, *_ = data
    response = get(clinic.owner, "bookings", location=other_clinic.location.pk, **RANGE)
    assert "Select a valid choice" in response.content.decode()


def test_managers_report_on_every_location_as_they_see_them_elsewhere(data):
    clinic, *_ = data
    seafront = factories.location(clinic.organisation, "Seafront")
    clinic.practitioner.locations.add(seafront)
    builders.booking(factories.service(seafront), clinic.practitioner, at(3), channel=Channel.API)
    owner = get(clinic.owner, "bookings", **RANGE).context["figures"].total.bookings
    manager = get(clinic.manager, "bookings", **RANGE).context["figures"].total.bookings
    assert (owner, manager) == (5, 5)
    only_seafront = get(clinic.manager, "bookings", location=seafront.pk, **RANGE)
    assert only_seafront.context["figures"].total.bookings == 1


def test_filtering_by_location_and_practitioner(data):
    clinic, offered, _ = data
    other = factories.staff_member(clinic.organisation, "practitioner", clinic.location)
    builders.booking(offered, other, at(5, 16), status=BookingStatus.NO_SHOW)
    response = get(
        clinic.owner, "bookings", practitioner=other.pk, location=clinic.location.pk, **RANGE
    )
    total = response.context["figures"].total
    assert (total.bookings, total.no_shows) == (1, 1)


def test_the_bookings_csv_has_a_row_per_channel_and_the_total(data):
    clinic, *_ = data
    rows = rows_of(get(clinic.owner, "bookings_csv", **RANGE))
    assert rows[0] == [
        "channel",
        "bookings",
        "cancelled",
        "late_cancelled",
        "no_shows",
        "no_show_rate",
        "late_cancel_rate",
    ]
    assert rows[1:] == [
        ["online", "2", "0", "0", "0", "0.0000", "0.0000"],
        ["staff", "2", "0", "0", "0", "0.0000", "0.0000"],
        ["api", "0", "0", "0", "0", "", ""],
        ["import", "0", "0", "0", "0", "", ""],
        ["all", "4", "0", "0", "0", "0.0000", "0.0000"],
    ]


def test_the_utilisation_csv_gives_minutes_and_the_share(data):
    clinic, *_ = data
    rows = rows_of(get(clinic.owner, "utilisation_csv", start="2027-03-01", end="2027-03-07"))
    assert rows[0][:3] == ["kind", "name", "location"]
    assert ["room", "Room 1", "Harbour Street", "240", "2940", "0.0816"] in rows


def test_the_outcomes_csv_gives_medians_and_the_adverse_event_rate(data):
    clinic, *_ = data
    rows = rows_of(get(clinic.owner, "outcomes_csv", **RANGE))
    assert ["ind.acne_scars", "scar_score", "1", "10.0", "2"] in rows
    assert ["ind.acne_scars", "adverse_events_per_100_sessions", "", "50.0000", "4"] in rows


def test_the_recall_list_is_shown_audited_and_exported(data):
    clinic, *_ = data
    body = get(clinic.owner, "lots", lot="L-100", **RANGE).content.decode()
    assert "Recall list for lot L-100: 2 cartridges" in body
    event = AuditEvent.objects.get(detail__report="lot recall")
    assert (event.action, event.detail["clients_listed"]) == ("viewed", 2)
    rows = rows_of(get(clinic.owner, "lots_csv", lot="L-100", **RANGE))
    assert len(rows) == 3 and rows[1][0] == "L-100"
    assert AuditEvent.objects.filter(action="exported", detail__report="lot recall").exists()


def test_exports_naming_clients_ask_for_the_password_again(data):
    clinic, *_ = data
    browser = factories.signed_in(clinic.owner)
    session = browser.session
    session[SESSION_KEY] = 0  # given long ago
    session.save()
    for name in ("lots_csv", "courses_csv"):
        response = browser.get(reverse(f"reports:{name}"), {"lot": "L-100"})
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:confirm_password"))
    assert not AuditEvent.objects.filter(action="exported").exists()


def test_the_due_list_is_audited(data):
    clinic, *_ = data
    with time_machine.travel(NOW + timedelta(days=40), tick=False):
        body = get(clinic.owner, "courses", **RANGE).content.decode()
    assert "Lapsed" in body
    assert AuditEvent.objects.filter(detail__report="courses").exists()


@pytest.mark.parametrize("name", PAGES)
def test_a_page_reads_the_same_number_of_queries_however_much_data(data, name):
    clinic, offered, nano = data

    def counted() -> int:
        with time_machine.travel(NOW, tick=False):
            browser = factories.signed_in(clinic.owner)
            browser.get(reverse("staff:home"))  # the session's first request is not counted
            with CaptureQueriesContext(connection) as queries:
                response = browser.get(reverse(f"reports:{name}"), {**RANGE, "lot": "L-100"})
        assert response.status_code == 200
        return len(queries)

    small = counted()
    assert small > 5
    add_data(clinic, offered, nano, 12)
    assert counted() == small


def test_report_csv_keeps_peoples_text_from_running_as_a_formula():
    from needlepoint.reports.exports import csv_response

    response = csv_response("recall", ("client", "change"), [('=HYPERLINK("x")', -1)])
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["client", "change"], ['\'=HYPERLINK("x")', "-1"]]
    assert response["Cache-Control"] == "no-store"
