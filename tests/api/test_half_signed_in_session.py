"""A browser halfway through signing in (password given, two-step code not yet) that
calls the API (issue 16, finding 5).

The API signs in by its token alone: it answers JSON, by the token, and never the HTML
redirect to the code page that every page answers such a session.
"""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse

from needlepoint.api.tokens import token_create
from tests import factories

LOGIN = reverse("accounts:login")
TWO_FACTOR = reverse("accounts:two_factor")


@pytest.fixture
def halfway(clinic) -> Browser:
    """The practitioner's browser after the password, before the code."""
    browser = Browser()
    factories.authenticator(clinic.practitioner.user)
    browser.post(
        LOGIN, {"username": clinic.practitioner.user.email, "password": factories.PASSWORD}
    )
    page = browser.get(reverse("staff:home"))
    assert page.status_code == 302 and page["Location"].startswith(TWO_FACTOR)
    return browser


def bearer(member) -> dict[str, str]:
    _, secret = token_create(user=member.user, name="Clinic website", scopes=("read",))
    return {"Authorization": f"Bearer {secret}"}


def test_a_valid_token_is_answered_in_json_by_the_token(clinic, halfway):
    response = halfway.get("/api/v1/locations", headers=bearer(clinic.practitioner))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert [location["name"] for location in response.json()["items"]] == [clinic.location.name]


def test_the_token_acts_not_the_half_signed_in_session(clinic, halfway):
    """A token of the front desk acts as the front desk, whoever is halfway in."""
    response = halfway.get("/api/v1/locations", headers=bearer(clinic.front_desk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-token"),
        pytest.param({"Authorization": "Bearer not-a-token"}, id="wrong-token"),
    ],
)
def test_without_a_valid_token_the_answer_is_a_json_401_not_a_redirect(halfway, headers):
    response = halfway.get("/api/v1/locations", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "unauthenticated"


def test_a_path_the_api_does_not_have_is_a_json_404(halfway):
    response = halfway.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_pages_still_ask_for_the_code(halfway):
    for page in (reverse("staff:home"), reverse("api:tokens")):
        response = halfway.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(TWO_FACTOR)
