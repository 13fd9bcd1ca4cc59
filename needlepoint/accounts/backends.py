"""Signing in with an email and password, and finding the signed-in user on each request.

``get_user`` runs on every signed-in request: it reads the user and their staff member
(if any) in one plain statement, so that ``user.staff`` costs no second query. Every rule
is Django's ModelBackend's, applied to fresh rows on each request: an inactive user is
nobody; an inactive staff member is refused by the pages (accounts/access.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from needlepoint.accounts.models import User
from needlepoint.clinics.models import StaffMember
from needlepoint.core import plain_sql


class StaffBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        found = plain_sql.rows(
            f"SELECT {plain_sql.columns(User, 'u')}, {plain_sql.columns(StaffMember, 's')}"
            " FROM accounts_user u LEFT JOIN clinics_staffmember s ON s.user_id = u.id"
            " WHERE u.id = %s",
            [pk],
        )
        if not found:
            return None
        user = user_with_staff(found[0])
        return user if self.user_can_authenticate(user) else None


def user_with_staff(row: Any) -> User:
    """The user from a row of their columns then their staff member's (all NULL if none)."""
    width = len(User._meta.concrete_fields)
    user = plain_sql.instance(User, row[:width])
    staff_row = row[width:]
    # A site admin has none: ``user.staff`` then raises DoesNotExist, without a query.
    staff = plain_sql.instance(StaffMember, staff_row) if staff_row[0] is not None else None
    User.staff.related.set_cached_value(user, staff)
    if staff is not None:
        StaffMember.user.field.set_cached_value(staff, user)
    return user
