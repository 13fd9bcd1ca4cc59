"""The client portal: emailed single-use sign-in links, and a client's own records."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from needlepoint.clients.models import MarketingConsent
from needlepoint.clinical import default_rules
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.models import TreatmentSession, ZoneTreatment
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def member(clinic):
    offered = factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    someone = factories.screened_client(clinic.organisation, email="dana@example.test")
    return clinic, offered, someone


def sign_in(client, clinic, email="dana@example.test") -> str:
    client.post(f"/my/{clinic.organisation.slug}/sign-in/", {"email": email})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/my/\S+/sign-in/\S+/)", message.body)
    assert link is not None
    return link.group(1)


def test_an_unknown_email_gets_the_same_answer_and_no_email(client, member):
    clinic, _, _ = member
    page = client.post(f"/my/{clinic.organisation.slug}/sign-in/", {"email": "who@example.test"})
    assert "Check your inbox" in page.content.decode()
    assert mail.outbox == []


def test_the_link_signs_in_once_only_when_the_button_is_pressed(client, member):
    clinic, _, someone = member
    link = sign_in(client, clinic)
    assert client.get(f"/my/{clinic.organisation.slug}/").status_code == 302
    client.get(link)  # a mail scanner opening it
    assert client.get(f"/my/{clinic.organisation.slug}/").status_code == 302
    assert client.post(link)["Location"] == f"/my/{clinic.organisation.slug}/"
    home = client.get(f"/my/{clinic.organisation.slug}/")
    assert f"Hello {someone.first_name}" in home.content.decode()
    assert "no-store" in home["Cache-Control"]
    assert client.post(link).status_code == 410  # used up


def test_the_link_expires_after_half_an_hour(client, member):
    clinic, _, _ = member
    link = sign_in(client, clinic)
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        assert client.post(link).status_code == 410
    assert client.get(f"/my/{clinic.organisation.slug}/").status_code == 302


def test_a_link_does_not_sign_in_to_another_organisation(client, member, other_clinic):
    clinic, _, _ = member
    link = sign_in(client, clinic).replace(clinic.organisation.slug, other_clinic.organisation.slug)
    assert client.post(link).status_code == 410


def test_home_shows_appointments_course_state_and_aftercare(client, member):
    clinic, offered, someone = member
    session = TreatmentSession.objects.create(
        client=someone,
        location=clinic.location,
        practitioner=clinic.practitioner,
        indication="ind.acne_scars",
        performed_on=date(2026, 11, 21),
    )
    ZoneTreatment.objects.create(session=session, zone="zone.cheeks", depth_mm="1.0", passes=3)
    booking_create(
        client=someone,
        service=offered,
        starts_at=datetime(2026, 12, 21, 10, tzinfo=UTC),
        channel=Channel.STAFF,
    )
    client.post(sign_in(client, clinic))
    page = client.get(f"/my/{clinic.organisation.slug}/").content.decode()
    assert "Monday 21 December 2026, 10:00" in page
    assert "/b/" in page  # to move, cancel or sign
    assert "your next session can be from <strong>19 December 2026</strong>" in page
    assert "Days 2–3 (now)" in page


def test_the_medical_history_is_offered_back_and_a_change_is_a_new_screened_version(client, member):
    clinic, _, someone = member
    client.post(sign_in(client, clinic))
    url = f"/my/{clinic.organisation.slug}/health/"
    page = client.get(url).content.decode()
    assert "These are your answers from last time" in page
    assert 'value="no" id="id_ci.pregnancy_1" required checked' in page
    answers = {q.key: "no" for q in default_rules().questions()} | {"ci.pregnancy": "yes"}
    response = client.post(url, answers, follow=True)
    assert "your medical history is updated" in response.content.decode()
    latest = someone.questionnaires.order_by("-version").first()
    assert (latest.version, latest.source) == (2, "portal")
    assert someone.screenings.order_by("-pk").first().outcome == "deferred"


def test_newsletter_from_the_portal_is_confirmed_by_the_sign_in_and_can_be_withdrawn(
    client, member
):
    clinic, _, _ = member
    client.post(sign_in(client, clinic))
    url = f"/my/{clinic.organisation.slug}/newsletter/"
    client.post(url, {"subscribe": "yes"})
    consent = MarketingConsent.objects.get()
    assert consent.is_live and consent.source == "client portal"
    client.post(url, {"subscribe": "no"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_download_my_data_has_the_records_of_this_client_only(client, member):
    clinic, offered, someone = member
    other = factories.screened_client(clinic.organisation, email="other@example.test")
    booking_create(
        client=other,
        service=offered,
        starts_at=datetime(2026, 12, 21, 10, tzinfo=UTC),
        channel=Channel.STAFF,
    )
    client.post(sign_in(client, clinic))
    data = json.loads(client.get(f"/my/{clinic.organisation.slug}/my-data.json").content)
    assert data["client"]["email"] == "dana@example.test"
    assert data["bookings"] == []
    assert len(data["medical_history"]) == 1 and len(data["screenings"]) == 1


def test_signed_in_the_booking_flow_skips_details_and_offers_previous_answers(client, member):
    clinic, offered, someone = member
    client.post(sign_in(client, clinic))
    base = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book"
    client.post(f"{base}/{offered.public_id}/", {"start": "2026-11-25T10:00:00+00:00"})
    assert client.get(f"{base}/details/")["Location"] == f"{base}/health/"
    assert "Welcome back" in client.get(f"{base}/health/").content.decode()
    unchanged = {q.key: "no" for q in default_rules().questions()}
    client.post(f"{base}/health/", unchanged)
    confirmed = someone.questionnaires.order_by("-version").first()
    assert (confirmed.version, confirmed.answered_on) == (2, date(2026, 11, 23))
    client.post(f"{base}/outcome/")
    assert someone.bookings.get().channel == Channel.ONLINE


def test_signing_out_ends_the_portal_session(client, member):
    clinic, _, _ = member
    client.post(sign_in(client, clinic))
    client.post(f"/my/{clinic.organisation.slug}/sign-out/")
    assert client.get(f"/my/{clinic.organisation.slug}/").status_code == 302


def test_a_client_chooses_texts_for_reminders_from_the_portal(client, member):
    clinic, _, someone = member
    client.post(sign_in(client, clinic))
    url = f"/my/{clinic.organisation.slug}/messages/"
    page = client.post(url, {"channel": "sms"}, follow=True).content.decode()
    assert "that is how we will reach you" in page
    someone.refresh_from_db()
    assert someone.message_channel == "sms"
    client.post(url, {"channel": "carrier-pigeon"})
    someone.refresh_from_db()
    assert someone.message_channel == "sms"


@pytest.mark.parametrize("channel", ["sms", "both"])
def test_a_client_without_a_phone_number_is_told_texts_need_one(client, member, channel):
    clinic, _, someone = member
    someone.phone = ""
    someone.save()
    client.post(sign_in(client, clinic))

    url = f"/my/{clinic.organisation.slug}/messages/"
    page = client.post(url, {"channel": channel}, follow=True).content.decode()

    assert "Texts need a mobile number" in page
    someone.refresh_from_db()
    assert someone.message_channel == "email"
