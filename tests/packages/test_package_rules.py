"""Course packages through their services: the sale, each session redeemed, the clock's
pauses and expiry, and the ways a package ends (money through the payments services)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.db.models import F
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.packages import services
from needlepoint.packages.choices import PackageStatus, PauseReason
from needlepoint.packages.models import Package, Pause, Redemption
from needlepoint.payments import services as money
from needlepoint.payments.choices import InvoiceKind, Method, PaymentKind, Purpose
from needlepoint.payments.models import CreditEntry, Invoice, Payment
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_check_in, booking_complete
from tests import factories

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # a Monday
START = date(2026, 11, 24)


def gbp(minor: int) -> Money:
    return Money(minor, "GBP")


@pytest.fixture
def face(clinic):
    return factories.service(clinic.location)


@pytest.fixture
def client(clinic):
    return factories.screened_client(clinic.organisation)


def sell(clinic, face, client, *, sessions=3, price=45000, valid_days=180, now=NOW):
    sale = services.Sale(face, sessions, gbp(price), valid_days)
    with time_machine.travel(now, tick=False):
        return services.package_sell(
            client=client,
            sale=sale,
            start_on=START,
            method=Method.TERMINAL,
            by=clinic.front_desk.user,
            now=now,
        )


def sessions_of(package):
    return list(Booking.objects.filter(course=package.course).order_by("starts_at"))


def complete(booking):
    with time_machine.travel(booking.starts_at, tick=False):
        booking_check_in(booking=booking, now=booking.starts_at)
        booking_complete(booking=booking, now=booking.starts_at)


@given(price=st.integers(0, 10_000_000), sessions=st.integers(1, 24))
def test_the_sessions_of_a_package_always_add_up_to_its_price(price, sessions):
    values = [services.session_value(price, sessions, k) for k in range(1, sessions + 1)]
    assert sum(values) == price
    assert all(value >= 0 for value in values)
    assert max(values) - min(values) <= 1


def test_selling_a_course_plans_it_issues_the_invoice_and_takes_the_payment(clinic, face, client):
    package = sell(clinic, face, client)
    assert [b.status for b in sessions_of(package)] == [BookingStatus.BOOKED] * 3
    invoice = package.invoice
    assert invoice.is_issued and invoice.total_minor == 45000
    assert list(invoice.lines.values_list("purpose", flat=True)) == [Purpose.PACKAGE]
    assert money.paid(invoice) == 45000
    assert Payment.objects.get(invoice=invoice).purpose == Purpose.PACKAGE
    assert package.expires_on == date(2027, 5, 22)
    assert services.liability(package) == 45000


def test_a_client_not_cleared_can_not_buy_a_course_and_nothing_is_written(clinic, face):
    someone = factories.client(clinic.organisation)  # no medical history
    with pytest.raises(DomainError) as refused:
        sell(clinic, face, someone)
    assert refused.value.code == "screening_needed"
    assert not Package.objects.exists()
    assert not Booking.objects.exists()
    assert not Invoice.objects.exists()


def test_a_price_in_another_currency_is_refused_clearly(clinic, face, client):
    with pytest.raises(DomainError) as refused, time_machine.travel(NOW, tick=False):
        services.package_sell(
            client=client,
            sale=services.Sale(face, 3, Money(45000, "EUR"), 180),
            start_on=START,
            method=Method.CASH,
            by=None,
            now=NOW,
        )
    assert refused.value.code == "wrong_currency"
    assert not Booking.objects.exists()


def test_an_erased_client_can_not_buy_one(clinic, face, client):
    Client = type(client)
    Client.objects.filter(pk=client.pk).update(anonymised_at=NOW)
    client.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        sell(clinic, face, client)
    assert refused.value.code == "client_erased"


def test_each_completed_session_redeems_one_and_is_not_charged_again(clinic, face, client):
    package = sell(clinic, face, client)
    first, second, _third = sessions_of(package)
    assert money.invoice_for_booking(booking=first).lines.get().unit_minor == 0
    complete(first)
    package.refresh_from_db()
    assert package.used == 1
    redemption = Redemption.objects.get(booking=first)
    assert (redemption.number, redemption.value_minor) == (1, 15000)
    assert services.package_redeem(booking=first) == redemption  # once per booking
    line = money.invoice_for_booking(booking=second).lines.get()
    assert (line.description, line.unit_minor) == ("Session 2 of 3 — course package", 0)
    assert services.liability(package) == 30000


def test_the_database_refuses_more_redemptions_than_sessions_sold(clinic, face, client):
    package = sell(clinic, face, client, sessions=1, price=18000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Package.objects.filter(pk=package.pk).update(used=F("sessions") + 1)


def test_a_used_up_package_takes_no_more_bookings(clinic, face, client):
    package = sell(clinic, face, client, sessions=1, price=18000)
    complete(sessions_of(package)[0])
    package.refresh_from_db()
    assert package.status == PackageStatus.USED_UP
    with pytest.raises(DomainError) as refused:
        services.booking_refused(sessions_of(package)[0])
    assert refused.value.code == "package_used_up"
    assert services.liability(package) == 0


@settings(max_examples=6, deadline=None)
@given(
    sessions=st.integers(1, 4),
    price=st.integers(0, 200_000),
    order=st.lists(st.integers(0, 5), max_size=8),
)
def test_redemptions_never_exceed_sessions_and_liability_is_paid_less_delivered(
    sessions, price, order
):
    with transaction.atomic():
        clinic = factories.clinic(slug=f"c{next(factories._sequence)}")
        face = factories.service(clinic.location)
        client = factories.screened_client(clinic.organisation)
        package = sell(clinic, face, client, sessions=sessions, price=price)
        bookings = sessions_of(package)
        for index in order:
            booking = bookings[index % len(bookings)]
            booking.refresh_from_db()
            if booking.status == BookingStatus.BOOKED:
                complete(booking)
            else:
                services.package_redeem(booking=booking)
            package.refresh_from_db()
            assert package.used <= package.sessions
            assert package.used == Redemption.objects.filter(package=package).count()
            assert services.liability(package) == services.paid(package) - services.delivered(
                package
            )
            assert services.delivered(package) == sum(
                r.value_minor for r in package.redemptions.all()
            )
        transaction.set_rollback(True)


def test_a_deferral_pauses_the_clock_and_moves_the_expiry(clinic, face, client):
    package = sell(clinic, face, client, valid_days=30)
    for booking in sessions_of(package)[1:]:
        money_free_cancel(booking)
    with time_machine.travel(NOW, tick=False):
        factories.medical_history(
            client,
            {"ci.sunburn_area": {"present": True, "since": "2026-11-22", "zones": ["zone.cheeks"]}},
            answered_on=date(2026, 11, 23),
        )
    pause = Pause.objects.get(package=package)
    assert (pause.reason, pause.starts_on, pause.ends_on) == (
        PauseReason.SCREENING_DEFERRED,
        date(2026, 11, 23),
        date(2026, 12, 6),
    )
    # sold 23 Nov, 30 days: 23 Dec; paused 13 days: 5 Jan
    assert services.effective_expiry(package, date(2026, 12, 1)) == date(2027, 1, 5)


def money_free_cancel(booking):
    from needlepoint.scheduling.services import booking_cancel

    with time_machine.travel(NOW, tick=False):
        booking_cancel(booking=booking, now=NOW)


def test_a_review_pauses_until_a_later_screening_clears(clinic, face, client):
    package = sell(clinic, face, client, valid_days=30)
    with time_machine.travel(NOW, tick=False):
        factories.medical_history(
            client, {"ci.breastfeeding": {"present": True}}, answered_on=date(2026, 11, 23)
        )
    pause = Pause.objects.get(package=package)
    assert pause.reason == PauseReason.SCREENING_REVIEW and pause.ends_on is None
    with time_machine.travel(NOW, tick=False):
        factories.medical_history(client, answered_on=date(2026, 12, 3))
    pause.refresh_from_db()
    assert pause.ends_on == date(2026, 12, 3)


def test_an_open_adverse_event_pauses_until_it_resolves(clinic, face, client):
    from needlepoint.treatments.services import adverse_event_record, adverse_event_resolve

    package = sell(clinic, face, client, valid_days=30)
    event = adverse_event_record(
        client=client,
        kind="ae.pih",
        zones=["zone.cheeks"],
        grade=1,
        onset_on=date(2026, 12, 1),
        by=clinic.practitioner.user,
    )
    pause = Pause.objects.get(package=package)
    assert pause.reason == PauseReason.ADVERSE_EVENT and pause.ends_on is None
    adverse_event_resolve(event=event, resolved_on=date(2026, 12, 11), by=clinic.practitioner.user)
    pause.refresh_from_db()
    assert pause.ends_on == date(2026, 12, 11)


def test_a_package_never_expires_with_a_session_booked_ahead(clinic, face, client):
    package = sell(clinic, face, client, valid_days=7)
    last = sessions_of(package)[-1].starts_at.date()
    assert services.effective_expiry(package, date(2026, 12, 10)) >= last
    assert services.expire_due(now=datetime(2026, 12, 10, 12, tzinfo=UTC)) == 0


@pytest.mark.parametrize(
    ("now", "expired"),
    [
        (datetime(2027, 3, 28, 22, 59, tzinfo=UTC), False),  # 23:59 BST on the 28th
        (datetime(2027, 3, 28, 23, 0, tzinfo=UTC), True),  # 00:00 BST on the 29th
    ],
)
def test_expiry_follows_the_clinics_day_across_the_clock_change(clinic, face, client, now, expired):
    package = sell(clinic, face, client, sessions=1, price=18000, valid_days=7)
    money_free_cancel(sessions_of(package)[0])
    Package.objects.filter(pk=package.pk).update(expires_on=date(2027, 3, 28))
    assert services.expire_due(now=now) == int(expired)
    package.refresh_from_db()
    assert package.status == (PackageStatus.EXPIRED if expired else PackageStatus.ACTIVE)
    if expired:
        assert services.breakage(package) == 18000
        assert services.liability(package) == 0
        with pytest.raises(DomainError) as refused:
            services.require_open(package)
        assert refused.value.code == "package_expired"
        assert "expired on 28 March 2027" in refused.value.message


def test_a_transfer_needs_consent_and_a_living_record(clinic, face, client):
    package = sell(clinic, face, client)
    other = factories.screened_client(clinic.organisation)
    with pytest.raises(DomainError) as refused:
        services.package_transfer(package=package, to=other, client_agreed=False, by=None, now=NOW)
    assert refused.value.code == "consent_missing"
    erased = factories.client(clinic.organisation)
    type(erased).objects.filter(pk=erased.pk).update(anonymised_at=NOW)
    erased.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.package_transfer(package=package, to=erased, client_agreed=True, by=None, now=NOW)
    assert refused.value.code == "client_erased"
    package.refresh_from_db()
    assert package.status == PackageStatus.ACTIVE
    assert all(b.status == BookingStatus.BOOKED for b in sessions_of(package))


def test_a_transfer_gives_the_unused_sessions_and_cancels_the_givers_bookings(clinic, face, client):
    package = sell(clinic, face, client)
    complete(sessions_of(package)[0])
    other = factories.screened_client(clinic.organisation)
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        received = services.package_transfer(
            package=package, to=other, client_agreed=True, by=clinic.manager.user, now=now
        )
    package.refresh_from_db()
    assert package.status == PackageStatus.TRANSFERRED and package.consent_recorded
    assert [b.status for b in sessions_of(package)] == [
        BookingStatus.COMPLETED,
        BookingStatus.CANCELLED,
        BookingStatus.CANCELLED,
    ]
    assert (received.client, received.sessions, received.price_minor) == (other, 2, 30000)
    assert services.liability(received) == 30000 and services.liability(package) == 0


def test_converting_to_credit_issues_a_credit_note_and_credits_the_account(clinic, face, client):
    package = sell(clinic, face, client)
    complete(sessions_of(package)[0])
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        services.package_credit(
            package=package, percent=90, reason="Moving away", by=clinic.manager.user, now=now
        )
    package.refresh_from_db()
    assert (package.status, package.end_amount_minor) == (PackageStatus.CREDITED, 27000)
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.corrects == package.invoice and note.total_minor == 27000
    assert money.credit_balance(client) == 27000
    assert CreditEntry.objects.filter(client=client).count() == 1


def test_a_refund_gives_back_the_stated_share_to_the_payment(clinic, face, client):
    package = sell(clinic, face, client)
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        services.package_refund(
            package=package, percent=50, reason="Changed mind", by=clinic.manager.user, now=now
        )
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert (refund.amount_minor, refund.method) == (22500, Method.TERMINAL)
    assert money.paid(package.invoice) == 22500


def test_voiding_needs_a_reason_and_moves_no_money(clinic, face, client):
    package = sell(clinic, face, client)
    with pytest.raises(DomainError) as refused:
        services.package_void(package=package, reason=" ", by=None, now=NOW)
    assert refused.value.code == "reason_missing"
    with time_machine.travel(NOW, tick=False):
        services.package_void(package=package, reason="Sold in error", by=None, now=NOW)
    package.refresh_from_db()
    assert package.status == PackageStatus.VOIDED
    assert not Payment.objects.filter(kind=PaymentKind.REFUND).exists()
    with pytest.raises(DomainError) as refused:
        services.package_void(package=package, reason="Again", by=None, now=NOW)
    assert refused.value.code == "package_ended"


def test_instalments_are_planned_on_the_saved_card_and_end_with_the_package(clinic, face, client):
    from needlepoint.payments.choices import ChargeStatus
    from needlepoint.payments.models import SavedCard, ScheduledCharge

    sale = services.Sale(face, 3, gbp(45000), 180)
    with pytest.raises(DomainError) as refused, time_machine.travel(NOW, tick=False):
        services.package_sell(
            client=client,
            sale=sale,
            start_on=START,
            method="instalments",
            instalments=3,
            by=None,
            now=NOW,
        )
    assert refused.value.code == "no_saved_card"
    assert not Package.objects.exists() and not Booking.objects.exists()
    SavedCard.objects.create(
        client=client, stripe_customer="cus_1", stripe_payment_method="pm_1", saved_at=NOW
    )
    with time_machine.travel(NOW, tick=False):
        package = services.package_sell(
            client=client,
            sale=sale,
            start_on=START,
            method="instalments",
            instalments=3,
            by=None,
            now=NOW,
        )
    planned = list(ScheduledCharge.objects.filter(invoice=package.invoice))
    assert [c.amount_minor for c in planned] == [15000, 15000, 15000]
    assert [c.due_on for c in planned] == [
        date(2026, 11, 23),
        date(2026, 12, 23),
        date(2027, 1, 22),
    ]
    assert {c.purpose for c in planned} == {Purpose.PACKAGE}
    assert services.paid(package) == 0 and services.liability(package) == 0
    with time_machine.travel(NOW, tick=False):
        services.package_void(package=package, reason="Sold in error", by=None, now=NOW)
    assert {c.status for c in ScheduledCharge.objects.all()} == {ChargeStatus.CANCELLED}


def test_subscribers_hear_of_a_sale_each_session_and_the_end(clinic, face, client):
    from needlepoint.webhooks.models import WebhookDelivery, WebhookSubscription

    WebhookSubscription.objects.create(
        organisation=clinic.organisation,
        url="https://hooks.example.test/np",
        events=["package.sold", "package.redeemed", "package.ended"],
    )
    package = sell(clinic, face, client)
    complete(sessions_of(package)[0])
    with time_machine.travel(NOW, tick=False):
        services.package_void(package=package, reason="Sold in error", by=None, now=NOW)
    events = list(WebhookDelivery.objects.order_by("pk").values_list("event", "payload"))
    assert [event for event, _ in events] == ["package.sold", "package.redeemed", "package.ended"]
    sold, redeemed, ended = (payload for _, payload in events)
    assert sold["package"] == str(package.public_id) and sold["sessions"] == 3
    assert redeemed["number"] == 1 and redeemed["used"] == 1
    assert ended["status"] == "voided"
    assert "first_name" not in str(events) and client.email not in str(events)


def test_a_voided_package_takes_no_booking_in_its_plan(clinic, face, client):
    from needlepoint.scheduling.choices import Channel
    from needlepoint.scheduling.services import booking_create

    package = sell(clinic, face, client)
    first = sessions_of(package)[0]
    with time_machine.travel(NOW, tick=False):
        services.package_void(package=package, reason="Sold in error", by=None, now=NOW)
        with pytest.raises(DomainError) as refused:
            booking_create(
                client=client,
                service=face,
                starts_at=first.starts_at,
                channel=Channel.STAFF,
                course=package.course,
                now=NOW,
            )
    assert refused.value.code == "package_ended"
    assert "voided" in refused.value.message
    # booked outside the plan, the visit is the client's own and is charged as usual
    with time_machine.travel(NOW, tick=False):
        visit = booking_create(
            client=client, service=face, starts_at=first.starts_at, channel=Channel.STAFF, now=NOW
        )
    assert visit.course_id is None
    assert money.invoice_for_booking(booking=visit).lines.get().unit_minor == 18000


@given(
    spans=st.lists(
        st.tuples(st.integers(0, 200), st.one_of(st.none(), st.integers(0, 60))), max_size=6
    )
)
def test_pauses_join_into_disjoint_spans_covering_exactly_the_paused_days(spans):
    from types import SimpleNamespace

    sold, today = date(2027, 1, 1), date(2027, 5, 1)
    pauses = [
        SimpleNamespace(
            starts_on=sold + timedelta(days=start),
            ends_on=None if length is None else sold + timedelta(days=start + length),
        )
        for start, length in spans
    ]
    merged = services._merged(pauses, today, sold)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(merged))
    days = {
        pause.starts_on + timedelta(days=n)
        for pause in pauses
        for n in range(((pause.ends_on or today + timedelta(days=1)) - pause.starts_on).days)
    }
    covered = {
        start + timedelta(days=n) for start, end in merged for n in range((end - start).days)
    }
    assert covered == days
