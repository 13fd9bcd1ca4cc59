"""What the outbox plans for bookings, moves, cancellations, completed sessions and offers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from needlepoint.notifications.choices import MessageKind, MessageStatus
from needlepoint.notifications.models import Message
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_cancel, booking_create, booking_reschedule
from tests import factories

BOOKED_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)  # Friday
VISIT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)  # Wednesday; London is on UTC


@pytest.fixture
def booked(clinic):
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    booking = booking_create(
        client=client, service=offered, starts_at=VISIT, channel=Channel.STAFF, now=BOOKED_AT
    )
    return clinic, booking


def planned(subject: str, status: str = MessageStatus.PENDING) -> list[tuple[str, str, datetime]]:
    return [
        (message.kind, message.step, message.due_at)
        for message in Message.objects.filter(subject=subject, status=status).order_by(
            "due_at", "kind"
        )
    ]


def test_a_booking_plans_its_confirmation_pre_care_and_reminders(booked):
    _, booking = booked
    assert planned(f"booking:{booking.public_id}") == [
        (MessageKind.BOOKING_CONFIRMED, "", BOOKED_AT),
        (MessageKind.PRE_CARE, "", VISIT - timedelta(days=3)),
        (MessageKind.REMINDER, "48h", VISIT - timedelta(hours=48)),
        (MessageKind.REMINDER, "2h", VISIT - timedelta(hours=2)),
    ]


def test_each_location_chooses_its_reminder_times(clinic):
    clinic.location.reminder_hours = "72,24"
    clinic.location.save()
    booking = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=factories.service(clinic.location),
        starts_at=VISIT,
        channel=Channel.STAFF,
        now=BOOKED_AT,
    )
    reminders = [
        step for kind, step, _ in planned(f"booking:{booking.public_id}") if kind == "reminder"
    ]
    assert reminders == ["72h", "24h"]


def test_a_reminder_due_in_quiet_hours_waits_until_they_end(clinic):
    early = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # 2 h before: 07:30, inside 21:00 to 08:00
    booking = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=factories.service(clinic.location),
        starts_at=early,
        channel=Channel.STAFF,
        now=BOOKED_AT,
    )
    two_hours = next(
        due for kind, step, due in planned(f"booking:{booking.public_id}") if step == "2h"
    )
    assert two_hours == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_a_client_who_prefers_texts_gets_texts(clinic):
    client = factories.screened_client(clinic.organisation, message_channel="sms")
    booking = booking_create(
        client=client,
        service=factories.service(clinic.location),
        starts_at=VISIT,
        channel=Channel.STAFF,
        now=BOOKED_AT,
    )
    channels = set(
        Message.objects.filter(subject=f"booking:{booking.public_id}").values_list(
            "channel", "recipient"
        )
    )
    assert channels == {("sms", client.phone)}


def test_planning_twice_makes_no_second_message(booked):
    from needlepoint.notifications.planner import plan_booking

    _, booking = booked
    before = Message.objects.count()
    plan_booking(booking, now=BOOKED_AT)
    assert Message.objects.count() == before + 0  # the confirmation keeps its key: no new row
    assert Message.objects.filter(kind="booking_confirmed").count() == 1


def test_moving_a_booking_moves_its_reminders_and_moving_back_revives_them(booked):
    clinic, booking = booked
    subject = f"booking:{booking.public_id}"
    moved_to = VISIT + timedelta(days=1)
    booking_reschedule(booking=booking, starts_at=moved_to, now=BOOKED_AT + timedelta(hours=1))
    reminders = [due for kind, _, due in planned(subject) if kind == "reminder"]
    assert reminders == [moved_to - timedelta(hours=48), moved_to - timedelta(hours=2)]
    assert MessageKind.BOOKING_MOVED in [kind for kind, _, _ in planned(subject)]
    booking_reschedule(booking=booking, starts_at=VISIT, now=BOOKED_AT + timedelta(hours=2))
    reminders = [due for kind, _, due in planned(subject) if kind == "reminder"]
    assert reminders == [VISIT - timedelta(hours=48), VISIT - timedelta(hours=2)]
    assert Message.objects.filter(subject=subject, kind="reminder").count() == 4


def test_cancelling_cancels_what_is_pending_and_sends_a_cancellation(booked):
    _, booking = booked
    booking_cancel(booking=booking, now=BOOKED_AT + timedelta(hours=1))
    subject = f"booking:{booking.public_id}"
    assert planned(subject) == [(MessageKind.BOOKING_CANCELLED, "", BOOKED_AT + timedelta(hours=1))]
    assert len(planned(subject, MessageStatus.CANCELLED)) == 4


def complete_a_session(clinic, booking, depth: str, done: datetime):
    """Chart one zone of the booking with a cartridge and sign it at ``done``."""
    from needlepoint.clinics.models import NeedleConfiguration
    from needlepoint.treatments.services import (
        cartridge_use,
        session_complete,
        session_start,
        zone_record,
    )

    clinic.organisation.checklist_blocking = []
    clinic.organisation.save()
    user = clinic.practitioner.user
    session = session_start(booking=booking, by=user, now=VISIT)
    zone_record(session=session, zone="zone.cheeks", depth_mm=depth, by=user, now=VISIT)
    configuration = NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin", needle_count=12
    )
    cartridge_use(
        session=session,
        configuration=configuration,
        serial=f"S{booking.pk}",
        lot="L1",
        expires_on=date(2027, 6, 1),
        by=user,
    )
    return session_complete(session=session, by=user, now=done)


def test_completing_a_session_plans_aftercare_and_the_rebooking_nudge(booked):
    clinic, booking = booked
    done = VISIT + timedelta(minutes=50)
    session = complete_a_session(clinic, booking, "1.5", done)
    evening = time(18)
    assert planned(f"session:{session.public_id}") == [
        (MessageKind.AFTERCARE, "day0", done),
        (MessageKind.AFTERCARE, "day1", datetime.combine(date(2026, 11, 26), evening, UTC)),
        (MessageKind.AFTERCARE, "day3", datetime.combine(date(2026, 11, 28), evening, UTC)),
        (MessageKind.AFTERCARE, "day7", datetime.combine(date(2026, 12, 2), evening, UTC)),
        (MessageKind.REBOOK, "", datetime(2026, 12, 23, 10, tzinfo=UTC)),
    ]


def test_the_last_session_of_a_course_plans_follow_up_photo_visits_at_3_and_6_months(booked):
    from needlepoint.scheduling.models import Booking, Course

    clinic, booking = booked
    course = Course.objects.create(
        client=booking.client, service=booking.service, planned_sessions=1, interval_days=28
    )
    Booking.objects.filter(pk=booking.pk).update(course=course)
    booking.refresh_from_db()
    session = complete_a_session(clinic, booking, "1.0", VISIT + timedelta(hours=1))
    follow_ups = [
        (step, due)
        for kind, step, due in planned(f"session:{session.public_id}")
        if kind == MessageKind.FOLLOW_UP
    ]
    assert follow_ups == [
        ("3m", datetime(2027, 2, 25, 10, tzinfo=UTC)),
        ("6m", datetime(2027, 5, 25, 9, tzinfo=UTC)),  # 10:00 British Summer Time
    ]
