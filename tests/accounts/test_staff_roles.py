"""Nobody hands out a role above their own, or acts on an account above their own, by any path.

Roles rank owner > manager > practitioner, front desk and trainee; a site administrator
(superuser) is above them all. Only owners, managers and site administrators change
staff at all, and never so as to leave an organisation without an active owner. The
expectation below is written out here, apart from the code's rule
(needlepoint/accounts/roles.py), and every path is tried as every role on every target:
the settings area's staff pages (add, change role, active flag, locations, delete, the
bulk delete), its account pages, and the paths with no way to change staff at all (the
API, the CSV import, the commands).
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.management import CommandError, call_command
from django.test import Client as Browser
from django.urls import reverse

from needlepoint.accounts.models import User
from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import StaffMember
from needlepoint.core.errors import DomainError
from tests import factories

SITE_ADMIN = "site_admin"
ACTORS = (*Role.values, SITE_ADMIN)
RANK = {
    Role.OWNER: 3,
    Role.MANAGER: 2,
    Role.PRACTITIONER: 1,
    Role.FRONT_DESK: 1,
    Role.TRAINEE: 1,
    SITE_ADMIN: 4,
}
MANAGING = {Role.OWNER, Role.MANAGER, SITE_ADMIN}
CHANGELIST = reverse("admin:clinics_staffmember_changelist")
ADD = reverse("admin:clinics_staffmember_add")


def expected(actor: str, target: str | None, role: str | None, leaves_no_owner: bool) -> bool:
    """What the issue asks for, written without the code's help."""
    if actor not in MANAGING:
        return False
    if target is not None and RANK[target] > RANK[actor]:
        return False
    if role is not None and RANK[role] > RANK[actor]:
        return False
    return not leaves_no_owner


def actor_member(clinic: factories.Clinic, actor: str) -> StaffMember | User:
    if actor == SITE_ADMIN:
        return User.objects.create_superuser(
            "root@needlepoint.test", factories.PASSWORD, full_name="Site Admin"
        )
    member: StaffMember = getattr(clinic, actor)
    return member


def target_member(clinic: factories.Clinic, target: str) -> StaffMember:
    member: StaffMember = getattr(clinic, target)
    return member


def change_url(member: StaffMember) -> str:
    return reverse("admin:clinics_staffmember_change", args=[member.pk])


def restore(member: StaffMember, role: str) -> None:
    """Back as the fixture made them, for the next try."""
    StaffMember.objects.filter(pk=member.pk).update(role=role)
    User.objects.filter(pk=member.user_id).update(is_staff=role in (Role.OWNER, Role.MANAGER))


def staff_form(member: StaffMember, **changes: Any) -> dict[str, Any]:
    values = {
        "role": member.role,
        "locations": [place.pk for place in member.locations.all()],
        "is_active": "on" if member.is_active else "",
    }
    return values | changes


def said(browser: Browser, response: Any) -> str:
    """The page's text and any message waiting for the next page (a refusal's reason)."""
    text = html.unescape(response.content.decode()) if response.status_code == 200 else ""
    text += " ".join(str(message) for message in get_messages(response.wsgi_request))
    if response.status_code == 302 and not response["Location"].startswith("/admin/login/"):
        text += html.unescape(browser.get(response["Location"]).content.decode())
    return text


def stored(member: StaffMember) -> tuple[str, bool, list[int]]:
    fresh = StaffMember.objects.get(pk=member.pk)
    return fresh.role, fresh.is_active, sorted(place.pk for place in fresh.locations.all())


def refused_clearly(actor: str, browser: Browser, response: Any, *phrases: str) -> None:
    """Refused: a manager is told why, anyone else doesn't reach the settings area."""
    if actor in MANAGING:
        text = said(browser, response)
        assert any(phrase in text for phrase in phrases), (response.status_code, text[:3000])
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert response["Location"].startswith("/admin/login/")


ROLE_REFUSALS = ("above yours", "above your own", "last active owner")


# --- the settings area: adding a team member with a role ---------------------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_adding_a_team_member_with_each_role_as_each_actor(clinic, actor):
    browser = factories.signed_in(actor_member(clinic, actor))
    wrong = []
    for n, role in enumerate(Role.values):
        email = f"new{n}@example.test"
        form = {
            "email": email,
            "full_name": f"New Person {n}",
            "password": "a long enough passphrase",
            "role": role,
            "locations": [clinic.location.pk],
            "is_active": "on",
        }
        if actor == SITE_ADMIN:
            form["organisation"] = clinic.organisation.pk
        response = browser.post(ADD, form)
        made = StaffMember.objects.filter(user__email=email).first()
        if expected(actor, None, role, leaves_no_owner=False):
            if made is None or made.role != role:
                wrong.append(f"{actor} could not add a {role}: {response.status_code}")
        else:
            if made is not None or User.objects.filter(email=email).exists():
                wrong.append(f"{actor} added a {role}")
            refused_clearly(actor, browser, response, *ROLE_REFUSALS)
    assert wrong == []


# --- the settings area: changing a role, the active flag, the locations -------------------


@pytest.mark.parametrize("target", Role.values)
@pytest.mark.parametrize("actor", ACTORS)
def test_changing_each_role_to_each_role_as_each_actor(clinic, actor, target):
    browser = factories.signed_in(actor_member(clinic, actor))
    member = target_member(clinic, target)
    wrong = []
    for role in Role.values:
        if role == target:
            continue
        before = stored(member)
        response = browser.post(change_url(member), staff_form(member, role=role))
        leaves = target == Role.OWNER  # the fixture's clinic has one owner
        if expected(actor, target, role, leaves):
            if stored(member)[0] != role:
                wrong.append(f"{actor} could not make the {target} a {role}")
            restore(member, target)
        else:
            if stored(member) != before:
                wrong.append(f"{actor} made the {target} a {role}")
            refused_clearly(actor, browser, response, *ROLE_REFUSALS)
    assert wrong == []


@pytest.mark.parametrize("target", Role.values)
@pytest.mark.parametrize("actor", ACTORS)
def test_deactivating_each_role_as_each_actor(clinic, actor, target):
    browser = factories.signed_in(actor_member(clinic, actor))
    member = target_member(clinic, target)
    response = browser.post(change_url(member), staff_form(member, is_active=""))
    if expected(actor, target, None, leaves_no_owner=target == Role.OWNER):
        assert stored(member)[1] is False
    else:
        assert stored(member)[1] is True
        refused_clearly(actor, browser, response, *ROLE_REFUSALS)


@pytest.mark.parametrize("target", Role.values)
@pytest.mark.parametrize("actor", ACTORS)
def test_changing_the_locations_of_each_role_as_each_actor(clinic, actor, target):
    second = factories.location(clinic.organisation, name="Quay Street")
    browser = factories.signed_in(actor_member(clinic, actor))
    member = target_member(clinic, target)
    response = browser.post(change_url(member), staff_form(member, locations=[second.pk]))
    if expected(actor, target, None, leaves_no_owner=False):
        assert stored(member)[2] == [second.pk]
    else:
        assert stored(member)[2] == [clinic.location.pk]
        refused_clearly(actor, browser, response, *ROLE_REFUSALS)


@pytest.mark.parametrize("target", Role.values)
@pytest.mark.parametrize("actor", ACTORS)
def test_deleting_each_role_as_each_actor(clinic, actor, target):
    browser = factories.signed_in(actor_member(clinic, actor))
    member = target_member(clinic, target)
    url = reverse("admin:clinics_staffmember_delete", args=[member.pk])
    response = browser.post(url, {"post": "yes"})
    if expected(actor, target, None, leaves_no_owner=target == Role.OWNER):
        assert not StaffMember.objects.filter(pk=member.pk).exists()
    else:
        assert StaffMember.objects.filter(pk=member.pk).exists()
        refused_clearly(actor, browser, response, *ROLE_REFUSALS)


@pytest.mark.parametrize("actor", ACTORS)
def test_the_bulk_delete_removes_nobody(clinic, actor):
    """Staff are removed one at a time, where the rule is checked for each."""
    browser = factories.signed_in(actor_member(clinic, actor))
    everyone = list(StaffMember.objects.values_list("pk", flat=True))
    browser.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": everyone, "post": "yes"},
    )
    assert sorted(StaffMember.objects.values_list("pk", flat=True)) == sorted(everyone)


# --- the cases the issue names, with the words people see ---------------------------------


def test_a_manager_cannot_make_themselves_owner(clinic):
    browser = factories.signed_in(clinic.manager)
    response = browser.post(change_url(clinic.manager), staff_form(clinic.manager, role="owner"))
    assert response.status_code == 200
    assert "You cannot give the role Owner: it is above yours (Manager)." in said(browser, response)
    assert StaffMember.objects.get(pk=clinic.manager.pk).role == Role.MANAGER


def test_a_manager_cannot_deactivate_the_owner(clinic):
    browser = factories.signed_in(clinic.manager)
    response = browser.post(change_url(clinic.owner), staff_form(clinic.owner, is_active=""))
    text = said(browser, response)
    assert f"You cannot change {clinic.owner.user}: their role, Owner, is above yours" in text
    assert StaffMember.objects.get(pk=clinic.owner.pk).is_active


def test_a_manager_sees_the_owner_but_without_a_form_to_change_them(clinic):
    page = factories.signed_in(clinic.manager).get(change_url(clinic.owner))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert page.context["has_delete_permission"] is False


def test_the_last_active_owner_cannot_step_down_or_leave(clinic):
    browser = factories.signed_in(clinic.owner)
    demoted = browser.post(change_url(clinic.owner), staff_form(clinic.owner, role="manager"))
    assert "the organisation's last active owner" in said(browser, demoted)
    left = browser.post(change_url(clinic.owner), staff_form(clinic.owner, is_active=""))
    assert "the organisation's last active owner" in said(browser, left)
    assert stored(clinic.owner)[:2] == (Role.OWNER, True)


def test_with_a_second_owner_one_owner_may_step_down(clinic):
    second = factories.staff_member(clinic.organisation, Role.OWNER, clinic.location)
    browser = factories.signed_in(clinic.owner)
    response = browser.post(change_url(second), staff_form(second, role="manager"))
    assert response.status_code == 302
    assert stored(second)[0] == Role.MANAGER
    # now the owner is the last one again
    response = browser.post(change_url(clinic.owner), staff_form(clinic.owner, role="manager"))
    assert stored(clinic.owner)[0] == Role.OWNER


def test_an_inactive_owner_does_not_count_as_the_owner_left(clinic):
    StaffMember.objects.filter(pk=clinic.owner.pk).update(is_active=False)
    second = factories.staff_member(clinic.organisation, Role.OWNER, clinic.location)
    browser = factories.signed_in(
        User.objects.create_superuser("r@x.test", factories.PASSWORD, full_name="Root")
    )
    browser.post(change_url(second), staff_form(second, role="manager"))
    assert stored(second)[0] == Role.OWNER


def test_a_manager_of_another_organisation_changes_nobody_here(clinic, other_clinic):
    browser = factories.signed_in(other_clinic.owner)
    response = browser.post(change_url(clinic.manager), staff_form(clinic.manager, is_active=""))
    assert response.status_code == 302  # to the index: no such row in their organisation
    assert stored(clinic.manager)[1] is True


# --- the account pages (site administrators only) -----------------------------------------


def user_form(browser: Browser, user: User, **changes: Any) -> dict[str, Any]:
    form = (
        browser.get(reverse("admin:accounts_user_change", args=[user.pk])).context["adminform"].form
    )
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data["groups"] = []
    for key in ("is_active", "is_staff", "is_superuser"):
        data[key] = "on" if data.get(key) else ""
    for key in ("date_joined", "last_login"):
        value = form.initial.get(key)
        data.pop(key, None)
        if value is not None:
            data[f"{key}_0"] = value.strftime("%Y-%m-%d")
            data[f"{key}_1"] = value.strftime("%H:%M:%S")
    return data | changes


@pytest.mark.parametrize("actor", Role.values)
def test_only_site_administrators_reach_the_account_pages(clinic, actor):
    browser = factories.signed_in(actor_member(clinic, actor))
    url = reverse("admin:accounts_user_change", args=[clinic.owner.user.pk])
    response = browser.post(
        url, {"email": "me@example.test", "is_active": "", "is_superuser": "on"}
    )
    assert response.status_code in (302, 403)
    owner = User.objects.get(pk=clinic.owner.user.pk)
    assert owner.is_active and owner.email != "me@example.test"
    assert not User.objects.get(pk=getattr(clinic, actor).user.pk).is_superuser


def test_a_site_administrator_cannot_deactivate_the_last_owners_account(clinic):
    root = User.objects.create_superuser(
        "root@needlepoint.test", factories.PASSWORD, full_name="Site Admin"
    )
    browser = factories.signed_in(root)
    owner = clinic.owner.user
    url = reverse("admin:accounts_user_change", args=[owner.pk])
    response = browser.post(url, user_form(browser, owner, is_active=""))
    assert "the organisation's last active owner" in said(browser, response)
    assert User.objects.get(pk=owner.pk).is_active
    # a practitioner's account may be switched off
    practitioner = clinic.practitioner.user
    url = reverse("admin:accounts_user_change", args=[practitioner.pk])
    response = browser.post(url, user_form(browser, practitioner, is_active=""))
    assert response.status_code == 302, said(browser, response)[:2000]
    assert not User.objects.get(pk=practitioner.pk).is_active


# --- every other path: none of them changes staff ------------------------------------------


def test_no_settings_page_but_the_staff_pages_edits_staff_or_accounts():
    """A new admin or inline on StaffMember or User would bypass the rule: it must be these."""
    from django.contrib import admin

    from needlepoint.accounts.admin import UserAdmin
    from needlepoint.clinics.admin import StaffMemberAdmin

    editing = {}
    for model, model_admin in admin.site._registry.items():
        for form_admin in (model_admin, *(i(model, admin.site) for i in model_admin.inlines)):
            if form_admin.model in (StaffMember, User):
                editing[form_admin.model] = type(form_admin)
    assert editing == {StaffMember: StaffMemberAdmin, User: UserAdmin}


def test_the_api_has_no_operation_that_writes_staff():
    from needlepoint.api.v1 import api

    writes = [
        (path, method)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
        and any(word in path for word in ("staff", "practitioner", "user", "role", "member"))
    ]
    assert writes == []


def test_the_csv_import_has_no_staff_to_import():
    from needlepoint.imports.importer import FIELDS, KINDS

    assert set(KINDS) == {"clients", "appointments"}
    keys = {field.key for fields in FIELDS.values() for field in fields}
    assert keys.isdisjoint({"role", "is_active", "locations", "staff", "user"})


def test_createowner_never_takes_over_an_existing_account(clinic, monkeypatch):
    monkeypatch.setenv("NEEDLEPOINT_OWNER_PASSWORD", "a long enough passphrase")
    with pytest.raises(CommandError, match="already has an account"):
        call_command(
            "createowner",
            organisation="Takeover Clinic",
            email=clinic.manager.user.email,
            name="Mallory",
        )
    assert stored(clinic.manager)[:2] == (Role.MANAGER, True)


# --- the rule itself, called directly ------------------------------------------------------


def test_the_rule_refuses_with_a_code_and_says_why(clinic):
    from needlepoint.accounts.roles import may_manage, staff_change_check

    with pytest.raises(DomainError) as raised:
        staff_change_check(
            clinic.manager.user,
            organisation=clinic.organisation,
            member=clinic.manager,
            role=Role.OWNER,
        )
    assert raised.value.code == "role_above_yours"
    assert raised.value.field == "role"
    with pytest.raises(DomainError) as raised:
        staff_change_check(
            clinic.manager.user,
            organisation=clinic.organisation,
            member=clinic.owner,
            is_active=False,
        )
    assert raised.value.code == "above_your_role"
    with pytest.raises(DomainError) as raised:
        staff_change_check(
            clinic.owner.user, organisation=clinic.organisation, member=clinic.owner, removing=True
        )
    assert raised.value.code == "last_owner"
    with pytest.raises(DomainError) as raised:
        staff_change_check(
            clinic.practitioner.user,
            organisation=clinic.organisation,
            member=clinic.trainee,
            is_active=False,
        )
    assert raised.value.code == "not_allowed"
    assert may_manage(clinic.manager.user, clinic.practitioner)
    assert may_manage(clinic.manager.user, clinic.manager)
    assert not may_manage(clinic.manager.user, clinic.owner)
    assert not may_manage(clinic.front_desk.user, clinic.trainee)


def test_the_rule_refuses_another_organisations_staff(clinic, other_clinic):
    from needlepoint.accounts.roles import staff_change_check

    with pytest.raises(DomainError) as raised:
        staff_change_check(
            other_clinic.owner.user,
            organisation=clinic.organisation,
            member=clinic.trainee,
            is_active=False,
        )
    assert raised.value.code == "not_allowed"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_stepping_down_at_once_leave_one_owner():
    """The rule locks the organisation's row, so two changes can't each count the other."""
    import contextlib
    import threading

    from django.db import connection, transaction

    from needlepoint.accounts.roles import staff_change_check

    clinic = factories.clinic()
    second = factories.staff_member(clinic.organisation, Role.OWNER, clinic.location)
    barrier, checked = threading.Barrier(2), threading.Barrier(2)
    results: list[str] = []

    def step_down(member: StaffMember) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                staff_change_check(
                    member.user,
                    organisation=clinic.organisation,
                    member=member,
                    role=Role.MANAGER,
                )
                # Both checked before either writes, unless the first holds the second back.
                with contextlib.suppress(threading.BrokenBarrierError):
                    checked.wait(timeout=3)
                StaffMember.objects.filter(pk=member.pk).update(role=Role.MANAGER)
            results.append("done")
        except DomainError as error:
            results.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in (clinic.owner, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["done", "last_owner"]
    assert (
        StaffMember.objects.filter(organisation=clinic.organisation, role=Role.OWNER).count() == 1
    )
