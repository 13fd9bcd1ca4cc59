"""A freed time is offered to the first client waiting for it, for a while; never auto-booked."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from needlepoint.core.errors import DomainError
from needlepoint.notifications.delivery import deliver_due
from needlepoint.scheduling.choices import Channel, OfferStatus, WaitlistStatus
from needlepoint.scheduling.models import Booking, WaitlistOffer
from needlepoint.scheduling.services import booking_cancel, booking_create, booking_reschedule
from needlepoint.scheduling.waitlist import offer_accept, offers_expire, waitlist_join
from tests import factories

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
TUESDAY = date(2026, 11, 24)


def screened(clinic):
    return factories.screened_client(clinic.organisation)


@pytest.fixture
def full_tuesday_morning(clinic):
    offered = factories.service(clinic.location)
    booking = booking_create(
        client=screened(clinic),
        service=offered,
        starts_at=datetime(2026, 11, 24, 10, tzinfo=LONDON),
        channel=Channel.STAFF,
        now=NOW,
    )
    return clinic, offered, booking


def test_a_cancellation_is_offered_to_the_first_client_waiting_in_that_window(full_tuesday_morning):
    clinic, offered, booking = full_tuesday_morning
    first = waitlist_join(
        client=screened(clinic),
        service=offered,
        earliest_on=TUESDAY,
        latest_on=TUESDAY,
        time_from=time(9, 30),
        time_to=time(11),
    )
    second = waitlist_join(
        client=screened(clinic), service=offered, earliest_on=TUESDAY, latest_on=TUESDAY
    )
    booking_cancel(booking=booking, now=NOW)
    offer = WaitlistOffer.objects.get()
    assert offer.entry == first and offer.status == OfferStatus.OPEN
    assert offer.starts_at == datetime(2026, 11, 24, 10, tzinfo=LONDON)
    assert offer.expires_at == NOW + timedelta(hours=2)
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (WaitlistStatus.OFFERED, WaitlistStatus.WAITING)
    assert (
        Booking.objects.filter(client=first.client).count() == 0
    )  # offered, never booked for them
    deliver_due(worker_id="test", now=NOW)
    (email,) = [email for email in mail.outbox if email.to == [first.client.email]]
    assert email.subject == "A time has come free: Tuesday 24 November 2026 at 10:00"
    assert "until Monday 23 November 2026 at 10:00" in email.body  # the offer's hold


def test_someone_waiting_for_other_days_or_hours_is_not_offered_it(full_tuesday_morning):
    clinic, offered, booking = full_tuesday_morning
    waitlist_join(
        client=screened(clinic),
        service=offered,
        earliest_on=TUESDAY,
        latest_on=TUESDAY,
        weekdays={0},
    )
    waitlist_join(
        client=screened(clinic),
        service=offered,
        earliest_on=TUESDAY,
        latest_on=TUESDAY,
        time_from=time(15),
        time_to=time(17),
    )
    booking_cancel(booking=booking, now=NOW)
    assert not WaitlistOffer.objects.exists()


def test_moving_a_booking_offers_its_old_time(full_tuesday_morning):
    clinic, offered, booking = full_tuesday_morning
    entry = waitlist_join(
        client=screened(clinic), service=offered, earliest_on=TUESDAY, latest_on=TUESDAY
    )
    booking_reschedule(
        booking=booking, starts_at=datetime(2026, 11, 24, 15, tzinfo=LONDON), now=NOW
    )
    assert WaitlistOffer.objects.get().entry == entry


def test_accepting_an_open_offer_books_it(full_tuesday_morning):
    clinic, offered, booking = full_tuesday_morning
    entry = waitlist_join(
        client=screened(clinic), service=offered, earliest_on=TUESDAY, latest_on=TUESDAY
    )
    booking_cancel(booking=booking, now=NOW)
    new = offer_accept(offer=WaitlistOffer.objects.get(), now=NOW + timedelta(minutes=30))
    assert new.client == entry.client and new.starts_at == booking.starts_at
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.BOOKED


def test_an_expired_offer_cannot_be_accepted_and_the_client_waits_again(full_tuesday_morning):
    clinic, offered, booking = full_tuesday_morning
    entry = waitlist_join(
        client=screened(clinic), service=offered, earliest_on=TUESDAY, latest_on=TUESDAY
    )
    booking_cancel(booking=booking, now=NOW)
    offer = WaitlistOffer.objects.get()
    with pytest.raises(DomainError) as refused:
        offer_accept(offer=offer, now=NOW + timedelta(hours=3))
    assert refused.value.code == "offer_expired"
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WAITING
    assert not Booking.objects.filter(client=entry.client).exists()


def test_stale_offers_are_closed_in_one_sweep(full_tuesday_morning):
    clinic, offered, booking = full_tuesday_morning
    waitlist_join(client=screened(clinic), service=offered, earliest_on=TUESDAY, latest_on=TUESDAY)
    booking_cancel(booking=booking, now=NOW)
    assert offers_expire(now=NOW + timedelta(hours=1)) == 0
    assert offers_expire(now=NOW + timedelta(hours=2)) == 1
    assert WaitlistOffer.objects.get().status == OfferStatus.EXPIRED


def test_a_backwards_window_is_refused(clinic):
    offered = factories.service(clinic.location)
    with pytest.raises(DomainError) as refused:
        waitlist_join(
            client=screened(clinic),
            service=offered,
            earliest_on=TUESDAY,
            latest_on=TUESDAY - timedelta(1),
        )
    assert refused.value.code == "invalid_window"


def test_the_front_desk_sees_the_waitlist_and_books_an_open_offer(
    full_tuesday_morning, other_clinic
):
    import time_machine
    from django.test import Client as Browser
    from django.urls import reverse

    clinic, offered, booking = full_tuesday_morning
    entry = waitlist_join(
        client=screened(clinic), service=offered, earliest_on=TUESDAY, latest_on=TUESDAY
    )
    booking_cancel(booking=booking, now=NOW)
    offer = WaitlistOffer.objects.get()
    stranger = Browser()
    stranger.force_login(other_clinic.front_desk.user)
    assert (
        entry.client.full_name not in stranger.get(reverse("scheduling:waitlist")).content.decode()
    )
    assert stranger.post(reverse("scheduling:offer_accept", args=[offer.pk])).status_code == 404

    browser = Browser()
    browser.force_login(clinic.front_desk.user)
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        page = browser.get(reverse("scheduling:waitlist")).content.decode()
        assert entry.client.full_name in page and "Tue 24 Nov, 10:00" in page
        response = browser.post(reverse("scheduling:offer_accept", args=[offer.pk]))
    assert response.status_code == 302
    assert Booking.objects.get(client=entry.client).channel == Channel.STAFF


def test_a_client_the_clinical_gate_would_refuse_is_passed_over_for_the_next(full_tuesday_morning):
    clinic, offered, booking = full_tuesday_morning
    unscreened = waitlist_join(
        client=factories.client(clinic.organisation),
        service=offered,
        earliest_on=TUESDAY,
        latest_on=TUESDAY,
    )
    cleared = waitlist_join(
        client=screened(clinic), service=offered, earliest_on=TUESDAY, latest_on=TUESDAY
    )
    booking_cancel(booking=booking, now=NOW)
    offer = WaitlistOffer.objects.get()
    assert offer.entry == cleared
    unscreened.refresh_from_db()
    assert unscreened.status == WaitlistStatus.WAITING
