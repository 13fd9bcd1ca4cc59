"""Signing in with an email and password, and finding the signed-in user on each request.

``get_user`` runs on every signed-in request: it reads the user and their staff member
(if any) in one plain statement, so that ``user.staff`` costs no second query; and, when
the session names the authenticator that confirmed the sign-in (accounts/otp.py), that
device in the same statement. Every rule is Django's ModelBackend's, applied to fresh
rows on each request: an inactive user is nobody; an inactive staff member is refused by
the pages (accounts/access.py); the device's own checks are django-otp's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django_otp.models import Device

from needlepoint.accounts.models import User
from needlepoint.clinics.models import StaffMember
from needlepoint.core import plain_sql

SessionDevice = tuple[type[Device], int]
_device_wanted: ContextVar[SessionDevice | None] = ContextVar("device_wanted", default=None)
NO_DEVICE_READ = object()
"""``session_device`` of a user whose device was not read with them."""


@contextmanager
def with_session_device(device: SessionDevice | None) -> Iterator[None]:
    """While the user is loaded, read this device (model, id) in the same statement."""
    token = _device_wanted.set(device)
    try:
        yield
    finally:
        _device_wanted.reset(token)


def session_device(user: Any) -> Device | object | None:
    """The device read with ``user`` (None: there is no such row), or ``NO_DEVICE_READ``."""
    return getattr(user, "_session_device", NO_DEVICE_READ)


class StaffBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        device = _device_wanted.get()
        sql = (
            f"SELECT {plain_sql.columns(User, 'u')}, {plain_sql.columns(StaffMember, 's')}"
            "{device_columns} FROM accounts_user u"
            " LEFT JOIN clinics_staffmember s ON s.user_id = u.id{device_join}"
            " WHERE u.id = %s"
        )
        if device is None:
            found = plain_sql.rows(sql.format(device_columns="", device_join=""), [pk])
        else:
            model, device_id = device
            table = connection.ops.quote_name(model._meta.db_table)
            found = plain_sql.rows(
                sql.format(
                    device_columns=f", {plain_sql.columns(model, 'd')}",
                    device_join=f" LEFT JOIN {table} d ON d.id = %s",
                ),
                [device_id, pk],
            )
        if not found:
            return None
        user = user_with_staff(found[0])
        if device is not None:
            width = len(User._meta.concrete_fields) + len(StaffMember._meta.concrete_fields)
            row = found[0][width:]  # all NULL when there is no such device
            read = plain_sql.instance(device[0], row) if row[0] is not None else None
            user._session_device = read  # type: ignore[attr-defined]
        return user if self.user_can_authenticate(user) else None


def user_with_staff(row: Any) -> User:
    """The user from a row of their columns then their staff member's (all NULL if none)."""
    width = len(User._meta.concrete_fields)
    user = plain_sql.instance(User, row[:width])
    staff_row = row[width : width + len(StaffMember._meta.concrete_fields)]
    # A site admin has none: ``user.staff`` then raises DoesNotExist, without a query.
    staff = plain_sql.instance(StaffMember, staff_row) if staff_row[0] is not None else None
    User.staff.related.set_cached_value(user, staff)
    if staff is not None:
        StaffMember.user.field.set_cached_value(staff, user)
    return user
