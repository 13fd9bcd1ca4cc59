"""Booking through the service layer: free times, buffers, history and the clinical interval."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.services import questionnaire_submit
from needlepoint.clinical import default_rules
from needlepoint.clinics.choices import DeviceKind
from needlepoint.clinics.models import Device, Room
from needlepoint.core import plain_sql
from needlepoint.core.errors import DomainError
from needlepoint.notifications.models import Message
from needlepoint.scheduling import calendar_reads
from needlepoint.scheduling.choices import BookingEventKind, BookingStatus, Channel
from needlepoint.scheduling.models import Booking, Hold
from needlepoint.scheduling.queries import available_slots
from needlepoint.scheduling.services import (
    booking_cancel,
    booking_check_in,
    booking_complete,
    booking_create,
    booking_no_show,
    booking_reschedule,
)
from needlepoint.treatments.models import TreatmentSession, ZoneTreatment
from tests import factories

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday morning


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


TUESDAY = date(2026, 11, 24)
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")


@pytest.fixture
def setup(clinic):
    offered = factories.service(clinic.location)
    client = factories.client(clinic.organisation)
    items = {q.key: {"present": False} for q in default_rules().questions()}
    questionnaire_submit(
        client=client, answers=items, answered_on=date(2026, 11, 20), source=SubmissionSource.STAFF
    )
    return clinic, offered, client


def book(client, offered, start, **kwargs):
    return booking_create(
        client=client, service=offered, starts_at=start, channel=Channel.STAFF, now=NOW, **kwargs
    )


def test_booking_a_free_time_holds_the_practitioner_room_and_pen(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    assert booking.ends_at - booking.starts_at == timedelta(minutes=60)
    holds = {
        hold.kind: (hold.starts_at, hold.ends_at) for hold in Hold.objects.filter(booking=booking)
    }
    assert holds["practitioner"] == (at(TUESDAY, 10), at(TUESDAY, 11, 10))  # 10 min turnover after
    assert holds["room"] == (at(TUESDAY, 10), at(TUESDAY, 11, 10))
    assert holds["device"] == (
        at(TUESDAY, 10),
        at(TUESDAY, 11, 15),
    )  # the pen's 15 min reprocessing
    assert [event.kind for event in booking.events.all()] == [BookingEventKind.CREATED]


def test_a_taken_time_is_not_offered_and_cannot_be_booked(setup):
    clinic, offered, client = setup
    book(client, offered, at(TUESDAY, 10))
    other = factories.screened_client(clinic.organisation)
    starts = {
        slot.start
        for slot in available_slots(offered, TUESDAY, TUESDAY, now=NOW, channel=Channel.STAFF)
    }
    assert at(TUESDAY, 10) not in starts
    with pytest.raises(DomainError) as refused:
        book(other, offered, at(TUESDAY, 10, 30))
    assert refused.value.code == "slot_taken"  # free but for the other booking


def test_the_next_visit_fits_after_the_buffer_and_reprocessing(setup):
    clinic, offered, client = setup
    book(client, offered, at(TUESDAY, 10))
    other = factories.screened_client(clinic.organisation)
    starts = {
        slot.start
        for slot in available_slots(offered, TUESDAY, TUESDAY, now=NOW, channel=Channel.STAFF)
    }
    assert at(TUESDAY, 11) not in starts
    assert at(TUESDAY, 11, 15) in starts
    book(other, offered, at(TUESDAY, 11, 15))


def test_a_second_pen_and_room_let_two_practitioners_work_at_once(setup):
    clinic, offered, client = setup
    second = factories.staff_member(clinic.organisation, "practitioner", clinic.location)
    factories.works_opening_hours(second, clinic.location)
    offered.practitioners.add(second)
    Room.objects.create(location=clinic.location, name="Room 2")
    Device.objects.create(
        location=clinic.location, kind=DeviceKind.PEN, name="Pen B", serial_number="PB"
    )
    first = book(client, offered, at(TUESDAY, 10))
    other = book(factories.screened_client(clinic.organisation), offered, at(TUESDAY, 10))
    assert {first.practitioner_id, other.practitioner_id} == {clinic.practitioner.pk, second.pk}
    assert first.room_id != other.room_id and first.device_id != other.device_id


def test_nothing_is_offered_on_a_sunday_or_a_closure(setup):
    clinic, offered, _ = setup
    clinic.location.closures.create(
        starts_on=date(2026, 12, 24), ends_on=date(2026, 12, 26), reason="Christmas"
    )
    for day in (date(2026, 11, 29), date(2026, 12, 24), date(2026, 12, 26)):
        assert available_slots(offered, day, day, now=NOW, channel=Channel.STAFF) == []
    assert available_slots(
        offered, date(2026, 12, 23), date(2026, 12, 23), now=NOW, channel=Channel.STAFF
    )


def test_online_booking_respects_minimum_notice_and_horizon(setup):
    clinic, offered, _ = setup
    now = at(TUESDAY, 9)
    online = available_slots(offered, TUESDAY, TUESDAY, now=now, channel=Channel.ONLINE)
    assert min(slot.start for slot in online) == at(TUESDAY, 11)  # two hours' notice
    far = TUESDAY + timedelta(days=120)
    assert available_slots(offered, far, far, now=now, channel=Channel.ONLINE) == []
    assert available_slots(offered, far, far, now=now, channel=Channel.STAFF)


def test_availability_costs_the_same_queries_however_many_bookings(
    setup, django_assert_max_num_queries
):
    clinic, offered, client = setup
    with django_assert_max_num_queries(12) as few:
        available_slots(
            offered, TUESDAY, TUESDAY + timedelta(days=6), now=NOW, channel=Channel.STAFF
        )
    for hour in (9, 11, 13, 15):
        book(
            factories.screened_client(clinic.organisation),
            offered,
            at(TUESDAY + timedelta(days=1), hour),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        available_slots(
            offered, TUESDAY, TUESDAY + timedelta(days=6), now=NOW, channel=Channel.STAFF
        )


def test_a_booking_costs_a_fixed_number_of_statements_with_its_messages(setup, settings):
    """A treatment for a client with email and mobile: the clinical gate, the slot check,
    the booking with its holds and history line, and its messages planned once, in one
    transaction. With the database queue (as in production) no wake-up row is written:
    the worker finds the due confirmation itself (tests/notifications/test_worker.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    clinic, offered, _ = setup
    book(factories.screened_client(clinic.organisation), offered, at(TUESDAY, 9))  # set-up read
    someone = factories.screened_client(clinic.organisation, message_channel="both")
    with CaptureQueriesContext(connection) as captured:
        booking = book(someone, offered, at(TUESDAY, 11))
    statements = [query["sql"] for query in captured.captured_queries]
    work = [sql for sql in statements if not sql.upper().startswith(TRANSACTION_CONTROL)]
    # the set-up token, the client's history, their booked sessions, the calendar around
    # the start, the booking, its holds, its history line, the client's packages, and its
    # messages (on PostgreSQL in statements psycopg keeps parsed: plain_sql.insert)
    messages = [sql for sql in work if "notifications_message" in sql]
    assert len(work) - len(messages) == 8, "\n".join(work)
    assert len(messages) == 1 if connection.vendor == "sqlite" else len(messages) >= 1
    # the client's clinical history in one read (clients/history.py)
    assert sum("clients_questionnairesubmission" in sql for sql in work) == 1
    # the booking, its holds, its history line
    assert [sql.split()[2] for sql in work if sql.startswith("INSERT") and sql not in messages] == [
        "scheduling_booking",
        "scheduling_hold",
        "scheduling_bookingevent",
    ]
    assert not any("django_tasks_database_dbtaskresult" in sql for sql in work)
    # one transaction, no savepoint inside it (here the test's own transaction wraps it: one)
    assert sum(sql.upper().startswith("SAVEPOINT") for sql in statements) == 1
    planned = Message.objects.filter(subject=f"booking:{booking.public_id}")
    assert {(m.kind, m.channel) for m in planned} >= {
        ("booking_confirmed", "email"),
        ("booking_confirmed", "sms"),
    }
    assert planned.count() == len({m.idempotency_key for m in planned})
    assert not DBTaskResult.objects.exists()


def test_many_rows_go_in_statements_psycopg_keeps_parsed(setup):
    """``plain_sql.insert``: every row goes in; on PostgreSQL no statement carries more
    than ``CACHED_PARAMETERS`` values (psycopg would parse a longer one every time)."""
    _, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    columns = ["organisation_id", "booking_id", "kind", "at", "by_id", "reason", "data"]
    line = (
        booking.organisation_id,
        booking.pk,
        "checked_in",
        plain_sql.instant(NOW),
        None,
        "",
        "{}",
    )
    with CaptureQueriesContext(connection) as captured:
        plain_sql.insert("scheduling_bookingevent", columns, [line] * 20)
    assert booking.events.filter(kind="checked_in").count() == 20
    per_statement = plain_sql.CACHED_PARAMETERS // len(columns)  # 7 rows of 7 values
    expected = 1 if connection.vendor == "sqlite" else -(-20 // per_statement)
    assert len(captured.captured_queries) == expected


def test_a_booking_refused_by_the_database_leaves_no_message_and_no_wake_up(setup, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    clinic, offered, client = setup
    with pytest.raises(DomainError), transaction.atomic():
        book(client, offered, at(TUESDAY, 11))
        raise DomainError("changed_mind", "The desk changed its mind.")
    assert not Message.objects.filter(client=client).exists()
    assert not DBTaskResult.objects.exists()


def test_cancelling_frees_the_time_and_keeps_the_history(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    booking_cancel(booking=booking, now=NOW, reason="Client asked")
    assert booking.status == BookingStatus.CANCELLED
    book(factories.screened_client(clinic.organisation), offered, at(TUESDAY, 10))
    assert [e.kind for e in booking.events.all()] == [
        BookingEventKind.CREATED,
        BookingEventKind.CANCELLED,
    ]


def test_cancelling_inside_the_window_is_recorded_as_late(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    booking_cancel(booking=booking, now=at(TUESDAY, 8))
    assert booking.events.last().kind == BookingEventKind.LATE_CANCELLED


def test_rescheduling_moves_the_holds_and_keeps_both_times(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    booking_reschedule(booking=booking, starts_at=at(TUESDAY, 14), now=NOW)
    assert booking.starts_at == at(TUESDAY, 14) and booking.version == 2
    assert Hold.objects.get(booking=booking, kind="room").starts_at == at(TUESDAY, 14)
    moved = booking.events.get(kind=BookingEventKind.RESCHEDULED)
    assert moved.data["from"] == at(TUESDAY, 10).isoformat()
    book(factories.screened_client(clinic.organisation), offered, at(TUESDAY, 10))


def test_a_visit_goes_from_check_in_to_complete(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    with pytest.raises(DomainError):
        booking_complete(booking=booking)
    booking_check_in(booking=booking)
    booking_complete(booking=booking)
    assert booking.status == BookingStatus.COMPLETED


def test_a_no_show_is_recorded_only_after_the_start(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    with pytest.raises(DomainError) as refused:
        booking_no_show(booking=booking, now=at(TUESDAY, 9))
    assert refused.value.code == "too_soon"
    booking_no_show(booking=booking, now=at(TUESDAY, 10, 20))
    assert booking.status == BookingStatus.NO_SHOW


def treated_cheeks(clinic, client, on: date) -> None:
    session = TreatmentSession.objects.create(
        client=client,
        location=clinic.location,
        practitioner=clinic.practitioner,
        indication="ind.acne_scars",
        performed_on=on,
    )
    ZoneTreatment.objects.create(session=session, zone="zone.cheeks", depth_mm=1.5)


def test_booking_a_zone_before_its_interval_is_refused_with_the_date(setup):
    clinic, offered, client = setup
    treated_cheeks(clinic, client, date(2026, 11, 4))
    with pytest.raises(DomainError) as refused:
        book(client, offered, at(TUESDAY, 10))
    assert refused.value.code == "too_early"
    assert "2 December 2026" in refused.value.message
    assert not client.bookings.exists()


def test_the_clinical_earliest_date_limits_the_times_offered(setup):
    clinic, offered, client = setup
    treated_cheeks(clinic, client, date(2026, 11, 4))
    slots = available_slots(
        offered, TUESDAY, date(2026, 12, 4), now=NOW, channel=Channel.STAFF, client=client
    )
    assert min(slot.start.astimezone(LONDON).date() for slot in slots) == date(2026, 12, 2)


def test_a_practitioner_may_override_the_interval_with_a_reason_and_it_is_recorded(setup):
    clinic, offered, client = setup
    treated_cheeks(clinic, client, date(2026, 11, 4))
    booking = book(
        client,
        offered,
        at(TUESDAY, 10),
        by=clinic.practitioner.user,
        override_reason="Spot test only",
    )
    override = booking.events.get(kind=BookingEventKind.INTERVAL_OVERRIDDEN)
    assert override.by == clinic.practitioner.user and override.reason == "Spot test only"
    assert override.data["earliest"] == "2026-12-02"
    assert override.data["rules"] == ["interval.dermal"]


def test_the_front_desk_cannot_override_the_interval(setup):
    clinic, offered, client = setup
    treated_cheeks(clinic, client, date(2026, 11, 4))
    with pytest.raises(DomainError) as refused:
        book(
            client,
            offered,
            at(TUESDAY, 10),
            by=clinic.front_desk.user,
            override_reason="Client insists",
        )
    assert refused.value.code == "override_not_allowed"


def test_a_client_of_another_organisation_cannot_be_booked(setup, other_clinic):
    clinic, offered, _ = setup
    with pytest.raises(DomainError) as refused:
        book(factories.client(other_clinic.organisation), offered, at(TUESDAY, 10))
    assert refused.value.code == "wrong_organisation"


def bare_booking(clinic, offered, start):
    """A booking row written without the service, as a careless script might."""
    return Booking.objects.create(
        location=clinic.location,
        client=factories.client(clinic.organisation),
        service=offered,
        practitioner=clinic.practitioner,
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        channel="staff",
    )


def room_hold(booking, room_id, start, end):
    """Write a room hold directly, past the service's checks: only the database stands guard."""
    return Hold.objects.create(
        booking=booking, kind="room", resource_id=room_id, starts_at=start, ends_at=end
    )


def test_the_database_refuses_overlapping_holds_on_one_resource(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    intruder = bare_booking(clinic, offered, at(TUESDAY, 10, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        room_hold(intruder, booking.room_id, at(TUESDAY, 10, 30), at(TUESDAY, 11))


def test_back_to_back_holds_fit_exactly(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    intruder = bare_booking(clinic, offered, at(TUESDAY, 11, 10))
    room_hold(intruder, booking.room_id, at(TUESDAY, 11, 10), at(TUESDAY, 12))


def test_inactive_holds_of_cancelled_bookings_do_not_block(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(TUESDAY, 10))
    booking_cancel(booking=booking, now=NOW)
    intruder = bare_booking(clinic, offered, at(TUESDAY, 10))
    room_hold(intruder, booking.room_id, at(TUESDAY, 10), at(TUESDAY, 11))


def test_a_hold_longer_than_a_day_is_refused_by_the_database(setup):
    clinic, offered, _ = setup
    room = Room.objects.get(location=clinic.location)
    intruder = bare_booking(clinic, offered, at(TUESDAY, 10))
    with pytest.raises(IntegrityError), transaction.atomic():
        room_hold(
            intruder, room.pk, at(TUESDAY, 10), at(TUESDAY, 10) + timedelta(days=1, minutes=1)
        )


def test_a_day_long_hold_from_yesterday_still_blocks_today(setup):
    """Reads look back one day, the longest a hold may last, for holds still running."""
    clinic, offered, _ = setup
    room = Room.objects.get(location=clinic.location)
    wednesday = TUESDAY + timedelta(days=1)
    long = bare_booking(clinic, offered, at(TUESDAY, 11))
    room_hold(long, room.pk, at(TUESDAY, 11), at(wednesday, 11))
    intruder = bare_booking(clinic, offered, at(wednesday, 10, 30))
    with pytest.raises(IntegrityError), transaction.atomic():
        room_hold(intruder, room.pk, at(wednesday, 10, 30), at(wednesday, 11, 30))
    offered_starts = [
        slot.start
        for slot in available_slots(offered, wednesday, wednesday, now=NOW, channel=Channel.STAFF)
    ]
    assert min(offered_starts) == at(wednesday, 11)


@pytest.mark.parametrize("unixepoch", [True, False], ids=["unixepoch", "strftime"])
def test_a_hold_ending_a_microsecond_into_a_start_still_blocks_it(setup, monkeypatch, unixepoch):
    """Holds are read as whole microseconds counted by the database: on SQLite with
    unixepoch() or, before SQLite 3.38, strftime('%s')."""
    clinic, offered, _ = setup
    monkeypatch.setattr(calendar_reads, "UNIXEPOCH", unixepoch and calendar_reads.UNIXEPOCH)
    room = Room.objects.get(location=clinic.location)
    long = bare_booking(clinic, offered, at(TUESDAY, 9))
    room_hold(long, room.pk, at(TUESDAY, 9), at(TUESDAY, 11) + timedelta(microseconds=1))
    starts = [
        slot.start
        for slot in available_slots(offered, TUESDAY, TUESDAY, now=NOW, channel=Channel.STAFF)
    ]
    assert min(starts) == at(TUESDAY, 11, 15)


def test_time_off_and_a_day_off_remove_the_practitioners_times(setup):
    from needlepoint.scheduling.models import ShiftException, TimeOff

    clinic, offered, _ = setup
    TimeOff.objects.create(
        staff=clinic.practitioner, starts_at=at(TUESDAY, 9), ends_at=at(TUESDAY, 13)
    )
    starts = {
        slot.start
        for slot in available_slots(offered, TUESDAY, TUESDAY, now=NOW, channel=Channel.STAFF)
    }
    assert min(starts) == at(TUESDAY, 13)
    wednesday = TUESDAY + timedelta(days=1)
    ShiftException.objects.create(staff=clinic.practitioner, location=clinic.location, on=wednesday)
    assert available_slots(offered, wednesday, wednesday, now=NOW, channel=Channel.STAFF) == []
    thursday = TUESDAY + timedelta(days=2)
    ShiftException.objects.create(
        staff=clinic.practitioner,
        location=clinic.location,
        on=thursday,
        starts=time(14),
        ends=time(16),
    )
    late = available_slots(offered, thursday, thursday, now=NOW, channel=Channel.STAFF)
    assert [slot.start for slot in late] == [
        at(thursday, 14),
        at(thursday, 14, 15),
        at(thursday, 14, 30),
        at(thursday, 14, 45),
        at(thursday, 15),
    ]


def test_a_second_booking_on_the_same_zones_must_keep_the_interval_both_ways(setup):
    clinic, offered, client = setup
    december = date(2026, 12, 15)
    book(client, offered, at(december, 10))
    for too_close in (date(2026, 12, 1), date(2026, 12, 29)):
        with pytest.raises(DomainError) as refused:
            book(client, offered, at(too_close, 10))
        assert refused.value.code == "too_early"
        assert "15 December 2026" in refused.value.message and "28 days" in refused.value.message
    book(client, offered, at(date(2027, 1, 12), 10))


def test_a_booking_on_other_zones_is_not_held_back(setup):
    clinic, offered, client = setup
    scalp = factories.service(
        clinic.location, name="Scalp", area="area.scalp", indication="ind.alopecia"
    )
    book(client, offered, at(date(2026, 12, 15), 10))
    book(client, scalp, at(date(2026, 12, 16), 10))


def test_moving_a_booking_is_not_held_back_by_itself(setup):
    clinic, offered, client = setup
    booking = book(client, offered, at(date(2026, 12, 15), 10))
    booking_reschedule(booking=booking, starts_at=at(date(2026, 12, 16), 10), now=NOW)
