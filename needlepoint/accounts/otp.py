"""django-otp's middleware, reading the session's verified device with the signed-in user.

Which device, and the checks on it, are django-otp's own (``OTPMiddleware``): the device
must still exist, belong to the signed-in user and be confirmed, read afresh on every
request. Only the reading is written here: the device comes in the same plain statement
as the user and their staff member (accounts/backends.py), one statement fewer on every
signed-in request; a user loaded by another backend has it read on its own.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from django.apps import apps
from django.db import connection
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from needlepoint.accounts.backends import (
    NO_DEVICE_READ,
    SessionDevice,
    session_device,
    with_session_device,
)
from needlepoint.core import plain_sql


class DeviceMiddleware(OTPMiddleware):  # type: ignore[misc]  # django-otp has no types
    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        persistent_id: str | None = request.session.get(DEVICE_ID_SESSION_KEY)
        wanted = self._device_named(persistent_id) if persistent_id else None
        with with_session_device(wanted):
            self._init_user_fields(user)  # loads the user (django-otp sets two attributes)
        if user.is_authenticated:
            device = None
            if persistent_id and wanted:
                device = session_device(user)
                if device is NO_DEVICE_READ:  # loaded by a backend that does not read it
                    device = self._device_from_persistent_id(persistent_id)
            user.otp_device = self._finalize_device(request, user, device)
        return user

    def _device_named(self, persistent_id: str) -> SessionDevice | None:
        """The device model and id a session's persistent id names, if it names one."""
        with suppress(ValueError, LookupError):
            label, device_id = self._normalize_persistent_id(persistent_id).rsplit("/", 1)
            app_label, model_name = label.split(".")
            model = apps.get_model(app_label, model_name)
            if issubclass(model, Device):
                return model, int(device_id)
        return None

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        named = self._device_named(persistent_id)
        if named is None:
            return None
        model, device_id = named
        table = connection.ops.quote_name(model._meta.db_table)
        found = plain_sql.rows(
            f"SELECT {plain_sql.columns(model, 'd')} FROM {table} d WHERE d.id = %s", [device_id]
        )
        return plain_sql.instance(model, found[0]) if found else None
