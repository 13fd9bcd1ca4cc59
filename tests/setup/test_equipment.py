"""Settings: needle configurations, devices (with a pen's speed) and cartridge lots."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.audit.models import AuditEvent
from needlepoint.clinical import pen_channel_density
from needlepoint.clinics.equipment import (
    device_create,
    device_update,
    needle_configuration_create,
    needle_configuration_update,
)
from needlepoint.clinics.models import Device, NeedleConfiguration
from needlepoint.core.errors import DomainError
from needlepoint.treatments.lots import cartridge_lot_add, cartridge_lots
from needlepoint.treatments.models import Cartridge
from tests import factories

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
TODAY = date(2026, 11, 23)

fuzz = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hostile = st.one_of(
    st.sampled_from(["", " ", "\x00", "-1", "0", "1e999", "NaN", "7,000", "x" * 300, "<b>"]),
    st.text(max_size=30),
)


@pytest.fixture(autouse=True)
def monday() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def pen_heads(clinic, name="12-pin", **fields):
    values = {"device_kind": "pen", "name": name, "needle_count": 12} | fields
    return needle_configuration_create(organisation=clinic.organisation, **values)


def pen(clinic, serial="SN-1", **fields):
    values = {"kind": "pen", "name": "Pen 1", "serial_number": serial} | fields
    return device_create(location=clinic.location, **values)


# -- Needle configurations -----------------------------------------------------------------


def test_a_configuration_is_added_and_the_audit_log_says_so(clinic):
    made = pen_heads(clinic, material="titanium")
    assert (made.needle_count, made.material, made.needle_length_mm) == (12, "titanium", None)
    assert AuditEvent.objects.filter(target="needle_config", action="created").count() == 1


def test_a_roller_needs_its_needle_length_and_a_pen_has_none(clinic):
    with pytest.raises(DomainError) as missing:
        pen_heads(clinic, device_kind="roller", needle_count=192)
    assert missing.value.field == "needle_length_mm"
    with pytest.raises(DomainError) as pen_length:
        pen_heads(clinic, needle_length_mm="1.5")
    assert pen_length.value.code == "pen_needle_length"
    roller = pen_heads(
        clinic, "Roller 1.0", device_kind="roller", needle_count=192, needle_length_mm="1.0"
    )
    assert str(roller.needle_length_mm) == "1.00"
    for bad in ("0", "3.5", "abc", "1.234"):
        with pytest.raises(DomainError):
            pen_heads(clinic, "Roller x", device_kind="roller", needle_length_mm=bad)


def test_configuration_names_are_unique_in_the_organisation(clinic, other_clinic):
    pen_heads(clinic)
    with pytest.raises(DomainError) as taken:
        pen_heads(clinic, "12-PIN")
    assert taken.value.code == "configuration_exists"
    pen_heads(other_clinic)  # another clinic may use the same name
    assert NeedleConfiguration.objects.count() == 2


def test_a_configuration_devices_take_keeps_its_kind(clinic):
    heads = pen_heads(clinic)
    pen(clinic, needle_configurations=[heads])
    with pytest.raises(DomainError) as refused:
        needle_configuration_update(
            configuration=heads,
            device_kind="stamp",
            name="12-pin",
            needle_count=12,
            needle_length_mm="1.0",
        )
    assert refused.value.code == "configuration_in_use"
    needle_configuration_update(
        configuration=heads, device_kind="pen", name="16-pin", needle_count=16
    )
    heads.refresh_from_db()
    assert (heads.name, heads.needle_count) == ("16-pin", 16)


# -- Devices -------------------------------------------------------------------------------


def test_a_pen_keeps_its_speed_and_the_density_estimate_can_use_it(clinic):
    device = pen(clinic, stroke_rate_hz=117, model="SkinPen Precision")
    assert Device.objects.get(pk=device.pk).stroke_rate_hz == 117
    assert pen_channel_density(14, device.stroke_rate_hz, 5, 0.5, 1).per_pass > 0
    assert AuditEvent.objects.filter(target="device", target_id=str(device.pk)).exists()


def test_only_a_pen_has_a_speed_and_it_is_within_what_pens_do(clinic):
    with pytest.raises(DomainError) as roller:
        pen(clinic, kind="roller", stroke_rate_hz=100)
    assert roller.value.code == "stroke_rate_not_a_pen"
    for hz in (0, 334, -5):
        with pytest.raises(DomainError):
            pen(clinic, stroke_rate_hz=hz)
    assert not Device.objects.filter(serial_number="SN-1").exists()


def test_serial_numbers_are_unique_in_a_location_only(clinic):
    pen(clinic)
    with pytest.raises(DomainError) as taken:
        pen(clinic, "sn-1", name="Pen 2")
    assert (taken.value.code, taken.value.field) == ("serial_taken", "serial_number")
    elsewhere = factories.location(clinic.organisation, name="Second site")
    device_create(location=elsewhere, kind="pen", name="Pen 1", serial_number="SN-1")


def test_reprocessing_is_at_most_ten_hours(clinic):
    pen(clinic, reprocessing_minutes=600)
    with pytest.raises(DomainError) as long:
        pen(clinic, "SN-2", reprocessing_minutes=601)
    assert long.value.field == "reprocessing_minutes"


def test_a_device_takes_only_its_own_clinics_configurations_of_its_kind(clinic, other_clinic):
    theirs = pen_heads(other_clinic)
    with pytest.raises(DomainError) as foreign:
        pen(clinic, needle_configurations=[theirs])
    assert foreign.value.code == "wrong_configuration"
    roller_heads = pen_heads(clinic, "Roller", device_kind="roller", needle_length_mm="0.5")
    with pytest.raises(DomainError) as mismatch:
        pen(clinic, needle_configurations=[roller_heads])
    assert mismatch.value.code == "configuration_kind_mismatch"


def test_a_device_goes_out_of_service(clinic):
    device = pen(clinic)
    device_update(
        device=device, kind="pen", name="Pen 1", serial_number="SN-1", status="out_of_service"
    )
    device.refresh_from_db()
    assert not device.is_available


# -- Cartridge lots ------------------------------------------------------------------------


def test_a_lot_is_taken_into_stock_and_listed(clinic):
    heads = pen_heads(clinic)
    added = cartridge_lot_add(
        organisation=clinic.organisation,
        configuration=heads,
        lot=" L-42 ",
        expires_on=date(2027, 6, 1),
        serials=["C1", "C2", "C3"],
    )
    assert [c.lot for c in added] == ["L-42"] * 3
    [lot] = cartridge_lots(clinic.organisation)
    assert (lot.lot, lot.in_stock, lot.received, lot.expired) == ("L-42", 3, 3, False)
    assert AuditEvent.objects.filter(target="cartridge", target_id="L-42").exists()


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"expires_on": date(2026, 11, 22)}, "lot_expired"),
        ({"lot": "  "}, "lot_missing"),
        ({"serials": []}, "serials_missing"),
        ({"serials": ["C1", "C1"]}, "serial_repeated"),
        ({"serials": ["OLD", "C9"]}, "serial_known"),
        ({"serials": ["x" * 101]}, "serial_too_long"),
    ],
)
def test_a_lot_charting_would_refuse_is_refused_whole(clinic, changes, code):
    heads = pen_heads(clinic)
    cartridge_lot_add(
        organisation=clinic.organisation,
        configuration=heads,
        lot="L-1",
        expires_on=date(2027, 1, 1),
        serials=["OLD"],
    )
    values = {"lot": "L-2", "expires_on": date(2027, 6, 1), "serials": ["C1"]} | changes
    with pytest.raises(DomainError) as refused:
        cartridge_lot_add(organisation=clinic.organisation, configuration=heads, **values)
    assert refused.value.code == code
    assert Cartridge.objects.count() == 1


def test_a_lot_expiring_today_is_still_usable(clinic):
    heads = pen_heads(clinic)
    cartridge_lot_add(
        organisation=clinic.organisation,
        configuration=heads,
        lot="L-1",
        expires_on=TODAY,
        serials=["C1"],
    )
    assert Cartridge.objects.count() == 1


def test_another_clinics_configuration_is_refused_for_a_lot(clinic, other_clinic):
    with pytest.raises(DomainError) as refused:
        cartridge_lot_add(
            organisation=clinic.organisation,
            configuration=pen_heads(other_clinic),
            lot="L-1",
            expires_on=date(2027, 1, 1),
            serials=["C1"],
        )
    assert refused.value.code == "wrong_configuration"


# -- Pages ---------------------------------------------------------------------------------


def test_the_manager_adds_a_pen_with_its_speed_as_printed_on_it(clinic):
    heads = pen_heads(clinic)
    browser = factories.signed_in(clinic.manager)
    response = browser.post(
        reverse("settings:device_new"),
        {
            "location": clinic.location.pk,
            "kind": "pen",
            "name": "Pen 2",
            "model": "SkinPen",
            "serial_number": "SP-9",
            "status": "in_service",
            "reprocessing_minutes": "20",
            "speed": "7,000",
            "speed_unit": "per_minute",
            "needle_configurations": [heads.pk],
        },
    )
    assert response.status_code == 302
    device = Device.objects.get(serial_number="SP-9")
    assert device.stroke_rate_hz == 117 and list(device.needle_configurations.all()) == [heads]
    page = browser.get(reverse("settings:devices")).content.decode()
    assert "Pen 2" in page and "117 Hz = 7,020 strokes/min" in page


def test_a_speed_no_pen_has_is_explained_and_nothing_saved(clinic):
    browser = factories.signed_in(clinic.manager)
    response = browser.post(
        reverse("settings:device_new"),
        {
            "location": clinic.location.pk,
            "kind": "pen",
            "name": "Pen 2",
            "serial_number": "S",
            "status": "in_service",
            "reprocessing_minutes": "20",
            "speed": "7000",
            "speed_unit": "hz",
        },
    )
    assert response.status_code == 200
    assert "No pen goes faster" in response.content.decode()
    assert not Device.objects.filter(name="Pen 2").exists()


def test_the_pages_list_and_edit_what_is_on_file(clinic):
    heads = pen_heads(clinic)
    device = pen(clinic, needle_configurations=[heads])
    browser = factories.signed_in(clinic.owner)
    for name, args in [
        ("settings:needles", []),
        ("settings:devices", []),
        ("settings:cartridges", []),
        ("settings:needle_edit", [heads.pk]),
        ("settings:device_edit", [device.pk]),
        ("settings:cartridge_new", []),
    ]:
        assert browser.get(reverse(name, args=args)).status_code == 200
    response = browser.post(
        reverse("settings:needle_edit", args=[heads.pk]),
        {
            "device_kind": "pen",
            "name": "14-pin",
            "needle_count": "14",
            "material": "steel",
        },
    )
    assert response.status_code == 302
    heads.refresh_from_db()
    assert heads.name == "14-pin"


def test_a_lot_is_taken_in_on_the_page(clinic):
    heads = pen_heads(clinic)
    browser = factories.signed_in(clinic.manager)
    response = browser.post(
        reverse("settings:cartridge_new"),
        {
            "configuration": heads.pk,
            "lot": "L-7",
            "expires_on": "2027-05-01",
            "serials": "A1\nA2, A3",
        },
    )
    assert response.status_code == 302
    assert set(Cartridge.objects.values_list("serial", flat=True)) == {"A1", "A2", "A3"}
    assert "L-7" in browser.get(reverse("settings:cartridges")).content.decode()


def test_another_organisations_equipment_is_not_found(clinic, other_clinic):
    theirs = pen_heads(other_clinic)
    their_pen = device_create(
        location=other_clinic.location, kind="pen", name="P", serial_number="X"
    )
    browser = factories.signed_in(clinic.manager)
    for name, pk in [("settings:needle_edit", theirs.pk), ("settings:device_edit", their_pen.pk)]:
        assert browser.get(reverse(name, args=[pk])).status_code == 404
        assert browser.post(reverse(name, args=[pk]), {"name": "Mine"}).status_code == 404
    response = browser.post(
        reverse("settings:cartridge_new"),
        {"configuration": theirs.pk, "lot": "L", "expires_on": "2027-01-01", "serials": "Z"},
    )
    assert response.status_code == 200 and not Cartridge.objects.exists()
    assert "P" not in [d.name for d in Device.objects.filter(location=clinic.location)]


# -- Fuzz ----------------------------------------------------------------------------------


def _rows() -> tuple[int, int, int]:
    return NeedleConfiguration.objects.count(), Device.objects.count(), Cartridge.objects.count()


@fuzz
@given(
    name=st.one_of(st.just("Pen 3"), hostile),
    serial=st.one_of(st.just("Z-1"), hostile),
    minutes=st.one_of(st.just("15"), hostile),
    speed=st.one_of(st.just("100"), hostile),
    unit=st.one_of(st.sampled_from(["hz", "per_minute"]), hostile),
    kind=st.one_of(st.just("pen"), hostile),
    status=st.one_of(st.just("in_service"), hostile),
)
def test_any_text_on_the_device_form_saves_or_changes_nothing(
    clinic, name, serial, minutes, speed, unit, kind, status
):
    browser = factories.signed_in(clinic.manager)
    before = _rows()
    response = browser.post(
        reverse("settings:device_new"),
        {
            "location": clinic.location.pk,
            "kind": kind,
            "name": name,
            "serial_number": serial,
            "status": status,
            "reprocessing_minutes": minutes,
            "speed": speed,
            "speed_unit": unit,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _rows() == before
    else:
        Device.objects.all().delete()  # the next example starts from nothing again


@fuzz
@given(
    kind=st.one_of(st.sampled_from(["pen", "roller"]), hostile),
    name=st.one_of(st.just("Head"), hostile),
    count=st.one_of(st.just("12"), hostile),
    material=st.one_of(st.just("steel"), hostile),
    length=st.one_of(st.just("1.0"), hostile),
    lot=st.one_of(st.just("L-1"), hostile),
    expires=st.one_of(st.just("2027-01-01"), hostile),
    serials=st.one_of(st.just("S1 S2"), hostile),
)
def test_any_text_on_the_needle_and_lot_forms_saves_or_changes_nothing(
    clinic, kind, name, count, material, length, lot, expires, serials
):
    browser = factories.signed_in(clinic.manager)
    before = _rows()
    response = browser.post(
        reverse("settings:needle_new"),
        {
            "device_kind": kind,
            "name": name,
            "needle_count": count,
            "material": material,
            "needle_length_mm": length,
        },
    )
    assert response.status_code in (200, 302)
    assert (response.status_code == 302) == (_rows()[0] == before[0] + 1)
    heads = NeedleConfiguration.objects.first() or pen_heads(clinic, "Fallback")
    before = _rows()
    response = browser.post(
        reverse("settings:cartridge_new"),
        {
            "configuration": heads.pk,
            "lot": lot,
            "expires_on": expires,
            "serials": serials,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _rows() == before
    Cartridge.objects.all().delete()
    NeedleConfiguration.objects.all().delete()
