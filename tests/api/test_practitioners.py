"""A website lets its visitors choose whom they see: it lists the practitioners of a
location, asks for one's free times, books with them and finds them in the booking."""

from __future__ import annotations

from typing import Any

import pytest

from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import StaffMember
from tests import factories
from tests.api.conftest import Api, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_practitioner(clinic, offered) -> StaffMember:
    member = factories.staff_member(clinic.organisation, Role.PRACTITIONER, clinic.location)
    offered.practitioners.add(member)
    factories.works_opening_hours(member, clinic.location)
    return member


@pytest.fixture
def website(clinic, offered, clock, second_practitioner) -> Api:
    return api_for(clinic.front_desk, ("read", "book"))


def practitioners(api: Api, location: Any, **query: Any) -> list[dict[str, Any]]:
    answer = api.get("/practitioners", location=str(location), **query)
    assert answer.status_code == 200, answer.json()
    return answer.json()["items"]


def test_a_location_lists_the_practitioners_who_give_its_services(
    clinic, offered, second_practitioner, website
):
    listed = practitioners(website, clinic.location.public_id)

    assert listed == [
        {
            "id": str(member.public_id),
            "name": member.user.full_name,
            "services": [str(offered.public_id)],
        }
        for member in sorted(
            [clinic.practitioner, second_practitioner], key=lambda m: m.user.full_name
        )
    ]


def test_inactive_staff_and_staff_who_give_no_service_are_not_listed(
    clinic, second_practitioner, website
):
    second_practitioner.is_active = False
    second_practitioner.save()

    listed = practitioners(website, clinic.location.public_id)

    assert [p["id"] for p in listed] == [str(clinic.practitioner.public_id)]


def test_the_list_narrows_to_those_who_give_one_service(clinic, offered, website):
    peel = factories.service(clinic.location, name="Consultation", kind="consultation")
    peel.practitioners.set([clinic.practitioner])

    listed = practitioners(website, clinic.location.public_id, service=str(peel.public_id))

    assert [p["id"] for p in listed] == [str(clinic.practitioner.public_id)]
    assert listed[0]["services"] == [str(peel.public_id), str(offered.public_id)]


def test_free_times_booking_and_the_booking_name_the_chosen_practitioner(
    clinic, offered, second_practitioner, website
):
    client = factories.screened_client(clinic.organisation)
    chosen = str(second_practitioner.public_id)

    free = website.get(
        "/availability",
        service=str(offered.public_id),
        start="2027-03-02",
        end="2027-03-02",
        practitioner=chosen,
    ).json()
    assert free["practitioner"] == chosen
    assert free["slots"] and {slot["practitioner_id"] for slot in free["slots"]} == {chosen}

    booked = website.post(
        "/bookings",
        {
            "client": str(client.public_id),
            "service": str(offered.public_id),
            "starts_at": free["slots"][0]["starts_at"],
            "practitioner": chosen,
        },
    )
    assert booked.status_code == 201, booked.json()
    assert booked.json()["practitioner_id"] == chosen
    assert booked.json()["practitioner"] == second_practitioner.user.full_name

    read = website.get(f"/bookings/{booked.json()['id']}").json()
    assert read["practitioner_id"] == chosen


def test_without_a_choice_each_free_time_names_its_practitioner_by_id(clinic, offered, website):
    free = website.get(
        "/availability", service=str(offered.public_id), start="2027-03-02", end="2027-03-02"
    ).json()

    assert free["practitioner"] is None
    names = {str(m.public_id): m.user.full_name for m in offered.practitioners.all()}
    assert free["slots"]
    assert all(names[slot["practitioner_id"]] == slot["practitioner"] for slot in free["slots"])


def test_a_practitioner_who_does_not_give_the_service_is_refused(clinic, offered, website):
    client = factories.screened_client(clinic.organisation)
    refused = website.post(
        "/bookings",
        {
            "client": str(client.public_id),
            "service": str(offered.public_id),
            "starts_at": "2027-03-02T09:00:00Z",
            "practitioner": str(clinic.manager.public_id),
        },
    )

    assert refused.status_code == 400
    assert refused.json()["code"] == "not_offered"
    assert refused.json()["field"] == "practitioner"


def test_another_organisations_practitioner_is_not_found(other_clinic, offered, website):
    stranger = str(other_clinic.practitioner.public_id)
    answer = website.get(
        "/availability",
        service=str(offered.public_id),
        start="2027-03-02",
        end="2027-03-02",
        practitioner=stranger,
    )

    assert answer.status_code == 404
    assert answer.json()["field"] == "practitioner"
