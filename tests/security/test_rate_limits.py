"""Forms anyone can post are rate-limited per address (and per email for sign-in links).

The limits are set small here; the clock is pinned so a count never crosses into the
next window mid-test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client as Browser

from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from tests import factories

NOW = datetime(2027, 3, 1, 9, 0, 5, tzinfo=UTC)
HERE, ELSEWHERE = "198.51.100.7", "203.0.113.9"


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def rates(settings) -> dict[str, str]:
    settings.THROTTLE_RATES = {
        "portal_link_email": "2/hour",
        "portal_link_address": "3/hour",
        "newsletter": "2/hour",
        "booking": "3/hour",
        "voucher_check": "3/hour",
        "api": "2/minute",
    }
    return settings.THROTTLE_RATES


def from_address(address: str = HERE) -> Browser:
    return Browser(REMOTE_ADDR=address)


def ask_for_link(browser: Browser, clinic, email: str) -> str:
    page = browser.post(f"/my/{clinic.organisation.slug}/sign-in/", {"email": email})
    assert page.status_code == 200
    return page.content.decode()


def test_sign_in_links_to_one_email_stop_at_the_limit_with_the_same_answer(clinic, rates):
    factories.client(clinic.organisation, email="dana@example.test")
    answers = [ask_for_link(from_address(), clinic, "dana@example.test") for _ in range(3)]
    assert len(mail.outbox) == 2
    assert all("If dana@example.test is the address we have" in page for page in answers)
    other = from_address(ELSEWHERE)  # another address doesn't help: the email is counted
    ask_for_link(other, clinic, "Dana@Example.test")
    assert len(mail.outbox) == 2


def test_one_address_asking_for_many_emails_is_stopped_without_saying_so(clinic, rates):
    for n in range(4):
        factories.client(clinic.organisation, email=f"client{n}@example.test")
    browser = from_address()
    answers = [ask_for_link(browser, clinic, f"client{n}@example.test") for n in range(4)]
    assert [message.to for message in mail.outbox] == [
        [f"client{n}@example.test"] for n in range(3)
    ]
    assert "If client3@example.test is the address we have" in answers[3]
    ask_for_link(from_address(ELSEWHERE), clinic, "client3@example.test")
    assert len(mail.outbox) == 4


def test_a_new_window_brings_new_links(clinic, rates, clock):
    factories.client(clinic.organisation, email="dana@example.test")
    for _ in range(3):
        ask_for_link(from_address(), clinic, "dana@example.test")
    clock.shift(timedelta(hours=1))
    ask_for_link(from_address(), clinic, "dana@example.test")
    assert len(mail.outbox) == 3


def test_newsletter_sign_ups_from_one_address_stop_at_the_limit(clinic, rates):
    url = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/newsletter/"
    browser = from_address()
    for n in range(2):
        assert browser.post(url, {"email": f"reader{n}@example.test"}).status_code == 200
    refused = browser.post(url, {"email": "reader2@example.test"})
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Too many requests" in refused.content.decode()
    assert Message.objects.filter(kind=MessageKind.NEWSLETTER_CONFIRM).count() == 2
    other = from_address(ELSEWHERE).post(url, {"email": "reader3@example.test"})
    assert other.status_code == 200
    assert Message.objects.filter(kind=MessageKind.NEWSLETTER_CONFIRM).count() == 3


def test_the_booking_steps_posts_from_one_address_stop_at_the_limit(clinic, rates):
    place = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book"
    browser = from_address()
    for step in ("details", "health", "outcome"):  # with nothing chosen: back to the start
        assert browser.post(f"{place}/{step}/").status_code == 302
    refused = browser.post(f"{place}/details/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert browser.get(f"{place}/").status_code == 200  # reading the pages isn't counted
    assert from_address(ELSEWHERE).post(f"{place}/details/").status_code == 302


def test_an_api_token_past_its_rate_is_answered_429_in_the_error_body(clinic, rates):
    from tests.api.conftest import api_for

    api = api_for(clinic.front_desk)
    assert [api.get("/locations").status_code for _ in range(2)] == [200, 200]
    refused = api.get("/locations")
    assert refused.status_code == 429
    body = refused.json()
    assert body["code"] == "too_many_requests"
    assert body["message"] == "Too many requests with this token: try again in 55 seconds."
    assert refused["Retry-After"] == "55"
    assert api_for(clinic.manager).get("/locations").status_code == 200  # per token


def test_the_counts_are_in_the_database_where_every_worker_sees_them(clinic, rates):
    from needlepoint.core.models import RateCount

    from_address().post(f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book/details/")
    assert RateCount.objects.get().count == 1


@pytest.mark.postgres
def test_on_postgresql_a_count_commits_without_waiting_for_the_disk(db):
    """Unlogged: its commits write no log to flush; a crash only starts the windows afresh."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'core_ratecount'")
        assert cursor.fetchone() == ("u",)


def test_a_rate_that_is_not_a_count_per_period_stops_the_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from needlepoint.settings import env_rate

    monkeypatch.setenv("NEEDLEPOINT_RATE_API", "600 a minute")
    with pytest.raises(ImproperlyConfigured, match="NEEDLEPOINT_RATE_API must be a count"):
        env_rate("NEEDLEPOINT_RATE_API", "600/minute")


@pytest.mark.parametrize(
    "path",
    [
        "/b/not-a-token/cancel/",
        "/b/not-a-token/consent/00000000-0000-0000-0000-000000000000/",
        "/n/confirm/not-a-token/",
        "/n/unsubscribe/not-a-token/",
        "/my/{org}/sign-in/not-a-token/",
        "/c/{org}/{loc}/book/verify/",
        "/c/{org}/{loc}/gift-voucher/",
        "/c/{org}/{loc}/gift-voucher/card/",
        "/v/{org}/balance/",
    ],
)
def test_every_other_form_anyone_can_post_stops_at_its_limit(clinic, rates, path):
    """Guessing link tokens or codes is counted like any other post from one address."""
    url = path.format(org=clinic.organisation.slug, loc=clinic.location.slug)
    browser = from_address()
    answers = [browser.post(url).status_code for _ in range(4)]
    assert 429 not in answers[:2]
    assert answers[-1] == 429
