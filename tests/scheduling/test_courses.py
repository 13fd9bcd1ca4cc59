"""A course is N real bookings at a safe interval; moving one re-flows the rest."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.services import questionnaire_submit
from needlepoint.clinical import default_rules
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.courses import (
    Preferences,
    course_book,
    course_move_session,
    course_progress,
    course_propose,
)
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_check_in, booking_complete
from tests import factories

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture
def setup(clinic):
    offered = factories.service(clinic.location)
    client = factories.client(clinic.organisation)
    answers = {q.key: {"present": False} for q in default_rules().questions()}
    questionnaire_submit(
        client=client,
        answers=answers,
        answered_on=date(2026, 11, 20),
        source=SubmissionSource.STAFF,
    )
    return clinic, offered, client


def local(booking: Booking) -> datetime:
    return booking.starts_at.astimezone(LONDON)


def test_a_course_books_every_session_on_preferred_days_a_full_interval_apart(setup):
    clinic, offered, client = setup
    thursday_evenings = Preferences(weekdays={3}, time_from=time(16), time_to=time(17))
    course = course_book(
        client=client,
        service=offered,
        sessions=4,
        start_on=date(2026, 11, 24),
        preferences=thursday_evenings,
        now=NOW,
    )
    sessions = [local(b) for b in course.bookings.order_by("starts_at")]
    assert len(sessions) == 4
    assert all(s.weekday() == 3 and time(16) <= s.time() <= time(17) for s in sessions)
    assert sessions[0].date() == date(2026, 11, 26)
    assert all((b.date() - a.date()).days >= 28 for a, b in itertools.pairwise(sessions))
    assert course.interval_days == 28


def test_asking_for_a_shorter_interval_than_the_clinical_rule_still_keeps_the_rule(setup):
    clinic, offered, client = setup
    slots = course_propose(
        client=client,
        service=offered,
        sessions=3,
        start_on=date(2026, 11, 24),
        interval_days=7,
        now=NOW,
    )
    days = [slot.start.astimezone(LONDON).date() for slot in slots]
    assert [(b - a).days for a, b in itertools.pairwise(days)] == [28, 28]


def test_a_course_is_booked_whole_or_not_at_all(setup):
    clinic, offered, client = setup
    with pytest.raises(DomainError) as refused:
        course_book(
            client=client,
            service=offered,
            sessions=3,
            start_on=date(2026, 11, 24),
            preferences=Preferences(weekdays={6}),
            now=NOW,  # Sundays: closed
        )
    assert refused.value.code == "no_time_found"
    assert not Booking.objects.exists()


def test_moving_a_session_later_moves_the_following_ones_to_keep_the_interval(setup):
    clinic, offered, client = setup
    course = course_book(
        client=client, service=offered, sessions=3, start_on=date(2026, 11, 24), now=NOW
    )
    first, second, third = course.bookings.order_by("starts_at")
    new_second = local(second) + timedelta(days=14)
    moved = course_move_session(booking=second, starts_at=new_second, now=NOW)
    assert {b.pk for b in moved} == {second.pk, third.pk}
    third.refresh_from_db()
    assert (local(third).date() - new_second.date()).days >= 28
    assert third.events.filter(kind="rescheduled").exists()


def test_progress_counts_done_sessions_and_lists_the_next(setup):
    clinic, offered, client = setup
    course = course_book(
        client=client, service=offered, sessions=3, start_on=date(2026, 11, 24), now=NOW
    )
    first = course.bookings.order_by("starts_at").first()
    booking_check_in(booking=first)
    booking_complete(booking=first)
    progress = course_progress(course)
    assert (progress.done, progress.planned, len(progress.upcoming)) == (1, 3, 2)
    assert first.status == BookingStatus.COMPLETED


def test_planning_a_course_from_the_client_page_previews_then_books(setup):
    import time_machine
    from django.test import Client as Browser
    from django.urls import reverse

    clinic, offered, client = setup
    browser = Browser()
    browser.force_login(clinic.front_desk.user)
    url = reverse("scheduling:course_new", args=[client.public_id])
    plan = {
        "service": offered.pk,
        "sessions": 3,
        "start_on": "2026-11-24",
        "weekdays": ["1", "3"],
        "time_from": "10:00",
    }
    with time_machine.travel(NOW, tick=False):
        preview = browser.post(url, {**plan, "preview": ""}).content.decode()
        assert "Tuesday 24 November 2026, 10:00" in preview and "Europe/London" in preview
        assert not Booking.objects.exists()
        response = browser.post(url, {**plan, "book": ""})
        assert response.status_code == 302
        assert client.bookings.count() == 3
        page = browser.get(reverse("clients:detail", args=[client.public_id])).content.decode()
    assert "0 of 3 done" in page


def test_a_course_plan_with_impossible_times_explains_itself(setup):
    from django.test import Client as Browser
    from django.urls import reverse

    clinic, offered, client = setup
    browser = Browser()
    browser.force_login(clinic.front_desk.user)
    url = reverse("scheduling:course_new", args=[client.public_id])
    page = browser.post(
        url,
        {
            "service": offered.pk,
            "sessions": 2,
            "start_on": "2026-11-24",
            "time_from": "17:00",
            "time_to": "09:00",
        },
    ).content.decode()
    assert "must be earlier" in page
    assert not Booking.objects.exists()
