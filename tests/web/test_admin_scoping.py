"""The settings area (Django admin) shows an owner only their own organisation."""

from __future__ import annotations

from django.test import Client as Browser
from django.urls import reverse

from needlepoint.clinics.models import Room, StaffMember
from tests import factories


def signed_in(member) -> Browser:
    return factories.signed_in(member)


def test_an_owner_sees_only_their_own_clients_in_settings(clinic, other_clinic):
    factories.client(clinic.organisation, last_name="Ours")
    factories.client(other_clinic.organisation, last_name="Theirs")
    page = signed_in(clinic.owner).get(reverse("admin:clients_client_changelist")).content.decode()
    assert "Ours" in page
    assert "Theirs" not in page


def test_an_owner_cannot_open_another_organisations_location(clinic, other_clinic):
    url = reverse("admin:clinics_location_change", args=[other_clinic.location.pk])
    response = signed_in(clinic.owner).get(url)
    assert response.status_code == 302  # the admin redirects a missing object to its index
    assert (
        "elsewhere"
        not in signed_in(clinic.owner)
        .get(reverse("admin:clinics_location_changelist"))
        .content.decode()
    )


def test_front_desk_and_practitioners_have_no_settings_area(clinic):
    for member in (clinic.front_desk, clinic.practitioner):
        response = signed_in(member).get(reverse("admin:index"))
        assert response.status_code == 302


def test_an_owner_adds_a_room_and_it_belongs_to_their_location(clinic):
    url = reverse("admin:clinics_location_change", args=[clinic.location.pk])
    browser = signed_in(clinic.owner)
    page = browser.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(
        {
            "name": clinic.location.name,
            "slug": clinic.location.slug,
            "time_zone": "Europe/London",
            "opening_hours-TOTAL_FORMS": "0",
            "opening_hours-INITIAL_FORMS": "0",
            "closures-TOTAL_FORMS": "0",
            "closures-INITIAL_FORMS": "0",
            "rooms-TOTAL_FORMS": "1",
            "rooms-INITIAL_FORMS": "0",
            "rooms-0-name": "Room 2",
            "rooms-0-is_active": "on",
        }
    )
    response = browser.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert Room.objects.filter(location=clinic.location, name="Room 2").exists()


def test_an_owner_adds_a_practitioner_with_their_sign_in_account(clinic, other_clinic):
    browser = signed_in(clinic.owner)
    choices = (
        browser.get(reverse("admin:clinics_staffmember_add"))
        .context["adminform"]
        .form.fields["locations"]
    )
    assert list(choices.queryset) == [clinic.location]
    response = browser.post(
        reverse("admin:clinics_staffmember_add"),
        {
            "email": "New.Practitioner@Example.test",
            "full_name": "New Practitioner",
            "password": "a long enough passphrase",
            "role": "practitioner",
            "locations": [clinic.location.pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    member = StaffMember.objects.get(user__email="new.practitioner@example.test")
    assert member.organisation == clinic.organisation
    assert member.user.check_password("a long enough passphrase")
    assert not member.user.is_staff


def test_a_short_staff_password_is_refused(clinic):
    response = signed_in(clinic.owner).post(
        reverse("admin:clinics_staffmember_add"),
        {"email": "x@example.test", "full_name": "X", "password": "short", "role": "practitioner"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not StaffMember.objects.filter(user__email="x@example.test").exists()


def test_invalid_rule_overrides_are_refused_with_the_reason(clinic):
    from django.core.exceptions import ValidationError

    clinic.organisation.rule_overrides = {"ci.isotretinoin_recent.wait": "six months"}
    try:
        clinic.organisation.full_clean()
    except ValidationError as error:
        assert "rule_overrides" in error.message_dict
    else:
        raise AssertionError("a malformed wait was accepted")
