"""A program that lost an answer sends the same create again with its ``Idempotency-Key``
and gets the first answer back: one booking, one client, whatever the network did."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.db import connections

from needlepoint.clients.models import Client
from needlepoint.scheduling.models import Booking
from tests import factories
from tests.api.conftest import NOW, Api, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def website(clinic, offered, clock) -> Api:
    return api_for(clinic.front_desk, ("read", "book"))


def post(api: Api, path: str, body: dict[str, Any], key: str) -> Any:
    return api.http.post(
        f"/api/v1{path}",
        body,
        content_type="application/json",
        headers={**api.headers(), "Idempotency-Key": key},
    )


@pytest.fixture
def booking_body(clinic, offered) -> dict[str, Any]:
    client = factories.screened_client(clinic.organisation)
    return {
        "client": str(client.public_id),
        "service": str(offered.public_id),
        "starts_at": "2027-03-02T09:00:00Z",
    }


def test_a_booking_sent_twice_with_one_key_is_made_once_and_answered_alike(website, booking_body):
    first = post(website, "/bookings", booking_body, "order-1842")
    again = post(website, "/bookings", booking_body, "order-1842")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Booking.objects.filter(client__public_id=booking_body["client"]).count() == 1


def test_the_same_key_with_a_different_body_is_refused_and_makes_nothing(website, booking_body):
    post(website, "/bookings", booking_body, "order-1842")
    later = {**booking_body, "starts_at": "2027-03-02T13:30:00Z"}

    refused = post(website, "/bookings", later, "order-1842")

    assert refused.status_code == 422
    assert refused.json()["code"] == "idempotency_key_reused"
    assert refused.json()["field"] == "Idempotency-Key"
    assert Booking.objects.filter(client__public_id=booking_body["client"]).count() == 1


def test_the_same_body_spaced_differently_is_the_same_request(website, booking_body):
    first = post(website, "/bookings", booking_body, "order-1842")
    respaced = website.http.post(
        "/api/v1/bookings",
        "{\n  " + ",\n  ".join(f'"{k}": "{v}"' for k, v in reversed(booking_body.items())) + "\n}",
        content_type="application/json",
        headers={**website.headers(), "Idempotency-Key": "order-1842"},
    )

    assert respaced.status_code == 201 and respaced.content == first.content


def test_a_key_belongs_to_its_token(clinic, website):
    other_program = api_for(clinic.manager, ("read", "book"))
    body = {"first_name": "Nia", "last_name": "New", "date_of_birth": "1990-01-01"}

    ours = post(website, "/clients", body, "signup-7")
    theirs = post(other_program, "/clients", body, "signup-7")

    assert ours.status_code == theirs.status_code == 201
    assert ours.json()["id"] != theirs.json()["id"]


def test_a_client_sent_twice_with_one_key_is_added_once(clinic, website):
    body = {
        "first_name": "Nia",
        "last_name": "New",
        "date_of_birth": "1990-01-01",
        "email": "nia@example.test",
    }

    first = post(website, "/clients", body, "signup-7")
    again = post(website, "/clients", body, "signup-7")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert Client.objects.filter(email="nia@example.test").count() == 1


def test_a_refused_request_keeps_nothing_so_the_same_key_may_be_sent_again(
    clinic, offered, website, booking_body
):
    holder = factories.booked_treatment(clinic, NOW.replace(day=2, hour=9))
    refused = post(website, "/bookings", booking_body, "order-1842")
    assert refused.status_code == 409 and refused.json()["code"] == "slot_taken"

    website.post(f"/bookings/{holder.public_id}/cancel", {"reason": "Client asked"})
    booked = post(website, "/bookings", booking_body, "order-1842")

    assert booked.status_code == 201


def test_a_key_is_kept_for_a_day(website):
    body = {"first_name": "Nia", "last_name": "New", "date_of_birth": "1990-01-01"}
    first = post(website, "/clients", body, "signup-7")

    with time_machine.travel(NOW + timedelta(hours=23), tick=False):
        assert post(website, "/clients", body, "signup-7").content == first.content
    with time_machine.travel(NOW + timedelta(hours=25), tick=False):
        later = post(website, "/clients", body, "signup-7")

    assert later.status_code == 201 and later.json()["id"] != first.json()["id"]


def test_a_key_must_be_printable_text(website):
    body = {"first_name": "Nia", "last_name": "New", "date_of_birth": "1990-01-01"}
    refused = post(website, "/clients", body, "two words")

    assert refused.status_code == 422
    assert refused.json()["field"] == "Idempotency-Key"


@pytest.mark.django_db(transaction=True)  # real commits: each request in its own thread
def test_requests_with_one_key_at_the_same_moment_make_one_client(clinic, clock):
    website = api_for(clinic.front_desk, ("read", "book"))
    body = {
        "first_name": "Nia",
        "last_name": "New",
        "date_of_birth": "1990-01-01",
        "email": "nia@example.test",
    }
    barrier = threading.Barrier(4)
    answers: list[Any] = []

    def send() -> None:
        try:
            barrier.wait()
            answers.append(post(Api(website.token), "/clients", body, "signup-7"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [answer.status_code for answer in answers] == [201] * 4
    assert len({answer.content for answer in answers}) == 1
    assert Client.objects.filter(email="nia@example.test").count() == 1


def test_erasing_a_client_drops_the_answers_kept_for_their_requests(clinic, website):
    from needlepoint.api.models import IdempotencyKey
    from needlepoint.privacy.erasure import erasure_request

    body = {
        "first_name": "Ola",
        "last_name": "Gone",
        "date_of_birth": "1985-06-15",
        "email": "ola@example.test",
    }
    assert post(website, "/clients", body, "signup-ola").status_code == 201
    other = {**body, "first_name": "Pat", "email": "pat@example.test"}
    assert post(website, "/clients", other, "signup-pat").status_code == 201
    ola = Client.objects.get(email="ola@example.test")

    erasure_request(ola, by=clinic.owner.user, reason="Asked to be forgotten")

    kept = IdempotencyKey.objects.values_list("key", flat=True)
    assert list(kept) == ["signup-pat"]
    assert "ola@example.test" not in "".join(IdempotencyKey.objects.values_list("body", flat=True))
