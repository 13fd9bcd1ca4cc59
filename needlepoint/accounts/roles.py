"""Who may change whom: the one rule for every path that adds a staff member, changes their
role, active flag or locations, switches their account off, or removes them.

Roles rank owner > manager > practitioner, front desk and trainee (those three on one
level: none of them manages staff); a site administrator (``is_superuser``) ranks above
every role. Then:

- only an active owner or manager changes staff, and only in their own organisation
  (a site administrator, in any);
- nobody gives a role above their own;
- nobody changes, deactivates or removes someone whose role is above their own;
- nobody, not even a site administrator, leaves an organisation without an active owner.

Paths call ``staff_change_check`` before they write (it raises ``DomainError`` with the
reason, and nothing has been written) and ``may_manage`` to decide what to offer. Today
the paths are Settings › Team (setup/team_views.py, through accounts/team.py) and a site
administrator's account page in the emergency admin (accounts/admin.py), whose staff
pages are read-only; the API, the CSV import and the commands have no way to change
staff (tests/accounts/test_staff_roles.py holds each of them to that).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from needlepoint.clinics.choices import Role
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.core.errors import DomainError

RANK: dict[str, int] = {
    Role.OWNER: 3,
    Role.MANAGER: 2,
    Role.PRACTITIONER: 1,
    Role.FRONT_DESK: 1,
    Role.TRAINEE: 1,
}
SITE_ADMIN_RANK = 4
MANAGING_ROLES = frozenset({Role.OWNER.value, Role.MANAGER.value})


def rank_of(user: Any) -> int:
    """How high ``user`` stands: 0 when signed out, inactive or not an active staff member."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return 0
    if user.is_superuser:
        return SITE_ADMIN_RANK
    staff: StaffMember | None = getattr(user, "staff", None)
    if staff is None or not staff.is_active:
        return 0
    return RANK.get(staff.role, 0)


def staff_change_check(
    actor: Any,
    *,
    organisation: Organisation,
    member: StaffMember | None = None,
    role: str | None = None,
    is_active: bool | None = None,
    removing: bool = False,
) -> None:
    """Raise ``DomainError`` unless ``actor`` may make this change; else return, changing nothing.

    ``member`` is the staff member as stored (None when adding one to ``organisation``);
    ``role`` and ``is_active`` are their values after the change (None: unchanged, or
    the active flag of their sign-in account when that is what changes); ``removing``
    when the member is to be deleted. Called inside the writing transaction, it locks
    the organisation's row, so two changes at once can't each leave the other as the
    last owner and then both go ahead.
    """
    refusal = _refusal(actor, organisation, member, role, is_active, removing)
    if refusal is not None:
        raise refusal


def may_manage(actor: Any, member: StaffMember) -> bool:
    """Whether ``actor`` may change ``member`` at all (their role is not above the actor's)."""
    return _who_refusal(actor, member.organisation, member) is None


def _refusal(
    actor: Any,
    organisation: Organisation,
    member: StaffMember | None,
    role: str | None,
    is_active: bool | None,
    removing: bool,
) -> DomainError | None:
    refused = _who_refusal(actor, organisation, member)
    if refused is not None:
        return refused
    own = rank_of(actor)
    if role is not None and RANK.get(role, SITE_ADMIN_RANK) > own:
        return DomainError(
            "role_above_yours",
            _("You cannot give the role %(role)s: it is above yours (%(yours)s).")
            % {"role": _label(role), "yours": _actor_role(actor)},
            field="role",
        )
    if member is None or member.pk is None:
        return None
    stored = StaffMember.objects.select_related("user").get(pk=member.pk)
    was_owner = stored.role == Role.OWNER and stored.is_active and stored.user.is_active
    stays_owner = not removing and (role or stored.role) == Role.OWNER and is_active is not False
    if was_owner and not stays_owner and not _other_active_owner(stored):
        if removing:
            message = _(
                "%(name)s is the organisation's last active owner: make someone else "
                "an owner before removing them."
            )
        elif is_active is False:
            message = _(
                "%(name)s is the organisation's last active owner: make someone else "
                "an owner before deactivating them."
            )
        else:
            message = _(
                "%(name)s is the organisation's last active owner: make someone else "
                "an owner before demoting them."
            )
        return DomainError(
            "last_owner",
            message % {"name": stored.user},
            field=None if removing else "is_active" if is_active is False else "role",
        )
    return None


def _who_refusal(
    actor: Any, organisation: Organisation, member: StaffMember | None
) -> DomainError | None:
    """Refused for who is asking, or for whom: the checks that need no new values."""
    own = rank_of(actor)
    if own < SITE_ADMIN_RANK:
        staff: StaffMember | None = getattr(actor, "staff", None) if own else None
        if (
            staff is None
            or staff.role not in MANAGING_ROLES
            or staff.organisation_id != organisation.pk
            or (member is not None and member.organisation_id != organisation.pk)
        ):
            return DomainError(
                "not_allowed", _("Only the organisation's owners and managers change its staff.")
            )
    if member is not None and RANK.get(member.role, SITE_ADMIN_RANK) > own:
        return DomainError(
            "above_your_role",
            _("You cannot change %(name)s: their role, %(role)s, is above yours (%(yours)s).")
            % {"name": member.user, "role": _label(member.role), "yours": _actor_role(actor)},
        )
    return None


def _other_active_owner(member: StaffMember) -> bool:
    with transaction.atomic():
        # Every change to this organisation's staff waits here for the one before it.
        Organisation.objects.select_for_update().filter(pk=member.organisation_id).first()
        return (
            StaffMember.objects.filter(
                organisation_id=member.organisation_id,
                role=Role.OWNER,
                is_active=True,
                user__is_active=True,
            )
            .exclude(pk=member.pk)
            .exists()
        )


def _label(role: str) -> str:
    return str(Role(role).label) if role in Role.values else role


def _actor_role(actor: Any) -> str:
    if actor.is_superuser:
        return _("Site administrator")
    staff: StaffMember | None = getattr(actor, "staff", None)
    return _label(staff.role) if staff is not None else _("none")
