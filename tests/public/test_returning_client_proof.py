"""Online booking writes to, or shows from, a client's record only after the person booking
has proved the email is theirs; until then every address gets the same answer."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client as Browser
from django.test import override_settings

from needlepoint.clients.models import Client, QuestionnaireSubmission
from needlepoint.public.portal import portal_link_create
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories
from tests.public.test_online_booking import (
    DETAILS,
    NOW,
    WEDNESDAY_TEN,
    emailed_code,
    no_to_everything,
)

KNOWN = DETAILS | {"email": "known@example.test", "date_of_birth": "1980-06-01"}
UNKNOWN = DETAILS | {"email": "nobody@example.test", "date_of_birth": "1980-06-01"}


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(clinic):
    offered = factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    base = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book"
    known = factories.screened_client(
        clinic.organisation, email=KNOWN["email"], date_of_birth=date(1980, 6, 1)
    )
    return clinic, offered, base, known


def to_details(browser, base, offered, details):
    browser.post(f"{base}/{offered.public_id}/", {"start": WEDNESDAY_TEN.isoformat()})
    return browser.post(f"{base}/details/", details)


def shape(email) -> tuple[str, str]:
    """An email's subject and body with its address and code taken out."""
    code = email.subject.rsplit(" ", 1)[-1]
    return email.subject.replace(code, "CODE"), email.body.replace(code, "CODE")


def test_a_clients_email_and_a_strangers_get_the_same_answer_and_the_same_email(client, setup):
    _, offered, base, _ = setup
    stranger = Browser()
    answers = [to_details(b, base, offered, d) for b, d in ((client, KNOWN), (stranger, UNKNOWN))]
    assert [a.status_code for a in answers] == [302, 302]
    assert [a["Location"] for a in answers] == [f"{base}/verify/"] * 2
    pages = [
        re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", page)
        for page in (b.get(f"{base}/verify/").content.decode() for b in (client, stranger))
    ]
    assert pages[0].replace(KNOWN["email"], "X") == pages[1].replace(UNKNOWN["email"], "X")
    known_mail, unknown_mail = mail.outbox
    assert shape(known_mail) == shape(unknown_mail)
    assert Client.objects.count() == 1  # no record for the stranger's address yet


def test_knowing_an_email_and_birthday_writes_nothing_to_the_record_and_shows_nothing(
    client, setup
):
    clinic, offered, base, known = setup
    booking_create(
        client=known,
        service=offered,
        starts_at=WEDNESDAY_TEN + timedelta(days=7),
        channel=Channel.STAFF,
    )
    histories = known.questionnaires.count()
    to_details(client, base, offered, KNOWN)
    # Every later step sends the caller back to the code, whatever they post.
    for step in ("health", "outcome"):
        response = client.post(f"{base}/{step}/", no_to_everything(**{"ci.pregnancy": "yes"}))
        assert response.status_code == 302
        assert response["Location"] in (f"{base}/verify/", f"{base}/")
    for step in ("health", "outcome"):
        page = client.get(f"{base}/{step}/", follow=True).content.decode()
        assert "2 December" not in page  # the client's other booking is never named
    assert known.questionnaires.count() == histories
    assert Booking.objects.filter(client=known).count() == 1
    assert not Client.objects.exclude(pk=known.pk).exists()


def test_the_right_code_lets_the_client_on_and_finds_their_record(client, setup):
    _, offered, base, known = setup
    to_details(client, base, offered, KNOWN)
    response = client.post(f"{base}/verify/", {"code": emailed_code(KNOWN["email"])})
    assert response["Location"] == f"{base}/health/"
    client.post(f"{base}/health/", no_to_everything())
    assert Client.objects.count() == 1
    assert known.questionnaires.filter(source="online").count() == 1


def test_a_new_clients_record_is_made_only_after_the_code(client, setup):
    _, offered, base, _ = setup
    to_details(client, base, offered, UNKNOWN)
    assert not Client.objects.filter(email=UNKNOWN["email"]).exists()
    client.post(f"{base}/verify/", {"code": emailed_code(UNKNOWN["email"])})
    client.post(f"{base}/health/", no_to_everything())
    assert Client.objects.filter(email=UNKNOWN["email"]).exists()


def test_a_code_works_only_in_the_browser_that_asked_for_it(client, setup, monkeypatch):
    _, offered, base, _ = setup
    codes = iter([111111, 222222])
    monkeypatch.setattr("needlepoint.public.verification.secrets.randbelow", lambda _: next(codes))
    to_details(client, base, offered, KNOWN)
    thief = Browser()
    to_details(thief, base, offered, KNOWN | {"first_name": "Mallory"})
    assert "not right" in thief.post(f"{base}/verify/", {"code": "111111"}).content.decode()
    assert client.post(f"{base}/verify/", {"code": "111111"})["Location"] == f"{base}/health/"


def test_five_wrong_codes_void_the_code_and_nothing_is_written(client, setup):
    _, offered, base, known = setup
    to_details(client, base, offered, KNOWN)
    code = emailed_code(KNOWN["email"])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    pages = [client.post(f"{base}/verify/", {"code": wrong}).content.decode() for _ in range(5)]
    assert all("not right" in page for page in pages[:4])
    assert "too many times" in pages[4]
    page = client.post(f"{base}/verify/", {"code": code}).content.decode()
    assert "ask for a new code" in page  # the right code no longer works
    assert client.get(f"{base}/health/")["Location"] == f"{base}/verify/"
    assert not QuestionnaireSubmission.objects.filter(client=known, source="online").exists()


def test_a_code_expires_after_ten_minutes_and_a_new_one_can_be_sent(client, setup, monday_morning):
    _, offered, base, _ = setup
    to_details(client, base, offered, UNKNOWN)
    old = emailed_code(UNKNOWN["email"])
    monday_morning.shift(timedelta(minutes=10))
    assert "expired" in client.post(f"{base}/verify/", {"code": old}).content.decode()
    response = client.post(f"{base}/verify/", {"action": "resend"}, follow=True)
    assert "A new code is on its way" in response.content.decode()
    new = emailed_code(UNKNOWN["email"])
    assert client.post(f"{base}/verify/", {"code": new})["Location"] == f"{base}/health/"


@override_settings(
    THROTTLE_RATES={"booking": "1000/hour", "email_code": "5/hour", "sign_in": "40/hour"}
)
def test_codes_to_one_address_are_limited_the_same_for_clients_and_strangers(client, setup):
    _, offered, base, _ = setup
    for details in (KNOWN, UNKNOWN):
        browser = Browser()
        to_details(browser, base, offered, details)
        for _ in range(4):
            browser.post(f"{base}/verify/", {"action": "resend"})
        page = browser.post(f"{base}/verify/", {"action": "resend"}, follow=True)
        assert "several codes to this address" in page.content.decode()
        assert len([m for m in mail.outbox if m.to == [details["email"]]]) == 5


def test_a_client_signed_in_to_the_portal_needs_no_code(client, setup):
    clinic, offered, base, known = setup
    _, token = portal_link_create(organisation=clinic.organisation, email=known.email)
    client.post(f"/my/{clinic.organisation.slug}/sign-in/{token}/")
    client.post(f"{base}/{offered.public_id}/", {"start": WEDNESDAY_TEN.isoformat()})
    response = client.get(f"{base}/details/")
    assert response["Location"] == f"{base}/health/"
    assert not [m for m in mail.outbox if "Your code" in m.subject]


def test_changing_the_email_after_the_code_asks_for_a_new_code(client, setup):
    _, offered, base, _ = setup
    to_details(client, base, offered, UNKNOWN)
    client.post(f"{base}/verify/", {"code": emailed_code(UNKNOWN["email"])})
    response = client.post(f"{base}/details/", KNOWN)
    assert response["Location"] == f"{base}/verify/"
    assert client.get(f"{base}/health/")["Location"] == f"{base}/verify/"


def test_the_same_birthday_check_still_guards_a_shared_family_address(client, setup):
    _, offered, base, known = setup
    to_details(client, base, offered, KNOWN | {"date_of_birth": "2001-01-01"})
    client.post(f"{base}/verify/", {"code": emailed_code(KNOWN["email"])})
    page = client.post(f"{base}/health/", no_to_everything(), follow=True).content.decode()
    assert "match our records" in page
    assert Client.objects.count() == 1


def test_the_code_page_opens_without_an_error_and_a_short_code_gets_a_field_error(client, setup):
    _, offered, base, _ = setup
    to_details(client, base, offered, UNKNOWN)
    page = client.get(f"{base}/verify/").content.decode()
    assert "Check your email" in page
    assert 'class="error"' not in page
    page = client.post(f"{base}/verify/", {"code": "12"}).content.decode()
    assert 'id="id_code-error"' in page


def test_the_session_id_changes_once_the_code_is_accepted(client, setup):
    _, offered, base, _ = setup
    to_details(client, base, offered, UNKNOWN)
    before = client.session.session_key
    client.post(f"{base}/verify/", {"code": emailed_code(UNKNOWN["email"])})
    assert client.session.session_key != before
    assert client.get(f"{base}/health/").status_code == 200  # the draft came along
