"""The membership rules through its services: plans, signing up, periods by the calendar,
benefits at checkout, sessions used, cancelling (billing by scheduled charges:
test_membership_billing.py; Stripe itself: test_membership_stripe.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from needlepoint.audit.choices import Target
from needlepoint.audit.models import AuditEvent
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.memberships import periods, services
from needlepoint.memberships.choices import MembershipStatus, PeriodStatus, SessionsEvery
from needlepoint.memberships.models import Membership, MembershipPeriod, MembershipUse
from needlepoint.payments import services as money
from needlepoint.payments.choices import InvoiceKind, PaymentKind, Purpose
from needlepoint.payments.models import Invoice, Payment, SavedCard
from needlepoint.payments.pricing import price_for
from needlepoint.scheduling.services import booking_check_in, booking_complete
from tests import factories
from tests.memberships.helpers import AT, PRICE, book, member, plan

pytestmark = pytest.mark.django_db


# ---- the calendar -----------------------------------------------------------------------


def test_a_month_on_from_the_31st_is_the_last_day_of_a_shorter_month() -> None:
    assert periods.add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert periods.add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # a leap year
    assert periods.add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)
    assert periods.add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)


def test_periods_count_from_the_start_so_the_31st_comes_back_after_february() -> None:
    started = date(2027, 1, 31)
    assert periods.period_bounds(started, 1, 0) == (date(2027, 1, 31), date(2027, 2, 27))
    assert periods.period_bounds(started, 1, 1) == (date(2027, 2, 28), date(2027, 3, 30))
    assert periods.period_bounds(started, 1, 2) == (date(2027, 3, 31), date(2027, 4, 29))
    assert periods.period_bounds(date(2028, 2, 29), 12, 0) == (date(2028, 2, 29), date(2029, 2, 27))


@settings(max_examples=200, deadline=None)
@given(
    started=st.dates(date(2020, 1, 1), date(2040, 12, 31)),
    months=st.sampled_from([1, 3, 12]),
    number=st.integers(0, 40),
)
def test_periods_follow_each_other_without_gap_or_overlap(started, months, number) -> None:
    first, last = periods.period_bounds(started, months, number)
    following, _ = periods.period_bounds(started, months, number + 1)
    assert first <= last and following == last + timedelta(days=1)
    assert periods.period_number(started, months, first) == number
    assert periods.period_number(started, months, last) == number
    assert periods.window_start(started, months, last) == first


@given(amount=st.integers(1, 10_000_000), length=st.integers(28, 366), data=st.data())
def test_a_pro_rata_share_is_never_more_than_was_paid(amount, length, data) -> None:
    unused = data.draw(st.integers(0, length))
    share = periods.pro_rata(amount, unused, length)
    assert 0 <= share <= amount
    assert periods.pro_rata(amount, length, length) == amount


# ---- plans ------------------------------------------------------------------------------


def test_a_plan_needs_a_price_in_the_clinics_currency_and_a_service_for_its_sessions(
    clinic,
) -> None:
    terms = services.PlanTerms(name="Gold", price=Money(4900, "EUR"), period="monthly")
    with pytest.raises(DomainError) as refused:
        services.plan_save(location=clinic.location, terms=terms, by=None)
    assert refused.value.code == "wrong_currency"
    terms = services.PlanTerms(
        name="Gold", price=Money(4900, "GBP"), period="monthly", included_sessions=1
    )
    with pytest.raises(DomainError) as refused:
        services.plan_save(location=clinic.location, terms=terms, by=None)
    assert refused.value.code == "service_missing"
    other = factories.service(factories.location(clinic.organisation, name="Elsewhere"))
    with pytest.raises(DomainError):
        services.plan_save(
            location=clinic.location,
            terms=services.PlanTerms(
                name="Gold",
                price=Money(4900, "GBP"),
                period="monthly",
                included_sessions=1,
                included_service=other,
            ),
            by=None,
        )
    assert not clinic.location.membership_plans.exists()


def test_a_plan_is_audited_and_its_name_is_once_per_location(clinic) -> None:
    gold = plan(clinic)
    assert AuditEvent.objects.filter(target=Target.MEMBERSHIP, target_id=str(gold.public_id))
    with pytest.raises(DomainError) as refused:
        plan(clinic)
    assert refused.value.code == "plan_name_taken"


# ---- signing up -------------------------------------------------------------------------


def test_a_member_has_a_paid_first_period_on_an_issued_invoice(clinic) -> None:
    gold = plan(clinic)
    membership = member(gold)
    assert membership.status == MembershipStatus.ACTIVE
    assert (membership.started_on, membership.period_end) == (date(2027, 3, 9), date(2027, 4, 8))
    period = membership.periods.get()
    assert period.status == PeriodStatus.PAID
    invoice = period.invoice
    assert invoice.is_issued and invoice.total_minor == PRICE
    line = invoice.lines.get()
    assert line.description == "Gold membership, 9 March – 8 April 2027"
    assert line.purpose == Purpose.MEMBERSHIP
    assert money.balance(invoice) == 0
    assert period.payment.purpose == Purpose.MEMBERSHIP


def test_the_same_sign_up_confirmed_twice_makes_one_membership(clinic) -> None:
    gold = plan(clinic)
    client = factories.screened_client(clinic.organisation)
    first = services.membership_record_start(
        client=client, plan=gold, stripe_id="pi_1", by=None, key="k1", now=AT
    )
    again = services.membership_record_start(
        client=client, plan=gold, stripe_id="pi_1", by=None, key="k1", now=AT
    )
    assert first == again
    assert Membership.objects.count() == 1 and Payment.objects.count() == 1


def test_a_client_is_a_member_of_a_plan_once_at_a_time(clinic) -> None:
    gold = plan(clinic)
    membership = member(gold)
    SavedCard.objects.create(
        client=membership.client, stripe_customer="c", stripe_payment_method="p", saved_at=AT
    )
    with pytest.raises(DomainError) as refused:  # before any card is charged
        services.membership_start(client=membership.client, plan=gold, by=None, key="k2", now=AT)
    assert refused.value.code == "already_member"
    assert refused.value.message == "Alex is already a member of Gold."
    assert Invoice.objects.count() == 1  # nothing half-written
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        Membership.objects.create(
            **{
                field.name: getattr(membership, field.name)
                for field in Membership._meta.concrete_fields
                if field.name not in ("id", "public_id")
            }
        )


def test_a_sign_up_refused_once_the_card_was_charged_gives_the_money_back(clinic) -> None:
    gold = plan(clinic)
    membership = member(gold)
    with pytest.raises(DomainError) as refused:
        services.membership_record_start(
            client=membership.client, plan=gold, stripe_id="pi_2", by=None, key="tab-2", now=AT
        )
    assert refused.value.code == "already_member"
    assert "being refunded to the card" in refused.value.message
    payment = Payment.objects.get(idempotency_key="membership-tab-2")
    refund = Payment.objects.get(refund_of=payment)
    assert (refund.amount_minor, refund.method) == (PRICE, "card_online")
    assert money.balance(payment.invoice) == 0  # credited: nothing owed, nothing kept
    assert Membership.objects.count() == 1
    with pytest.raises(DomainError):  # the same again gives back once
        services.membership_record_start(
            client=membership.client, plan=gold, stripe_id="pi_2", by=None, key="tab-2", now=AT
        )
    assert Payment.objects.filter(kind=PaymentKind.REFUND).count() == 1


def test_at_the_desk_a_client_without_a_saved_card_is_told_to_add_one_online(clinic) -> None:
    gold = plan(clinic)
    client = factories.screened_client(clinic.organisation, first_name="Sam")
    with pytest.raises(DomainError) as refused:
        services.membership_start(client=client, plan=gold, by=None, key="k", now=AT)
    assert refused.value.code == "no_saved_card"
    assert "Sam has no saved card: they must add one online first" in refused.value.message
    assert not Membership.objects.exists() and not Invoice.objects.exists()


def test_a_plan_no_longer_sold_refuses_new_members(clinic) -> None:
    gold = plan(clinic, active=False)
    client = factories.screened_client(clinic.organisation)
    SavedCard.objects.create(
        client=client, stripe_customer="cus_1", stripe_payment_method="pm_1", saved_at=AT
    )
    with pytest.raises(DomainError) as refused:
        services.membership_start(client=client, plan=gold, by=None, key="k", now=AT)
    assert refused.value.code == "plan_inactive"
    assert refused.value.message == "The Gold plan is no longer sold."
    online_only = plan(clinic, name="Silver", sold_online=False)
    with pytest.raises(DomainError):
        services.check_may_join(client=client, plan=online_only, online_sale=True, needs_card=False)


def test_an_erased_client_cannot_join(clinic) -> None:
    gold = plan(clinic)
    client = factories.screened_client(clinic.organisation)
    client.anonymised_at = AT
    client.save()
    with pytest.raises(DomainError) as refused:
        member(gold, client)
    assert refused.value.code == "not_found"


# ---- benefits at checkout ------------------------------------------------------------------


def test_an_included_session_costs_nothing_then_the_discount_applies(clinic) -> None:
    gold = plan(clinic, sessions=1, discount=10)
    membership = member(gold)
    service = gold.included_service
    first = book(membership.client, service, AT + timedelta(days=2))
    price = price_for(first)
    assert (price.description, price.unit_minor) == ("Included in Gold membership", 0)
    booking_check_in(booking=first, now=first.starts_at)
    booking_complete(booking=first, now=first.starts_at + timedelta(hours=1))
    use = MembershipUse.objects.get()
    assert (use.booking, use.period) == (first, date(2027, 3, 9))
    assert price_for(first).unit_minor == 0  # its own invoice still says included
    second = book(membership.client, service, AT + timedelta(days=9))
    price = price_for(second)
    assert price.unit_minor == 18000 - 1800
    assert price.description == "Microneedling — face, Gold membership −10%"
    invoice = money.invoice_for_booking(booking=second)
    assert invoice.lines.get().unit_minor == 16200


def test_the_next_period_brings_a_new_included_session(clinic) -> None:
    gold = plan(clinic, sessions=1, discount=0)
    membership = member(gold)
    service = gold.included_service
    used = book(membership.client, service, AT + timedelta(days=2))
    services.use_record(booking=used, now=used.starts_at)
    same_period = book(membership.client, service, AT + timedelta(days=29))  # 7 April
    assert price_for(same_period).unit_minor == service.price_minor
    next_period = book(membership.client, service, AT + timedelta(days=31))  # 9 April
    assert price_for(next_period).unit_minor == 0


def test_a_quarterly_allowance_spans_three_monthly_periods(clinic) -> None:
    gold = plan(clinic, sessions=1, discount=0, sessions_every=SessionsEvery.QUARTER)
    membership = member(gold)
    service = gold.included_service
    used = book(membership.client, service, AT + timedelta(days=2))
    services.use_record(booking=used, now=used.starts_at)
    in_quarter = book(membership.client, service, datetime(2027, 5, 11, 10, tzinfo=UTC))
    assert price_for(in_quarter).unit_minor == service.price_minor
    next_quarter = book(membership.client, service, datetime(2027, 6, 15, 10, tzinfo=UTC))
    assert price_for(next_quarter).unit_minor == 0


def test_other_services_and_other_clients_get_nothing_included(clinic) -> None:
    gold = plan(clinic, sessions=1, discount=0)
    membership = member(gold)
    other_service = factories.service(clinic.location, name="Microneedling — neck")
    assert price_for(book(membership.client, other_service, AT + timedelta(days=2))).unit_minor
    stranger = factories.screened_client(clinic.organisation)
    booking = book(stranger, gold.included_service, AT + timedelta(days=3))
    assert price_for(booking).unit_minor == 18000


@settings(max_examples=8, deadline=None)
@given(allowance=st.integers(1, 3), bookings=st.integers(1, 6))
def test_sessions_used_never_exceed_those_included(allowance, bookings) -> None:
    with transaction.atomic():
        clinic = factories.clinic(slug=f"c{next(factories._sequence)}")
        gold = plan(clinic, sessions=allowance, discount=0)
        membership = member(gold)
        for day in [1, 2, 3, 7, 8, 9][:bookings]:  # weekdays of the first period
            booking = book(membership.client, gold.included_service, AT + timedelta(days=day))
            services.use_record(booking=booking, now=booking.starts_at)
            services.use_record(booking=booking, now=booking.starts_at)  # once per booking
        assert membership.uses.count() == min(allowance, bookings)
        transaction.set_rollback(True)


def test_a_lapsed_membership_gives_nothing(clinic) -> None:
    gold = plan(clinic, sessions=1, discount=10)
    membership = member(gold)
    Membership.objects.filter(pk=membership.pk).update(status=MembershipStatus.LAPSED)
    booking = book(membership.client, gold.included_service, AT + timedelta(days=2))
    assert price_for(booking).unit_minor == 18000
    assert services.use_record(booking=booking) is None


# ---- cancelling -------------------------------------------------------------------------


def test_cancelling_at_the_period_end_keeps_benefits_until_then_and_once_only(clinic) -> None:
    membership = member(plan(clinic))
    services.membership_cancel(membership=membership, reason="Moving away", by=None, now=AT)
    membership.refresh_from_db()
    assert membership.cancel_at_period_end and membership.status == MembershipStatus.ACTIVE
    with pytest.raises(DomainError) as refused:
        services.membership_cancel(membership=membership, reason="Again", by=None, now=AT)
    assert refused.value.code == "already_cancelled"
    assert "already set to end on 08 Apr 2027" in refused.value.message
    # the last day of the period is still the member's; the day after, it ends
    assert services.periods_roll(now=datetime(2027, 4, 8, 22, 59, tzinfo=UTC)) == 0
    assert services.periods_roll(now=datetime(2027, 4, 8, 23, 0, tzinfo=UTC)) == 1  # BST
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANCELLED
    assert membership.ended_on == date(2027, 4, 8)
    with pytest.raises(DomainError) as refused:
        services.membership_cancel(membership=membership, reason="Again", by=None, now=AT)
    assert refused.value.code == "already_ended"


def test_cancelling_needs_a_reason(clinic) -> None:
    membership = member(plan(clinic))
    with pytest.raises(DomainError) as refused:
        services.membership_cancel(membership=membership, reason=" ", by=None, now=AT)
    assert refused.value.code == "reason_missing"


def test_cancelling_now_gives_back_what_staff_decide_with_a_credit_note(clinic) -> None:
    membership = member(plan(clinic))  # 9 March to 8 April: 31 days
    today = date(2027, 3, 24)  # 15 days left after today
    assert services.refund_suggested(membership, today) == (PRICE * 15 * 2 + 31) // 62
    with pytest.raises(DomainError) as refused:
        services.membership_cancel(
            membership=membership, reason="Unwell", by=None, now_too=True, refund_minor=PRICE + 1
        )
    assert refused.value.code == "refund_too_high"
    assert Membership.objects.get().status == MembershipStatus.ACTIVE  # nothing half-done
    services.membership_cancel(
        membership=membership,
        reason="Unwell",
        by=None,
        now_too=True,
        refund_minor=2371,
        now=datetime(2027, 3, 24, 12, tzinfo=UTC),
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANCELLED
    assert membership.ended_on == today
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE)
    assert note.total_minor == 2371 and note.reason == "Unwell"
    refund = Payment.objects.get(kind=PaymentKind.REFUND)
    assert refund.amount_minor == 2371 and refund.purpose == Purpose.MEMBERSHIP


def test_cancel_at_end_gives_no_money_back(clinic) -> None:
    membership = member(plan(clinic))
    with pytest.raises(DomainError) as refused:
        services.membership_cancel(membership=membership, reason="x", by=None, refund_minor=100)
    assert refused.value.code == "refund_needs_now"
    assert not MembershipPeriod.objects.exclude(status=PeriodStatus.PAID).exists()
