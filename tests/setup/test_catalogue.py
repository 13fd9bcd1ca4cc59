"""Settings: the service catalogue, with area and indication chosen by name."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.audit.models import AuditEvent
from needlepoint.clinical import default_rules
from needlepoint.clinics.choices import Role
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.scheduling.catalogue import (
    service_create,
    service_reinstate,
    service_retire,
    service_update,
    tax_rate_bp,
    tax_rate_shown,
)
from needlepoint.scheduling.models import Service
from tests import factories

fuzz = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hostile = st.one_of(
    st.sampled_from(
        ["", " ", "\x00", "-1", "0", "1e999", "NaN", "Face", "area.nowhere", "x" * 300, "1,2"]
    ),
    st.text(max_size=30),
)
FACE = {
    "name": "Microneedling, face",
    "kind": "treatment",
    "area": "area.face",
    "indication": "ind.acne_scars",
    "duration_minutes": 30,
    "numbing_minutes": 30,
    "price": "85.00",
    "device_kind": "pen",
}


def add(clinic, **changes):
    return service_create(location=clinic.location, **(FACE | changes))


def test_a_treatment_is_added_with_its_price_to_the_cent(clinic):
    made = add(clinic, practitioners=[clinic.practitioner])
    assert (made.area, made.indication, made.price_minor) == ("area.face", "ind.acne_scars", 8500)
    assert list(made.practitioners.all()) == [clinic.practitioner]
    assert AuditEvent.objects.filter(target="service", target_id=str(made.public_id)).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"area": "Face"}, "area"),  # typed as a name, as the old admin allowed: a 500 later
        ({"indication": "acne"}, "indication"),
        ({"area": ""}, "area"),
        ({"indication": ""}, "indication"),
        ({"kind": "massage"}, "kind"),
        ({"device_kind": "laser"}, "device_kind"),
        ({"name": "   "}, "name"),
        ({"duration_minutes": 0}, "duration_minutes"),
        (
            {"duration_minutes": 600, "numbing_minutes": 100, "buffer_after_minutes": 30},
            "duration_minutes",
        ),
        ({"price": "-1"}, "price"),
        ({"price": "85.001"}, "price"),
        ({"price": "1e3"}, "price"),
        ({"price": "NaN"}, "price"),
        ({"price": "100000000"}, "price"),
        ({"name": "x" * 121}, "name"),
    ],
)
def test_what_would_break_booking_or_charting_is_refused(clinic, changes, field):
    with pytest.raises(DomainError) as refused:
        add(clinic, **changes)
    assert refused.value.field == field
    assert not Service.objects.exists()


def test_a_single_zone_works_as_an_area_and_a_consultation_needs_neither(clinic):
    assert add(clinic, area="zone.cheeks").area == "zone.cheeks"
    consultation = add(clinic, name="Consultation", kind="consultation", area="", indication="")
    assert consultation.kind == "consultation"


def test_prices_follow_the_currency(clinic):
    assert add(clinic, price="1,200.50").price_minor == 120050
    clinic.organisation.currency = "JPY"
    clinic.organisation.save()
    assert add(clinic, name="Yen", price="8500").price_minor == 8500
    with pytest.raises(DomainError) as refused:
        add(clinic, name="Sen", price="8500.50")
    assert (refused.value.code, refused.value.field) == ("too_many_decimals", "price")


def test_a_price_given_as_money_must_be_in_the_organisations_currency(clinic):
    assert add(clinic, price=Money(9000, "GBP")).price_minor == 9000
    with pytest.raises(DomainError) as refused:
        add(clinic, name="Euro", price=Money(9000, "EUR"))
    assert (refused.value.code, refused.value.field) == ("wrong_currency", "price")


def test_who_gives_it_works_at_the_location_and_gives_treatments(clinic, other_clinic):
    for member in (other_clinic.practitioner, clinic.front_desk):
        with pytest.raises(DomainError) as refused:
            add(clinic, practitioners=[member])
        assert refused.value.field == "practitioners"
    away = factories.staff_member(clinic.organisation, Role.PRACTITIONER)
    with pytest.raises(DomainError) as elsewhere:
        add(clinic, practitioners=[away])
    assert elsewhere.value.code == "not_at_location"


def test_a_service_is_changed_retired_and_offered_again(clinic):
    made = add(clinic)
    service_update(service=made, **(FACE | {"price": "90", "area": "area.face_neck"}))
    made.refresh_from_db()
    assert (made.price_minor, made.area) == (9000, "area.face_neck")
    service_retire(service=made)
    assert not Service.objects.get(pk=made.pk).is_active
    with pytest.raises(DomainError):
        service_retire(service=made)
    service_reinstate(service=made)
    assert Service.objects.get(pk=made.pk).is_active


# -- Pages ---------------------------------------------------------------------------------


def form_data(clinic, **changes):
    data = {
        "location": clinic.location.pk,
        "name": "Acne scars, face",
        "kind": "treatment",
        "area": "area.face",
        "indication": "ind.acne_scars",
        "price": "85.00",
        "duration_minutes": "30",
        "numbing_minutes": "30",
        "buffer_before_minutes": "0",
        "buffer_after_minutes": "10",
        "device_kind": "pen",
        "needs_room": "on",
        "bookable_online": "on",
        "practitioners": [clinic.practitioner.pk],
    }
    return data | changes


def test_the_form_offers_areas_and_indications_by_name(clinic):
    page = factories.signed_in(clinic.manager).get(reverse("settings:service_new")).content.decode()
    assert '<option value="area.face">Face</option>' in page
    assert '<optgroup label="Single zones">' in page
    acne = default_rules().indications["ind.acne_scars"].name
    assert f'<option value="ind.acne_scars">{acne}</option>' in page
    assert "Price (GBP)" in page


def test_a_manager_adds_a_service_and_sees_it_listed(clinic):
    browser = factories.signed_in(clinic.manager)
    response = browser.post(reverse("settings:service_new"), form_data(clinic))
    assert response.status_code == 302
    made = Service.objects.get(name="Acne scars, face")
    assert made.price_minor == 8500 and made.needs_room and not made.requires_patch_test
    listed = browser.get(reverse("settings:services")).content.decode()
    assert "Acne scars, face" in listed and "£85.00" in listed and "Face" in listed


def test_a_typed_area_code_is_refused_on_the_page(clinic):
    browser = factories.signed_in(clinic.manager)
    response = browser.post(reverse("settings:service_new"), form_data(clinic, area="Face"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Service.objects.exists()


def test_edit_and_retire_on_the_page(clinic):
    made = factories.service(clinic.location)
    browser = factories.signed_in(clinic.owner)
    url = reverse("settings:service_edit", args=[made.public_id])
    assert browser.get(url).status_code == 200
    response = browser.post(url, form_data(clinic, price="99.50"))
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.price_minor == 9950
    browser.post(reverse("settings:service_offered", args=[made.public_id]), {"offered": "no"})
    made.refresh_from_db()
    assert not made.is_active


def test_the_tax_rate_is_typed_as_a_percentage_and_kept_in_basis_points(clinic):
    browser = factories.signed_in(clinic.manager)
    answer = browser.post(reverse("settings:service_new"), form_data(clinic, tax_rate="5.5"))
    assert answer.status_code == 302
    made = Service.objects.get(name="Acne scars, face")
    assert made.tax_rate_bp == 550
    url = reverse("settings:service_edit", args=[made.public_id])
    assert 'name="tax_rate" value="5.5"' in browser.get(url).content.decode()
    assert browser.post(url, form_data(clinic, tax_rate="20")).status_code == 302
    assert Service.objects.get(pk=made.pk).tax_rate_bp == 2000
    assert browser.post(url, form_data(clinic, tax_rate="")).status_code == 302  # empty: none
    assert Service.objects.get(pk=made.pk).tax_rate_bp == 0


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("101", "A tax rate is from 0% to 100%."),
        ("5.555", "A tax rate has at most 2 decimal places"),
        ("-5", "Give the tax rate as a percentage"),
        ("twenty", "Give the tax rate as a percentage"),
        ("1e2", "Give the tax rate as a percentage"),
    ],
)
def test_a_tax_rate_that_is_not_a_percentage_is_refused(clinic, typed, message):
    made = factories.service(clinic.location, tax_rate_bp=2000)
    browser = factories.signed_in(clinic.manager)
    url = reverse("settings:service_edit", args=[made.public_id])
    answer = browser.post(url, form_data(clinic, tax_rate=typed, price="99"))
    assert answer.status_code == 200 and message in answer.content.decode()
    made.refresh_from_db()
    assert (made.tax_rate_bp, made.price_minor) == (2000, 18000)


@pytest.mark.parametrize(
    ("typed", "basis_points"),
    [("0", 0), ("20", 2000), ("5.5", 550), ("5,25", 525), ("17.50 %", 1750), ("100", 10_000)],
)
def test_tax_rates_as_people_type_them(clinic, typed, basis_points):
    made = add(clinic, tax_rate=typed)
    assert made.tax_rate_bp == basis_points
    assert tax_rate_bp(tax_rate_shown(basis_points)) == basis_points


def test_another_organisations_service_is_not_found(clinic, other_clinic):
    theirs = factories.service(other_clinic.location)
    browser = factories.signed_in(clinic.manager)
    assert browser.get(reverse("settings:service_edit", args=[theirs.public_id])).status_code == 404
    assert (
        browser.post(
            reverse("settings:service_edit", args=[theirs.public_id]), form_data(clinic)
        ).status_code
        == 404
    )
    offered = reverse("settings:service_offered", args=[theirs.public_id])
    assert browser.post(offered, {"offered": "no"}).status_code == 404
    assert Service.objects.get(pk=theirs.pk).is_active
    response = browser.post(
        reverse("settings:service_new"), form_data(clinic, location=other_clinic.location.pk)
    )
    assert (
        response.status_code == 200
        and not Service.objects.filter(
            location=other_clinic.location, name="Acne scars, face"
        ).exists()
    )


def test_only_managers_and_owners_open_the_catalogue(clinic):
    for member in (clinic.practitioner, clinic.front_desk):
        assert factories.signed_in(member).get(reverse("settings:services")).status_code == 403


@fuzz
@given(
    name=st.one_of(st.just("Peel"), hostile),
    kind=st.one_of(st.sampled_from(["treatment", "consultation"]), hostile),
    area=st.one_of(st.sampled_from(["area.face", "zone.cheeks", ""]), hostile),
    indication=st.one_of(st.sampled_from(["ind.acne_scars", ""]), hostile),
    price=st.one_of(st.sampled_from(["85.00", "0", "12.5"]), hostile),
    minutes=st.one_of(st.sampled_from(["30", "0", "720"]), hostile),
    device_kind=st.one_of(st.sampled_from(["pen", ""]), hostile),
    practitioner=st.one_of(st.just(None), hostile),
    tax_rate=st.one_of(st.sampled_from(["20", "5.5", "0", "", "100.01", "5.555", "7%"]), hostile),
)
def test_any_text_on_the_service_form_saves_or_changes_nothing(
    clinic, name, kind, area, indication, price, minutes, device_kind, practitioner, tax_rate
):
    browser = factories.signed_in(clinic.manager)
    data = form_data(
        clinic,
        name=name,
        kind=kind,
        area=area,
        indication=indication,
        price=price,
        numbing_minutes=minutes,
        device_kind=device_kind,
        tax_rate=tax_rate,
    )
    if practitioner is not None:
        data["practitioners"] = [practitioner]
    response = browser.post(reverse("settings:service_new"), data)
    assert response.status_code in (200, 302)
    assert Service.objects.count() == (1 if response.status_code == 302 else 0)
    Service.objects.all().delete()
