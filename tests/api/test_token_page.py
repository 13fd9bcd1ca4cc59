"""The API tokens page: a token's secret is shown once and only its hash is kept."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from needlepoint.api.models import ApiToken
from tests import factories
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db
URL = reverse("api:tokens")


def make_token(
    member, name="Website", scopes=("read", "book"), expires="90"
) -> tuple[ApiToken, str]:
    form = {"name": name, "scopes": list(scopes), "expires": expires}
    page = factories.signed_in(member).post(URL, form)
    assert page.status_code == 200
    secret = re.search(r"<code>(np_[\w-]+)</code>", page.content.decode()).group(1)
    return ApiToken.objects.get(name=name, user=member.user), secret


def test_a_new_token_is_shown_once_and_stored_only_as_its_hash(clinic):
    token, secret = make_token(clinic.front_desk)
    assert token.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(vars(token))
    assert token.scopes == ["book", "read"] and secret.startswith(token.prefix)
    again = factories.signed_in(clinic.front_desk).get(URL).content.decode()
    assert secret not in again and f"{token.prefix}…" in again
    assert Api(secret).get("/locations").status_code == 200


def test_a_revoked_token_stops_working(clinic):
    token, secret = make_token(clinic.practitioner)
    browser = factories.signed_in(clinic.practitioner)
    assert browser.post(URL, {"revoke": str(token.public_id)}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Api(secret).get("/locations").status_code == 401


def test_staff_revoke_only_their_own_tokens_and_owners_the_organisations(clinic, other_clinic):
    token, secret = make_token(clinic.front_desk)
    outsider, _ = make_token(other_clinic.owner, name="Elsewhere")
    assert (
        factories.signed_in(clinic.trainee).post(URL, {"revoke": str(token.public_id)}).status_code
        == 404
    )
    owner = factories.signed_in(clinic.owner)
    assert token.name in owner.get(URL).content.decode()
    assert owner.post(URL, {"revoke": str(outsider.public_id)}).status_code == 404
    assert owner.post(URL, {"revoke": str(token.public_id)}).status_code == 302
    assert Api(secret).get("/locations").status_code == 401


def test_a_deactivated_staff_members_tokens_stop_working(clinic):
    _, secret = make_token(clinic.trainee)
    clinic.trainee.is_active = False
    clinic.trainee.save()
    assert Api(secret).get("/locations").status_code == 401


def test_a_deactivated_users_tokens_stop_working(clinic):
    _, secret = make_token(clinic.trainee)
    clinic.trainee.user.is_active = False
    clinic.trainee.user.save()
    assert Api(secret).get("/locations").status_code == 401


def test_a_token_needs_a_name_and_a_scope(clinic):
    page = factories.signed_in(clinic.owner).post(URL, {"name": "", "scopes": []})
    assert page.status_code == 200 and not ApiToken.objects.exists()


MADE = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)


def test_a_token_lasts_90_days_unless_another_term_is_chosen(clinic):
    page = factories.signed_in(clinic.owner).get(URL)
    assert page.context["form"]["expires"].value() == "90"
    with time_machine.travel(MADE, tick=False):
        terms = {
            days: make_token(clinic.owner, name=days, expires=days)[0]
            for days in ("30", "90", "365")
        }
        forever, _ = make_token(clinic.owner, name="Forever", expires="never")
    for days, token in terms.items():
        assert token.expires_at == MADE + timedelta(days=int(days))
    assert forever.expires_at is None


def test_an_expired_token_is_refused_with_its_own_code(clinic):
    with time_machine.travel(MADE, tick=False):
        token, secret = make_token(clinic.front_desk, expires="30")
    with time_machine.travel(MADE + timedelta(days=30) - timedelta(seconds=1), tick=False):
        assert Api(secret).get("/locations").status_code == 200
    with time_machine.travel(MADE + timedelta(days=30), tick=False):
        answer = Api(secret).get("/locations")
    assert answer.status_code == 401
    assert answer.json()["code"] == "token_expired"
    assert "expired on 31 March 2027" in answer.json()["message"]
    assert answer["WWW-Authenticate"] == "Bearer"
    token.refresh_from_db()
    assert token.last_used_at == MADE + timedelta(days=30) - timedelta(seconds=1)


def test_a_token_without_expiry_keeps_working(clinic):
    with time_machine.travel(MADE, tick=False):
        _, secret = make_token(clinic.practitioner, expires="never")
    with time_machine.travel(MADE + timedelta(days=3 * 365), tick=False):
        assert Api(secret).get("/locations").status_code == 200


def test_the_page_shows_when_each_token_expires_and_was_last_used(clinic):
    with time_machine.travel(MADE, tick=False):
        _, secret = make_token(clinic.owner, name="Website", expires="30")
        make_token(clinic.owner, name="Reports", expires="never")
    with time_machine.travel(MADE + timedelta(days=2, hours=3), tick=False):
        Api(secret).get("/locations")
    with time_machine.travel(MADE + timedelta(days=40), tick=False):
        page = factories.signed_in(clinic.owner).get(URL).content.decode()
    website = page[page.index("<td>Website</td>") :].split("</tr>")[0]
    reports = page[page.index("<td>Reports</td>") :].split("</tr>")[0]
    assert "Expired 31 Mar 2027" in website and "3 Mar 2027 11:00" in website
    assert "Never expires" in reports and "never" in reports


def test_only_the_offered_terms_are_accepted(clinic):
    page = factories.signed_in(clinic.owner).post(
        URL, {"name": "Odd", "scopes": ["read"], "expires": "7"}
    )
    assert page.status_code == 200 and not ApiToken.objects.exists()
    assert "expires" in page.context["form"].errors
