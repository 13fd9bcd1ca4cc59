"""Free times are asked of the services at the caller's own locations: those they work at,
or every location of their organisation when they manage it. Elsewhere is not found."""

from __future__ import annotations

import pytest

from needlepoint.clinics.choices import Role
from tests import factories
from tests.api.conftest import TUESDAY, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def across_town(clinic):
    """A second location of the same organisation, with a practitioner and a service."""
    place = factories.location(clinic.organisation, name="Across Town")
    factories.staff_member(clinic.organisation, Role.PRACTITIONER, place)
    return factories.service(place)


def free_times(member, service):
    return api_for(member, ("read",)).get(
        "/availability", service=str(service.public_id), start=TUESDAY, end=TUESDAY
    )


def test_staff_who_work_elsewhere_do_not_find_the_location_s_service(clinic, across_town, clock):
    for member in (clinic.practitioner, clinic.front_desk):
        answer = free_times(member, across_town)

        assert answer.status_code == 404, answer.json()


def test_staff_who_work_there_find_it(clinic, across_town, clock):
    member = factories.staff_member(clinic.organisation, Role.FRONT_DESK, across_town.location)

    answer = free_times(member, across_town)

    assert answer.status_code == 200, answer.json()
    assert answer.json()["slots"]


def test_owners_and_managers_find_every_location_of_their_organisation(clinic, across_town, clock):
    for member in (clinic.owner, clinic.manager):
        answer = free_times(member, across_town)

        assert answer.status_code == 200, answer.json()
        assert answer.json()["slots"]


def test_no_one_finds_another_organisation_s_service(clinic, other_clinic, clock):
    theirs = factories.service(other_clinic.location)

    for member in (clinic.owner, clinic.practitioner):
        assert free_times(member, theirs).status_code == 404


def test_an_inactive_service_is_not_found(clinic, offered, clock):
    offered.is_active = False
    offered.save()

    assert free_times(clinic.owner, offered).status_code == 404
