"""Money as data: whole minor units with a currency, typed and shown per Babel (CLDR)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.core.errors import DomainError
from needlepoint.core.money import (
    HIGHEST_MINOR,
    Money,
    as_decimal,
    currencies_in_use,
    format_money,
    from_major,
    parse_money,
    precision,
)

amounts = st.integers(min_value=0, max_value=HIGHEST_MINOR)


def test_each_currency_has_its_own_number_of_decimals():
    assert (precision("GBP"), precision("JPY"), precision("BHD")) == (2, 0, 3)


@pytest.mark.parametrize(
    ("text", "minor"),
    [("85", 8500), ("85.5", 8550), ("85.50", 8550), ("1,200.50", 120050), (" 0 ", 0)],
)
def test_prices_are_typed_as_people_write_them(text, minor):
    assert parse_money(text, "GBP") == Money(minor, "GBP")


@hypothesis_settings(max_examples=60, deadline=None)
@given(minor=amounts, currency=st.sampled_from(["GBP", "JPY", "BHD"]), grouped=st.booleans())
def test_any_amount_written_out_reads_back_the_same(minor, currency, grouped):
    major = as_decimal(Money(minor, currency))
    text = f"{major:,}" if grouped else str(major)
    assert parse_money(text, currency) == Money(minor, currency)


@pytest.mark.parametrize(
    ("text", "currency", "code"),
    [
        ("eighty", "GBP", "invalid_amount"),
        ("1e3", "GBP", "invalid_amount"),
        ("NaN", "GBP", "invalid_amount"),
        ("Infinity", "GBP", "invalid_amount"),
        ("", "GBP", "invalid_amount"),
        ("1,20.5", "GBP", "invalid_amount"),
        ("٨٥", "GBP", "invalid_amount"),  # digits of another script
        ("-1", "GBP", "negative_amount"),
        ("-0.50", "GBP", "negative_amount"),
        ("85.001", "GBP", "too_many_decimals"),
        ("8500.5", "JPY", "too_many_decimals"),
        ("1.2345", "BHD", "too_many_decimals"),
        ("20000000.01", "GBP", "amount_too_high"),
        ("9" * 400, "JPY", "amount_too_high"),
    ],
)
def test_what_is_not_an_amount_of_the_currency_is_refused(text, currency, code):
    with pytest.raises(DomainError) as refused:
        parse_money(text, currency, field="price")
    assert (refused.value.code, refused.value.field) == (code, "price")
    assert refused.value.message


def test_the_refusal_names_the_currency_and_shows_an_example():
    with pytest.raises(DomainError) as yen:
        parse_money("8500.5", "JPY")
    assert str(yen.value) == "Amounts in JPY are in whole units, e.g. 8500."
    with pytest.raises(DomainError) as pounds:
        parse_money("85.001", "GBP")
    assert "at most 2 decimal places" in str(pounds.value)


def test_amounts_read_as_the_reader_writes_them():
    assert format_money(Money(8550, "GBP"), "en_GB") == "£85.50"
    assert format_money(Money(8550, "EUR"), "de") == "85,50\xa0€"
    assert format_money(Money(8500, "JPY"), "en_GB") == "JP¥8,500"
    assert format_money(Money(1500, "BHD"), "en_GB") == "BHD1.500"


def test_the_active_language_chooses_the_format():
    with translation.override("de"):
        assert format_money(Money(120050, "EUR")) == "1.200,50\xa0€"
    with translation.override("en-gb"):
        assert format_money(Money(120050, "GBP")) == "£1,200.50"


def test_the_api_reads_major_units_to_the_currencys_precision():
    assert str(as_decimal(Money(8550, "GBP"))) == "85.50"
    assert str(as_decimal(Money(0, "GBP"))) == "0.00"
    assert str(as_decimal(Money(8500, "JPY"))) == "8500"
    assert str(as_decimal(Money(1500, "BHD"))) == "1.500"


def test_major_units_are_rounded_to_the_currency():
    assert from_major("180.00", "GBP") == Money(18000, "GBP")
    assert from_major("180.00", "JPY") == Money(180, "JPY")
    assert from_major(Decimal("0.5"), "JPY") == Money(1, "JPY")


def test_only_currencies_in_use_can_be_chosen():
    codes = currencies_in_use()
    assert {"GBP", "EUR", "USD", "JPY", "BHD", "CHF"} <= codes
    # funds, precious metals, testing codes and retired currencies are not money to charge
    assert not codes & {"CHE", "USN", "XAU", "XAG", "XTS", "XXX", "DEM", "FRF", "VEF"}


# --- the migration to minor units ------------------------------------------------------

# The clinics app before it had languages: its historical models are the ones used here.
BEFORE = [
    ("scheduling", "0011_setup_token_covers_clinical_rules"),
    ("clinics", "0010_device_stroke_rate"),
]
AFTER = [("scheduling", "0012_service_price_minor")]


def migrate(to):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(to or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(to).apps if to else None


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_price_in_its_currencys_minor_units_and_undoes():
    prices = {"uk": ("GBP", "180.00", 18000), "jp": ("JPY", "8500.00", 8500)}
    prices["bh"] = ("BHD", "1.50", 1500)
    try:
        old = migrate(BEFORE)
        for slug, (currency, price, _) in prices.items():
            organisation = old.get_model("clinics", "Organisation").objects.create(
                name=slug, slug=slug, currency=currency
            )
            location = old.get_model("clinics", "Location").objects.create(
                organisation=organisation, name=slug, slug=slug, time_zone="Europe/London"
            )
            old.get_model("scheduling", "Service").objects.create(
                location=location, name=slug, kind="consultation", duration_minutes=30, price=price
            )
        services = migrate(AFTER).get_model("scheduling", "Service").objects
        assert dict(services.values_list("name", "price_minor")) == {
            slug: minor for slug, (_, _, minor) in prices.items()
        }
        services = migrate(BEFORE).get_model("scheduling", "Service").objects
        assert dict(services.values_list("name", "price")) == {
            slug: Decimal(price) for slug, (_, price, _) in prices.items()
        }
    finally:
        migrate(None)
