"""The busiest reads (calendar, availability API) check a staff member's locations in plain
SQL; it must be the very rule ``visible_locations`` gives, for every role."""

from __future__ import annotations

import pytest

from needlepoint.accounts.access import visible_locations, visible_locations_where
from needlepoint.clinics.choices import Role
from needlepoint.core import plain_sql
from tests import factories


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_the_plain_sql_condition_is_visible_locations_rule(role: str) -> None:
    here = factories.clinic()
    elsewhere = factories.location(here.organisation, name="Seafront")
    factories.clinic(name="Another Clinic", slug="another")
    member = factories.staff_member(here.organisation, role, here.location)

    where, params = visible_locations_where(member, "l")
    found = {
        row[0]
        for row in plain_sql.rows(f"SELECT l.id FROM clinics_location l WHERE {where}", params)
    }

    assert found == set(visible_locations(member).values_list("pk", flat=True))
    expected = (
        {here.location.pk, elsewhere.pk} if member.manages_organisation else {here.location.pk}
    )
    assert found == expected
