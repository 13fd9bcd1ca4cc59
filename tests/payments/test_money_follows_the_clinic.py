"""Money follows what happens to a booking: fees open on a no-show or a late cancellation,
a cancellation in good time gives the deposit back, and a clinical deferral or decline
gives back the deposits of the visits it stops, with no fee ever after."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.payments import services
from needlepoint.payments.choices import FeeStatus, Method, PaymentKind, PaymentStatus, Purpose
from needlepoint.payments.models import Fee, Payment
from needlepoint.scheduling.services import booking_cancel, booking_no_show
from tests import factories

pytestmark = pytest.mark.django_db
AT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)
BEFORE = AT - timedelta(days=3)


@pytest.fixture
def booking(clinic):
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = 2500
    policy.late_cancel_fee_minor = 1500
    policy.save()
    return factories.booked_treatment(clinic, AT)


def deposit(booking, minor=3600) -> Payment:
    return services.payment_take(
        location=booking.location,
        client=booking.client,
        amount=Money(minor, "GBP"),
        method=Method.TERMINAL,
        by=None,
        key=f"deposit-{booking.pk}",
        booking=booking,
        purpose=Purpose.DEPOSIT,
        now=BEFORE,
    )


def test_a_no_show_opens_its_fee_to_charge_or_waive(booking) -> None:
    booking_no_show(booking=booking, now=AT + timedelta(minutes=30))
    fee = Fee.objects.get(booking=booking)
    assert (fee.kind, fee.amount_minor, fee.status) == ("no_show", 2500, FeeStatus.PENDING)


def test_a_late_cancellation_opens_its_fee_and_keeps_the_deposit(booking) -> None:
    paid = deposit(booking)
    booking_cancel(booking=booking, now=AT - timedelta(hours=2))
    assert Fee.objects.get(booking=booking).kind == "late_cancel"
    assert services.refundable(paid) == 3600


def test_a_cancellation_in_good_time_returns_the_deposit(booking) -> None:
    paid = deposit(booking)
    booking_cancel(booking=booking, now=AT - timedelta(days=2))
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert (refund.refund_of, refund.amount_minor, refund.method) == (paid, 3600, Method.TERMINAL)
    assert not Fee.objects.filter(booking=booking).exists()


def test_a_deferral_returns_the_deposit_and_no_fee_follows(booking) -> None:
    paid = deposit(booking)
    with time_machine.travel(BEFORE, tick=False):
        screening = factories.medical_history(
            booking.client,
            {"ci.sunburn_area": {"present": True, "since": "2027-03-04", "zones": ["zone.cheeks"]}},
            answered_on=date(2027, 3, 6),
        )
    assert screening.outcome == "deferred"
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert (refund.refund_of, refund.amount_minor) == (paid, 3600)
    assert refund.status == PaymentStatus.SUCCEEDED  # a terminal payment: given back at the desk
    booking_cancel(booking=booking, now=AT - timedelta(hours=1))  # late, but for a clinical reason
    assert Fee.objects.get(booking=booking).status == FeeStatus.WAIVED
    with pytest.raises(DomainError):
        services.fee_charge(booking=booking, by=None)


def test_a_deferral_ending_before_the_visit_changes_nothing(booking) -> None:
    paid = deposit(booking)
    with time_machine.travel(BEFORE - timedelta(days=30), tick=False):
        factories.medical_history(
            booking.client,
            {"ci.sunburn_area": {"present": True, "since": "2027-01-20", "zones": ["zone.cheeks"]}},
            answered_on=date(2027, 2, 6),
        )
    assert services.refundable(paid) == 3600
    assert not Fee.objects.filter(booking=booking).exists()


def test_a_clinical_release_cancels_a_fee_already_owed(booking) -> None:
    booking_no_show(booking=booking, now=AT + timedelta(minutes=30))
    fee = services.fee_charge(booking=booking, by=None, now=AT + timedelta(hours=1))
    assert fee.status == FeeStatus.DUE and services.balance(fee.invoice) == 2500
    services.clinical_release(booking=booking, reason="Reaction on arrival", by=None)
    fee.refresh_from_db()
    assert fee.status == FeeStatus.WAIVED and services.balance(fee.invoice) == 0
