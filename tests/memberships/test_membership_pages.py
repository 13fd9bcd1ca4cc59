"""The membership pages: the client record's panel and signing up at the desk, the
membership page and cancelling, the booking's panel, Settings → Memberships, the report
with its CSV, the public plans page and the portal panel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client as Browser
from django.urls import reverse

from needlepoint.accounts.access import PORTAL_CLIENT_KEY
from needlepoint.memberships.choices import MembershipStatus
from needlepoint.memberships.models import Membership, MembershipPlan
from needlepoint.payments.models import Invoice
from tests import factories
from tests.memberships.helpers import AT, book, member, plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_clock():
    with time_machine.travel(AT + timedelta(days=3), tick=False):
        yield


def test_the_client_page_shows_the_plan_benefits_used_and_next_period(clinic) -> None:
    membership = member(plan(clinic, sessions=2, discount=10))
    page = factories.signed_in(clinic.front_desk).get(
        reverse("clients:detail", args=[membership.client.public_id])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Gold" in text and "Active" in text
    assert "2 Microneedling — face sessions included (each billing period)" in text
    assert "10% off treatments" in text
    assert "0 of 2 included sessions used this period" in text
    assert "Next period from 9 Apr 2027" in text


def test_signing_up_without_a_saved_card_says_what_to_do_and_writes_nothing(clinic) -> None:
    gold = plan(clinic)
    client = factories.screened_client(clinic.organisation, first_name="Sam")
    browser = factories.signed_in(clinic.front_desk)
    answer = browser.post(
        reverse("memberships:sign_up", args=[client.public_id]),
        {"plan": str(gold.public_id), "key": "form-key"},
        follow=True,
    )
    assert "Sam has no saved card: they must add one online first" in answer.content.decode()
    assert not Membership.objects.exists() and not Invoice.objects.exists()


def test_a_trainee_cannot_sign_a_client_up(clinic) -> None:
    gold = plan(clinic)
    client = factories.screened_client(clinic.organisation)
    answer = factories.signed_in(clinic.trainee).post(
        reverse("memberships:sign_up", args=[client.public_id]), {"plan": str(gold.public_id)}
    )
    assert answer.status_code == 403


def test_the_membership_page_lists_periods_and_cancels_at_the_period_end(clinic) -> None:
    membership = member(plan(clinic))
    browser = factories.signed_in(clinic.front_desk)
    url = reverse("memberships:detail", args=[membership.public_id])
    page = browser.get(url).content.decode()
    assert "9 Mar 2027 – 8 Apr 2027" in page and "Settled" in page
    assert "End it now" not in page  # a manager's decision
    answer = browser.post(
        reverse("memberships:cancel", args=[membership.public_id]),
        {"reason": "Moving away"},
        follow=True,
    )
    assert "The membership ends on 08 Apr 2027." in answer.content.decode()
    membership.refresh_from_db()
    assert membership.cancel_at_period_end
    again = browser.post(
        reverse("memberships:cancel", args=[membership.public_id]),
        {"reason": "Again"},
        follow=True,
    )
    assert "already set to end on 08 Apr 2027" in again.content.decode()


def test_a_manager_ends_a_membership_now_giving_back_part_of_the_period(clinic) -> None:
    membership = member(plan(clinic))
    browser = factories.signed_in(clinic.manager)
    page = browser.get(reverse("memberships:detail", args=[membership.public_id]))
    assert 'value="42.68"' in page.content.decode()  # 27 of 31 days unused
    browser.post(
        reverse("memberships:end_now", args=[membership.public_id]),
        {"reason": "Unwell", "refund": "42.68"},
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.CANCELLED
    assert Invoice.objects.filter(kind="credit_note", total_minor=4268).exists()
    assert (
        factories.signed_in(clinic.front_desk)
        .post(reverse("memberships:end_now", args=[membership.public_id]), {"reason": "x"})
        .status_code
        == 403
    )


def test_another_clinics_membership_is_not_found(clinic, other_clinic) -> None:
    membership = member(plan(clinic))
    browser = factories.signed_in(other_clinic.owner)
    assert (
        browser.get(reverse("memberships:detail", args=[membership.public_id])).status_code == 404
    )


def test_the_booking_page_says_what_the_membership_gives_the_visit(clinic) -> None:
    gold = plan(clinic)
    membership = member(gold)
    booking = book(membership.client, gold.included_service, AT + timedelta(days=7))
    page = factories.signed_in(clinic.front_desk).get(
        reverse("scheduling:booking", args=[booking.public_id])
    )
    assert "For this visit: Included in Gold membership" in page.content.decode()


def test_settings_adds_and_changes_a_plan(clinic) -> None:
    service = factories.service(clinic.location)
    browser = factories.signed_in(clinic.manager)
    url = reverse("settings:membership_plan_new", args=[clinic.location.slug])
    form = {
        "name": "Gold",
        "price": "49",
        "period": "monthly",
        "included_sessions": "1",
        "included_service": str(service.pk),
        "sessions_every": "quarter",
        "discount_percent": "10",
        "active": "on",
        "sold_online": "on",
    }
    assert browser.post(url, form).status_code == 302
    gold = MembershipPlan.objects.get()
    assert (gold.price_minor, gold.sessions_every, gold.sold_online) == (4900, "quarter", True)
    edit = reverse("settings:membership_plan", args=[gold.public_id])
    assert browser.get(edit).status_code == 200
    refused = browser.post(edit, form | {"price": "49.999"})
    assert "at most 2 decimal places" in refused.content.decode()
    browser.post(edit, form | {"price": "59.00"})
    gold.refresh_from_db()
    assert gold.price_minor == 5900
    listing = browser.get(reverse("settings:memberships")).content.decode()
    assert "Gold" in listing and "£59.00" in listing
    assert factories.signed_in(clinic.front_desk).get(edit).status_code == 403


def test_the_report_counts_members_and_revenue_with_a_csv(clinic) -> None:
    gold = plan(clinic)
    member(gold)
    lapsed = member(gold, at=datetime(2027, 3, 2, 12, tzinfo=UTC))
    Membership.objects.filter(pk=lapsed.pk).update(
        status=MembershipStatus.LAPSED, ended_on=datetime(2027, 3, 5).date()
    )
    browser = factories.signed_in(clinic.manager)
    query = {"start": "2027-03-01", "end": "2027-03-31"}
    page = browser.get(reverse("memberships:report"), query).content.decode()
    assert "0 cancelled, 1 lapsed" in page and "£98.00" in page
    csv = browser.get(reverse("memberships:report_csv"), query).content.decode()
    assert csv.splitlines()[1] == "2027-03,2,1,0,98.00,GBP"


def test_the_public_page_lists_plans_sold_online_and_the_portal_shows_mine(clinic) -> None:
    plan(clinic, name="Gold", sold_online=True)
    plan(clinic, name="Desk only", sold_online=False)
    url = reverse("memberships:public_plans", args=[clinic.organisation.slug, clinic.location.slug])
    page = Browser().get(url).content.decode()
    assert "Gold" in page and "Desk only" not in page
    membership = member(MembershipPlan.objects.get(name="Gold"))
    browser = Browser()
    session = browser.session
    session[PORTAL_CLIENT_KEY] = membership.client.pk
    session.save()
    portal = browser.get(reverse("public:portal", args=[clinic.organisation.slug]))
    text = portal.content.decode()
    assert "Your memberships" in text and "0 of 1 included sessions used this period" in text
