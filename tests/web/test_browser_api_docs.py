"""The API tokens page, and the API's docs under the site's strict Content Security Policy.

Swagger UI's script and styles are served from this site (django-ninja ships them), so
the page needs no exception to the policy: the page fixture fails on any violation.
"""

from __future__ import annotations

import pytest

from needlepoint.api.tokens import token_create
from tests import factories
from tests.browser import checked, screenshot
from tests.web.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_run_from_local_files_with_no_policy_violation(page, live_server):
    clinic = factories.clinic()
    _, secret = token_create(user=clinic.front_desk.user, name="Docs", scopes=["read"])
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else outside.append(request.url)
        ),
    )
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response is not None and response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_role("heading", name="Needlepoint API").wait_for()
    screenshot(page, "api-docs")

    page.get_by_role("button", name="Authorize").first.click()
    page.locator(".modal-ux input").fill(secret)
    page.locator(".modal-ux").get_by_role("button", name="Apply credentials").click()
    page.locator(".modal-ux").get_by_role("button", name="Close").click()
    page.locator("#operations-Locations-list_locations").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    page.locator(".live-responses-table tbody .response-col_status").first.wait_for()
    assert (
        page.locator(".live-responses-table tbody .response-col_status").first.inner_text() == "200"
    )
    assert clinic.location.name in page.locator(".live-responses-table").inner_text()
    screenshot(page, "api-docs-try-it-out")
    assert outside == []


def test_a_member_of_staff_makes_a_token_and_sees_it_once(page, live_server):
    clinic = factories.clinic()
    sign_in(page, live_server, clinic.front_desk)
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Clinic website")
    page.get_by_label("Book, move and cancel", exact=False).check()
    page.get_by_role("button", name="Make the token").click()
    page.get_by_role("heading", name="Your new token: Clinic website").wait_for()
    assert page.locator(".snippet code").inner_text().startswith("np_")
    checked(page, "api-tokens")
