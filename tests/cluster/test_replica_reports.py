"""Reports read the replica; a replica that lags or stops leaves them answering from the
primary. On a real primary and streaming replica (tests/cluster/conftest.py).

The proof that a page read the replica: replay is paused on the replica, one more booking
is made on the primary, and the report does not count it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.core import replica
from needlepoint.scheduling.choices import Channel
from tests import factories
from tests.reports import builders

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("pinned")]

NOW = datetime(2027, 4, 15, 9, tzinfo=UTC)
RANGE = {"start": "2027-03-01", "end": "2027-03-31"}


@pytest.fixture
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic_on_cluster(cluster_database):
    """A clinic with two online bookings in March, on the replica too."""
    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    for day in (2, 3):
        builders.booking(
            offered,
            clinic.practitioner,
            datetime(2027, 3, day, 10, tzinfo=UTC),
            channel=Channel.ONLINE,
        )
    cluster_database.wait_for_replica()
    return clinic, offered, cluster_database


def one_more_booking_on_the_primary_only(clinic, offered, cluster) -> None:
    cluster.pause_replay()
    builders.booking(
        offered, clinic.practitioner, datetime(2027, 3, 4, 10, tzinfo=UTC), channel=Channel.ONLINE
    )
    cluster.wait_for_wal_received()  # the replica knows it is behind


def online_bookings(clinic) -> int:
    """The bookings report's count of online bookings, as the owner downloads it."""
    browser = factories.signed_in(clinic.owner)
    response = browser.get(reverse("reports:bookings_csv"), RANGE)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    return next(int(row["bookings"]) for row in rows if row["channel"] == "online")


def test_the_reports_page_reads_the_replica(clinic_on_cluster):
    clinic, offered, cluster = clinic_on_cluster
    one_more_booking_on_the_primary_only(clinic, offered, cluster)

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert online_bookings(clinic) == 2  # the replica has not applied the third yet
    assert any("scheduling_booking" in query["sql"] for query in on_replica.captured_queries)

    browser = factories.signed_in(clinic.owner)
    page = browser.get(reverse("reports:bookings"), RANGE)
    assert page.status_code == 200
    assert page.context["figures"].total.bookings == 2

    cluster.resume_replay()
    replica.forget()
    assert online_bookings(clinic) == 3


def test_a_streamed_csv_export_reads_the_replica(clinic_on_cluster):
    clinic, offered, cluster = clinic_on_cluster
    one_more_booking_on_the_primary_only(clinic, offered, cluster)

    def exported() -> int:
        browser = factories.signed_in(clinic.owner)
        response = browser.get(reverse("imports:export_csv", args=["bookings"]))
        assert response.status_code == 200
        lines = b"".join(response.streaming_content).decode()
        return len(list(csv.DictReader(io.StringIO(lines))))

    assert exported() == 2
    cluster.resume_replay()
    replica.forget()
    assert exported() == 3


def test_a_replica_further_behind_than_allowed_is_passed_over(clinic_on_cluster, settings):
    clinic, offered, cluster = clinic_on_cluster
    one_more_booking_on_the_primary_only(clinic, offered, cluster)
    settings.REPLICA_MAX_LAG_SECONDS = 0

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert online_bookings(clinic) == 3  # the primary's count
    assert not any("scheduling_booking" in q["sql"] for q in on_replica.captured_queries)


def test_a_stopped_replica_leaves_reports_answering_from_the_primary(clinic_on_cluster):
    clinic, offered, cluster = clinic_on_cluster
    one_more_booking_on_the_primary_only(clinic, offered, cluster)
    assert online_bookings(clinic) == 2

    cluster.stop_replica()
    replica.forget()

    assert online_bookings(clinic) == 3
    assert replica.lag_seconds() is None


def test_a_replica_stopping_between_its_check_and_the_report_is_survived(
    clinic_on_cluster, monkeypatch
):
    """The replica answered its lag check, then stopped before the page's queries: the
    page is made again on the primary, and its audit record is written once."""
    clinic, offered, cluster = clinic_on_cluster
    one_more_booking_on_the_primary_only(clinic, offered, cluster)
    monkeypatch.setattr(replica, "CHECK_SECONDS", 3600.0)  # the last check stays believed
    assert online_bookings(clinic) == 2
    assert replica.lag_seconds() is not None  # believed up

    cluster.stop_replica()

    response = factories.signed_in(clinic.owner).get(reverse("audit:log"))
    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(action=Action.VIEWED, target=Target.AUDIT_LOG)
    assert viewed.count() == 1
    assert replica.lag_seconds() is None  # seen down by the failure, not by a new check
    assert online_bookings(clinic) == 3


def test_booking_pages_never_read_the_replica(clinic_on_cluster):
    clinic, offered, cluster = clinic_on_cluster
    one_more_booking_on_the_primary_only(clinic, offered, cluster)
    browser = factories.signed_in(clinic.owner)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = browser.get(reverse("scheduling:day", args=[clinic.location.slug, "2027-03-04"]))
    assert response.status_code == 200
    assert on_replica.captured_queries == []


def test_the_apis_invoice_and_payment_lists_read_the_replica_and_its_bookings_the_primary(
    clinic_on_cluster,
):
    """The books, read a period at a time, may be seconds stale; bookings are read after the
    program's own changes to them, so they read the primary."""
    from tests.api.conftest import api_for
    from tests.api.test_money import invoice_for, take

    clinic, offered, cluster = clinic_on_cluster
    client = factories.client(clinic.organisation)
    invoice_for(clinic, offered, client, datetime(2027, 3, 5, 10, tzinfo=UTC))
    take(clinic, client, 5000, datetime(2027, 3, 5, 11, tzinfo=UTC))
    api = api_for(clinic.manager)
    cluster.wait_for_replica()
    cluster.pause_replay()
    later = datetime(2027, 3, 6, 10, tzinfo=UTC)
    booking = builders.booking(
        offered, clinic.practitioner, later + timedelta(days=1), client=client
    )
    invoice_for(clinic, offered, client, later)
    take(clinic, client, 6000, later)
    cluster.wait_for_wal_received()

    def counted(path: str) -> int:
        response = api.get(path)
        assert response.status_code == 200, response.content
        return int(response.json()["count"])

    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert (counted("/invoices"), counted("/payments")) == (1, 1)
    assert any("payments_invoice" in query["sql"] for query in on_replica.captured_queries)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        assert api.get(f"/bookings/{booking.public_id}").status_code == 200  # the primary's
        assert counted("/bookings") >= 1
    assert on_replica.captured_queries == []

    cluster.resume_replay()
    replica.forget()
    assert (counted("/invoices"), counted("/payments")) == (2, 2)
