"""A member of staff signs in with a real browser and finds their way around."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, member) -> None:
    page.goto(f"{live_server.url}/")
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if member.role in {"owner", "manager", "practitioner"}:
        factories.give_code_in_browser(page, member.user)


def test_an_owner_signs_in_and_sees_the_clinic_today(page, live_server):
    clinic = factories.clinic()
    factories.client(clinic.organisation, first_name="Nina", last_name="Needle")
    page.goto(f"{live_server.url}/")
    screenshot(page, "login")
    page.get_by_label("Email").fill(clinic.owner.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Two-step sign-in").wait_for()
    assert page.locator(".qr svg").is_visible()
    screenshot(page, "two-factor-setup")
    factories.give_code_in_browser(page, clinic.owner.user)
    page.get_by_role("heading", name=clinic.organisation.name).wait_for()
    assert page.get_by_text("Monday–Friday 9:00–18:00").is_visible()
    screenshot(page, "home-desktop")

    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name="Needle, Nina").click()
    page.get_by_role("heading", name="Nina Needle").wait_for()
    screenshot(page, "client-desktop")


def test_the_pages_fit_a_phone_screen(page, live_server):
    clinic = factories.clinic()
    factories.client(
        clinic.organisation,
        first_name="Nina",
        last_name="Needle",
        email="a.rather.long.address@example.test",
    )
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, clinic.front_desk)
    for path, name in (("/", "home-phone"), ("/clients/", "clients-phone")):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px"
        screenshot(page, name)


def test_signing_out_ends_the_session(page, live_server):
    clinic = factories.clinic()
    sign_in(page, live_server, clinic.practitioner)
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{live_server.url}/clients/")
    assert "/accounts/login/" in page.url
