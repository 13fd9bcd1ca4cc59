"""What a clinic's website does through the API, with nothing but HTTP calls and its token.

The clinic gave the website a token (front desk, scopes read and book). The website adds
a client, sends their medical history, reads free times, books, moves and cancels, and
copes with each refusal from its ``code``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from needlepoint.clients.models import Client
from needlepoint.treatments.models import TreatmentSession, ZoneTreatment
from tests import factories
from tests.api.conftest import Api, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def website(clinic, offered, clock) -> Api:
    return api_for(clinic.front_desk, ("read", "book"))


def face_treatment(api: Api) -> dict[str, Any]:
    location = api.get("/locations").json()["items"][0]
    services = api.get(f"/locations/{location['id']}/services").json()["items"]
    return next(service for service in services if service["name"] == "Microneedling — face")


def new_cleared_client(api: Api, first_name: str = "Robin") -> dict[str, Any]:
    created = api.post(
        "/clients",
        {
            "first_name": first_name,
            "last_name": "Reyes",
            "date_of_birth": "1991-04-12",
            "email": f"{first_name.lower()}@example.test",
            "phone": "07400 123456",
        },
    )
    assert created.status_code == 201, created.json()
    client = created.json()
    questions = api.get("/questionnaire").json()["questions"]
    history = {
        "answered_on": "2027-03-01",
        "answers": {question["key"]: {"present": False} for question in questions},
    }
    screened = api.post(f"/clients/{client['id']}/questionnaires", history)
    assert screened.status_code == 201, screened.json()
    assert screened.json()["outcome"] == "cleared"
    return client


def free_times(api: Api, service: dict, client: dict, start: str, end: str) -> dict[str, Any]:
    answer = api.get(
        "/availability", service=service["id"], start=start, end=end, client=client["id"]
    )
    assert answer.status_code == 200, answer.json()
    return answer.json()


def test_a_new_client_is_added_screened_booked_moved_and_cancelled(website):
    face = face_treatment(website)
    client = new_cleared_client(website)
    assert client["phone"] == "+447400123456"

    free = free_times(website, face, client, "2027-03-02", "2027-03-02")
    assert free["earliest_date"] is None and free["blocked"] is False
    assert free["time_zone"] == "Europe/London"
    first, later = free["slots"][0], free["slots"][-1]
    assert first["starts_at"] == "2027-03-02T09:00:00Z"

    booked = website.post(
        "/bookings",
        {"client": client["id"], "service": face["id"], "starts_at": first["starts_at"]},
    )
    assert booked.status_code == 201, booked.json()
    booking = booked.json()
    assert booking["status"] == "booked" and booking["channel"] == "api"
    assert booking["starts_at"] == first["starts_at"]

    moved = website.post(f"/bookings/{booking['id']}/reschedule", {"starts_at": later["starts_at"]})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["starts_at"] == later["starts_at"]

    tuesday = website.get(
        "/bookings",
        starts_after="2027-03-02T00:00:00Z",
        starts_before="2027-03-03T00:00:00Z",
        client=client["id"],
    ).json()
    assert tuesday["count"] == 1 and tuesday["items"][0]["id"] == booking["id"]

    cancelled = website.post(f"/bookings/{booking['id']}/cancel", {"reason": "Client asked"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = website.post(f"/bookings/{booking['id']}/cancel", {})
    assert again.status_code == 409 and again.json()["code"] == "wrong_status"


def test_a_time_booked_by_someone_else_is_refused_with_409_slot_taken(website):
    face = face_treatment(website)
    robin, sam = new_cleared_client(website, "Robin"), new_cleared_client(website, "Sam")
    start = free_times(website, face, robin, "2027-03-02", "2027-03-02")["slots"][0]["starts_at"]
    first = website.post(
        "/bookings", {"client": robin["id"], "service": face["id"], "starts_at": start}
    )
    assert first.status_code == 201

    second = website.post(
        "/bookings", {"client": sam["id"], "service": face["id"], "starts_at": start}
    )

    assert second.status_code == 409
    assert second.json() == {
        "code": "slot_taken",
        "message": "That time was just taken. Please choose another time.",
        "field": None,
    }


def test_a_treatment_before_the_clinical_interval_is_refused_with_the_earliest_date(
    clinic, website
):
    face = face_treatment(website)
    client = new_cleared_client(website)
    # The clinic's own record: this client's cheeks were needled a week ago.
    session = TreatmentSession.objects.create(
        client=Client.objects.get(public_id=client["id"]),
        location=clinic.location,
        practitioner=clinic.practitioner,
        indication="ind.acne_scars",
        performed_on=date(2027, 2, 22),
    )
    ZoneTreatment.objects.create(session=session, zone="zone.cheeks", depth_mm=1.5)

    free = free_times(website, face, client, "2027-03-02", "2027-04-30")
    assert free["earliest_date"] == "2027-03-22"
    assert min(slot["starts_at"] for slot in free["slots"]) >= "2027-03-22"

    refused = website.post(
        "/bookings",
        {"client": client["id"], "service": face["id"], "starts_at": "2027-03-02T09:00:00Z"},
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "too_early"
    assert "the earliest allowed date is 22 March 2027" in refused.json()["message"]


def test_bad_input_is_refused_with_422_naming_the_field(website):
    missing = website.post("/clients", {"first_name": "Robin", "date_of_birth": "1991-04-12"})
    assert missing.status_code == 422
    assert missing.json()["code"] == "invalid"
    assert missing.json()["field"] == "last_name"
    assert set(missing.json()) == {"code", "message", "field"}

    face = face_treatment(website)
    not_a_date = website.get("/availability", service=face["id"], start="2 March", end="2027-03-02")
    assert not_a_date.status_code == 422
    assert not_a_date.json()["field"] == "start"

    no_offset = website.post(
        "/bookings",
        {"client": face["id"], "service": face["id"], "starts_at": "2027-03-02T09:00:00"},
    )
    assert no_offset.status_code == 422 and no_offset.json()["field"] == "starts_at"

    not_json = website.http.post(
        "/api/v1/clients", "{", content_type="application/json", headers=website.headers()
    )
    assert not_json.status_code == 400 and not_json.json()["code"] == "bad_request"


def test_without_a_valid_token_the_answer_is_401(clinic, website):
    for api in (Api(), Api("np_not-a-token"), Api("Basic dXNlcjpwYXNz")):
        refused = api.get("/clients")
        assert refused.status_code == 401
        assert refused["WWW-Authenticate"] == "Bearer"
        assert refused.json()["code"] == "unauthenticated"
    signed_in_browser = Api(http=factories.signed_in(clinic.owner))
    assert signed_in_browser.get("/clients").status_code == 401  # a session is not a token


def test_a_token_without_the_scope_or_the_role_gets_403(clinic, offered, clock):
    reader = api_for(clinic.front_desk, ("read",))
    client = factories.screened_client(clinic.organisation)
    refused = reader.post(f"/clients/{client.public_id}/questionnaires", {})
    assert refused.status_code == 403
    assert refused.json()["message"] == "This token does not have the book scope."

    desk = api_for(clinic.front_desk, ("read", "book", "chart"))
    charts = desk.get(f"/clients/{client.public_id}/sessions")
    assert charts.status_code == 403
    assert charts.json() == {
        "code": "forbidden",
        "message": "Charts are for clinical staff.",
        "field": None,
    }


def test_another_organisations_records_are_not_found(other_clinic, website):
    stranger = factories.screened_client(other_clinic.organisation)
    assert website.get(f"/clients/{stranger.public_id}").status_code == 404
    assert website.get(f"/clients/{stranger.public_id}/screenings").status_code == 404
    face = face_treatment(website)
    elsewhere = website.post(
        "/bookings",
        {
            "client": str(stranger.public_id),
            "service": face["id"],
            "starts_at": "2027-03-02T09:00:00Z",
        },
    )
    assert elsewhere.status_code == 404
    assert elsewhere.json()["field"] == "client"


def test_lists_come_a_page_at_a_time(website):
    for name in ("Ada", "Bea", "Cy"):
        new_cleared_client(website, name)
    first = website.get("/clients", limit=2).json()
    assert first["count"] == 3 and len(first["items"]) == 2
    following = website.http.get(first["next"], headers=website.headers()).json()
    assert [c["first_name"] for c in following["items"]] == ["Cy"]
    assert following["next"] is None
    assert website.get("/clients", q="bea").json()["count"] == 1


def test_any_utc_offset_python_reads_is_the_same_instant_in_utc(website):
    """+17:11 is a valid ISO 8601 offset that PostgreSQL refuses (±15:59): found by fuzzing."""
    face = face_treatment(website)
    client = new_cleared_client(website)
    start = free_times(website, face, client, "2027-03-02", "2027-03-02")["slots"][0]["starts_at"]
    assert start == "2027-03-02T09:00:00Z"
    far_east = "2027-03-03T02:11:00+17:11"  # 09:00 UTC on the 2nd
    booked = website.post(
        "/bookings", {"client": client["id"], "service": face["id"], "starts_at": far_east}
    )
    assert booked.status_code == 201, booked.json()
    assert booked.json()["starts_at"] == start
    listed = website.get("/bookings", starts_after="2078-07-26T16:55:32+17:11")
    assert listed.status_code == 200 and listed.json()["count"] == 0
    found = website.get("/bookings", starts_after="2027-03-03T02:10:00+17:11", client=client["id"])
    assert found.json()["count"] == 1
