"""Scheduled charges: instalments of an issued invoice charged to the saved card on their
days, each once; a refused card tried again on the schedule with the client told each
time, and given up after the last try."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from needlepoint.core.errors import DomainError
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.delivery import deliver_due
from needlepoint.notifications.models import Message
from needlepoint.payments import charges, services, signals
from needlepoint.payments.choices import ChargeStatus, PaymentStatus, Purpose
from needlepoint.payments.models import Payment, SavedCard, ScheduledCharge
from needlepoint.payments.tasks import charge_scheduled_due
from tests import factories
from tests.payments.stripe_helpers import AT
from tests.payments.test_stripe import save_card

pytestmark = pytest.mark.django_db
FIRST = date(2027, 3, 10)  # the first instalment's day; AT is the day before


def issued_invoice(clinic, minor: int = 10_001):
    booking = factories.booked_treatment(clinic, AT)
    with time_machine.travel(AT, tick=False):
        invoice = services.invoice_for_booking(booking=booking)
        line = invoice.lines.get()
        services.invoice_line_remove(invoice=invoice, line=line)
        services.invoice_line_add(
            invoice=invoice, description="Course of 3", unit_minor=minor, purpose=Purpose.PACKAGE
        )
        return services.invoice_issue(invoice=invoice, by=None)


def plan(invoice, count: int = 3) -> list[ScheduledCharge]:
    with time_machine.travel(AT, tick=False):
        return charges.instalments_plan(
            invoice=invoice, count=count, first_due_on=FIRST, purpose=Purpose.PACKAGE, by=None
        )


def tick(moment) -> int:
    """The worker's run at ``moment``: due charges written and sent to Stripe."""
    with time_machine.travel(moment, tick=False):
        return charge_scheduled_due.call()


def test_the_balance_splits_into_instalments_with_odd_pence_on_the_first(clinic) -> None:
    invoice = issued_invoice(clinic)
    SavedCard.objects.create(
        client=invoice.client, stripe_customer="cus_x", stripe_payment_method="pm_x", saved_at=AT
    )
    planned = plan(invoice)
    assert [c.amount_minor for c in planned] == [3335, 3333, 3333]
    assert [c.due_on for c in planned] == [FIRST, FIRST + timedelta(30), FIRST + timedelta(60)]
    assert {c.status for c in planned} == {ChargeStatus.SCHEDULED}
    # due at 09:00 on its day in the location's zone (London, winter: 09:00 UTC)
    assert planned[0].next_try_at.isoformat() == "2027-03-10T09:00:00+00:00"
    with pytest.raises(DomainError, match="already paid by instalments"):
        plan(invoice)


@pytest.mark.parametrize(("count", "message"), [(1, "from 2 to 24"), (25, "from 2 to 24")])
def test_instalments_out_of_range_are_refused(clinic, count, message) -> None:
    invoice = issued_invoice(clinic)
    with pytest.raises(DomainError, match=message):
        plan(invoice, count)
    assert not ScheduledCharge.objects.exists()


def test_without_a_saved_card_nothing_is_planned(clinic) -> None:
    invoice = issued_invoice(clinic)
    with pytest.raises(DomainError, match="no saved card"):
        plan(invoice)
    assert not ScheduledCharge.objects.exists()


def test_each_instalment_is_charged_once_on_its_day(stripe_clinic, stripe_server) -> None:
    invoice = issued_invoice(stripe_clinic)
    save_card(invoice.client, stripe_server)
    paid = []
    signals.charge_paid.connect(lambda charge, **kw: paid.append(charge.pk), weak=False)
    first, second, third = plan(invoice)
    assert tick(AT) == 0  # nothing due yet
    assert tick(first.next_try_at) == 1
    assert tick(first.next_try_at + timedelta(minutes=5)) == 0  # never twice
    first.refresh_from_db()
    assert first.status == ChargeStatus.PAID and first.tries == 1
    assert first.payment.status == PaymentStatus.SUCCEEDED
    assert first.payment.purpose == Purpose.PACKAGE
    assert services.balance(invoice) == 10_001 - 3335
    assert paid == [first.pk]
    assert tick(third.next_try_at) == 2  # a worker that was down catches up
    assert services.balance(invoice) == 0
    assert Payment.objects.filter(invoice=invoice).count() == 3
    signals.charge_paid.receivers.clear()


def test_a_refused_card_is_tried_again_then_given_up_with_the_client_told(
    stripe_clinic, stripe_server
) -> None:
    invoice = issued_invoice(stripe_clinic)
    card = save_card(invoice.client, stripe_server)
    failed = []
    signals.charge_failed.connect(lambda charge, **kw: failed.append(charge.pk), weak=False)
    first, *_ = plan(invoice)
    card.stripe_payment_method = "pm_missing"  # the card was removed at the bank
    card.save()
    moment = first.next_try_at
    for tries, wait in enumerate([*charges.RETRY_DAYS, None], start=1):
        assert tick(moment) == 1
        first.refresh_from_db()
        assert first.tries == tries
        assert first.payment.status == PaymentStatus.FAILED
        if wait is None:
            assert first.status == ChargeStatus.FAILED
        else:
            assert first.status == ChargeStatus.RETRYING
            assert first.next_try_at == moment + timedelta(days=wait)
            assert tick(first.next_try_at - timedelta(minutes=1)) == 0
            moment = first.next_try_at
    assert tick(moment + timedelta(days=7)) == 0  # given up: never tried again
    assert failed == [first.pk]
    told = Message.objects.filter(client=invoice.client, kind=MessageKind.CHARGE_FAILED)
    assert told.count() == 4
    deliver_due(worker_id="test", now=moment + timedelta(days=8))
    subject = "Your card payment to Harbour Street did not go through"
    bodies = [sent.body for sent in mail.outbox if sent.subject == subject]
    assert len(bodies) == 4
    assert sum("We will try again on" in body for body in bodies) == 3
    assert sum("We will not try again" in body for body in bodies) == 1
    assert all("£33.35" in body and invoice.reference in body for body in bodies)
    assert services.balance(invoice) == 10_001  # nothing taken
    signals.charge_failed.receivers.clear()


def test_a_charge_cancelled_is_not_taken_and_a_reason_is_needed(stripe_clinic, stripe_server):
    invoice = issued_invoice(stripe_clinic)
    save_card(invoice.client, stripe_server)
    first, *_ = plan(invoice)
    with pytest.raises(DomainError, match="Say why"):
        charges.charge_cancel(charge=first, by=None, reason=" ")
    charges.charge_cancel(charge=first, by=None, reason="Paid in cash instead")
    with pytest.raises(DomainError, match="already cancelled"):
        charges.charge_cancel(charge=first, by=None, reason="again")
    assert tick(first.next_try_at) == 0
    assert not Payment.objects.filter(invoice=invoice).exists()


def test_an_instalment_whose_invoice_was_paid_another_way_takes_nothing(
    stripe_clinic, stripe_server
) -> None:
    invoice = issued_invoice(stripe_clinic, minor=3000)
    save_card(invoice.client, stripe_server)
    first, second = plan(invoice, 2)
    services.payment_take(
        location=stripe_clinic.location,
        client=invoice.client,
        amount=services.Money(3000, "GBP"),
        method="cash",
        by=None,
        key="cash",
        invoice=invoice,
        now=AT,
    )
    assert tick(second.next_try_at) == 2
    assert set(ScheduledCharge.objects.values_list("status", flat=True)) == {ChargeStatus.CANCELLED}
    assert Payment.objects.filter(invoice=invoice).count() == 1


# ---- at the desk ------------------------------------------------------------------------------


def test_the_desk_plans_instalments_on_the_invoice_and_a_manager_cancels_one(clinic) -> None:
    invoice = issued_invoice(clinic, minor=9000)
    page = reverse("money:invoice", args=[invoice.public_id])
    with time_machine.travel(AT, tick=False):
        desk = factories.signed_in(clinic.front_desk)
        shown = desk.get(page).content.decode()
        assert "No card is saved" in shown
        SavedCard.objects.create(
            client=invoice.client,
            stripe_customer="cus_x",
            stripe_payment_method="pm_x",
            brand="visa",
            last4="4242",
            saved_at=AT,
        )
        assert "Visa ending 4242" in desk.get(page).content.decode()
        url = reverse("money:instalments", args=[invoice.public_id])
        refused = desk.post(url, {"count": 30, "first_due_on": "2027-03-10", "every_days": 30})
        assert "Ensure this value is less than or equal to 24." in refused.content.decode()
        assert not ScheduledCharge.objects.exists()
        done = desk.post(
            url, {"count": 3, "first_due_on": "2027-03-10", "every_days": 30}, follow=True
        )
        shown = done.content.decode()
        assert "charged to the saved card in 3 instalments" in shown
        assert shown.count("£30.00") >= 3 and "10 Mar 2027" in shown and "9 Apr 2027" in shown
        first = ScheduledCharge.objects.order_by("due_on").first()
        cancel = reverse("money:charge_cancel", args=[invoice.public_id, first.pk])
        assert desk.post(cancel, {"reason": "Paid in cash"}).status_code == 403
        manager = factories.signed_in(clinic.manager)
        cancelled = manager.post(cancel, {"reason": "Paid in cash"}, follow=True)
    assert "The charge is cancelled." in cancelled.content.decode()
    first.refresh_from_db()
    assert first.status == ChargeStatus.CANCELLED
