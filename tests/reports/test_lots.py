"""Cartridge and lot usage, and the recall list of a lot, read in one query."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from needlepoint.reports.queries import Scope, lot_usage, recall_list
from tests import factories
from tests.reports import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def treated(clinic, other_clinic):
    place, who = clinic.location, clinic.practitioner
    nano = builders.configuration(place)
    people = [factories.client(clinic.organisation, last_name=name) for name in "ABC"]
    for n, person in enumerate(people):
        session = builders.session(person, place, who, date(2027, 3, 1 + n))
        builders.cartridge(session, nano, "L-200" if person.last_name == "C" else "L-100")
    builders.cartridge(builders.session(people[0], place, who, date(2027, 4, 1)), nano, "L-100")
    elsewhere = builders.session(
        factories.client(other_clinic.organisation),
        other_clinic.location,
        other_clinic.practitioner,
        date(2027, 3, 1),
    )
    builders.cartridge(elsewhere, builders.configuration(other_clinic.location), "L-100")
    return clinic


def test_the_recall_list_names_every_client_treated_with_the_lot_in_one_query(treated):
    with CaptureQueriesContext(connection) as queries:
        found = recall_list(treated.organisation.pk, [treated.location.pk], "l-100 ")
        rows = [
            (c.session.client.last_name, c.session.performed_on, c.configuration.name)
            for c in found
        ]
    assert len(queries) == 1
    assert rows == [
        ("A", date(2027, 3, 1), "12-pin nano"),
        ("A", date(2027, 4, 1), "12-pin nano"),
        ("B", date(2027, 3, 2), "12-pin nano"),
    ]


def test_the_recall_list_keeps_to_the_locations_given(treated):
    assert recall_list(treated.organisation.pk, [], "L-100") == []


def test_lots_used_in_the_range_are_counted(treated):
    scope = Scope(treated.organisation.pk, [treated.location], date(2027, 3, 1), date(2027, 3, 31))
    assert [
        (u.lot, u.cartridges, u.clients, u.first_used, u.last_used) for u in lot_usage(scope)
    ] == [
        ("L-100", 2, 2, date(2027, 3, 1), date(2027, 3, 2)),
        ("L-200", 1, 1, date(2027, 3, 3), date(2027, 3, 3)),
    ]
