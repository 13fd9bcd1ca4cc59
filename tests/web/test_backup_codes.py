"""Backup codes: ten single-use codes that stand in for a lost authenticator app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client as Browser
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlepoint.audit.models import AuditEvent
from tests import factories

PAGE = reverse("accounts:backup_codes")
TWO_FACTOR = reverse("accounts:two_factor")
HOME = reverse("staff:home")
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # a Monday morning, whatever the real date
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def after(step: timedelta) -> time_machine.travel:
    """The clock ``step`` on from NOW, standing still there."""
    return time_machine.travel(NOW + step, tick=False)


def make_codes(member) -> list[str]:
    page = factories.signed_in(member).post(PAGE)
    assert page.status_code == 200
    return re.findall(r"<li><code>([a-z2-9-]+)</code></li>", page.content.decode())


def at_the_code_page(member) -> Browser:
    """A browser past the password, at the two-step page."""
    browser = Browser()
    browser.post(
        reverse("accounts:login"),
        {"username": member.user.email, "password": factories.PASSWORD},
    )
    assert browser.get(HOME)["Location"].startswith(TWO_FACTOR)
    return browser


def test_ten_codes_are_shown_once_and_only_their_digests_are_kept(clinic):
    browser = factories.signed_in(clinic.owner)
    assert "You have <strong>0</strong> unused backup codes" in browser.get(PAGE).content.decode()
    codes = make_codes(clinic.owner)
    assert len(codes) == len(set(codes)) == 10
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    again = browser.get(PAGE).content.decode()
    assert "You have <strong>10</strong> unused backup codes" in again
    assert not any(code in again for code in codes)


def test_a_backup_code_signs_in_once_in_place_of_the_app_and_is_logged(clinic):
    codes = make_codes(clinic.owner)
    browser = at_the_code_page(clinic.owner)
    used = browser.post(TWO_FACTOR, {"backup_code": codes[0].upper(), "next": HOME})
    assert used["Location"] == HOME
    home = browser.get(HOME)
    assert home.status_code == 200
    assert "You signed in with a backup code: 9 of them left." in home.content.decode()
    assert "<strong>9</strong> unused" in browser.get(PAGE).content.decode()
    event = AuditEvent.objects.get(action="signed_in", detail__second_step="backup code")
    assert (event.actor, event.detail["backup_codes_left"]) == (clinic.owner.user.email, 9)

    again = at_the_code_page(clinic.owner)
    refused = again.post(TWO_FACTOR, {"backup_code": codes[0], "next": HOME})
    assert "That backup code is not right, or was used already." in refused.content.decode()
    assert again.get(HOME)["Location"].startswith(TWO_FACTOR)
    assert AuditEvent.objects.filter(
        action="code_refused", detail__second_step="backup code"
    ).exists()


def test_new_codes_replace_the_old_ones(clinic):
    old = make_codes(clinic.owner)
    new = make_codes(clinic.owner)
    assert StaticToken.objects.count() == 10
    browser = at_the_code_page(clinic.owner)
    refused = browser.post(TWO_FACTOR, {"backup_code": old[0], "next": HOME})
    assert "That backup code is not right" in refused.content.decode()
    with after(timedelta(seconds=2)):  # past the retry delay
        assert browser.post(TWO_FACTOR, {"backup_code": new[0], "next": HOME})["Location"] == HOME


def test_making_codes_needs_the_password_again_after_ten_minutes(clinic):
    browser = factories.signed_in(clinic.manager)
    with after(timedelta(minutes=11)):
        asked = browser.post(PAGE)
        assert asked["Location"].startswith(reverse("accounts:confirm_password"))
    assert not StaticToken.objects.exists()


def test_backup_codes_are_not_an_authenticator_a_lost_app_is_set_up_again(clinic):
    make_codes(clinic.practitioner)
    TOTPDevice.objects.filter(user=clinic.practitioner.user).delete()  # the app is reset
    page = at_the_code_page(clinic.practitioner).get(TWO_FACTOR).content.decode()
    assert "<svg" in page and "Lost your phone?" not in page


def test_staff_without_an_authenticator_get_no_codes(clinic):
    browser = factories.signed_in(clinic.front_desk)
    TOTPDevice.objects.filter(user=clinic.front_desk.user).delete()
    page = browser.post(PAGE).content.decode()
    assert "You have no authenticator app set up" in page
    assert not StaticToken.objects.exists()
