"""Searches and bookings keep the clinic's set-up between calls, and never past a change.

A search reads the database's set-up token first; staff, rooms, devices, hours, shifts,
closures and time off read under the same token are reused. Every kind of set-up change
gives a new token (database triggers), so the very next search sees it — here checked
for each table a search reads, on SQLite and PostgreSQL, and for a change made by another
web server (another process, with its own connection).
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from needlepoint.clinics.choices import DeviceStatus
from needlepoint.clinics.models import Closure, Device, OpeningHours, Room
from needlepoint.clinics.queries import organisation_rules
from needlepoint.core.setup_token import setup_snapshot
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Service, ShiftException, TimeOff, WorkingPeriod
from needlepoint.scheduling.queries import available_slots
from needlepoint.scheduling.services import booking_create
from needlepoint.webhooks.models import WebhookDelivery, WebhookSubscription
from tests import factories

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2027, 3, 3)
NOW = datetime(2027, 3, 1, 8, tzinfo=UTC)
WEDNESDAY_NINE = datetime(2027, 3, 3, 9, tzinfo=UTC)
CREATED = "booking.created"


@pytest.fixture
def setup() -> tuple[factories.Clinic, Service]:
    clinic = factories.clinic()
    return clinic, factories.service(clinic.location)


def starts(offered: Service) -> list[datetime]:
    found = available_slots(offered, WEDNESDAY, WEDNESDAY, now=NOW, channel="staff")
    return [slot.start for slot in found]


def time_off(clinic: factories.Clinic, offered: Service) -> None:
    TimeOff.objects.create(
        staff=clinic.practitioner,
        starts_at=datetime(2027, 3, 3, tzinfo=UTC),
        ends_at=datetime(2027, 3, 4, tzinfo=UTC),
    )


def closure(clinic: factories.Clinic, offered: Service) -> None:
    Closure.objects.create(
        location=clinic.location, starts_on=WEDNESDAY, ends_on=WEDNESDAY, reason="Refit"
    )


def day_off(clinic: factories.Clinic, offered: Service) -> None:
    ShiftException.objects.create(staff=clinic.practitioner, location=clinic.location, on=WEDNESDAY)


def shift_removed(clinic: factories.Clinic, offered: Service) -> None:
    WorkingPeriod.objects.filter(staff=clinic.practitioner, weekday=WEDNESDAY.weekday()).delete()


def opening_hours_changed(clinic: factories.Clinic, offered: Service) -> None:
    OpeningHours.objects.filter(location=clinic.location, weekday=WEDNESDAY.weekday()).update(
        closes=time(9, 30)
    )


def pen_out_for_service(clinic: factories.Clinic, offered: Service) -> None:
    Device.objects.filter(location=clinic.location).update(status=DeviceStatus.OUT_OF_SERVICE)


def room_closed(clinic: factories.Clinic, offered: Service) -> None:
    Room.objects.filter(location=clinic.location).update(is_active=False)


def practitioner_left(clinic: factories.Clinic, offered: Service) -> None:
    clinic.practitioner.is_active = False
    clinic.practitioner.save()


def practitioner_moved_away(clinic: factories.Clinic, offered: Service) -> None:
    clinic.practitioner.locations.remove(clinic.location)


def service_not_offered_by_them(clinic: factories.Clinic, offered: Service) -> None:
    offered.practitioners.remove(clinic.practitioner)


CHANGES: list[Callable[[factories.Clinic, Service], None]] = [
    time_off,
    closure,
    day_off,
    shift_removed,
    opening_hours_changed,
    pen_out_for_service,
    room_closed,
    practitioner_left,
    practitioner_moved_away,
    service_not_offered_by_them,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_the_next_search_sees_every_kind_of_set_up_change(setup, change):
    clinic, offered = setup
    before = starts(offered)
    assert before and before == starts(offered)  # the second search answered from what was kept

    change(clinic, offered)

    assert starts(offered) == []


def test_a_search_with_the_set_up_kept_reads_only_the_token_and_the_holds(setup):
    _, offered = setup
    starts(offered)
    with CaptureQueriesContext(connection) as queries:
        again = starts(offered)
    assert again
    # The table each statement reads: its last FROM (a column may say EXTRACT(EPOCH FROM …)).
    read = [re.findall(r"FROM (\w+)", query["sql"])[-1] for query in queries.captured_queries]
    assert read == [
        "scheduling_setuptoken",
        "scheduling_hold",
    ]


def test_a_rolled_back_change_leaves_the_set_up_as_it_was(setup):
    clinic, offered = setup
    before = starts(offered)
    with pytest.raises(RuntimeError), transaction.atomic():
        closure(clinic, offered)
        assert starts(offered) == []
        raise RuntimeError("the change is abandoned")
    assert starts(offered) == before


def test_a_webhook_subscribed_between_two_bookings_hears_of_the_second(setup):
    clinic, offered = setup
    book = functools.partial(booking_create, service=offered, channel=Channel.STAFF, now=NOW)
    book(client=factories.screened_client(clinic.organisation), starts_at=WEDNESDAY_NINE)
    assert not WebhookDelivery.objects.exists()

    WebhookSubscription.objects.create(
        organisation=clinic.organisation, url="https://example.test/hook", events=[CREATED]
    )
    second = book(
        client=factories.screened_client(clinic.organisation),
        starts_at=WEDNESDAY_NINE + timedelta(hours=2),
    )

    delivered = WebhookDelivery.objects.get()
    assert delivered.event == CREATED
    assert delivered.payload["booking"] == str(second.public_id)


def test_a_change_to_the_clinics_rules_is_seen_by_the_next_booking_check(setup):
    clinic, _ = setup
    organisation = clinic.organisation
    with setup_snapshot():
        before = organisation_rules(organisation.pk)
        assert organisation_rules(organisation.pk) is before  # kept
    organisation.rule_overrides = {"ci.isotretinoin_recent.wait": "P3M"}
    organisation.save()
    with setup_snapshot():
        after = organisation_rules(organisation.pk)
    assert after.version != before.version
    assert after == organisation.rules()


def on_another_server(code: str) -> None:
    """Run ``code`` in a new Python process on this test database, as a second web server."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{database['NAME']}"
    else:
        password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
        where = f"{database['HOST'] or 'localhost'}:{database['PORT'] or 5432}"
        url = f"postgres://{database['USER']}{password}@{where}/{database['NAME']}"
    program = f"import django; django.setup()\n{code}"
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "needlepoint.settings",
    }
    subprocess.run([sys.executable, "-c", program], env=environment, cwd=ROOT, check=True)


@pytest.mark.django_db(transaction=True)
def test_a_closure_added_on_another_server_is_seen_by_the_next_search_here(setup):
    clinic, offered = setup
    assert starts(offered) and starts(offered) == starts(offered)  # kept in this process
    on_another_server(
        "from datetime import date\n"
        "from needlepoint.clinics.models import Location\n"
        "from needlepoint.clinics.setup import closure_add\n"
        f"day = date.fromisoformat('{WEDNESDAY.isoformat()}')\n"
        f"location = Location.objects.get(pk={clinic.location.pk})\n"
        "closure_add(location=location, starts_on=day, ends_on=day, reason='Refit')"
    )
    assert starts(offered) == []
