"""Bookings by channel, no-show rate and late-cancellation rate."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from needlepoint.reports.queries import Scope, booking_figures
from needlepoint.scheduling.choices import BookingStatus, Channel
from tests import factories
from tests.reports import builders

pytestmark = pytest.mark.django_db


def at(day: int, hour: int) -> datetime:
    return datetime(2027, 3, day, hour, tzinfo=UTC)


@pytest.fixture
def booked(clinic):
    offered = factories.service(clinic.location)
    who = clinic.practitioner

    def make(day: int, channel: str, status: str = BookingStatus.COMPLETED):
        return builders.booking(offered, who, at(day, 10), channel=channel, status=status)

    make(1, Channel.ONLINE)
    make(2, Channel.ONLINE, BookingStatus.NO_SHOW)
    builders.cancelled(make(3, Channel.STAFF), late=True)
    builders.cancelled(make(4, Channel.STAFF), late=False)
    make(5, Channel.STAFF)
    make(6, Channel.API, BookingStatus.BOOKED)
    make(20, Channel.API)  # after the range
    return clinic


def figures(clinic, **fields):
    scope = Scope(
        organisation_id=clinic.organisation.pk,
        locations=[clinic.location],
        start=date(2027, 3, 1),
        end=date(2027, 3, 7),
    )
    return booking_figures(Scope(**(vars(scope) | fields)))


def test_bookings_are_counted_by_channel(booked):
    counted = {c.channel: c.bookings for c in figures(booked).channels}
    assert counted == {"online": 2, "staff": 3, "api": 1, "import": 0}


def test_the_no_show_rate_is_no_shows_over_visits_not_cancelled(booked):
    total = figures(booked).total
    assert (total.no_shows, total.kept) == (1, 4)
    assert total.no_show_rate == pytest.approx(0.25)


def test_the_late_cancel_rate_counts_cancellations_inside_the_window(booked):
    total = figures(booked).total
    assert (total.bookings, total.cancelled, total.late_cancelled) == (6, 2, 1)
    assert total.late_cancel_rate == pytest.approx(1 / 6)
    staff = next(c for c in figures(booked).channels if c.channel == "staff")
    assert staff.late_cancel_rate == pytest.approx(1 / 3)


def test_no_bookings_give_no_rate_rather_than_zero(clinic):
    total = figures(clinic).total
    assert (total.bookings, total.no_show_rate, total.late_cancel_rate) == (0, None, None)


def test_another_organisation_is_never_counted(booked, other_clinic):
    offered = factories.service(other_clinic.location)
    builders.booking(offered, other_clinic.practitioner, at(2, 12))
    assert figures(booked).total.bookings == 6
