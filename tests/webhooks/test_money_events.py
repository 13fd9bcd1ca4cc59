"""Money's webhooks, as a receiver gets them: invoices issued, payments and refunds that went
through (card ones once Stripe says so), fees charged and waived; no names, no reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from needlepoint.core.money import Money
from needlepoint.payments import services
from needlepoint.payments.choices import Method, PaymentStatus
from needlepoint.payments.models import Fee, Payment
from needlepoint.scheduling.services import booking_cancel, booking_no_show
from needlepoint.webhooks.delivery import deliver_due
from needlepoint.webhooks.models import WebhookSubscription
from needlepoint.webhooks.services import subscription_create
from tests import factories
from tests.payments.test_stripe import save_card

pytestmark = pytest.mark.django_db

AT = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London
MONEY_EVENTS = [
    "payment.succeeded",
    "payment.refunded",
    "invoice.issued",
    "fee.charged",
    "fee.waived",
]


@pytest.fixture
def frozen():
    with time_machine.travel(AT, tick=False) as traveller:
        yield traveller


def subscribe(organisation, url, events=MONEY_EVENTS) -> WebhookSubscription:
    return subscription_create(organisation=organisation, url=url, events=events)


def bodies(receiver) -> list[tuple[str, dict]]:
    deliver_due(worker_id="test")
    found = [(item.headers["X-Needlepoint-Event"], item.body["data"]) for item in receiver.received]
    receiver.received.clear()
    return found


def test_an_invoice_its_payment_and_a_refund_reach_the_receiver(
    clinic, other_clinic, receivers, frozen
):
    mine, elsewhere = receivers[:2]
    subscribe(clinic.organisation, mine.url)
    subscribe(other_clinic.organisation, elsewhere.url)
    booking = factories.booked_treatment(clinic, AT + timedelta(days=1))
    client = booking.client
    invoice = services.invoice_issue(
        invoice=services.invoice_for_booking(booking=booking), by=None, now=AT
    )
    place = {"id": str(clinic.location.public_id), "name": "Harbour Street"}
    assert bodies(mine) == [
        (
            "invoice.issued",
            {
                "invoice": str(invoice.public_id),
                "kind": "invoice",
                "reference": "HARBOUR-STREET-000001",
                "client": str(client.public_id),
                "location": place,
                "booking": str(booking.public_id),
                "corrects": None,
                "net": "180.00",
                "net_minor": 18000,
                "tax": "0.00",
                "tax_minor": 0,
                "total": "180.00",
                "total_minor": 18000,
                "currency": "GBP",
                "issued_at": "2027-03-09T10:00:00Z",
            },
        )
    ]
    paid = services.payment_take(
        location=clinic.location,
        client=client,
        amount=Money(18000, "GBP"),
        method=Method.TERMINAL,
        by=clinic.front_desk.user,
        key="desk-1",
        invoice=invoice,
        now=AT,
    )
    services.payment_take(  # the same click again: no second payment, no second event
        location=clinic.location,
        client=client,
        amount=Money(18000, "GBP"),
        method=Method.TERMINAL,
        by=clinic.front_desk.user,
        key="desk-1",
        invoice=invoice,
        now=AT,
    )
    given_back = services.refund_make(
        payment=paid,
        amount_minor=3000,
        to_credit=True,
        reason="Deferred: sunburn on the cheeks",
        by=clinic.manager.user,
        key="refund-1",
        now=AT + timedelta(hours=1),
    )
    (payment, refund) = bodies(mine)
    assert payment == (
        "payment.succeeded",
        {
            "payment": str(paid.public_id),
            "client": str(client.public_id),
            "location": place,
            "invoice": str(invoice.public_id),
            "booking": str(booking.public_id),
            "purpose": "balance",
            "method": "terminal",
            "amount": "180.00",
            "amount_minor": 18000,
            "currency": "GBP",
            "taken_at": "2027-03-09T10:00:00Z",
        },
    )
    assert refund == (
        "payment.refunded",
        {
            "refund": str(given_back.public_id),
            "payment": str(paid.public_id),
            "client": str(client.public_id),
            "location": place,
            "invoice": str(invoice.public_id),
            "booking": str(booking.public_id),
            "purpose": "balance",
            "method": "credit",
            "to_credit": True,
            "amount": "30.00",
            "amount_minor": 3000,
            "currency": "GBP",
            "taken_at": "2027-03-09T11:00:00Z",
        },
    )
    note = services.credit_note_issue(
        invoice=invoice, amount_minor=3000, reason="Shorter session", by=None, now=AT
    )
    ((event, data),) = bodies(mine)
    assert (event, data["kind"], data["corrects"], data["total_minor"]) == (
        "invoice.issued",
        "credit_note",
        str(invoice.public_id),
        3000,
    )
    assert data["invoice"] == str(note.public_id)
    assert data["reference"] == "HARBOUR-STREET-CN-000001"
    assert elsewhere.received == []
    raw = b"".join(item.raw for item in mine.received)
    for private in (client.first_name, client.email, "sunburn", "Shorter session"):
        assert private.encode() not in raw


def test_fees_charged_owed_and_waived_without_the_reason(clinic, receiver, frozen):
    subscribe(clinic.organisation, receiver.url, ["fee.charged", "fee.waived"])
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = 2500
    policy.late_cancel_fee_minor = 2000
    policy.save()
    missed = factories.booked_treatment(clinic, AT)
    booking_no_show(booking=missed, now=AT + timedelta(minutes=20))
    services.fee_charge(booking=missed, by=None, now=AT + timedelta(hours=1))
    late = factories.booked_treatment(clinic, AT + timedelta(hours=5))
    booking_cancel(booking=late, now=AT + timedelta(hours=1))
    services.fee_waive(
        booking=late, by=clinic.manager.user, reason="Car broke down", now=AT + timedelta(hours=2)
    )
    assert bodies(receiver) == [
        (
            "fee.charged",
            {
                "booking": str(missed.public_id),
                "client": str(missed.client.public_id),
                "location": {"id": str(clinic.location.public_id), "name": "Harbour Street"},
                "kind": "no_show",
                "status": "due",  # no deposit, no card: owed on its invoice
                "amount": "25.00",
                "amount_minor": 2500,
                "currency": "GBP",
                "decided_at": "2027-03-09T11:00:00Z",
                "invoice": str(Fee.objects.get(booking=missed).invoice.public_id),
                "payment": None,
            },
        ),
        (
            "fee.waived",
            {
                "booking": str(late.public_id),
                "client": str(late.client.public_id),
                "location": {"id": str(clinic.location.public_id), "name": "Harbour Street"},
                "kind": "late_cancel",
                "status": "waived",
                "amount": "20.00",
                "amount_minor": 2000,
                "currency": "GBP",
                "decided_at": "2027-03-09T12:00:00Z",
            },
        ),
    ]


def test_card_money_is_reported_once_stripe_says_it_went_through(
    stripe_clinic, stripe_server, receiver
):
    subscribe(stripe_clinic.organisation, receiver.url)
    booking = factories.booked_treatment(stripe_clinic, AT)
    save_card(booking.client, stripe_server)
    policy = services.policy_for(stripe_clinic.location)
    policy.no_show_fee_minor = 3000
    policy.save()
    booking_no_show(booking=booking, now=AT + timedelta(minutes=20))
    services.fee_charge(
        booking=booking, by=stripe_clinic.front_desk.user, now=AT + timedelta(hours=1)
    )
    charge = Payment.objects.get(method=Method.CARD_ONLINE)
    events = bodies(receiver)
    assert [event for event, _ in events] == ["invoice.issued", "fee.charged", "payment.succeeded"]
    assert events[1][1]["payment"] == str(charge.public_id)
    assert events[2][1]["method"] == "card_online" and events[2][1]["amount_minor"] == 3000
    refund = services.refund_make(
        payment=charge, amount_minor=1000, to_credit=False, reason="Half waived", by=None, key="r1"
    )
    assert refund.status == PaymentStatus.PENDING and bodies(receiver) == []
    services.payment_send(refund)
    ((event, data),) = bodies(receiver)
    assert (event, data["refund"], data["to_credit"]) == (
        "payment.refunded",
        str(refund.public_id),
        False,
    )


def test_owners_subscribe_to_money_events_on_the_webhooks_page(clinic, receiver):
    browser = factories.signed_in(clinic.owner)
    page = browser.get("/webhooks/").content.decode()
    for event in MONEY_EVENTS:
        assert f'value="{event}"' in page
    browser.post("/webhooks/", {"url": receiver.url, "events": ["payment.succeeded", "fee.waived"]})
    subscription = WebhookSubscription.objects.get()
    assert subscription.events == ["payment.succeeded", "fee.waived"]
    assert subscription.event_labels() == [
        "Payment went through",
        "No-show or late-cancellation fee waived",
    ]


def test_a_deposit_paid_online_is_reported_with_the_booking(stripe_clinic, stripe_server, receiver):
    from needlepoint.payments import online
    from needlepoint.public.services import online_booking_confirm
    from tests.public.test_online_booking import NOW, WEDNESDAY_TEN
    from tests.public.test_online_deposits import card_typed, deposit_rule

    subscribe(stripe_clinic.organisation, receiver.url, ["payment.succeeded"])
    with time_machine.travel(NOW, tick=False):
        factories.works_opening_hours(stripe_clinic.practitioner, stripe_clinic.location)
        offered = factories.service(stripe_clinic.location)
        deposit_rule(stripe_clinic.location)
        someone = factories.screened_client(stripe_clinic.organisation)
        step = card_typed(someone, stripe_server)
        terms = online.terms_for(offered)
        intent = online.deposit_charge(
            organisation=stripe_clinic.organisation,
            setup_intent=step.setup.stripe_id,
            amount=terms.pay_now,
            key="online-deposit",
        )
        booking = online_booking_confirm(
            client=someone,
            service=offered,
            starts_at=WEDNESDAY_TEN,
            wording=terms.wording,
            accepted_at=NOW,
            setup_intent=step.setup.stripe_id,
            payment_intent=intent.stripe_id,
        )
        ((event, data),) = bodies(receiver)
    assert event == "payment.succeeded"
    assert (data["booking"], data["purpose"], data["method"], data["amount_minor"]) == (
        str(booking.public_id),
        "deposit",
        "card_online",
        3600,
    )
