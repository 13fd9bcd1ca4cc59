"""A course bought online (localstripe): the full price charged to the card the client
typed, the package, its plan with session 1 at the chosen time and the payment on its
invoice recorded once; a declined card buys and books nothing; later visits of the
service join the package and are redeemed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.packages import online as package_online
from needlepoint.packages import services
from needlepoint.packages.models import Package
from needlepoint.payments import online
from needlepoint.payments import services as money
from needlepoint.payments.choices import Method, Purpose
from needlepoint.payments.models import Payment, SavedCard
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories
from tests.public.test_online_deposits import card_typed

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
WEDNESDAY_TEN = datetime(2026, 11, 25, 10, tzinfo=UTC)


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def offer(stripe_clinic):
    face = factories.service(stripe_clinic.location)
    return services.offer_create(
        service=face,
        terms=services.OfferTerms("Acne scars × 3", 3, Money(45000, "GBP"), 180, True),
        by=None,
    )


def charged(offer, client, server, card="pm_card_visa"):
    step = card_typed(client, server, key=f"online-{client.pk}", card=card)
    intent = online.deposit_charge(
        organisation=offer.service.location.organisation,
        setup_intent=step.setup.stripe_id,
        amount=package_online.course_terms(offer).pay_now,
        key=f"online-{client.pk}-deposit",
    )
    return step, intent


def test_a_course_bought_online_records_the_package_the_plan_and_the_payment_once(
    stripe_clinic, stripe_server, offer
):
    client = factories.screened_client(stripe_clinic.organisation)
    assert package_online.online_offers(offer.service) == [offer]
    step, intent = charged(offer, client, stripe_server)
    assert intent.succeeded and intent.amount == 45000

    def buy():
        return package_online.package_buy_online(
            client=client,
            offer=offer,
            starts_at=WEDNESDAY_TEN,
            setup_intent=step.setup.stripe_id,
            payment_intent=intent.stripe_id,
            wording="Cancel a day ahead.",
            accepted_at=NOW,
        )

    first = buy()
    assert buy() == first  # a confirm sent twice buys once
    package = Package.objects.get()
    assert first.course == package.course and first.starts_at == WEDNESDAY_TEN
    assert package.course.planned_sessions == 3 and package.course.bookings.count() == 1
    payment = Payment.objects.get(invoice=package.invoice)
    assert (payment.method, payment.purpose, payment.amount_minor) == (
        Method.CARD_ONLINE,
        Purpose.PACKAGE,
        45000,
    )
    assert money.balance(package.invoice) == 0 and services.liability(package) == 45000
    assert SavedCard.objects.filter(client=client).exists()
    # session 2, booked later from the calendar, joins the package
    later = booking_create(
        client=client,
        service=offer.service,
        starts_at=datetime(2026, 12, 30, 10, tzinfo=UTC),
        channel=Channel.STAFF,
        now=NOW,
    )
    assert later.course_id == package.course_id
    assert money.invoice_for_booking(booking=later).lines.get().unit_minor == 0


def test_a_declined_card_buys_and_books_nothing(stripe_clinic, stripe_server, offer):
    client = factories.screened_client(stripe_clinic.organisation)
    with pytest.raises(DomainError) as refused:
        charged(offer, client, stripe_server, card="pm_card_chargeCustomerFail")
    assert refused.value.code == "card_declined"
    with pytest.raises(DomainError) as refused:
        package_online.package_buy_online(
            client=client,
            offer=offer,
            starts_at=WEDNESDAY_TEN,
            setup_intent="",
            payment_intent="",
            wording="",
            accepted_at=None,
        )
    assert refused.value.code == "deposit_unpaid"
    assert not Package.objects.exists() and not Booking.objects.exists()
    assert not Payment.objects.exists()
