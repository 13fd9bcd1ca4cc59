"""Course and maintenance limits at the booking gate (§5 (d): "course/maintenance limits
respected or clinician override recorded").

Maintenance is "up to N in any 12 months" (rolling); a finished course without
maintenance needs a clinician's new plan. Both are relative limits: a practitioner,
manager or owner may book past them with a reason, recorded in the booking's history
with the rule's key; the front desk may not.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from needlepoint.audit.choices import Action
from needlepoint.audit.models import AuditEvent
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import BookingEventKind, Channel
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.models import TreatmentSession, ZoneTreatment
from tests import factories

from .test_bookings import LONDON, TUESDAY, at

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday morning; Tuesday is 24 November
COURSE = [date(2025, month, 1) for month in range(1, 7)]
REASON = "Event on Saturday; reviewed the skin today."


def treated(clinic, client, indication: str, zone: str, depth: float, days: list[date]) -> None:
    for day in days:
        session = TreatmentSession.objects.create(
            client=client,
            location=clinic.location,
            practitioner=clinic.practitioner,
            indication=indication,
            performed_on=day,
        )
        ZoneTreatment.objects.create(session=session, zone=zone, depth_mm=depth)


@pytest.fixture
def maintained(clinic):
    """A wrinkle course, then maintenance on 1 December 2025 and 1 February 2026: two in
    the 12 months, so the next is from 1 December 2026 (a fixed 6-month gap after the
    last would have allowed it from 1 August 2026)."""
    offered = factories.service(clinic.location, indication="ind.wrinkles_fine_lines")
    client = factories.screened_client(clinic.organisation)
    maintenance = [date(2025, 12, 1), date(2026, 2, 1)]
    treated(clinic, client, "ind.wrinkles_fine_lines", "zone.forehead", 0.75, COURSE + maintenance)
    return clinic, offered, client


@pytest.fixture
def finished(clinic):
    """A course of six acne-scar sessions: acne scars have no maintenance."""
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    treated(clinic, client, "ind.acne_scars", "zone.cheeks", 1.5, COURSE)
    return clinic, offered, client


def book(client, offered, start, **kwargs):
    return booking_create(
        client=client, service=offered, starts_at=start, channel=Channel.STAFF, now=NOW, **kwargs
    )


def test_a_third_maintenance_session_in_12_months_is_refused_with_the_rolling_rule(maintained):
    clinic, offered, client = maintained

    with pytest.raises(DomainError) as refused:
        book(client, offered, at(TUESDAY, 10), by=clinic.practitioner.user)

    assert refused.value.code == "too_early"
    assert "the earliest allowed date is 1 December 2026" in refused.value.message
    assert (
        "maintenance is up to 2 sessions in any 12 months: the next can be from 1 December 2026"
    ) in refused.value.message
    assert not client.bookings.exists()


def test_a_practitioner_books_past_the_maintenance_limit_with_a_reason_recorded(maintained):
    clinic, offered, client = maintained

    booking = book(
        client, offered, at(TUESDAY, 10), by=clinic.practitioner.user, override_reason=REASON
    )

    override = booking.events.get(kind=BookingEventKind.INTERVAL_OVERRIDDEN)
    assert override.by == clinic.practitioner.user and override.reason == REASON
    assert override.data["rules"] == ["course.maintenance"]
    assert override.data["earliest"] == "2026-12-01"
    audit = AuditEvent.objects.get(action=Action.OVERRIDDEN, target_id=str(booking.public_id))
    assert audit.reason == REASON and audit.detail["rules"] == ["course.maintenance"]
    assert booking.starts_at.astimezone(LONDON).date() == TUESDAY


def test_the_front_desk_cannot_override_the_maintenance_limit(maintained):
    clinic, offered, client = maintained

    with pytest.raises(DomainError) as refused:
        book(client, offered, at(TUESDAY, 10), by=clinic.front_desk.user, override_reason=REASON)

    assert refused.value.code == "override_not_allowed"
    assert not client.bookings.exists()


def test_the_day_the_oldest_leaves_the_window_books_without_an_override(maintained):
    clinic, offered, client = maintained

    booking = book(client, offered, at(date(2026, 12, 1), 10), by=clinic.front_desk.user)

    assert not booking.events.filter(kind=BookingEventKind.INTERVAL_OVERRIDDEN).exists()


def test_a_finished_course_needs_a_clinicians_override_recorded_with_its_rule(finished):
    clinic, offered, client = finished

    with pytest.raises(DomainError) as refused:
        book(client, offered, at(TUESDAY, 10))
    assert refused.value.code == "too_early"
    assert "a new course needs a clinician's plan" in refused.value.message

    with pytest.raises(DomainError) as front_desk:
        book(client, offered, at(TUESDAY, 10), by=clinic.front_desk.user, override_reason=REASON)
    assert front_desk.value.code == "override_not_allowed"
    assert not client.bookings.exists()

    booking = book(client, offered, at(TUESDAY, 10), by=clinic.manager.user, override_reason=REASON)

    override = booking.events.get(kind=BookingEventKind.INTERVAL_OVERRIDDEN)
    assert override.by == clinic.manager.user and override.reason == REASON
    assert override.data["rules"] == ["course.complete"]
    assert override.data["blocked"] is True


def test_an_open_adverse_event_on_the_area_blocks_even_a_practitioners_override(clinic):
    """§5 (b): the zone must be healed; an open adverse event is no relative limit."""
    from needlepoint.treatments.services import adverse_event_record

    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    adverse_event_record(
        client=client,
        kind="ae.pih",
        zones=["zone.cheeks"],
        grade=1,
        onset_on=date(2026, 11, 2),
        by=clinic.practitioner.user,
    )
    for reason in ("", REASON):
        with pytest.raises(DomainError) as refused:
            booking_create(
                client=client,
                service=offered,
                starts_at=at(TUESDAY, 10),
                channel=Channel.STAFF,
                by=clinic.practitioner.user,
                override_reason=reason,
                now=NOW,
            )
        assert refused.value.code == "adverse_event_open"
        assert "can't be overridden" in refused.value.message


def test_a_course_already_filled_by_bookings_takes_no_more(clinic):
    """Five sessions done and the sixth booked: a seventh is past the course of six."""
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    treated(clinic, client, "ind.acne_scars", "zone.cheeks", 1.5, COURSE[:5])
    sixth = book(client, offered, at(TUESDAY, 10))

    with pytest.raises(DomainError) as refused:
        book(client, offered, at(date(2027, 2, 2), 10), by=clinic.front_desk.user)
    assert refused.value.code == "too_early"
    assert refused.value.message == (
        "This treatment can't be booked on 2 February 2027. Course complete: 6 done or booked "
        "of a course of 6; a new course needs a clinician's plan."
    )
    assert list(client.bookings.all()) == [sixth]

    moved_out = book(
        client, offered, at(date(2027, 2, 2), 10), by=clinic.manager.user, override_reason=REASON
    )
    override = moved_out.events.get(kind=BookingEventKind.INTERVAL_OVERRIDDEN)
    assert override.data["rules"] == ["course.complete"]


def test_maintenance_already_booked_counts_in_the_rolling_12_months(maintained):
    """Maintenance on 1 February 2026 and one booked on 1 December 2026: a third on 12
    January 2027 would make three in the 12 months from 1 February 2026; from 1 February
    2027 the window holds two again."""
    clinic, offered, client = maintained
    book(client, offered, at(date(2026, 12, 1), 10))

    with pytest.raises(DomainError) as refused:
        book(client, offered, at(date(2027, 1, 12), 10))
    assert refused.value.code == "too_early"
    assert (
        "maintenance is up to 2 sessions in any 12 months, and the 12 months from "
        "1 February 2026 would hold 3."
    ) in refused.value.message
    assert client.bookings.count() == 1

    book(client, offered, at(date(2027, 2, 2), 10))
    assert client.bookings.count() == 2


def test_moving_a_booked_maintenance_session_does_not_count_it_twice(maintained):
    from needlepoint.scheduling.services import booking_reschedule

    clinic, offered, client = maintained
    booked = book(client, offered, at(date(2026, 12, 1), 10))
    moved = booking_reschedule(
        booking=booked, starts_at=at(date(2026, 12, 8), 10), by=clinic.front_desk.user, now=NOW
    )
    assert moved.starts_at.astimezone(LONDON).date() == date(2026, 12, 8)
