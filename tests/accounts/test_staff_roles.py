"""Nobody hands out a role above their own, or acts on an account above their own, by any path.

Roles rank owner > manager > practitioner, front desk and trainee; a site administrator
(superuser) is above them all. Only owners, managers and site administrators change
staff at all, and never so as to leave an organisation without an active owner. The
expectation below is written out here, apart from the code's rule
(needlepoint/accounts/roles.py), and every path is tried as every role on every target:
Settings › Team (inviting with a role, changing the role and the locations, switching
someone off and on, sending the invitation again), the site administrator's account
page in the emergency admin, the admin's staff pages (read-only now, even for a site
administrator), and the paths with no way to change staff at all (the API, the CSV
import, the commands).

A site administrator without a staff membership has no Settings pages: Team is the
clinic's own staff's page, for an organisation they belong to, and a site administrator
belongs to none. They are refused there (the stricter side of the expectation, never a
way round it), and their one way to change staff is the account page, where switching an
account off is held to the same rule. Settings adds one rule of its own: nobody switches
themselves off.
"""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.messages import get_messages
from django.core import mail
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
INVITE = reverse("settings:team_invite")


def expected(actor: str, target: str | None, role: str | None, leaves_no_owner: bool) -> bool:
    """What the issue asks for, written without the code's help."""
    if actor not in MANAGING:
        return False
    if target is not None and RANK[target] > RANK[actor]:
        return False
    if role is not None and RANK[role] > RANK[actor]:
        return False
    return not leaves_no_owner


def site_admin() -> User:
    return User.objects.create_superuser(
        "root@needlepoint.test", factories.PASSWORD, full_name="Site Admin"
    )


def actor_member(clinic: factories.Clinic, actor: str) -> StaffMember | User:
    if actor == SITE_ADMIN:
        return site_admin()
    member: StaffMember = getattr(clinic, actor)
    return member


def target_member(clinic: factories.Clinic, target: str) -> StaffMember:
    member: StaffMember = getattr(clinic, target)
    return member


def member_url(member: StaffMember) -> str:
    return reverse("settings:team_member", kwargs={"public_id": member.public_id})


def active_url(member: StaffMember) -> str:
    return reverse("settings:team_active", kwargs={"public_id": member.public_id})


def invite_again_url(member: StaffMember) -> str:
    return reverse("settings:team_invite_again", kwargs={"public_id": member.public_id})


def restore(member: StaffMember, role: str) -> None:
    """Back as the fixture made them, for the next try."""
    StaffMember.objects.filter(pk=member.pk).update(role=role)


def member_form(member: StaffMember, **changes: Any) -> dict[str, Any]:
    values = {"role": member.role, "locations": [place.pk for place in member.locations.all()]}
    return values | changes


def said(browser: Browser, response: Any) -> str:
    """The page's text and any message waiting for the next page (a refusal's reason)."""
    text = html.unescape(response.content.decode()) if response.status_code == 200 else ""
    text += " ".join(str(message) for message in get_messages(response.wsgi_request))
    if response.status_code == 302 and not response["Location"].startswith("/admin/login/"):
        text += html.unescape(browser.get(response["Location"]).content.decode())
    return text


def stored(member: StaffMember) -> tuple[str, bool, list[int]]:
    fresh = StaffMember.objects.select_related("user").get(pk=member.pk)
    active = fresh.is_active and fresh.user.is_active
    return fresh.role, active, sorted(place.pk for place in fresh.locations.all())


def refused_clearly(actor: str, browser: Browser, response: Any, *phrases: str) -> None:
    """Refused: a manager is told why; anyone else doesn't reach Settings at all."""
    if actor in MANAGING:
        text = said(browser, response)
        assert any(phrase in text for phrase in phrases), (response.status_code, text[:3000])
    else:
        assert response.status_code == 403


ROLE_REFUSALS = (
    "above yours",
    "above your own",
    "last active owner",
    "Only an owner can change an owner.",
    # Settings offers a manager no Owner to choose; a forged choice is refused by the form.
    "Select a valid choice. owner is not one of the available choices.",
)
NOT_YOURSELF = "Nobody deactivates themselves"


def pending(clinic: factories.Clinic, role: str) -> StaffMember:
    """A team member of ``role`` invited but not yet joined (no password chosen)."""
    member = factories.staff_member(clinic.organisation, role, clinic.location)
    User.objects.filter(pk=member.user_id).update(password=make_password(None))
    return member


# --- Settings, Team: inviting a team member with a role ------------------------------------


@pytest.mark.parametrize("actor", Role.values)
def test_inviting_a_team_member_with_each_role_as_each_actor(clinic, actor):
    browser = factories.signed_in(actor_member(clinic, actor))
    wrong = []
    for n, role in enumerate(Role.values):
        email = f"new{n}@example.test"
        form = {
            "email": email,
            "full_name": f"New Person {n}",
            "role": role,
            "locations": [clinic.location.pk],
        }
        response = browser.post(INVITE, form)
        made = StaffMember.objects.filter(user__email=email).first()
        if expected(actor, None, role, leaves_no_owner=False):
            if made is None or made.role != role:
                wrong.append(f"{actor} could not invite a {role}: {response.status_code}")
        else:
            if made is not None or User.objects.filter(email=email).exists():
                wrong.append(f"{actor} invited a {role}")
            refused_clearly(actor, browser, response, *ROLE_REFUSALS)
    assert wrong == []


# --- Settings, Team: changing a role, the locations, switching someone off and on ----------


@pytest.mark.parametrize("target", Role.values)
@pytest.mark.parametrize("actor", Role.values)
def test_changing_each_role_to_each_role_as_each_actor(clinic, actor, target):
    browser = factories.signed_in(actor_member(clinic, actor))
    member = target_member(clinic, target)
    wrong = []
    for role in Role.values:
        if role == target:
            continue
        before = stored(member)
        response = browser.post(member_url(member), member_form(member, role=role))
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
@pytest.mark.parametrize("actor", Role.values)
def test_deactivating_each_role_as_each_actor(clinic, actor, target):
    browser = factories.signed_in(actor_member(clinic, actor))
    member = target_member(clinic, target)
    response = browser.post(active_url(member), {"active": "no"})
    yourself = actor == target  # the fixture's clinic has one of each role
    if expected(actor, target, None, leaves_no_owner=target == Role.OWNER) and not yourself:
        assert stored(member)[1] is False
    else:
        assert stored(member)[1] is True
        refused_clearly(actor, browser, response, *ROLE_REFUSALS, NOT_YOURSELF)


@pytest.mark.parametrize("target", Role.values)
@pytest.mark.parametrize("actor", Role.values)
def test_reactivating_each_role_as_each_actor(clinic, actor, target):
    browser = factories.signed_in(actor_member(clinic, actor))
    member = factories.staff_member(clinic.organisation, target, clinic.location)
    StaffMember.objects.filter(pk=member.pk).update(is_active=False)
    User.objects.filter(pk=member.user_id).update(is_active=False)
    response = browser.post(active_url(member), {"active": "yes"})
    if expected(actor, target, None, leaves_no_owner=False):
        assert stored(member)[1] is True
    else:
        assert stored(member)[1] is False
        refused_clearly(actor, browser, response, *ROLE_REFUSALS)


@pytest.mark.parametrize("target", Role.values)
@pytest.mark.parametrize("actor", Role.values)
def test_changing_the_locations_of_each_role_as_each_actor(clinic, actor, target):
    second = factories.location(clinic.organisation, name="Quay Street")
    browser = factories.signed_in(actor_member(clinic, actor))
    member = target_member(clinic, target)
    response = browser.post(member_url(member), member_form(member, locations=[second.pk]))
    if expected(actor, target, None, leaves_no_owner=False):
        assert stored(member)[2] == [second.pk]
    else:
        assert stored(member)[2] == [clinic.location.pk]
        refused_clearly(actor, browser, response, *ROLE_REFUSALS)


@pytest.mark.parametrize("target", Role.values)
@pytest.mark.parametrize("actor", Role.values)
def test_inviting_each_role_again_as_each_actor(
    clinic, actor, target, django_capture_on_commit_callbacks
):
    browser = factories.signed_in(actor_member(clinic, actor))
    member = pending(clinic, target)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(invite_again_url(member))
    sent = [message for message in mail.outbox if member.user.email in message.to]
    if expected(actor, target, None, leaves_no_owner=False):
        assert len(sent) == 1
    else:
        assert sent == []
        refused_clearly(actor, browser, response, *ROLE_REFUSALS)


# --- a site administrator has no Settings pages --------------------------------------------


def test_a_site_administrator_without_a_team_is_refused_every_team_page(clinic):
    """Settings › Team is for the organisation's own staff; a site administrator belongs to
    none, so they are refused (403) and change nothing: the expectation's stricter side."""
    browser = factories.signed_in(site_admin())
    member = pending(clinic, Role.PRACTITIONER)
    before = stored(member)
    invited = {
        "email": "new@example.test",
        "full_name": "New Person",
        "role": Role.OWNER,
        "locations": [clinic.location.pk],
    }
    tries = [
        browser.get(reverse("settings:team")),
        browser.get(INVITE),
        browser.post(INVITE, invited),
        browser.get(member_url(member)),
        browser.post(member_url(member), member_form(member, role=Role.OWNER)),
        browser.post(active_url(member), {"active": "no"}),
        browser.post(invite_again_url(member)),
    ]
    assert [answer.status_code for answer in tries] == [403] * len(tries)
    assert stored(member) == before
    assert not User.objects.filter(email="new@example.test").exists()
    assert mail.outbox == []


# --- the admin's staff pages: read-only, even for a site administrator ----------------------


@pytest.mark.parametrize("actor", ACTORS)
def test_the_admin_changes_no_staff_member_even_for_a_site_administrator(clinic, actor):
    """Adding, changing and removing staff went from the admin with it becoming read-only."""
    browser = factories.signed_in(actor_member(clinic, actor))
    member = clinic.trainee
    before = stored(member), StaffMember.objects.count()
    change = reverse("admin:clinics_staffmember_change", args=[member.pk])
    delete = reverse("admin:clinics_staffmember_delete", args=[member.pk])
    added = {
        "user": clinic.trainee.user.pk,
        "organisation": clinic.organisation.pk,
        "role": Role.OWNER,
        "locations": [clinic.location.pk],
        "is_active": "on",
    }
    answers = [
        browser.get(reverse("admin:clinics_staffmember_add")),
        browser.post(reverse("admin:clinics_staffmember_add"), added),
        browser.post(change, {**added, "is_active": ""}),
        browser.post(delete, {"post": "yes"}),
    ]
    bulk = browser.post(
        reverse("admin:clinics_staffmember_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(StaffMember.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert (stored(member), StaffMember.objects.count()) == before
    if actor == SITE_ADMIN:
        assert [answer.status_code for answer in answers] == [403] * len(answers)
        assert browser.get(change).context["has_change_permission"] is False  # look, not change
    else:  # no role reaches the admin at all
        for answer in [*answers, bulk]:
            assert answer.status_code == 302
            assert answer["Location"].startswith("/admin/login/")


# --- the cases the issue names, with the words people see ---------------------------------


def test_a_manager_cannot_make_themselves_owner(clinic):
    browser = factories.signed_in(clinic.manager)
    page = browser.get(member_url(clinic.manager))
    assert Role.OWNER not in dict(page.context["form"].fields["role"].choices)  # not offered
    forged = browser.post(member_url(clinic.manager), member_form(clinic.manager, role="owner"))
    assert forged.status_code == 200
    assert "owner is not one of the available choices" in said(browser, forged)
    assert StaffMember.objects.get(pk=clinic.manager.pk).role == Role.MANAGER


def test_a_manager_cannot_deactivate_the_owner(clinic):
    browser = factories.signed_in(clinic.manager)
    response = browser.post(active_url(clinic.owner), {"active": "no"})
    text = said(browser, response)
    assert f"You cannot change {clinic.owner.user}: their role, Owner, is above yours" in text
    assert stored(clinic.owner)[1] is True


def test_a_manager_sees_the_owner_but_without_a_form_to_change_them(clinic):
    page = factories.signed_in(clinic.manager).get(member_url(clinic.owner))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert active_url(clinic.owner) not in page.content.decode()  # no Deactivate button


def test_the_last_active_owner_cannot_step_down_or_leave(clinic):
    browser = factories.signed_in(clinic.owner)
    demoted = browser.post(member_url(clinic.owner), member_form(clinic.owner, role="manager"))
    assert "the organisation's last active owner" in said(browser, demoted)
    left = browser.post(active_url(clinic.owner), {"active": "no"})
    assert NOT_YOURSELF in said(browser, left)
    assert stored(clinic.owner)[:2] == (Role.OWNER, True)


def test_with_a_second_owner_one_owner_may_step_down(clinic):
    second = factories.staff_member(clinic.organisation, Role.OWNER, clinic.location)
    browser = factories.signed_in(clinic.owner)
    response = browser.post(member_url(second), member_form(second, role="manager"))
    assert response.status_code == 302
    assert stored(second)[0] == Role.MANAGER
    # now the owner is the last one again
    response = browser.post(member_url(clinic.owner), member_form(clinic.owner, role="manager"))
    assert "the organisation's last active owner" in said(browser, response)
    assert stored(clinic.owner)[0] == Role.OWNER


def test_an_inactive_owner_does_not_count_as_the_owner_left(clinic):
    StaffMember.objects.filter(pk=clinic.owner.pk).update(is_active=False)
    second = factories.staff_member(clinic.organisation, Role.OWNER, clinic.location)
    browser = factories.signed_in(second)
    response = browser.post(member_url(second), member_form(second, role="manager"))
    assert "the organisation's last active owner" in said(browser, response)
    assert stored(second)[0] == Role.OWNER


def test_a_manager_of_another_organisation_changes_nobody_here(clinic, other_clinic):
    browser = factories.signed_in(other_clinic.owner)
    tries = [
        browser.post(active_url(clinic.manager), {"active": "no"}),
        browser.post(member_url(clinic.manager), member_form(clinic.manager, role="trainee")),
    ]
    assert [answer.status_code for answer in tries] == [404, 404]  # not in their organisation
    assert stored(clinic.manager)[:2] == (Role.MANAGER, True)


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


def test_in_the_admin_only_the_account_page_changes_staff_or_accounts(rf):
    """A new admin or inline on StaffMember or User would bypass the rule: staff are
    read-only there, even for a site administrator, and accounts change only on the
    account page, whose form holds switching an account off to the rule."""
    from django.contrib import admin
    from django.contrib.admin.options import InlineModelAdmin

    from needlepoint.accounts.admin import UserAdmin

    request = rf.get("/admin/")
    request.user = User(email="root@needlepoint.test", is_superuser=True, is_staff=True)
    editing = []
    for model, model_admin in admin.site._registry.items():
        for form_admin in (model_admin, *(i(model, admin.site) for i in model_admin.inlines)):
            if form_admin.model not in (StaffMember, User):
                continue
            inline = isinstance(form_admin, InlineModelAdmin)
            adds = form_admin.has_add_permission(request, *([None] if inline else []))
            if (
                adds
                or form_admin.has_change_permission(request)
                or (form_admin.has_delete_permission(request))
            ):
                editing.append(type(form_admin))
    assert editing == [UserAdmin]


def test_the_api_has_no_operation_that_writes_staff():
    from needlepoint.api.v1 import api

    writes = [
        (path, method)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
        and any(
            segment.startswith(("staff", "practitioner", "user", "role", "member"))
            and not segment.startswith("membership")  # a client's plan, not a team member
            for segment in path.split("/")
        )
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
