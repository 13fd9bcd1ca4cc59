"""Settings › Team: inviting someone, their role and locations, switching them off and on,
held to the owner rules, through the services and the pages."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.accounts.models import User
from needlepoint.accounts.team import (
    staff_change,
    staff_invite,
    staff_invite_again,
    staff_set_active,
)
from needlepoint.audit.models import AuditEvent
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import StaffMember
from needlepoint.core.errors import DomainError
from tests import factories

SITE = "https://clinic.example.test"


def invite(clinic, by=None, **fields):
    values = {
        "full_name": "Nadia Newcomer",
        "email": "nadia@example.test",
        "role": Role.PRACTITIONER,
        "locations": [clinic.location],
    }
    values.update(fields)
    return staff_invite(
        by=(by or clinic.manager).user, organisation=clinic.organisation, site_url=SITE, **values
    )


def test_an_invitation_makes_the_account_and_emails_a_link_to_choose_a_password(
    clinic, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = invite(clinic)

    assert member.role == Role.PRACTITIONER and list(member.locations.all()) == [clinic.location]
    assert not member.user.has_usable_password()
    assert AuditEvent.objects.filter(target="staff", target_id=str(member.public_id)).exists()
    [sent] = mail.outbox
    assert sent.to == ["nadia@example.test"] and "Test Skin Clinic" in sent.subject
    link = re.search(rf"{SITE}(/\S+)", sent.body).group(1)
    assert link.startswith("/accounts/password-reset/")

    page = client.get(link, follow=True)
    assert page.status_code == 200
    new_password = "a long new password 4 nadia"
    done = client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": new_password, "new_password2": new_password},
    )
    assert done.status_code == 302
    member.user.refresh_from_db()
    assert member.user.check_password(new_password)


def test_an_email_that_already_has_an_account_is_refused(clinic):
    with pytest.raises(DomainError) as refused:
        invite(clinic, email=clinic.practitioner.user.email.upper())
    assert refused.value.code == "email_taken" and refused.value.field == "email"
    assert mail.outbox == []


def test_a_manager_cannot_invite_an_owner_but_an_owner_can(clinic):
    with pytest.raises(DomainError):
        invite(clinic, role=Role.OWNER)
    assert not User.objects.filter(email="nadia@example.test").exists()
    assert invite(clinic, by=clinic.owner, role=Role.OWNER).role == Role.OWNER


def test_another_organisations_location_is_refused(clinic, other_clinic):
    with pytest.raises(DomainError) as refused:
        invite(clinic, locations=[other_clinic.location])
    assert refused.value.field == "locations"
    assert not User.objects.filter(email="nadia@example.test").exists()


def test_the_invitation_can_be_sent_again_until_a_password_is_chosen(
    clinic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        member = invite(clinic)
        staff_invite_again(by=clinic.manager.user, member=member, site_url=SITE)
    assert len(mail.outbox) == 2
    with pytest.raises(DomainError):
        staff_invite_again(by=clinic.manager.user, member=clinic.practitioner, site_url=SITE)


def test_role_and_locations_change(clinic):
    second = factories.location(clinic.organisation, name="Quay Side")
    staff_change(
        by=clinic.manager.user,
        member=clinic.trainee,
        role=Role.PRACTITIONER,
        locations=[second],
    )
    clinic.trainee.refresh_from_db()
    assert clinic.trainee.role == Role.PRACTITIONER
    assert list(clinic.trainee.locations.all()) == [second]


def test_only_an_owner_makes_an_owner_or_changes_one(clinic):
    with pytest.raises(DomainError):
        staff_change(
            by=clinic.manager.user,
            member=clinic.practitioner,
            role=Role.OWNER,
            locations=[clinic.location],
        )
    with pytest.raises(DomainError):
        staff_change(
            by=clinic.manager.user,
            member=clinic.owner,
            role=Role.OWNER,
            locations=[],
        )
    with pytest.raises(DomainError):
        staff_set_active(by=clinic.manager.user, member=clinic.owner, active=False)
    staff_change(
        by=clinic.owner.user, member=clinic.manager, role=Role.OWNER, locations=[clinic.location]
    )
    assert StaffMember.objects.get(pk=clinic.manager.pk).role == Role.OWNER


def test_the_last_active_owner_is_neither_demoted_nor_deactivated(clinic):
    with pytest.raises(DomainError) as refused:
        staff_change(by=clinic.owner.user, member=clinic.owner, role=Role.MANAGER, locations=[])
    assert refused.value.code == "last_owner"
    admin = User.objects.create_superuser(
        "admin@example.test", factories.PASSWORD, full_name="Site Admin"
    )
    with pytest.raises(DomainError) as refused:
        staff_set_active(by=admin, member=clinic.owner, active=False)
    assert refused.value.code == "last_owner"
    assert StaffMember.objects.get(pk=clinic.owner.pk).role == Role.OWNER
    second = factories.staff_member(clinic.organisation, Role.OWNER, clinic.location)
    staff_set_active(by=second.user, member=clinic.owner, active=False)
    assert not StaffMember.objects.get(pk=clinic.owner.pk).is_active


def test_nobody_deactivates_themselves(clinic):
    with pytest.raises(DomainError) as refused:
        staff_set_active(by=clinic.manager.user, member=clinic.manager, active=False)
    assert refused.value.code == "yourself"
    assert StaffMember.objects.get(pk=clinic.manager.pk).is_active


def test_a_deactivated_member_cannot_sign_in_and_a_reactivated_one_can(clinic, client):
    staff_set_active(by=clinic.manager.user, member=clinic.front_desk, active=False)
    form = {"username": clinic.front_desk.user.email, "password": factories.PASSWORD}
    client.post(reverse("accounts:login"), form)
    assert "_auth_user_id" not in client.session
    staff_set_active(by=clinic.manager.user, member=clinic.front_desk, active=True)
    client.post(reverse("accounts:login"), form)
    assert client.session["_auth_user_id"] == str(clinic.front_desk.user.pk)


# --- the pages -------------------------------------------------------------------------------


def test_the_team_page_lists_everyone(clinic):
    page = factories.signed_in(clinic.manager).get(reverse("settings:team"))
    assert page.status_code == 200
    for member in (clinic.owner, clinic.practitioner, clinic.trainee):
        assert member.user.full_name in page.content.decode()


def test_inviting_on_the_page(clinic, django_capture_on_commit_callbacks):
    browser = factories.signed_in(clinic.manager)
    with django_capture_on_commit_callbacks(execute=True):
        sent = browser.post(
            reverse("settings:team_invite"),
            {
                "full_name": "Nadia Newcomer",
                "email": "nadia@example.test",
                "role": Role.PRACTITIONER,
                "locations": [clinic.location.pk],
            },
        )
    member = StaffMember.objects.get(user__email="nadia@example.test")
    assert sent.status_code == 302
    assert sent["Location"] == reverse("settings:team_member", args=[member.public_id])
    assert len(mail.outbox) == 1


def test_the_page_says_why_an_email_is_refused(clinic):
    browser = factories.signed_in(clinic.manager)
    page = browser.post(
        reverse("settings:team_invite"),
        {"full_name": "Again", "email": clinic.trainee.user.email, "role": Role.TRAINEE},
    )
    assert page.status_code == 200
    assert "already has an account" in page.content.decode()


def test_a_manager_is_not_offered_the_owner_role_nor_an_owners_form(clinic):
    browser = factories.signed_in(clinic.manager)
    page = browser.get(reverse("settings:team_invite")).content.decode()
    assert 'value="owner"' not in page
    owner_page = browser.get(reverse("settings:team_member", args=[clinic.owner.public_id]))
    assert "Only an owner can change an owner." in owner_page.content.decode()
    browser.post(
        reverse("settings:team_member", args=[clinic.owner.public_id]),
        {"role": Role.TRAINEE, "locations": []},
    )
    assert StaffMember.objects.get(pk=clinic.owner.pk).role == Role.OWNER


def test_deactivating_on_the_page(clinic):
    browser = factories.signed_in(clinic.manager)
    url = reverse("settings:team_active", args=[clinic.trainee.public_id])
    browser.post(url, {"active": "no"})
    assert not StaffMember.objects.get(pk=clinic.trainee.pk).is_active
    mine = reverse("settings:team_active", args=[clinic.manager.public_id])
    answer = browser.post(mine, {"active": "no"}, follow=True)
    assert "Nobody deactivates" in answer.content.decode()
    assert StaffMember.objects.get(pk=clinic.manager.pk).is_active


def test_another_organisations_member_is_not_found(clinic, other_clinic):
    browser = factories.signed_in(clinic.manager)
    stranger = other_clinic.practitioner.public_id
    assert browser.get(reverse("settings:team_member", args=[stranger])).status_code == 404
    answer = browser.post(reverse("settings:team_active", args=[stranger]), {"active": "no"})
    assert answer.status_code == 404
    assert StaffMember.objects.get(pk=other_clinic.practitioner.pk).is_active


def test_a_practitioner_may_not_open_the_team_pages(clinic):
    browser = factories.signed_in(clinic.practitioner)
    assert browser.get(reverse("settings:team")).status_code == 403


# --- hostile input --------------------------------------------------------------------------

fuzz = hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "owner", "nadia@example.test", "<script>", "9" * 40]),
)


@pytest.mark.django_db
@fuzz
@given(name=TEXT, email=TEXT, role=TEXT, place=TEXT)
def test_any_invitation_form_either_invites_or_changes_nothing(clinic, name, email, role, place):
    browser = factories.signed_in(clinic.manager)
    before = (User.objects.count(), StaffMember.objects.count(), len(mail.outbox))
    answer = browser.post(
        reverse("settings:team_invite"),
        {"full_name": name, "email": email, "role": role, "locations": [place]},
    )
    assert answer.status_code in (200, 302)
    after = (User.objects.count(), StaffMember.objects.count(), len(mail.outbox))
    if answer.status_code == 200:
        assert after == before
    else:
        assert after == (before[0] + 1, before[1] + 1, before[2] + 1)
        StaffMember.objects.filter(user__email=email.strip().lower()).delete()
        User.objects.filter(email=email.strip().lower()).delete()


@pytest.mark.django_db
@fuzz
@given(role=TEXT, place=TEXT)
def test_any_role_form_either_saves_or_changes_nothing(clinic, role, place):
    browser = factories.signed_in(clinic.manager)
    answer = browser.post(
        reverse("settings:team_member", args=[clinic.trainee.public_id]),
        {"role": role, "locations": [place]},
    )
    assert answer.status_code in (200, 302)
    member = StaffMember.objects.get(pk=clinic.trainee.pk)
    if answer.status_code == 200:
        assert member.role == Role.TRAINEE
    assert member.role != Role.OWNER
