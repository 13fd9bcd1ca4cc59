from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.http import HttpRequest

from needlepoint.accounts.models import User
from needlepoint.accounts.roles import staff_change_check
from needlepoint.clinics.models import StaffMember
from needlepoint.core.errors import DomainError


class AccountChangeForm(UserChangeForm):  # type: ignore[type-arg]
    """Switching a staff member's account off is held to the rule of accounts/roles.py
    (never the last active owner of an organisation)."""

    actor: Any = None  # the site administrator signed in; set per request by UserAdmin

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        member: StaffMember | None = getattr(self.instance, "staff", None)
        switching_off = self.instance.is_active and data.get("is_active") is False
        if member is not None and switching_off:
            try:
                staff_change_check(
                    self.actor, organisation=member.organisation, member=member, is_active=False
                )
            except DomainError as error:
                self.add_error("is_active", error.message)
        return data


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    form = AccountChangeForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_staff")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ("groups",)

    # Team members are managed in Settings (Team); only site administrators see, add,
    # change or remove accounts here, whatever permissions anyone is given.
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})
