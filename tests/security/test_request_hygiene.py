"""NUL characters in requests, and the charset of text answers (issue 16, findings 3 and 4).

``/clients/?q=%00`` answered 500 on PostgreSQL, which can't hold a NUL in a query. One
middleware takes NUL characters out of every query parameter and form field before a
view runs, so every search box and form answers as for any other input, on every
database alike. The calendar feed answered ``text/calendar`` without a charset; every
text answer now names it.
"""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.urls import reverse

from needlepoint.api.tokens import token_create
from needlepoint.notifications.models import CalendarFeed
from tests import factories


@pytest.fixture
def desk(clinic) -> Browser:
    factories.client(clinic.organisation, first_name="Ada", last_name="Lovelace")
    browser = factories.signed_in(clinic.owner)
    browser.raise_request_exception = False  # a 500 is the failure under test, not a crash
    return browser


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("q=%00", id="nul"),
        pytest.param("q=%00%00%00&page=1%00", id="several"),
        pytest.param("q=Ada%00", id="nul-after-a-name"),
        pytest.param("q=A%00da", id="nul-inside-a-name"),
        pytest.param("q%00=Ada", id="nul-in-the-parameter-name"),
    ],
)
def test_a_nul_in_the_client_search_is_taken_out(desk, query):
    response = desk.get(f"{reverse('clients:list')}?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lovelace" in page  # everyone for an empty search; Ada for "Ada"
    assert "\x00" not in page  # nor echoed back in the search box


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/audit/?actor=%00", id="audit-search"),
        pytest.param("/outbox/?status=%00", id="outbox-filter"),
        pytest.param("/calendar/?by=%00", id="calendar"),
        pytest.param("/reports/bookings/?location=%00", id="reports"),
        pytest.param("/reports/bookings.csv?since=%00", id="report-csv"),
    ],
)
def test_a_nul_in_any_other_search_box_or_filter_is_answered_too(desk, path):
    assert desk.get(path).status_code in {200, 302}


def test_the_api_search_takes_the_nul_out_too(clinic):
    _, secret = token_create(user=clinic.manager.user, name="Website", scopes=("read",))
    factories.client(clinic.organisation, first_name="Ada", last_name="Lovelace")
    browser = Browser(raise_request_exception=False)
    bearer = {"Authorization": f"Bearer {secret}"}
    for query in ("\x00", "Ada\x00", "\x00Lovelace"):
        response = browser.get("/api/v1/clients", {"q": query}, headers=bearer)
        assert response.status_code == 200, query
        assert [c["last_name"] for c in response.json()["items"]] == ["Lovelace"], query


def test_a_nul_in_a_posted_form_field_is_taken_out_before_the_form_sees_it(clinic):
    """Signing in with a NUL inside the email: the form sees the email without it."""
    browser = Browser(raise_request_exception=False)
    email = clinic.front_desk.user.email
    sign_in = {"username": f"{email[:3]}\x00{email[3:]}", "password": factories.PASSWORD}
    response = browser.post(reverse("accounts:login"), sign_in)
    assert response.status_code == 302
    assert browser.get(reverse("clients:list")).status_code == 200  # signed in


def test_a_nul_in_a_public_page_query_is_taken_out_before_sign_in(db):
    browser = Browser(raise_request_exception=False)
    response = browser.get(f"{reverse('accounts:login')}?next=/clients/%00")
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


# -- The charset of text answers ------------------------------------------------------


def test_the_calendar_feed_names_its_charset(clinic):
    token, digest = CalendarFeed.new_token()
    CalendarFeed.objects.create(staff=clinic.practitioner, token_hash=digest)
    response = Browser().get(reverse("notifications:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


def test_a_text_answer_that_names_its_charset_keeps_it(desk):
    response = desk.get(reverse("clients:list"))
    assert response["Content-Type"] == "text/html; charset=utf-8"
