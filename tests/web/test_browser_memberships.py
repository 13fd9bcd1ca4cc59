"""A client joins a membership online in a real browser, paying the first period with
localstripe's test card; a later period's charge is refused, the client is emailed and the
membership shows past due to the desk. Every page is checked at desktop and 375 px."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from needlepoint.core.money import Money
from needlepoint.memberships import services
from needlepoint.memberships.choices import MembershipStatus, PeriodStatus
from needlepoint.memberships.models import Membership
from needlepoint.memberships.tasks import roll_membership_periods
from needlepoint.notifications.delivery import deliver_due
from needlepoint.payments.choices import Method, PaymentStatus, Purpose
from needlepoint.payments.models import Payment, SavedCard
from needlepoint.payments.tasks import charge_scheduled_due
from tests import factories
from tests.browser import checked
from tests.web.test_browser import sign_in
from tests.web.test_browser_online_booking import press
from tests.web.test_browser_online_deposits import type_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
JOINS = datetime(2027, 3, 9, 10, 0, tzinfo=UTC)  # a Tuesday, 10:00 in London
RENEWS = datetime(2027, 4, 9, 8, 0, tzinfo=UTC)  # 09:00 in London (BST), the next period


def test_a_client_joins_online_and_a_refused_renewal_makes_the_membership_past_due(
    page, live_server, stripe_clinic, settings
):
    settings.SITE_URL = live_server.url
    clinic = stripe_clinic
    service = factories.service(clinic.location)
    services.plan_save(
        location=clinic.location,
        terms=services.PlanTerms(
            name="Gold",
            price=Money(4900, "GBP"),
            period="monthly",
            included_sessions=1,
            included_service=service,
            sessions_every="quarter",
            discount_percent=10,
            sold_online=True,
        ),
        by=clinic.owner.user,
    )
    client = factories.screened_client(
        clinic.organisation, first_name="Cleo", email="cleo@example.test"
    )
    org, loc = clinic.organisation.slug, clinic.location.slug

    with time_machine.travel(JOINS, tick=True):
        page.goto(f"{live_server.url}/c/{org}/{loc}/memberships/")
        page.get_by_role("heading", name="Memberships at Harbour Street").wait_for()
        checked(page, "membership-plans")
        press(page.get_by_role("link", name="Join Gold"))
        page.get_by_label("Your email").fill("cleo@example.test")  # the portal's sign-in first
        press(page.get_by_role("button", name="Email me a sign-in link"))
        page.get_by_role("heading", name="Check your inbox").wait_for()
        (email,) = [email for email in mail.outbox if "sign-in link" in email.subject]
        link = re.search(r"https?://[^/\s]+(/my/\S+/sign-in/\S+/)", email.body)
        assert link is not None
        page.goto(f"{live_server.url}{link.group(1)}")
        press(page.get_by_role("button", name="Sign me in"))
        page.goto(f"{live_server.url}/c/{org}/{loc}/memberships/")
        press(page.get_by_role("link", name="Join Gold"))
        page.get_by_role("heading", name="Join Gold").wait_for()
        page.locator("#card-element input").first.wait_for()  # mounted by Stripe.js
        checked(page, "membership-join")
        type_card(page, "4000000000000341")  # saved, then refused when charged
        press(page.get_by_role("button", name="Pay £49.00 and join"))
        page.get_by_text("Your card was declined.").wait_for()
        assert not Membership.objects.exists() and not Payment.objects.exists()
        page.locator("#card-element input").first.wait_for()  # a new card field to try again
        type_card(page, "4242424242424242")
        press(page.get_by_role("button", name="Pay £49.00 and join"))
        page.get_by_text("Welcome to Gold: your membership has started.").wait_for()
        text = page.inner_text("main")
        assert "Your memberships" in text and "0 of 1 included sessions used" in text
        assert "Next payment: £49.00 on 9 April 2027" in text
        checked(page, "membership-portal")

    membership = Membership.objects.get()
    assert (membership.client, membership.status) == (client, MembershipStatus.ACTIVE)
    first = Payment.objects.get()
    assert (first.purpose, first.method, first.status, first.amount_minor) == (
        Purpose.MEMBERSHIP,
        Method.CARD_ONLINE,
        PaymentStatus.SUCCEEDED,
        4900,
    )
    assert membership.periods.get().invoice.lines.get().description == (
        "Gold membership, 9 March – 8 April 2027"
    )
    card = SavedCard.objects.get(client=client)
    assert card.last4 == "4242"

    card.stripe_payment_method = "pm_missing"  # the card was removed at the bank
    card.save()
    with time_machine.travel(RENEWS, tick=False):
        assert roll_membership_periods.call() == 1
        assert charge_scheduled_due.call() == 1
        deliver_due(worker_id="test", now=RENEWS + timedelta(minutes=1))
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.PAST_DUE
    assert membership.periods.get(number=1).status == PeriodStatus.DUE
    (told,) = [sent for sent in mail.outbox if "did not go through" in sent.subject]
    assert "We will try again on" in told.body and "£49.00" in told.body

    with time_machine.travel(RENEWS + timedelta(hours=2), tick=True):
        sign_in(page, live_server, clinic.manager)
        page.goto(f"{live_server.url}/clients/{client.public_id}/")
        section = page.locator("#memberships")
        section.get_by_text("Past due").wait_for()
        checked(page, "membership-client")
        press(section.get_by_role("link", name="Gold"))
        page.get_by_role("heading", name="Gold membership").wait_for()
        text = page.inner_text("main")
        assert "Failed: trying again" in text and "Settled" in text
        checked(page, "membership-detail")
        page.goto(f"{live_server.url}/settings/memberships/")
        checked(page, "membership-settings")
        page.goto(f"{live_server.url}/settings/memberships/{membership.plan.public_id}/")
        checked(page, "membership-plan")
        page.goto(f"{live_server.url}/reports/memberships/?start=2027-03-01&end=2027-04-30")
        assert "£49.00" in page.inner_text("main")
        checked(page, "membership-report")
