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
