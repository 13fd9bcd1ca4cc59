"""Many front desks and websites try to book the same time at once: exactly one wins.

Each racer runs in its own thread with its own database connection (PostgreSQL, or a
SQLite file whose writers queue on IMMEDIATE transactions), released together
from a barrier. The times overlap without being identical, and the database is checked
afterwards for any overlapping holds at all.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.services import questionnaire_submit
from needlepoint.clinical import default_rules
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # real commits, on SQLite and PostgreSQL

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
RACERS = 16


def race(attempts: list) -> tuple[list[Booking], list[DomainError], list[BaseException]]:
    barrier = threading.Barrier(len(attempts))
    won: list[Booking] = []
    refused: list[DomainError] = []
    crashed: list[BaseException] = []

    def run(attempt) -> None:
        try:
            barrier.wait()
            won.append(attempt())
        except DomainError as error:
            refused.append(error)
        except BaseException as error:  # a crash is what this test looks for  # noqa: BLE001
            crashed.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return won, refused, crashed


def overlapping_holds() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM scheduling_hold a JOIN scheduling_hold b
               ON a.kind = b.kind AND a.resource_id = b.resource_id AND a.id < b.id
               AND a.active AND b.active AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"""
        )
        return int(cursor.fetchone()[0])


def database_refusal(error: BaseException) -> bool:
    from django.db import IntegrityError, OperationalError

    if isinstance(error, IntegrityError):
        return True
    return isinstance(error, OperationalError) and (
        getattr(error.__cause__, "sqlstate", None) == "40P01"
    )


@pytest.fixture
def clinic_with_clients():
    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    answers = {q.key: {"present": False} for q in default_rules().questions()}
    clients = []
    for _ in range(RACERS):
        client = factories.client(clinic.organisation)
        questionnaire_submit(
            client=client,
            answers=answers,
            answered_on=date(2026, 11, 20),
            source=SubmissionSource.STAFF,
        )
        clients.append(client)
    return clinic, offered, clients


@pytest.mark.parametrize("round_", range(3))
def test_sixteen_clients_racing_for_one_slot_leave_exactly_one_booking(clinic_with_clients, round_):
    clinic, offered, clients = clinic_with_clients
    start = datetime(2026, 11, 24, 10, tzinfo=LONDON) + timedelta(hours=2 * round_)
    offsets = [
        timedelta(minutes=15 * (i % 3)) for i in range(RACERS)
    ]  # +0, +15, +30: overlapping, not equal

    def attempt(client, offset):
        return lambda: booking_create(
            client=client,
            service=offered,
            starts_at=start + offset,
            channel=Channel.ONLINE,
            now=NOW,
        )

    won, refused, crashed = race([attempt(c, o) for c, o in zip(clients, offsets, strict=True)])
    assert crashed == []
    assert len(won) == 1
    assert len(refused) == RACERS - 1
    assert {error.code for error in refused} <= {"slot_taken", "slot_unavailable"}
    assert all(
        "just taken" in error.message or "not available" in error.message for error in refused
    )
    assert Booking.objects.count() == 1
    assert overlapping_holds() == 0


def test_when_every_racer_saw_the_time_free_the_database_refuses_all_but_one(
    clinic_with_clients, monkeypatch
):
    """All sixteen pass the availability check before any writes: only the database is left."""
    from needlepoint.scheduling import services

    clinic, offered, clients = clinic_with_clients
    start = datetime(2026, 11, 24, 10, tzinfo=LONDON)
    everyone_has_looked = threading.Barrier(RACERS)
    looked_up = services.slot_at

    def slot_at_then_wait(*args, **kwargs):
        slot = looked_up(*args, **kwargs)
        everyone_has_looked.wait(timeout=30)
        return slot

    monkeypatch.setattr(services, "slot_at", slot_at_then_wait)
    attempts = [
        lambda client=client: booking_create(
            client=client, service=offered, starts_at=start, channel=Channel.ONLINE, now=NOW
        )
        for client in clients
    ]
    won, refused, crashed = race(attempts)
    assert crashed == []
    assert len(won) == 1
    assert [error.code for error in refused] == ["slot_taken"] * (RACERS - 1)
    assert all(error.message.startswith("That time was just taken") for error in refused)
    assert Booking.objects.count() == 1
    assert overlapping_holds() == 0


def test_a_move_and_a_new_booking_racing_for_one_time_leave_one_of_them(clinic_with_clients):
    clinic, offered, clients = clinic_with_clients
    from needlepoint.scheduling.services import booking_reschedule

    target = datetime(2026, 11, 25, 10, tzinfo=LONDON)
    moving = booking_create(
        client=clients[0],
        service=offered,
        starts_at=datetime(2026, 11, 25, 14, tzinfo=LONDON),
        channel=Channel.STAFF,
        now=NOW,
    )

    def move():
        return booking_reschedule(
            booking=Booking.objects.get(pk=moving.pk), starts_at=target, now=NOW
        )

    def book(client):
        return lambda: booking_create(
            client=client, service=offered, starts_at=target, channel=Channel.ONLINE, now=NOW
        )

    won, refused, crashed = race([move, *(book(c) for c in clients[1:8])])
    assert crashed == []
    assert len(won) == 1 and len(refused) == 7
    assert Booking.objects.filter(starts_at=target).count() == 1
    assert overlapping_holds() == 0


def test_a_cancelled_time_goes_to_exactly_one_of_the_clients_racing_for_it(clinic_with_clients):
    from needlepoint.scheduling.services import booking_cancel

    clinic, offered, clients = clinic_with_clients
    start = datetime(2026, 11, 26, 10, tzinfo=LONDON)
    first = booking_create(
        client=clients[0], service=offered, starts_at=start, channel=Channel.STAFF, now=NOW
    )
    booking_cancel(booking=first, now=NOW)

    def book(client):
        return lambda: booking_create(
            client=client, service=offered, starts_at=start, channel=Channel.ONLINE, now=NOW
        )

    won, refused, crashed = race([book(c) for c in clients[1:]])
    assert crashed == [] and len(won) == 1 and len(refused) == RACERS - 2
    assert Booking.objects.filter(starts_at=start, status="booked").count() == 1
    assert overlapping_holds() == 0


def test_even_a_naive_check_then_insert_cannot_double_book(clinic_with_clients):
    """Code that skips the service's locks still can't double-book: the database refuses."""
    from django.db import transaction

    from needlepoint.scheduling.models import Hold

    clinic, offered, clients = clinic_with_clients
    start = datetime(2026, 11, 27, 10, tzinfo=LONDON)
    room = clinic.location.rooms.get()

    def naive(client):
        def attempt():
            with transaction.atomic():
                taken = Hold.objects.filter(
                    kind="room",
                    resource_id=room.pk,
                    active=True,
                    starts_at__lt=start + timedelta(hours=1),
                    ends_at__gt=start,
                )
                if taken.exists():
                    raise DomainError("slot_taken", "taken (seen by the naive check)")
                booking = Booking.objects.create(
                    location=clinic.location,
                    client=client,
                    service=offered,
                    practitioner=clinic.practitioner,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    channel="staff",
                )
                Hold.objects.create(
                    booking=booking,
                    kind="room",
                    resource_id=room.pk,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                )
                return booking

        return attempt

    won, refused, crashed = race([naive(c) for c in clients])
    assert len(won) == 1
    # The database's refusal: an exclusion violation, or (PostgreSQL) one of two writers
    # waiting on each other's uncommitted rows chosen as the deadlock victim.
    assert all(database_refusal(error) for error in crashed), crashed
    assert len(refused) + len(crashed) == RACERS - 1
    assert Hold.objects.filter(kind="room", resource_id=room.pk).count() == 1
    assert overlapping_holds() == 0


def test_two_desks_cancelling_the_same_booking_record_one_cancellation(clinic_with_clients):
    from needlepoint.scheduling.services import booking_cancel

    clinic, offered, clients = clinic_with_clients
    booking = booking_create(
        client=clients[0],
        service=offered,
        starts_at=datetime(2026, 11, 30, 10, tzinfo=LONDON),
        channel=Channel.STAFF,
        now=NOW,
    )

    def cancel():
        return booking_cancel(booking=Booking.objects.get(pk=booking.pk), now=NOW)

    won, refused, crashed = race([cancel for _ in range(8)])
    assert crashed == [] and len(won) == 1 and len(refused) == 7
    assert {error.code for error in refused} == {"wrong_status"}
    assert booking.events.filter(kind__in=["cancelled", "late_cancelled"]).count() == 1
