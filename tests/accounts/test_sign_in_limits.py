"""Every staff form anyone can post is under a limit: both sign-in pages share the one per
address, and password reset stops sending past a limit per email and per address while
answering exactly as before.

The limits are set small here; the clock is pinned so a count never crosses into the next
window mid-test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse

from tests import factories

NOW = datetime(2027, 3, 1, 9, 0, 5, tzinfo=UTC)
HERE, ELSEWHERE = "198.51.100.7", "203.0.113.9"
LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
RESET = reverse("accounts:password_reset")
RESET_SENT = reverse("accounts:password_reset_done")


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rates(settings) -> dict[str, str]:
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "sign_in": "3/hour",
        "password_reset_email": "2/hour",
        "password_reset_address": "3/hour",
    }
    return settings.THROTTLE_RATES


def from_address(address: str = HERE) -> Browser:
    return Browser(REMOTE_ADDR=address)


def test_the_emergency_admin_sign_in_page_is_under_the_sign_in_limit(clinic, rates):
    browser = from_address()
    email = clinic.owner.user.email
    for _ in range(3):
        answer = browser.post(ADMIN_LOGIN, {"username": email, "password": "not it"})
        assert answer.status_code == 200
    refused = browser.post(ADMIN_LOGIN, {"username": email, "password": factories.PASSWORD})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "_auth_user_id" not in browser.session  # the right password, but not signed in
    assert from_address(ELSEWHERE).post(ADMIN_LOGIN, {"username": email}).status_code == 200


def test_both_sign_in_pages_count_against_one_limit_per_address(clinic, rates):
    browser = from_address()
    email = clinic.front_desk.user.email
    browser.post(LOGIN, {"username": email, "password": "no"})
    browser.post(ADMIN_LOGIN, {"username": email, "password": "no"})
    browser.post(LOGIN, {"username": email, "password": "no"})
    assert browser.post(ADMIN_LOGIN, {"username": email, "password": "no"}).status_code == 429
    assert browser.post(LOGIN, {"username": email, "password": "no"}).status_code == 429
    assert browser.get(ADMIN_LOGIN).status_code == 200  # reading the page isn't counted


def ask_for_reset(browser: Browser, email: str) -> None:
    answer = browser.post(RESET, {"email": email})
    assert answer.status_code == 302
    assert answer["Location"] == RESET_SENT


def test_password_resets_for_one_email_stop_at_the_limit_with_the_same_answer(clinic, rates):
    email = clinic.owner.user.email
    for _ in range(4):
        ask_for_reset(from_address(), email)
    assert len(mail.outbox) == 2
    ask_for_reset(from_address(ELSEWHERE), email.upper())  # another address: the email counts
    assert len(mail.outbox) == 2


def test_one_address_asking_resets_for_many_emails_is_stopped_without_saying_so(clinic, rates):
    people = [clinic.owner, clinic.manager, clinic.practitioner, clinic.trainee]
    browser = from_address()
    for member in people:
        ask_for_reset(browser, member.user.email)
    assert [message.to for message in mail.outbox] == [[m.user.email] for m in people[:3]]
    ask_for_reset(from_address(ELSEWHERE), clinic.trainee.user.email)
    assert len(mail.outbox) == 4


def test_thirty_reset_requests_send_no_more_than_the_limit(clinic, settings):
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "password_reset_email": "5/hour",
        "password_reset_address": "20/hour",
    }
    for _ in range(30):
        ask_for_reset(from_address(), clinic.owner.user.email)
    assert len(mail.outbox) == 5


def test_a_new_window_brings_new_reset_emails(clinic, rates, clock):
    email = clinic.owner.user.email
    for _ in range(3):
        ask_for_reset(from_address(), email)
    clock.shift(timedelta(hours=1))
    ask_for_reset(from_address(), email)
    assert len(mail.outbox) == 3


def test_setting_a_new_password_is_under_the_reset_limit_per_address(clinic, rates):
    url = reverse("accounts:password_reset_confirm", args=["MQ", "set-password"])
    browser = from_address()
    form = {
        "new_password1": "a long enough passphrase",
        "new_password2": "a long enough passphrase",
    }
    assert [browser.post(url, form).status_code for _ in range(3)] == [200, 200, 200]
    assert browser.post(url, form).status_code == 429
    assert from_address(ELSEWHERE).post(url, form).status_code == 200


def test_the_reset_limits_are_settings_with_defaults():
    from django.conf import settings

    from needlepoint.core.throttle import parse_rate
    from needlepoint.settings import THROTTLE_RATES

    assert parse_rate(THROTTLE_RATES["password_reset_email"]).count >= 1
    assert parse_rate(THROTTLE_RATES["password_reset_address"]).count >= 1
    assert {"password_reset_email", "password_reset_address"} <= set(settings.THROTTLE_RATES)
