"""Staff sign-in: two steps for clinical and managing roles, lockout, reset, idle expiry."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client as Browser
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlepoint.audit.models import AuditEvent
from tests import factories

LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")
HOME = reverse("staff:home")
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # a Monday morning, whatever the real date
pytestmark = pytest.mark.usefixtures("pinned")


@pytest.fixture
def pinned() -> Iterator[None]:
    """The clock stands still at NOW; a test moves it on with ``after``."""
    with time_machine.travel(NOW, tick=False):
        yield


def after(step: timedelta) -> time_machine.travel:
    """The clock ``step`` on from NOW, standing still there."""
    return time_machine.travel(NOW + step, tick=False)


def sign_in(browser: Browser, email: str, password: str = factories.PASSWORD):
    return browser.post(LOGIN, {"username": email, "password": password})


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_owner_sets_up_an_authenticator_then_gives_a_code_at_each_sign_in(clinic):
    browser = Browser()
    sign_in(browser, clinic.owner.user.email)
    response = browser.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)

    page = browser.get(response["Location"]).content.decode()
    assert "<svg" in page and "Key:" in page  # the QR code and the key to type
    device = TOTPDevice.objects.get(user=clinic.owner.user, confirmed=False)
    wrong = browser.post(
        TWO_FACTOR,
        {"code": "000000" if current_code(device) != "000000" else "111111", "next": HOME},
    )
    assert "That code is not right" in wrong.content.decode()
    assert browser.get(HOME).status_code == 302  # still not through

    with after(timedelta(seconds=2)):  # past the retry delay
        done = browser.post(TWO_FACTOR, {"code": current_code(device), "next": HOME})
    assert done.status_code == 302 and done["Location"] == HOME
    assert browser.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    again = Browser()
    sign_in(again, clinic.owner.user.email)
    page = again.get(TWO_FACTOR).content.decode()
    assert "Enter the code your authenticator app shows" in page and "<svg" not in page
    # A minute on, so the code is of a later 30-second step than the one used above, even
    # when that one was used at a step's very start (a code is never accepted twice).
    with after(timedelta(seconds=62)):
        device.refresh_from_db()
        answer = again.post(TWO_FACTOR, {"code": current_code(device)})
        assert answer.status_code == 302, answer.content.decode()[-1500:]
        assert again.get(HOME).status_code == 200


def test_front_desk_and_trainees_sign_in_with_a_password_alone(clinic):
    for member in (clinic.front_desk, clinic.trainee):
        browser = Browser()
        sign_in(browser, member.user.email)
        assert browser.get(HOME).status_code == 200


def test_an_outside_address_is_never_where_the_code_page_sends_you(clinic):
    browser = factories.signed_in(clinic.front_desk)
    response = browser.get(TWO_FACTOR, {"next": "https://evil.example/steal"})
    assert 'value="https://evil.example' not in response.content.decode()


def test_five_wrong_passwords_lock_the_account_from_that_address(clinic):
    browser = Browser()
    email = clinic.front_desk.user.email
    for _ in range(5):
        sign_in(browser, email, "not the password")
    locked = sign_in(browser, email)  # even the right password, for now
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    assert browser.get(HOME).status_code == 302
    failures = AuditEvent.objects.filter(action="sign_in_failed", actor=email).count()
    assert failures >= 5

    other_address = Browser(REMOTE_ADDR="203.0.113.9")
    sign_in(other_address, email)
    assert other_address.get(HOME).status_code == 200

    with after(timedelta(minutes=16)):
        later = Browser()
        sign_in(later, email)
        assert later.get(HOME).status_code == 200


def test_sign_ins_from_one_address_are_limited_whichever_accounts_they_try(clinic, settings):
    """Guessing across many accounts from one address meets the rate limit, which a good
    sign-in does not reset; another address is not affected."""
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "sign_in": "5/hour"}
    here = Browser(REMOTE_ADDR="198.51.100.7")
    for member in (clinic.front_desk, clinic.trainee, clinic.manager, clinic.owner):
        sign_in(here, member.user.email, "not the password")
    assert sign_in(here, clinic.practitioner.user.email).status_code == 302  # the fifth: in
    refused = sign_in(Browser(REMOTE_ADDR="198.51.100.7"), clinic.front_desk.user.email)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0

    elsewhere = Browser(REMOTE_ADDR="203.0.113.9")
    sign_in(elsewhere, clinic.front_desk.user.email)
    assert elsewhere.get(HOME).status_code == 200


def test_five_typos_on_a_shared_network_do_not_lock_out_the_other_staff(clinic):
    shared = "198.51.100.20"
    for _ in range(5):
        sign_in(Browser(REMOTE_ADDR=shared), clinic.trainee.user.email, "typo")
    colleague = Browser(REMOTE_ADDR=shared)
    sign_in(colleague, clinic.front_desk.user.email)
    assert colleague.get(HOME).status_code == 200
    assert sign_in(Browser(REMOTE_ADDR=shared), clinic.trainee.user.email).status_code == 429


def test_a_password_reset_link_works_once(clinic):
    user = clinic.front_desk.user
    Browser().post(reverse("accounts:password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)
    assert link is not None
    browser = Browser()
    form = browser.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    new_password = "a brand new passphrase 2026"
    done = browser.post(
        form.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    used = Browser().get(link.group(1), follow=True).content.decode()
    assert "has been used or has expired" in used
    fresh = Browser()
    sign_in(fresh, user.email, new_password)
    assert fresh.get(HOME).status_code == 200


def test_an_unknown_address_gets_the_same_answer_and_no_email(db):
    response = Browser().post(reverse("accounts:password_reset"), {"email": "nobody@x.test"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_session_ends_after_fifteen_idle_minutes_and_lives_on_while_used(clinic):
    browser = factories.signed_in(clinic.front_desk)
    with after(timedelta(minutes=10)):
        assert browser.get(HOME).status_code == 200  # used: the clock starts again
    with after(timedelta(minutes=22)):
        assert browser.get(HOME).status_code == 200
    with after(timedelta(minutes=40)):
        response = browser.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_an_export_asks_for_the_password_again_after_ten_minutes(clinic):
    client = factories.client(clinic.organisation)
    export = reverse("clients:export", args=[client.public_id])
    browser = factories.signed_in(clinic.manager)
    assert browser.get(export).status_code == 200  # just signed in
    with after(timedelta(minutes=11)):
        asked = browser.get(export)
        assert asked.status_code == 302
        assert asked["Location"].startswith(reverse("accounts:confirm_password"))
        confirm = asked["Location"]
        wrong = browser.post(confirm, {"password": "not it", "next": export})
        assert "That is not your password." in wrong.content.decode()
        right = browser.post(confirm, {"password": factories.PASSWORD, "next": export})
        assert right["Location"] == export
        response = browser.get(export)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/zip"


def test_sign_ins_are_in_the_audit_log(clinic):
    browser = Browser()
    sign_in(browser, clinic.front_desk.user.email)
    event = AuditEvent.objects.filter(action="signed_in").latest("at")
    assert event.actor == clinic.front_desk.user.email
    assert event.role == "front_desk"
    assert event.ip == "127.0.0.1"
