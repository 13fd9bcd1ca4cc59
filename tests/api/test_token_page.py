"""The API tokens page: a token's secret is shown once and only its hash is kept."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.urls import reverse

from needlepoint.api.models import ApiToken
from tests import factories
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db
URL = reverse("api:tokens")


def make_token(member, name="Website", scopes=("read", "book")) -> tuple[ApiToken, str]:
    page = factories.signed_in(member).post(URL, {"name": name, "scopes": list(scopes)})
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


def test_a_token_needs_a_name_and_a_scope(clinic):
    page = factories.signed_in(clinic.owner).post(URL, {"name": "", "scopes": []})
    assert page.status_code == 200 and not ApiToken.objects.exists()
