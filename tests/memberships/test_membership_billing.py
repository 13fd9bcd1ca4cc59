"""Each period billed by our own scheduled charges (payments/charges.py) through
localstripe: the period rolls on its first day in the location's calendar, its invoice is
issued and its charge taken; a refused card makes the membership past due, and the last
refusal lapses it, with the client told and the unpaid invoice credited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from needlepoint.memberships import services
from needlepoint.memberships.choices import MembershipStatus, PeriodStatus
from needlepoint.memberships.models import Membership
from needlepoint.memberships.tasks import roll_membership_periods
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.delivery import deliver_due
from needlepoint.notifications.models import Message
from needlepoint.payments import charges
from needlepoint.payments import services as money
from needlepoint.payments.choices import ChargeStatus, InvoiceKind, Purpose
from needlepoint.payments.models import Invoice
from needlepoint.payments.tasks import charge_scheduled_due
from needlepoint.webhooks.models import WebhookDelivery, WebhookSubscription
from tests import factories
from tests.memberships.helpers import PRICE, book, member, plan
from tests.payments.test_stripe import save_card

pytestmark = pytest.mark.django_db


def tick(moment: datetime) -> tuple[int, int]:
    """The worker's run at ``moment``: periods rolled, then due charges taken."""
    with time_machine.travel(moment, tick=False):
        return roll_membership_periods.call(), charge_scheduled_due.call()


def subscribe(clinic) -> None:
    WebhookSubscription.objects.create(
        organisation=clinic.organisation,
        url="https://hooks.example.test/needlepoint",
        events=[
            "membership.started",
            "membership.renewed",
            "membership.payment_failed",
            "membership.ended",
        ],
    )


def events() -> list[str]:
    return list(WebhookDelivery.objects.order_by("pk").values_list("event", flat=True))


def test_a_31_january_member_is_billed_on_28_february_and_31_march(
    stripe_clinic, stripe_server
) -> None:
    subscribe(stripe_clinic)
    client = factories.screened_client(stripe_clinic.organisation)
    save_card(client, stripe_server)
    gold = plan(stripe_clinic)
    membership = member(gold, client, at=datetime(2027, 1, 31, 12, tzinfo=UTC))
    assert membership.period_end == date(2027, 2, 27)
    assert tick(datetime(2027, 2, 27, 23, 59, tzinfo=UTC)) == (0, 0)
    assert tick(datetime(2027, 2, 28, 0, 0, tzinfo=UTC)) == (1, 0)  # invoiced; charged at 09:00
    assert tick(datetime(2027, 2, 28, 0, 1, tzinfo=UTC)) == (0, 0)  # never twice
    membership.refresh_from_db()
    assert (membership.period_start, membership.period_end) == (
        date(2027, 2, 28),
        date(2027, 3, 30),
    )
    second = membership.periods.get(number=1)
    assert second.status == PeriodStatus.DUE
    assert second.invoice.lines.get().description == "Gold membership, 28 February – 30 March 2027"
    assert tick(datetime(2027, 2, 28, 9, 0, tzinfo=UTC)) == (0, 1)
    second.refresh_from_db()
    assert second.status == PeriodStatus.PAID
    assert second.payment.purpose == Purpose.MEMBERSHIP
    assert money.balance(second.invoice) == 0
    assert tick(datetime(2027, 3, 31, 0, 0, tzinfo=UTC)) == (1, 0)
    assert membership.periods.get(number=2).starts_on == date(2027, 3, 31)
    assert events() == ["membership.started", "membership.renewed"]


@pytest.mark.parametrize(
    ("period", "started", "rolls_at"),
    [
        # clocks go forward on 28 March 2027: its midnight is still GMT
        ("monthly", date(2027, 2, 28), datetime(2027, 3, 28, 0, 0, tzinfo=UTC)),
        # clocks go back on 31 October 2027: its midnight is BST, 23:00 UTC the day before
        ("yearly", date(2026, 10, 31), datetime(2027, 10, 30, 23, 0, tzinfo=UTC)),
    ],
)
def test_a_period_rolls_at_the_locations_midnight_on_the_days_the_clocks_change(
    stripe_clinic, stripe_server, period, started, rolls_at
) -> None:
    client = factories.screened_client(stripe_clinic.organisation)
    save_card(client, stripe_server)
    started_at = datetime.combine(started, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    membership = member(plan(stripe_clinic, period=period), client, at=started_at)
    assert tick(rolls_at - timedelta(minutes=1)) == (0, 0)
    assert tick(rolls_at)[0] == 1
    membership.refresh_from_db()
    assert membership.period_start == rolls_at.astimezone(membership.location.zone).date()
    assert membership.period_start == rolls_at.date() + timedelta(days=rolls_at.hour // 23)
    charge = membership.periods.get(number=1).charge
    local = charge.next_try_at.astimezone(membership.location.zone)
    assert (local.date(), local.hour) == (membership.period_start, 9)


def test_a_refused_card_makes_the_membership_past_due_then_lapsed(
    stripe_clinic, stripe_server, settings
) -> None:
    subscribe(stripe_clinic)
    client = factories.screened_client(stripe_clinic.organisation)
    card = save_card(client, stripe_server)
    gold = plan(stripe_clinic, sessions=1, discount=10)
    membership = member(gold, client)  # 9 March to 8 April 2027
    assert tick(datetime(2027, 4, 9, 0, 0, tzinfo=UTC)) == (1, 0)  # 9 April in London
    card.stripe_payment_method = "pm_missing"  # the card was removed at the bank
    card.save()
    period = membership.periods.get(number=1)
    moment = period.charge.next_try_at
    assert tick(moment) == (0, 1)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PAST_DUE
    told = Message.objects.filter(client=client, kind=MessageKind.CHARGE_FAILED)
    assert told.count() == 1  # payments tells them, and when it tries again
    booking = book(client, gold.included_service, datetime(2027, 4, 13, 10, tzinfo=UTC))
    assert services.price_offered(booking).unit_minor == 0  # benefits carry on meanwhile
    for wait in charges.RETRY_DAYS:
        moment += timedelta(days=wait)
        assert tick(moment) == (0, 1)
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LAPSED
    assert membership.ended_on == date(2027, 4, 9)
    period.refresh_from_db()
    assert period.status == PeriodStatus.UNPAID
    assert period.charge.status == ChargeStatus.FAILED
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.corrects == period.invoice and money.balance(period.invoice) == 0
    assert services.price_offered(booking) is None  # benefits stop
    deliver_due(worker_id="test", now=moment + timedelta(minutes=1))
    ended = [sent for sent in mail.outbox if sent.subject == "Your Gold membership has ended"]
    assert len(ended) == 1 and "benefits have stopped" in ended[0].body
    assert events() == [
        "membership.started",
        "membership.payment_failed",
        "membership.ended",
    ]
    assert tick(moment + timedelta(days=40)) == (0, 0)  # a lapsed membership never rolls


def test_a_past_due_membership_paid_on_a_later_try_is_active_again(
    stripe_clinic, stripe_server
) -> None:
    client = factories.screened_client(stripe_clinic.organisation)
    card = save_card(client, stripe_server)
    membership = member(plan(stripe_clinic), client)
    tick(datetime(2027, 4, 9, 0, 0, tzinfo=UTC))
    good_method = card.stripe_payment_method
    card.stripe_payment_method = "pm_missing"
    card.save()
    charge = membership.periods.get(number=1).charge
    tick(charge.next_try_at)
    assert Membership.objects.get().status == MembershipStatus.PAST_DUE
    card.stripe_payment_method = good_method  # the client updated their card
    card.save()
    tick(charge.next_try_at + timedelta(days=1))
    assert Membership.objects.get().status == MembershipStatus.ACTIVE
    assert membership.periods.get(number=1).status == PeriodStatus.PAID


def test_a_membership_set_to_end_is_not_billed_again(stripe_clinic, stripe_server) -> None:
    client = factories.screened_client(stripe_clinic.organisation)
    save_card(client, stripe_server)
    membership = member(plan(stripe_clinic), client)
    services.membership_cancel(membership=membership, reason="Moving", by=None)
    assert tick(datetime(2027, 4, 9, 0, 0, tzinfo=UTC)) == (1, 0)
    assert Membership.objects.get().status == MembershipStatus.CANCELLED
    assert Invoice.objects.count() == 1


def test_cancelling_now_in_an_unpaid_period_stops_its_charge_and_credits_it(
    stripe_clinic, stripe_server
) -> None:
    client = factories.screened_client(stripe_clinic.organisation)
    save_card(client, stripe_server)
    membership = member(plan(stripe_clinic), client)
    tick(datetime(2027, 4, 9, 0, 0, tzinfo=UTC))  # invoiced, to be charged at 09:00
    services.membership_cancel(
        membership=membership,
        reason="Changed their mind",
        by=None,
        now_too=True,
        now=datetime(2027, 4, 9, 8, tzinfo=UTC),
    )
    period = membership.periods.get(number=1)
    assert period.status == PeriodStatus.VOID
    assert period.charge.status == ChargeStatus.CANCELLED
    assert money.balance(period.invoice) == 0
    assert tick(datetime(2027, 4, 9, 9, 0, tzinfo=UTC)) == (0, 0)
    assert period.invoice.total_minor == PRICE
