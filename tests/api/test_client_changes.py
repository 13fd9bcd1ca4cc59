"""Adding and changing clients through the API, under the same rules as the staff pages
and the client portal: one email per client, and texts only to a phone number."""

from __future__ import annotations

import pytest

from tests import factories
from tests.api.conftest import Api, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def website(clinic, clock) -> Api:
    return api_for(clinic.front_desk, ("read", "book"))


NEW = {"first_name": "Robin", "last_name": "Reyes", "date_of_birth": "1991-04-12"}


def test_an_email_already_on_file_is_409_naming_the_client_who_has_it(clinic, website):
    known = factories.client(clinic.organisation, email="robin@example.test")

    refused = website.post("/clients", {**NEW, "email": "Robin@Example.test "})

    assert refused.status_code == 409
    assert refused.json() == {
        "code": "client_exists",
        "message": "robin@example.test is already the email of a client on file.",
        "field": "email",
        "existing_client": str(known.public_id),
    }


def test_the_same_email_in_another_organisation_is_no_conflict(other_clinic, website):
    factories.client(other_clinic.organisation, email="robin@example.test")

    added = website.post("/clients", {**NEW, "email": "robin@example.test"})

    assert added.status_code == 201


def test_every_detail_the_staff_pages_change_can_be_changed(clinic, website):
    second = factories.location(clinic.organisation, name="Quay Road")
    clinic.front_desk.locations.add(second)
    client = factories.client(clinic.organisation, phone="")

    changed = website.patch(
        f"/clients/{client.public_id}",
        {
            "first_name": "Robyn",
            "last_name": "Reyes-Hart",
            "date_of_birth": "1991-04-21",
            "email": "robyn@example.test",
            "phone": "07400 123457",
            "message_channel": "both",
            "home_location": str(second.public_id),
        },
    )

    assert changed.status_code == 200, changed.json()
    read = website.get(f"/clients/{client.public_id}").json()
    assert {key: read[key] for key in changed.json()} == changed.json()
    assert read["first_name"] == "Robyn" and read["last_name"] == "Reyes-Hart"
    assert read["date_of_birth"] == "1991-04-21"
    assert read["email"] == "robyn@example.test" and read["phone"] == "+447400123457"
    assert read["message_channel"] == "both"
    assert read["home_location"] == str(second.public_id)


def test_what_is_not_sent_stays_as_it_was(clinic, website):
    client = factories.client(clinic.organisation, first_name="Ada")

    changed = website.patch(f"/clients/{client.public_id}", {"last_name": "Lovelace"})

    assert changed.json()["first_name"] == "Ada"
    assert changed.json()["last_name"] == "Lovelace"
    assert changed.json()["email"] == client.email


def test_changing_to_another_clients_email_is_409(clinic, website):
    holder = factories.client(clinic.organisation)
    client = factories.client(clinic.organisation)

    refused = website.patch(f"/clients/{client.public_id}", {"email": holder.email})

    assert refused.status_code == 409
    assert refused.json()["existing_client"] == str(holder.public_id)


@pytest.mark.parametrize(
    ("phone", "channel", "status"),
    [
        ("", "email", 200),
        ("", "sms", 400),
        ("", "both", 400),
        ("+447400123456", "email", 200),
        ("+447400123456", "sms", 200),
        ("+447400123456", "both", 200),
    ],
)
def test_texts_need_a_phone_number(clinic, website, phone, channel, status):
    client = factories.client(clinic.organisation, phone=phone)

    answer = website.patch(f"/clients/{client.public_id}", {"message_channel": channel})

    assert answer.status_code == status, answer.json()
    if status == 400:
        assert answer.json()["code"] == "phone_required"
        assert answer.json()["field"] == "message_channel"
    client.refresh_from_db()
    assert client.message_channel == (channel if status == 200 else "email")


def test_a_phone_number_and_texts_can_be_given_together(clinic, website):
    client = factories.client(clinic.organisation, phone="")

    answer = website.patch(
        f"/clients/{client.public_id}", {"phone": "07400 123456", "message_channel": "sms"}
    )

    assert answer.status_code == 200 and answer.json()["message_channel"] == "sms"


def test_the_phone_number_of_a_client_who_chose_texts_is_not_removed(clinic, website):
    client = factories.client(clinic.organisation, message_channel="sms")

    refused = website.patch(f"/clients/{client.public_id}", {"phone": ""})

    assert refused.status_code == 400
    assert refused.json()["code"] == "phone_required" and refused.json()["field"] == "phone"


def test_a_home_location_the_token_cannot_see_is_not_found(other_clinic, clinic, website):
    client = factories.client(clinic.organisation)

    answer = website.patch(
        f"/clients/{client.public_id}", {"home_location": str(other_clinic.location.public_id)}
    )

    assert answer.status_code == 404 and answer.json()["field"] == "home_location"
