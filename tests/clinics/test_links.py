"""The links of many-to-many fields (a device's needle configurations, a member of staff's
locations, a service's practitioners, a consent form's services) are rows of one
organisation like any other: each carries it, taken from its ends, and a link between two
organisations' rows is refused with nothing written (docs/scaling.md)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from needlepoint.clinics.equipment import device_create, needle_configuration_create
from needlepoint.clinics.models import DeviceNeedleConfiguration, StaffLocation
from needlepoint.consents.models import ConsentForm, ConsentFormService
from needlepoint.core.models import OrganisationMismatchError
from needlepoint.scheduling.models import ServicePractitioner
from tests import factories

pytestmark = pytest.mark.django_db

LINKS = (DeviceNeedleConfiguration, StaffLocation, ServicePractitioner, ConsentFormService)


def linked(clinic: factories.Clinic):
    heads = needle_configuration_create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin", needle_count=12
    )
    device = device_create(
        location=clinic.location,
        kind="pen",
        name="Pen 1",
        serial_number="SN-1",
        needle_configurations=[heads],
    )
    offered = factories.service(clinic.location)
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Microneedling")
    form.services.add(offered)
    return device, heads, offered, form


def test_each_link_carries_the_organisation_of_its_ends(clinic, other_clinic) -> None:
    linked(clinic)
    linked(other_clinic)
    for link in LINKS:
        rows = link.objects.values_list(
            "organisation_id", link.organisation_from + "__organisation"
        )
        assert len(rows) >= 2, link.__name__
        assert all(mine == parents for mine, parents in rows), link.__name__
        organisations = {organisation for organisation, _ in rows}
        assert organisations == {clinic.organisation.pk, other_clinic.organisation.pk}


def test_a_link_to_another_organisations_row_is_refused(clinic, other_clinic) -> None:
    device, _, offered, form = linked(clinic)
    theirs, their_heads, their_service, _ = linked(other_clinic)
    before = [link.objects.count() for link in LINKS]
    tries = [
        lambda: device.needle_configurations.add(their_heads),
        lambda: clinic.practitioner.locations.add(other_clinic.location),
        lambda: offered.practitioners.add(other_clinic.practitioner),
        lambda: form.services.add(their_service),
        lambda: StaffLocation.objects.create(
            staff_member=clinic.practitioner,
            location=clinic.location,
            organisation=other_clinic.organisation,
        ),
    ]
    for attempt in tries:
        with pytest.raises(OrganisationMismatchError), transaction.atomic():
            attempt()
    assert [link.objects.count() for link in LINKS] == before


def test_the_database_refuses_a_link_without_its_organisation_or_twice(clinic) -> None:
    member, place = clinic.practitioner, clinic.location
    assert StaffLocation.objects.filter(staff_member=member, location=place).count() == 1
    member.locations.add(place)  # already there: nothing added
    assert StaffLocation.objects.filter(staff_member=member, location=place).count() == 1
    table = StaffLocation._meta.db_table
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (staffmember_id, location_id, organisation_id)"
            " VALUES (%s, %s, %s)",
            [member.pk, place.pk, clinic.organisation.pk],
        )
    other = factories.location(clinic.organisation, name="Quay Road")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (staffmember_id, location_id) VALUES (%s, %s)",
            [member.pk, other.pk],
        )
