"""The Money report: takings by method and by each location's own day (across the clocks
going forward in London), outstanding balances, deposits held, fees, refunds and account
credit, each with its CSV file; money written through the payments services."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needlepoint.accounts.recent import SESSION_KEY
from needlepoint.audit.models import AuditEvent
from needlepoint.clients.models import Client
from needlepoint.core.money import Money
from needlepoint.payments import services
from needlepoint.payments.choices import Method, PaymentKind, PaymentStatus, Purpose
from needlepoint.payments.models import Invoice, Payment
from needlepoint.payments.queries import with_balance
from needlepoint.scheduling.choices import BookingStatus
from needlepoint.scheduling.models import Booking, Service
from needlepoint.scheduling.services import booking_cancel, booking_no_show
from tests import factories
from tests.reports import builders

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned")]

NOW = datetime(2027, 4, 1, 9, tzinfo=UTC)
CLOCKS_FORWARD = {"start": "2027-03-27", "end": "2027-03-28"}  # London's 28th has 23 hours
VISIT = datetime(2027, 4, 20, 10, tzinfo=UTC)  # still to come at NOW
_keys = count(1)


@pytest.fixture
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def gbp(minor: int) -> Money:
    return Money(minor, "GBP")


def take(location, client, minor, method, at, **more) -> Payment:
    return services.payment_take(
        location=location,
        client=client,
        amount=gbp(minor),
        method=method,
        by=more.pop("by", None),
        key=f"take-{next(_keys)}",
        now=at,
        **more,
    )


def refund(payment, minor, at, *, to_credit=False, reason="Shorter session", by=None) -> Payment:
    return services.refund_make(
        payment=payment,
        amount_minor=minor,
        to_credit=to_credit,
        reason=reason,
        by=by,
        key=f"refund-{next(_keys)}",
        now=at,
    )


def get(member, name: str, *args: str, **query):
    browser = factories.signed_in(member)
    session = browser.session
    session[SESSION_KEY] = int(time.time())
    session.save()
    return browser.get(reverse(f"reports:{name}", args=args), query)


def csv_of(member, section: str, **query) -> list[list[str]]:
    response = get(member, "money_csv", section, **query)
    assert response.status_code == 200, response.content[:300]
    return list(csv.reader(io.StringIO(response.content.decode())))


@dataclass
class Till:
    clinic: factories.Clinic
    client: Client


@pytest.fixture
def till(clinic) -> Till:
    """A weekend of takings in London as the clocks go forward, and one evening in New York."""
    client = factories.client(clinic.organisation, first_name="Dana", last_name="Whitfield")
    place = clinic.location
    desk = clinic.front_desk.user
    take(place, client, 999, Method.CASH, datetime(2027, 3, 27, 23, 30, tzinfo=UTC))  # 27th GMT
    cash = take(place, client, 4000, Method.CASH, datetime(2027, 3, 28, 22, 30, tzinfo=UTC))
    card = take(place, client, 6000, Method.TERMINAL, datetime(2027, 3, 28, 0, 30, tzinfo=UTC))
    take(place, client, 1234, Method.TERMINAL, datetime(2027, 3, 28, 23, 15, tzinfo=UTC))  # 29th
    take(place, client, 500, Method.CASH, datetime(2027, 3, 26, 23, 59, tzinfo=UTC))  # 26th
    refund(card, 1000, datetime(2027, 3, 28, 12, tzinfo=UTC), by=desk)
    refund(
        cash, 500, datetime(2027, 3, 28, 13, tzinfo=UTC), to_credit=True, reason="Goodwill", by=desk
    )
    take(place, client, 200, Method.CREDIT, datetime(2027, 3, 28, 14, tzinfo=UTC))
    new_york = factories.location(clinic.organisation, "Fifth Avenue", "America/New_York")
    take(new_york, client, 700, Method.TERMINAL, datetime(2027, 3, 29, 2, tzinfo=UTC))  # 22:00 EDT
    Payment.objects.create(  # a card payment Stripe hasn't confirmed: not taken yet
        organisation=clinic.organisation,
        location=place,
        client=client,
        method=Method.CARD_ONLINE,
        amount_minor=9900,
        currency="GBP",
        status=PaymentStatus.PENDING,
        idempotency_key="pending-card",
        taken_at=datetime(2027, 3, 28, 15, tzinfo=UTC),
    )
    return Till(clinic, client)


def test_takings_count_each_locations_own_days_across_the_clocks_going_forward(till):
    takings = get(till.clinic.owner, "money", **CLOCKS_FORWARD).context["figures"].takings
    assert [(m.method, m.taken, m.refunded, m.net) for m in takings.methods] == [
        (Method.CASH, 4999, 0, 4999),
        (Method.TERMINAL, 6700, 1000, 5700),
        (Method.CREDIT, 200, 500, -300),
    ]
    assert [(str(day), cells, total) for day, cells, total in takings.rows()] == [
        ("2027-03-27", [999, 0, 0], 999),
        ("2027-03-28", [4000, 5700, -300], 9700),
    ]
    assert (takings.taken, takings.refunded, takings.net) == (11699, 1000, 10699)


def test_the_takings_page_and_csv_show_the_same_figures(till):
    response = get(till.clinic.manager, "money", **CLOCKS_FORWARD)
    body = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="chart"' in body and "£106.99" in body and "-£3.00" in body
    assert csv_of(till.clinic.manager, "takings", **CLOCKS_FORWARD) == [
        ["day", "method", "taken", "refunded", "net", "currency"],
        ["2027-03-27", "cash", "9.99", "0.00", "9.99", "GBP"],
        ["2027-03-28", "cash", "40.00", "0.00", "40.00", "GBP"],
        ["2027-03-28", "terminal", "67.00", "10.00", "57.00", "GBP"],
        ["2027-03-28", "credit", "2.00", "5.00", "-3.00", "GBP"],
    ]
    # names nobody: no password asked for, nothing audited
    assert not AuditEvent.objects.filter(action="exported").exists()


def test_one_location_and_one_day(till):
    takings = (
        get(
            till.clinic.owner,
            "money",
            location=till.clinic.location.pk,
            start="2027-03-28",
            end="2027-03-28",
        )
        .context["figures"]
        .takings
    )
    assert [(str(day), cells) for day, cells, _ in takings.rows()] == [
        ("2027-03-28", [4000, 5000, -300])
    ]


def test_refunds_say_where_the_money_went_why_and_who(till):
    figures = get(till.clinic.owner, "money", **CLOCKS_FORWARD).context["figures"]
    assert (figures.refunds.count, figures.refunds.total) == (2, 1500)
    desk = till.clinic.front_desk.user.full_name
    rows = csv_of(till.clinic.owner, "refunds", **CLOCKS_FORWARD)
    assert rows[0][:9] == [
        "refund_id",
        "refunded_on",
        "client_id",
        "client",
        "location",
        "method",
        "to_credit",
        "amount",
        "currency",
    ]
    assert [(r[1], r[3], r[5], r[6], r[7], r[10], r[11]) for r in rows[1:]] == [
        ("2027-03-28", "Dana Whitfield", "terminal", "no", "10.00", "Shorter session", desk),
        ("2027-03-28", "Dana Whitfield", "credit", "yes", "5.00", "Goodwill", desk),
    ]


def test_account_credit_is_each_clients_balance_today(till, other_clinic):
    spent = factories.client(till.clinic.organisation)
    paid = take(till.clinic.location, spent, 1000, Method.CASH, NOW - timedelta(days=2))
    refund(paid, 1000, NOW - timedelta(days=2), to_credit=True)
    take(till.clinic.location, spent, 1000, Method.CREDIT, NOW - timedelta(days=1))
    elsewhere = factories.client(other_clinic.organisation)
    refund(take(other_clinic.location, elsewhere, 800, Method.CASH, NOW), 800, NOW, to_credit=True)
    credit = get(till.clinic.owner, "money", **CLOCKS_FORWARD).context["figures"].credit
    assert [(c.name, c.balance) for c in credit.rows] == [("Dana Whitfield", 300)]
    assert (credit.count, credit.total) == (1, 300)
    assert csv_of(till.clinic.owner, "credit")[1:] == [
        [str(till.client.public_id), "Dana Whitfield", "3.00", "GBP"]
    ]


# --- outstanding balances ---------------------------------------------------------------


def treatment(clinic, client=None, starts_at=VISIT, **more) -> Booking:
    offered = Service.objects.filter(location=clinic.location).first() or factories.service(
        clinic.location
    )
    return builders.booking(
        offered,
        clinic.practitioner,
        starts_at,
        client=client or factories.client(clinic.organisation),
        status=more.pop("status", BookingStatus.BOOKED),
    )


def issued(booking, at) -> Invoice:
    draft = services.invoice_for_booking(booking=booking)
    return services.invoice_issue(invoice=draft, by=None, now=at)


@pytest.fixture
def ledger(clinic, other_clinic) -> dict[str, Invoice]:
    """Invoices owed, paid, corrected, refunded and drafted; one elsewhere."""
    place = clinic.location
    day = datetime(2027, 3, 10, 10, tzinfo=UTC)
    part_paid = issued(treatment(clinic), day)
    take(place, part_paid.client, 5000, Method.CASH, day, invoice=part_paid)
    paid = issued(treatment(clinic), day + timedelta(days=1))
    take(place, paid.client, 18000, Method.TERMINAL, day, invoice=paid)
    corrected = issued(treatment(clinic), day + timedelta(days=2))
    services.credit_note_issue(
        invoice=corrected, amount_minor=3000, reason="Shorter session", by=None, now=day
    )
    take(place, corrected.client, 10000, Method.CASH, day, invoice=corrected)
    refunded = issued(treatment(clinic), day + timedelta(days=3))
    refund(take(place, refunded.client, 18000, Method.CASH, day, invoice=refunded), 2000, day)
    # a deposit refunded in part before the invoice existed: the refund names no invoice
    deposited = treatment(clinic)
    deposit = take(
        place, deposited.client, 5000, Method.TERMINAL, day, booking=deposited, purpose="deposit"
    )
    refund(deposit, 1500, day)
    with_deposit = issued(deposited, day + timedelta(days=4))
    draft = services.invoice_for_booking(booking=treatment(clinic))
    other = factories.service(other_clinic.location)
    elsewhere = issued(
        builders.booking(other, other_clinic.practitioner, VISIT, status=BookingStatus.BOOKED), day
    )
    return {
        "part_paid": part_paid,
        "paid": paid,
        "corrected": corrected,
        "refunded": refunded,
        "with_deposit": with_deposit,
        "draft": draft,
        "elsewhere": elsewhere,
    }


def test_the_database_works_out_every_balance_as_the_services_do(ledger):
    invoices = with_balance(Invoice.objects.all())
    assert {i.pk: i.balance_minor for i in invoices} == {
        i.pk: services.balance(i) for i in Invoice.objects.all()
    }
    found = {i.pk: i.balance_minor for i in invoices}
    assert found[ledger["with_deposit"].pk] == 18000 - 5000 + 1500
    assert found[ledger["draft"].pk] == 18000


def test_outstanding_balances_are_issued_invoices_still_owed_oldest_first(ledger, clinic):
    section = get(clinic.owner, "money", **CLOCKS_FORWARD).context["figures"].outstanding
    assert [(o.invoice.reference, o.balance) for o in section.rows] == [
        (ledger["part_paid"].reference, 13000),
        (ledger["corrected"].reference, 5000),
        (ledger["refunded"].reference, 2000),
        (ledger["with_deposit"].reference, 14500),
    ]
    assert (section.count, section.total) == (4, 34500)
    rows = csv_of(clinic.owner, "outstanding")
    assert rows[0] == [
        "invoice_id",
        "reference",
        "issued_on",
        "location",
        "client_id",
        "client",
        "total",
        "balance",
        "currency",
    ]
    first = ledger["part_paid"]
    assert rows[1] == [
        str(first.public_id),
        first.reference,
        "2027-03-10",
        "Harbour Street",
        str(first.client.public_id),
        first.client.full_name,
        "180.00",
        "130.00",
        "GBP",
    ]


def test_the_page_shows_the_first_rows_and_the_csv_has_them_all(ledger, clinic, monkeypatch):
    monkeypatch.setattr("needlepoint.reports.views.MONEY_ROWS_SHOWN", 2)
    body = get(clinic.owner, "money").content.decode()
    assert "And 2 more: download the CSV for every row." in body
    assert ledger["with_deposit"].reference not in body
    assert len(csv_of(clinic.owner, "outstanding")) == 5


def test_exports_naming_clients_ask_for_the_password_again_and_are_audited(ledger, clinic):
    browser = factories.signed_in(clinic.manager)
    session = browser.session
    session[SESSION_KEY] = 0  # given long ago
    session.save()
    for section in ("outstanding", "deposits", "fees", "refunds", "credit"):
        response = browser.get(reverse("reports:money_csv", args=[section]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:confirm_password"))
    assert browser.get(reverse("reports:money_csv", args=["takings"])).status_code == 200
    assert not AuditEvent.objects.filter(action="exported").exists()
    csv_of(clinic.manager, "outstanding")
    event = AuditEvent.objects.get(action="exported")
    assert event.detail == {"report": "money outstanding", "rows": 4}
    get(clinic.manager, "money")
    viewed = AuditEvent.objects.get(action="viewed", detail__report="money")
    assert viewed.detail["clients_listed"] == 4 + 1 + 2  # owed, a deposit held, refunds


def test_a_section_that_isnt_there_is_404(clinic):
    assert get(clinic.owner, "money_csv", "salaries").status_code == 404


def test_a_client_named_like_a_formula_stays_text(clinic):
    named = factories.client(clinic.organisation, first_name='=HYPERLINK("x")', last_name="Y")
    invoice = issued(treatment(clinic, named), datetime(2027, 3, 10, tzinfo=UTC))
    rows = csv_of(clinic.owner, "outstanding")
    assert rows[1][5] == '\'=HYPERLINK("x") Y' and rows[1][7] == "180.00"
    assert invoice.reference == rows[1][1]


# --- deposits and fees ------------------------------------------------------------------


def deposit(clinic, booking, minor=5000, at=datetime(2027, 3, 20, 10, tzinfo=UTC)) -> Payment:
    return take(
        clinic.location,
        booking.client,
        minor,
        Method.TERMINAL,
        at,
        booking=booking,
        purpose=Purpose.DEPOSIT,
    )


def test_deposits_held_are_those_not_given_back_for_visits_still_booked(clinic):
    whole = treatment(clinic, starts_at=VISIT + timedelta(days=2))
    deposit(clinic, whole)
    part = treatment(clinic)
    refund(deposit(clinic, part), 2000, NOW - timedelta(days=1))
    cancelled = treatment(clinic)
    deposit(clinic, cancelled)
    booking_cancel(booking=cancelled, now=NOW - timedelta(days=3))
    given_back = treatment(clinic)
    refund(deposit(clinic, given_back), 5000, NOW - timedelta(days=1))
    section = get(clinic.owner, "money").context["figures"].deposits
    assert [(h.booking.pk, h.held) for h in section.rows] == [(part.pk, 3000), (whole.pk, 5000)]
    assert (section.count, section.total) == (2, 8000)
    rows = csv_of(clinic.owner, "deposits")
    assert [r[5:] for r in rows[1:]] == [
        ["2027-04-20T11:00:00+01:00", "2027-03-20", "terminal", "50.00", "30.00", "GBP"],
        ["2027-04-22T11:00:00+01:00", "2027-03-20", "terminal", "50.00", "50.00", "GBP"],
    ]


def test_fees_charged_owed_and_waived_in_the_range_with_who_and_why(clinic):
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = 2500
    policy.late_cancel_fee_minor = 2000
    policy.save()
    visit = datetime(2027, 3, 27, 10, tzinfo=UTC)
    kept = treatment(clinic, starts_at=visit)
    deposit(clinic, kept, at=visit - timedelta(days=5))
    booking_no_show(booking=kept, now=visit + timedelta(minutes=20))
    services.fee_charge(booking=kept, by=clinic.front_desk.user, now=visit + timedelta(hours=1))
    owed = treatment(clinic, starts_at=visit)
    booking_no_show(booking=owed, now=visit + timedelta(minutes=20))
    services.fee_charge(booking=owed, by=None, now=visit + timedelta(hours=2))
    late = treatment(clinic, starts_at=datetime(2027, 3, 28, 11, tzinfo=UTC))
    booking_cancel(booking=late, now=datetime(2027, 3, 28, 9, tzinfo=UTC))
    services.fee_waive(
        booking=late,
        by=clinic.manager.user,
        reason="Car broke down",
        now=datetime(2027, 3, 28, 9, 30, tzinfo=UTC),
    )
    earlier = treatment(clinic, starts_at=datetime(2027, 3, 1, 10, tzinfo=UTC))
    booking_no_show(booking=earlier, now=datetime(2027, 3, 1, 11, tzinfo=UTC))
    services.fee_charge(booking=earlier, by=None, now=datetime(2027, 3, 1, 12, tzinfo=UTC))

    fees = get(clinic.owner, "money", **CLOCKS_FORWARD).context["figures"].fees
    assert (fees.charged, fees.due, fees.waived) == ((1, 2500), (1, 2500), (1, 2000))
    assert [(f.fee.booking.pk, f.fee.status) for f in fees.rows] == [
        (kept.pk, "charged"),
        (owed.pk, "due"),
        (late.pk, "waived"),
    ]
    rows = csv_of(clinic.owner, "fees", **CLOCKS_FORWARD)
    assert rows[0][7:] == ["kind", "status", "amount", "currency", "decided_by", "reason"]
    assert [[r[0], *r[7:]] for r in rows[1:]] == [
        ["2027-03-27", "no_show", "charged", "25.00", "GBP", clinic.front_desk.user.full_name, ""],
        ["2027-03-27", "no_show", "due", "25.00", "GBP", "", ""],
        [
            "2027-03-28",
            "late_cancel",
            "waived",
            "20.00",
            "GBP",
            clinic.manager.user.full_name,
            "Car broke down",
        ],
    ]
    # the deposit kept for the fee is a refund into credit and a payment from it
    refunds = csv_of(clinic.owner, "refunds", **CLOCKS_FORWARD)
    assert [(r[5], r[6], r[7], r[10]) for r in refunds[1:]] == [
        ("credit", "yes", "25.00", "Kept for the no-show fee")
    ]


# --- cost -------------------------------------------------------------------------------


def add_money(clinic, size: int) -> None:
    for n in range(size):
        booking = treatment(clinic, starts_at=VISIT + timedelta(days=n % 5, hours=n % 3))
        paid = deposit(clinic, booking, at=datetime(2027, 3, 27 + n % 2, 9 + n, tzinfo=UTC))
        refund(paid, 100, datetime(2027, 3, 28, 10, tzinfo=UTC), to_credit=n % 2 == 0)
        invoice = issued(treatment(clinic), datetime(2027, 3, 10, tzinfo=UTC))
        take(clinic.location, invoice.client, 1000, Method.CASH, NOW, invoice=invoice)


def test_the_page_reads_the_same_number_of_queries_however_much_money(clinic):
    add_money(clinic, 2)

    def counted() -> int:
        browser = factories.signed_in(clinic.owner)
        browser.get(reverse("staff:home"))  # the session's first request is not counted
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(reverse("reports:money"), CLOCKS_FORWARD)
        assert response.status_code == 200
        return len(queries)

    small = counted()
    add_money(clinic, 10)
    assert counted() == small
    assert Payment.objects.filter(kind=PaymentKind.REFUND).count() == 12


@pytest.mark.parametrize(
    "query",
    [
        {"start": "yesterday"},
        {"start": "2027-03-10", "end": "2027-03-01"},
        {"start": "2000-01-01", "end": "2027-03-01"},
        {"location": "999999"},
    ],
)
@pytest.mark.parametrize("section", [None, "takings", "outstanding"])
def test_bad_filters_give_a_form_error_not_a_crash(clinic, section, query):
    args = () if section is None else (section,)
    response = get(clinic.owner, "money" if section is None else "money_csv", *args, **query)
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()


def test_the_reports_index_links_the_money_report_which_has_no_practitioner_filter(clinic):
    assert reverse("reports:money") in get(clinic.manager, "index").content.decode()
    form = get(clinic.manager, "money", practitioner=clinic.practitioner.pk).context["form"]
    assert "practitioner" not in form.fields and form.is_valid()
