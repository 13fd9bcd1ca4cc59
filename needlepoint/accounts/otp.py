"""django-otp's middleware, reading the session's verified device in one plain statement.

Which device, and the checks on it, are django-otp's own (``OTPMiddleware``): the device
must still exist, belong to the signed-in user and be confirmed, read afresh on every
request. Only the statement is written here: the ORM took longer to build it than the
database took to answer.
"""

from __future__ import annotations

from contextlib import suppress

from django.apps import apps
from django.db import connection
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from needlepoint.core import plain_sql


class DeviceMiddleware(OTPMiddleware):  # type: ignore[misc]  # django-otp has no types
    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        with suppress(ValueError, LookupError):
            label, device_id = self._normalize_persistent_id(persistent_id).rsplit("/", 1)
            app_label, model_name = label.split(".")
            model = apps.get_model(app_label, model_name)
            if issubclass(model, Device):
                table = connection.ops.quote_name(model._meta.db_table)
                found = plain_sql.rows(
                    f"SELECT {plain_sql.columns(model, 'd')} FROM {table} d WHERE d.id = %s",
                    [int(device_id)],
                )
                return plain_sql.instance(model, found[0]) if found else None
        return None
