"""What every signed-in request reads, and the rules it applies, afresh each time.

The session, then the user with their staff member and the authenticator that confirmed
the sign-in, are read in two plain statements (accounts/sessions.py, backends.py, otp.py);
nothing about them is kept between requests, so a change takes effect on the very next
one. The header's menu and sign-out form are drawn once per process
(core/templatetags/staff_nav.py), with the name and CSRF token of each request put in.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlepoint.accounts.models import User
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import StaffMember
from tests import factories

PROFILE = reverse("accounts:profile")
HOME = reverse("staff:home")
LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")


def sent_to(response, page: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(page)


def test_a_signed_in_page_reads_session_user_with_staff_and_authenticator_once(clinic):
    browser = factories.signed_in(clinic.practitioner)
    browser.get(PROFILE)  # the session's first "seen" write is behind us
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(PROFILE).status_code == 200
    tables = [re.findall(r"(?:FROM|JOIN) \"?(\w+)", query["sql"]) for query in queries]
    assert tables == [
        ["django_session"],
        ["accounts_user", "clinics_staffmember", "otp_totp_totpdevice"],
    ]


@pytest.mark.parametrize("role", [Role.OWNER, Role.PRACTITIONER, Role.FRONT_DESK])
def test_each_role_reaches_its_pages_as_before(clinic, role):
    member = getattr(clinic, role)
    page = factories.signed_in(member).get(PROFILE)
    assert page.status_code == 200
    assert member.user.email in page.content.decode()


def test_a_user_switched_off_is_signed_out_at_their_next_request(clinic):
    browser = factories.signed_in(clinic.practitioner)
    assert browser.get(PROFILE).status_code == 200
    User.objects.filter(pk=clinic.practitioner.user_id).update(is_active=False)
    assert sent_to(browser.get(PROFILE), LOGIN)


def test_a_staff_member_switched_off_is_refused_at_their_next_request(clinic):
    browser = factories.signed_in(clinic.front_desk)
    assert browser.get(PROFILE).status_code == 200
    StaffMember.objects.filter(pk=clinic.front_desk.pk).update(is_active=False)
    assert browser.get(PROFILE).status_code == 403


def test_a_role_changed_applies_at_the_next_request(clinic):
    browser = factories.signed_in(clinic.manager)
    settings_page = reverse("settings:home")
    assert browser.get(settings_page).status_code == 200
    StaffMember.objects.filter(pk=clinic.manager.pk).update(role=Role.FRONT_DESK)
    assert browser.get(settings_page).status_code == 403


def test_a_removed_authenticator_asks_for_a_code_again(clinic):
    browser = factories.signed_in(clinic.owner)
    assert browser.get(PROFILE).status_code == 200
    TOTPDevice.objects.filter(user=clinic.owner.user).delete()
    assert sent_to(browser.get(PROFILE), TWO_FACTOR)
    assert DEVICE_ID_SESSION_KEY not in browser.session


def test_an_authenticator_no_longer_confirmed_asks_for_a_code_again(clinic):
    browser = factories.signed_in(clinic.owner)
    TOTPDevice.objects.filter(user=clinic.owner.user).update(confirmed=False)
    assert sent_to(browser.get(PROFILE), TWO_FACTOR)


def test_another_users_authenticator_does_not_confirm_a_sign_in(clinic):
    browser = factories.signed_in(clinic.owner)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = factories.authenticator(clinic.manager.user).persistent_id
    session.save()
    assert sent_to(browser.get(PROFILE), TWO_FACTOR)


@pytest.mark.parametrize("persistent_id", ["otp_totp.totpdevice/x", "no.such/1", "nonsense"])
def test_a_session_naming_no_authenticator_asks_for_a_code(clinic, persistent_id):
    browser = factories.signed_in(clinic.owner)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()
    assert sent_to(browser.get(PROFILE), TWO_FACTOR)


def test_a_sign_in_confirmed_by_a_backup_code_is_confirmed(clinic):
    browser = factories.signed_in(clinic.owner)
    codes = StaticDevice.objects.create(user=clinic.owner.user, name="Backup codes")
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = codes.persistent_id
    session.save()
    assert browser.get(PROFILE).status_code == 200


def test_a_lapsed_or_deleted_session_is_signed_out(clinic):
    lapsed, deleted = factories.signed_in(clinic.practitioner), factories.signed_in(clinic.owner)
    Session.objects.filter(session_key=lapsed.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    Session.objects.filter(session_key=deleted.session.session_key).delete()
    assert sent_to(lapsed.get(PROFILE), LOGIN)
    assert sent_to(deleted.get(PROFILE), LOGIN)


def test_a_made_up_session_cookie_is_nobody(clinic):
    browser = Browser()
    browser.cookies["sessionid"] = "x" * 32
    assert sent_to(browser.get(PROFILE), LOGIN)


def test_a_new_password_signs_out_the_other_sessions(clinic):
    browser = factories.signed_in(clinic.practitioner)
    user = User.objects.get(pk=clinic.practitioner.user_id)
    user.set_password("a whole new password")
    user.save()
    assert sent_to(browser.get(PROFILE), LOGIN)


def test_a_site_admin_without_a_staff_membership_has_no_staff_pages(db):
    admin = User.objects.create_superuser("admin@example.test", factories.PASSWORD, full_name="Ada")
    browser = factories.signed_in(admin)
    assert browser.get(PROFILE).status_code == 403
    assert browser.get(reverse("admin:index")).status_code == 200


def test_signing_in_with_the_password_still_works_and_keeps_the_lockout_first(clinic):
    browser = Browser()
    answer = browser.post(LOGIN, {"username": clinic.front_desk.user.email, "password": "wrong"})
    assert answer.status_code == 200
    answer = browser.post(
        LOGIN, {"username": clinic.front_desk.user.email, "password": factories.PASSWORD}
    )
    assert sent_to(answer, HOME)
    assert browser.get(PROFILE).status_code == 200


def header(page: str) -> str:
    found = re.search(r'<header class="site-header">.*?</header>', page, re.S)
    assert found is not None
    return found.group(0)


@pytest.mark.parametrize(
    ("role", "backup_codes", "settings_link"),
    [
        (Role.OWNER, True, True),
        (Role.MANAGER, True, True),
        (Role.PRACTITIONER, True, False),
        (Role.FRONT_DESK, False, False),
        (Role.TRAINEE, False, False),
    ],
)
def test_the_header_shows_each_role_its_own_links(clinic, role, backup_codes, settings_link):
    member = getattr(clinic, role)
    page = factories.signed_in(member).get(PROFILE).content.decode()
    shown = header(page)
    assert (reverse("accounts:backup_codes") in shown) is backup_codes
    assert (reverse("settings:home") in shown) is settings_link
    name = member.user.get_short_name()
    who = f'aria-current="page">{name} · {member.get_role_display()}</a>'
    assert who in shown


def test_the_header_names_whoever_asks_and_escapes_the_name(clinic):
    User.objects.filter(pk=clinic.practitioner.user_id).update(full_name="<b>Ann</b> Lee")
    other = factories.staff_member(clinic.organisation, Role.PRACTITIONER, clinic.location)
    first = factories.signed_in(clinic.practitioner).get(PROFILE).content.decode()
    second = factories.signed_in(other).get(PROFILE).content.decode()
    assert "&lt;b&gt;Ann&lt;/b&gt; · " in header(first) and "<b>Ann" not in first
    assert f">{other.user.get_short_name()} · " in header(second)
    assert "Ann" not in header(second)


def test_the_sign_out_form_carries_this_pages_csrf_token(clinic):
    browser = factories.signed_in(clinic.practitioner)
    browser.handler.enforce_csrf_checks = True
    first, second = (browser.get(PROFILE).content.decode() for _ in range(2))
    tokens = [re.findall(r'"X-CSRFToken": "(\w+)"', page)[0] for page in (first, second)]
    forms = [re.search(r'csrfmiddlewaretoken" value="(\w+)"', header(p)) for p in (first, second)]
    assert [form.group(1) for form in forms if form] == tokens
    assert tokens[0] != tokens[1]  # masked afresh on each page
    signed_out = browser.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert signed_out.status_code == 302
    assert sent_to(browser.get(PROFILE), LOGIN)


def test_the_header_is_in_the_staff_members_language(clinic):
    StaffMember.objects.filter(pk=clinic.owner.pk).update(language="es")
    shown = header(factories.signed_in(clinic.owner).get(PROFILE).content.decode())
    assert "Cerrar sesión" in shown and "Sign out" not in shown
