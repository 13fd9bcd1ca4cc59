"""The Django admin, kept for a site administrator (a superuser) in an emergency.

No role's daily work uses it and no page links to it: the clinic is set up in Settings
(needlepoint/setup), where every change goes through its service, its rules and the
audit log. Here a superuser may look, not change: clinical and booking records are
written only by the services. Accounts are the exception (accounts/admin.py), so a
site administrator can let a locked-out owner back in.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.decorators import method_decorator

from needlepoint.core.throttle import limit_posts


class EmergencyAdminSite(admin.AdminSite):
    site_header = "Needlepoint site administration (read-only)"
    site_title = "Needlepoint"

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    # Its sign-in page is a second door to the same accounts: it counts against the
    # same per-address limit as the staff sign-in page (accounts/urls.py).
    @method_decorator(limit_posts("sign_in"))
    def login(self, request: HttpRequest, extra_context: Any = None) -> Any:
        return super().login(request, extra_context)


class EmergencyAdminConfig(AdminConfig):
    default_site = "needlepoint.core.emergency_admin.EmergencyAdminSite"


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
