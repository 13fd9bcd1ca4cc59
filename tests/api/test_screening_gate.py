"""A clinic's website books treatments only for clients whose screening clears the visit.

The API serves clinics' websites, so it applies the online booking's rules: the minimum
notice and the horizon, when booking and when moving. The cleared screening for the
visit's day is the clinical gate of every channel: the front desk's too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from needlepoint.clients.models import Client
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories
from tests.api.conftest import NOW, Api, api_for
from tests.api.test_integrator import face_treatment, new_cleared_client

pytestmark = pytest.mark.django_db

TUESDAY_NINE = "2027-03-02T09:00:00Z"


@pytest.fixture
def website(clinic, offered, clock) -> Api:
    return api_for(clinic.front_desk, ("read", "book"))


def new_client(api: Api, first_name: str) -> dict[str, Any]:
    created = api.post(
        "/clients",
        {
            "first_name": first_name,
            "last_name": "Okafor",
            "date_of_birth": "1988-09-30",
            "email": f"{first_name.lower()}@example.test",
        },
    )
    assert created.status_code == 201, created.json()
    return created.json()


def answer_all_no_but(api: Api, client: dict[str, Any], key_part: str, since: str) -> str:
    """Send a history with one condition present (since ``since``); the screening's outcome."""
    questions = api.get("/questionnaire").json()["questions"]
    answers: dict[str, Any] = {question["key"]: {"present": False} for question in questions}
    key = next(question["key"] for question in questions if key_part in question["key"])
    answers[key] = {"present": True, "since": since}
    screened = api.post(
        f"/clients/{client['id']}/questionnaires",
        {"answered_on": "2027-03-01", "answers": answers},
    )
    assert screened.status_code == 201, screened.json()
    return screened.json()["outcome"]


def book(api: Api, client: dict[str, Any], service: dict[str, Any], starts_at: str) -> Any:
    return api.post(
        "/bookings", {"client": client["id"], "service": service["id"], "starts_at": starts_at}
    )


def test_a_treatment_for_a_client_with_no_medical_history_is_refused(website):
    client = new_client(website, "Ada")
    answer = book(website, client, face_treatment(website), TUESDAY_NINE)
    assert answer.status_code == 400
    assert answer.json()["code"] == "screening_needed"
    assert "medical history" in answer.json()["message"]
    assert not Booking.objects.exists()


def test_a_deferred_client_is_refused_with_the_reason_and_can_still_book_a_consultation(
    website, clinic
):
    consultation = factories.service(
        clinic.location,
        name="Consultation",
        kind="consultation",
        area="",
        indication="",
        numbing_minutes=0,
        device_kind="",
    )
    client = new_client(website, "Bea")
    assert answer_all_no_but(website, client, "isotretinoin", "2027-02-01") == "deferred"

    refused = book(website, client, face_treatment(website), TUESDAY_NINE)
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "screening_not_cleared"
    assert "2 March 2027 is not cleared (deferred)" in body["message"]
    assert "isotretinoin" in body["message"]
    assert not Booking.objects.exists()

    consulting = {"id": str(consultation.public_id)}
    assert book(website, client, consulting, TUESDAY_NINE).status_code == 201


def test_the_front_desk_cannot_book_a_treatment_for_an_unscreened_client_either(website, clinic):
    client = new_client(website, "Cas")
    with pytest.raises(DomainError) as refused:
        booking_create(
            client=Client.objects.get(public_id=client["id"]),
            service=clinic.location.services.get(name="Microneedling — face"),
            starts_at=NOW + timedelta(days=1, hours=1),
            channel=Channel.STAFF,
            by=clinic.front_desk.user,
        )
    assert refused.value.code == "screening_needed"
    assert "medical history" in refused.value.message
    assert not Booking.objects.exists()


def test_moving_through_the_api_keeps_the_online_minimum_notice(website):
    face = face_treatment(website)
    client = new_cleared_client(website, "Dee")
    booked = book(website, client, face, TUESDAY_NINE)
    assert booked.status_code == 201, booked.json()
    booking_id = booked.json()["id"]

    # Monday 09:00 is an hour away: free, but inside the location's two hours' notice.
    too_soon = website.post(
        f"/bookings/{booking_id}/reschedule", {"starts_at": "2027-03-01T09:00:00Z"}
    )
    assert too_soon.status_code == 400
    assert too_soon.json()["code"] == "slot_unavailable"
    assert website.get(f"/bookings/{booking_id}").json()["starts_at"] == TUESDAY_NINE

    moved = website.post(
        f"/bookings/{booking_id}/reschedule", {"starts_at": "2027-03-01T11:00:00Z"}
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["starts_at"] == "2027-03-01T11:00:00Z"
