"""Every page carries the Content Security Policy and the other hardening headers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client as Browser
from django.urls import reverse

from tests import factories

TEMPLATES = Path(__file__).resolve().parents[2] / "needlepoint" / "templates"
POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:", "blob:"},
    "connect-src": {"'self'"},
    "font-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def directives(header: str) -> dict[str, set[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


def assert_hardened(response) -> None:
    policy = directives(response["Content-Security-Policy"])
    assert policy == POLICY
    for name in ("script-src", "style-src"):
        assert not policy[name] & {"'unsafe-inline'", "'unsafe-eval'"}
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_staff_public_and_sign_in_pages_send_the_policy():
    clinic = factories.clinic()
    factories.service(clinic.location)
    staff = Browser()
    staff.force_login(clinic.front_desk.user)
    base = f"/c/{clinic.organisation.slug}/{clinic.location.slug}"
    pages = [
        (staff, "/"),
        (staff, "/clients/"),
        (staff, f"/calendar/{clinic.location.slug}/2026-11-23/"),
        (Browser(), "/accounts/login/"),
        (Browser(), f"{base}/"),
        (Browser(), f"{base}/book/"),
    ]
    for browser, path in pages:
        response = browser.get(path)
        assert response.status_code == 200, path
        assert_hardened(response)


@pytest.mark.django_db
def test_the_booking_widget_needs_no_exception():
    """The widget is a script on the clinic's own page: it adds a link, it is never framed."""
    clinic = factories.clinic()
    response = Browser().get(f"/c/{clinic.organisation.slug}/{clinic.location.slug}/widget.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert "iframe" not in response.content.decode()
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def test_no_template_has_inline_scripts_or_styles():
    """Emails are exempt: mail clients ignore the policy and need inline styles."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        name = path.relative_to(TEMPLATES).as_posix()
        if name == "notifications/email.html":
            continue
        found += [f"{name}: {match.group()}" for match in INLINE.finditer(path.read_text())]
    assert found == []


def test_htmx_posts_carry_the_csrf_token_from_the_page_so_the_cookie_can_be_http_only(
    clinic, settings
):
    settings.CSRF_COOKIE_HTTPONLY = True  # as in production
    client = factories.client(clinic.organisation)
    browser = factories.signed_in(clinic.front_desk)
    browser.handler.enforce_csrf_checks = True
    page = browser.get(reverse("clients:detail", args=[client.public_id]))
    assert page.cookies["csrftoken"]["httponly"]
    (token,) = re.findall(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page.content.decode())
    url = reverse("clients:photo_consent", args=[client.public_id])
    form = {"action": "withdraw"}
    assert browser.post(url, form, headers={"HX-Request": "true"}).status_code == 403
    sent = browser.post(url, form, headers={"HX-Request": "true", "X-CSRFToken": token})
    assert sent.status_code == 302
