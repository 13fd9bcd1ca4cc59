"""Sensitive actions ask for the password again when it was last given over ten minutes ago.

Signing in counts as giving it. Each action is tried twice: eleven minutes after signing
in (sent to confirm the password, nothing done), then again once the password is given.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client as Browser
from django.urls import reverse

from needlepoint.api.models import ApiToken
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.scheduling.models import TimeOff
from needlepoint.webhooks.models import WebhookSubscription
from tests import factories

CONFIRM = reverse("accounts:confirm_password")
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # signing in, whatever the real date
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def later() -> time_machine.travel:
    """Eleven minutes after signing in: the session lives on, the password is no longer recent."""
    return time_machine.travel(NOW + timedelta(minutes=11), tick=False)


def asks_for_the_password(response, then: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        f"{CONFIRM}?next={then.replace('/', '%2F')}"
    )


def give_password(browser: Browser, then: str) -> None:
    answer = browser.post(CONFIRM, {"password": factories.PASSWORD, "next": then})
    assert answer["Location"] == then


def test_a_new_api_token_needs_the_password_again(clinic):
    page = reverse("api:tokens")
    browser = factories.signed_in(clinic.practitioner)
    form = {"name": "Website", "scopes": ["read"], "expires": "90"}
    with later():
        asked = browser.post(page, form)
        assert asks_for_the_password(asked, page)
        assert not ApiToken.objects.filter(user=clinic.practitioner.user).exists()
        shown = browser.get(asked["Location"]).content.decode()
        assert "Nothing was changed yet" in shown
        assert browser.get(page).status_code == 200  # the list itself asks for nothing

        give_password(browser, page)
        assert browser.post(page, form).status_code == 200
        assert ApiToken.objects.filter(user=clinic.practitioner.user, name="Website").exists()


def test_a_new_webhook_needs_the_password_again(clinic, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True  # a documentation address, reserved
    page = reverse("webhooks:list")
    browser = factories.signed_in(clinic.manager)
    form = {"url": "https://203.0.113.10/np", "events": ["booking.created"]}
    with later():
        assert asks_for_the_password(browser.post(page, form), page)
        assert not WebhookSubscription.objects.exists()

        give_password(browser, page)
        assert browser.post(page, form).status_code == 200
        assert WebhookSubscription.objects.filter(organisation=clinic.organisation).count() == 1


def test_pointing_a_webhook_elsewhere_needs_the_password_again(clinic, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = True
    hook = WebhookSubscription.objects.create(
        organisation=clinic.organisation,
        url="https://203.0.113.10/np",
        events=["booking.created"],
    )
    page = reverse("webhooks:edit", args=[hook.pk])
    browser = factories.signed_in(clinic.manager)
    form = {"url": "https://203.0.113.99/elsewhere", "events": ["booking.created"]}
    with later():
        assert asks_for_the_password(browser.post(page, form), page)
        hook.refresh_from_db()
        assert hook.url == "https://203.0.113.10/np"

        give_password(browser, page)
        assert browser.post(page, form).status_code == 302
        hook.refresh_from_db()
        assert hook.url == "https://203.0.113.99/elsewhere"


def test_an_erasure_request_needs_the_password_again_and_comes_back_to_the_client(clinic):
    client = factories.client(clinic.organisation)
    erasure = reverse("clients:erasure", args=[client.public_id])
    detail = reverse("clients:detail", args=[client.public_id])
    form = {"reason": "The client asked by email", "confirm": "on"}
    browser = factories.signed_in(clinic.owner)
    with later():
        assert asks_for_the_password(browser.post(erasure, form), detail)
        assert Client.objects.get(pk=client.pk).anonymised_at is None

        give_password(browser, detail)
        assert browser.post(erasure, form)["Location"] == detail
        assert Client.objects.get(pk=client.pk).anonymised_at is not None


def test_inviting_a_team_member_needs_the_password_again(clinic):
    invite = reverse("settings:team_invite")
    form = {
        "email": "new.practitioner@example.test",
        "full_name": "New Practitioner",
        "role": "practitioner",
        "locations": [clinic.location.pk],
    }
    browser = factories.signed_in(clinic.owner)
    with later():
        assert asks_for_the_password(browser.get(invite), invite)  # before the form is filled in
        assert asks_for_the_password(browser.post(invite, form), invite)
        assert not StaffMember.objects.filter(user__email=form["email"]).exists()

        give_password(browser, invite)
        assert browser.post(invite, form).status_code == 302
        assert StaffMember.objects.filter(user__email=form["email"]).exists()


def member_form(member: StaffMember, **changes: object) -> dict[str, object]:
    values = {"role": member.role, "locations": [place.pk for place in member.locations.all()]}
    return values | changes


def test_changing_a_role_or_switching_someone_off_needs_the_password_again(clinic):
    """Both hand out or take away access; time off, say, asks for nothing."""
    member = clinic.trainee
    page = reverse("settings:team_member", kwargs={"public_id": member.public_id})
    active = reverse("settings:team_active", kwargs={"public_id": member.public_id})
    time_off = reverse("settings:team_time_off", kwargs={"public_id": member.public_id})
    away = {"off-from_day": "2026-12-01", "off-until_day": "2026-12-02", "off-reason": "Leave"}
    browser = factories.signed_in(clinic.owner)
    with later():
        assert browser.get(page).status_code == 200
        assert browser.post(time_off, away).status_code == 302
        assert TimeOff.objects.filter(staff=member).exists()

        promoted = member_form(member, role="practitioner")
        assert asks_for_the_password(browser.post(page, promoted), page)
        assert asks_for_the_password(browser.post(active, {"active": "no"}), page)
        assert StaffMember.objects.get(pk=member.pk).role == "trainee"
        assert StaffMember.objects.get(pk=member.pk).is_active

        give_password(browser, page)
        assert browser.post(page, promoted).status_code == 302
        assert StaffMember.objects.get(pk=member.pk).role == "practitioner"
        assert browser.post(active, {"active": "no"}).status_code == 302
        assert not StaffMember.objects.get(pk=member.pk).is_active


def test_changing_the_retention_period_needs_the_password_again(clinic):
    organisation = clinic.organisation
    page = reverse("settings:organisation")
    browser = factories.signed_in(clinic.owner)
    initial = browser.get(page).context["form"].initial
    shorter = initial | {"clinical_retention_years": 3}
    with later():
        assert asks_for_the_password(browser.post(page, shorter), page)
        assert Organisation.objects.get(pk=organisation.pk).clinical_retention_years == 8

        give_password(browser, page)
        answer = browser.post(page, shorter)
        assert answer.status_code == 302, (
            answer.context["form"].errors if answer.context else answer
        )
        assert Organisation.objects.get(pk=organisation.pk).clinical_retention_years == 3
