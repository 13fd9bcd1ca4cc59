"""A service's price in the API: the decimal string clients already read, and the amount
as data (minor units and the currency) for programs that take money."""

from __future__ import annotations

import pytest

from tests import factories
from tests.api.conftest import api_for

pytestmark = pytest.mark.django_db


def listed(clinic, offered):
    api = api_for(clinic.front_desk, ("read",))
    answer = api.get(f"/locations/{clinic.location.public_id}/services")
    assert answer.status_code == 200, answer.json()
    return next(item for item in answer.json()["items"] if item["id"] == str(offered.public_id))


def test_a_price_is_given_as_a_decimal_and_as_minor_units_with_its_currency(clinic, offered):
    service = listed(clinic, offered)
    assert (service["price"], service["price_minor"], service["currency"]) == (
        "180.00",
        18000,
        "GBP",
    )


def test_the_decimal_follows_the_currencys_precision(clinic):
    clinic.organisation.currency = "JPY"
    clinic.organisation.save()
    yen = factories.service(clinic.location, name="Yen", price_minor=8500)
    assert (listed(clinic, yen)["price"], listed(clinic, yen)["price_minor"]) == ("8500", 8500)


def test_a_services_tax_rate_is_given_in_basis_points(clinic):
    taxed = factories.service(clinic.location, name="Peel", tax_rate_bp=550)
    assert listed(clinic, taxed)["tax_rate_bp"] == 550
