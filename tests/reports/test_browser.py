"""An owner opens the reports in a real browser, filters one, and reads its chart and figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine

from needlepoint.scheduling.choices import BookingStatus, Channel
from tests import factories
from tests.browser import checked
from tests.reports import builders

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2027, 3, 31, 9, tzinfo=UTC)


@pytest.fixture
def clinic_with_data():
    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    nano = builders.configuration(clinic.location)
    who = clinic.practitioner
    for day, channel, status in (
        (1, Channel.ONLINE, BookingStatus.COMPLETED),
        (2, Channel.STAFF, BookingStatus.NO_SHOW),
        (3, Channel.API, BookingStatus.COMPLETED),
        (4, Channel.ONLINE, BookingStatus.COMPLETED),
    ):
        booking = builders.booking(
            offered, who, datetime(2027, 3, day, 10, tzinfo=UTC), channel=channel, status=status
        )
        session = builders.session(
            booking.client, clinic.location, who, date(2027, 3, day), scar_score=30, improvement=0
        )
        builders.session(
            booking.client,
            clinic.location,
            who,
            date(2027, 3, day + 14),
            scar_score=24,
            improvement=4,
        )
        builders.cartridge(session, nano, "L-7")
    return clinic


def sign_in(page, base: str, member) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    factories.authenticator(member.user)
    page.get_by_role("button", name="Sign in").click()
    factories.give_code_in_browser(page, member.user)
    page.get_by_role("link", name="Today").wait_for()


def test_an_owner_filters_a_report_and_reads_its_chart(page, live_server, clinic_with_data):
    clinic = clinic_with_data
    with time_machine.travel(NOW, tick=True):
        sign_in(page, live_server.url, clinic.owner)
        page.get_by_role("link", name="Reports").click()
        page.get_by_role("heading", name="Reports", exact=True).wait_for()
        checked(page, "reports-index")

        page.get_by_role("link", name="Bookings").first.click()
        page.get_by_label("From").fill("2027-03-01")
        page.get_by_label("To").fill("2027-03-07")
        page.get_by_label("Location").select_option(label="Harbour Street")
        page.get_by_role("button", name="Show").click()
        chart = page.get_by_role("img", name="Bookings by channel")
        chart.wait_for()
        assert "Online" in chart.inner_html() and "API" in chart.inner_html()
        assert "25%" in page.locator(".report-totals").inner_text()  # 1 no-show of 4
        checked(page, "reports-bookings")

        for name, heading in (
            ("utilisation", "Utilisation"),
            ("courses", "Courses"),
            ("outcomes", "Outcomes"),
            ("lots", "Cartridges and lots"),
        ):
            page.goto(f"{live_server.url}/reports/{name}/?start=2027-03-01&end=2027-03-31&lot=L-7")
            page.get_by_role("heading", name=heading, exact=True).wait_for()
            assert page.locator("svg.chart").count() >= 1
            checked(page, f"reports-{name}")
        assert "Recall list for lot L-7: 4 cartridges" in page.content()


def test_an_owner_reads_the_money_report_on_a_desktop_and_a_phone(page, live_server):
    from needlepoint.core.money import Money
    from needlepoint.payments import services
    from needlepoint.payments.choices import Method, Purpose
    from needlepoint.scheduling.services import booking_no_show

    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    policy = services.policy_for(clinic.location)
    policy.no_show_fee_minor = 2500
    policy.save()

    def take(client, minor, method, day, **more):
        return services.payment_take(
            location=clinic.location,
            client=client,
            amount=Money(minor, "GBP"),
            method=method,
            by=clinic.front_desk.user,
            key=f"{client.pk}-{minor}-{day}",
            now=datetime(2027, 3, day, 11, tzinfo=UTC),
            **more,
        )

    for day in (2, 3, 5):
        done = builders.booking(
            offered, clinic.practitioner, datetime(2027, 3, day, 10, tzinfo=UTC)
        )
        invoice = services.invoice_issue(
            invoice=services.invoice_for_booking(booking=done),
            by=None,
            now=datetime(2027, 3, day, 11, tzinfo=UTC),
        )
        paid = take(done.client, 18000 - 6000 * (day == 5), Method.TERMINAL, day, invoice=invoice)
        take(done.client, 2500, Method.CASH, day + 1)
        if day == 3:
            services.refund_make(
                payment=paid,
                amount_minor=3000,
                to_credit=True,
                reason="Goodwill: the session ran short",
                by=clinic.manager.user,
                key="goodwill",
                now=datetime(2027, 3, 4, 12, tzinfo=UTC),
            )
    upcoming = builders.booking(
        offered, clinic.practitioner, datetime(2027, 4, 12, 10, tzinfo=UTC), status="booked"
    )
    take(upcoming.client, 5000, Method.TERMINAL, 6, booking=upcoming, purpose=Purpose.DEPOSIT)
    missed = builders.booking(
        offered, clinic.practitioner, datetime(2027, 3, 9, 10, tzinfo=UTC), status="booked"
    )
    booking_no_show(booking=missed, now=datetime(2027, 3, 9, 11, tzinfo=UTC))
    services.fee_charge(booking=missed, by=None, now=datetime(2027, 3, 9, 12, tzinfo=UTC))
    with time_machine.travel(NOW, tick=True):
        sign_in(page, live_server.url, clinic.owner)
        page.goto(f"{live_server.url}/reports/")
        page.get_by_role("link", name="Money").click()
        page.get_by_label("From").fill("2027-03-01")
        page.get_by_label("To").fill("2027-03-31")
        page.get_by_role("button", name="Show").click()
        chart = page.get_by_role("img", name="Net takings by method")
        chart.wait_for()
        assert "Card (clinic terminal)" in chart.inner_html()
        totals = page.locator(".report-totals").inner_text()
        # £530 by terminal and £75 in cash; the £30 refunded went to credit: no money out
        assert "£605.00" in totals
        assert "£115.00" in totals  # owed: £60 and £30 on treatments, the £25 no-show fee
        checked(page, "reports-money")
