from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from needlepoint.accounts.models import User
from needlepoint.accounts.recent import password_again
from needlepoint.accounts.roles import may_manage, staff_change_check
from needlepoint.clinics.models import (
    Closure,
    Device,
    Location,
    NeedleConfiguration,
    OpeningHours,
    Organisation,
    Room,
    StaffMember,
)
from needlepoint.core.errors import DomainError
from needlepoint.staff.admin_scoping import ScopedAdmin, ScopedTabularInline


class PasswordFirstAdmin(ScopedAdmin):
    """A settings page where some changes need the password given recently."""

    password_first_fields: tuple[str, ...] = ()  # a new value of any of these
    password_first_to_add = False  # and, when set, adding a row at all

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if self._needs_password(request, object_id):
            asked = password_again(request)
            if asked is not None:
                return asked
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _needs_password(self, request: HttpRequest, pk: str | None) -> bool:
        if pk is None:
            return self.password_first_to_add
        if request.method != "POST" or not self.password_first_fields:
            return False
        row = self.get_object(request, unquote(pk))
        return row is not None and any(
            request.POST.get(field) != str(getattr(row, field))
            for field in self.password_first_fields
        )


class OpeningHoursFormSet(BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        periods: dict[int, list[tuple[Any, Any]]] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("opens") or not data.get("closes"):
                continue
            day = periods.setdefault(data["weekday"], [])
            if any(data["opens"] < closes and opens < data["closes"] for opens, closes in day):
                raise forms.ValidationError("Two opening periods on the same day overlap.")
            day.append((data["opens"], data["closes"]))


class OpeningHoursInline(ScopedTabularInline):
    model = OpeningHours
    formset = OpeningHoursFormSet


class ClosureInline(ScopedTabularInline):
    model = Closure


class RoomInline(ScopedTabularInline):
    model = Room


@admin.register(Organisation)
class OrganisationAdmin(PasswordFirstAdmin):
    list_display = ("name", "slug", "created_at")
    prepopulated_fields = {"slug": ("name",)}

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    password_first_fields = ("clinical_retention_years",)  # it decides when records go


@admin.register(Location)
class LocationAdmin(ScopedAdmin):
    list_display = ("name", "time_zone", "organisation")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OpeningHoursInline, ClosureInline, RoomInline)


@admin.register(NeedleConfiguration)
class NeedleConfigurationAdmin(ScopedAdmin):
    list_display = ("name", "device_kind", "needle_count", "material", "needle_length_mm")
    list_filter = ("device_kind", "material")


@admin.register(Device)
class DeviceAdmin(ScopedAdmin):
    list_display = (
        "name",
        "kind",
        "model",
        "serial_number",
        "location",
        "status",
        "reprocessing_minutes",
    )
    list_filter = ("kind", "status", "location")
    search_fields = ("name", "serial_number")
    filter_horizontal = ("needle_configurations",)


class StaffMemberForm(forms.ModelForm):  # type: ignore[type-arg]
    """A team member's role, locations and active flag, held to the rule of accounts/roles.py:
    the refusal is shown on the form and nothing is saved."""

    actor: Any = None  # the person signed in; StaffMemberAdmin.get_form sets it per request

    class Meta:
        model = StaffMember
        fields = ("role", "locations", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        member = self.instance if self.instance.pk is not None else None
        own = getattr(self.actor, "staff", None)
        if member is not None:
            organisation = member.organisation
        else:
            organisation = data.get("organisation") or getattr(own, "organisation", None)
        if organisation is None:
            return data
        try:
            staff_change_check(
                self.actor,
                organisation=organisation,
                member=member,
                role=data.get("role"),
                is_active=data.get("is_active"),
            )
        except DomainError as error:
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return data


class NewStaffMemberForm(StaffMemberForm):
    """Adding a team member creates their sign-in account at the same time."""

    email = forms.EmailField()
    full_name = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, help_text="12 characters or more.")

    class Meta:
        model = StaffMember
        fields = ("role", "locations", "is_active")

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("Somebody already signs in with this email.")
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password"):
            candidate = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(data["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def save(self, commit: bool = True) -> StaffMember:
        member: StaffMember = super().save(commit=False)
        member.user = User.objects.create_user(
            self.cleaned_data["email"],
            self.cleaned_data["password"],
            full_name=self.cleaned_data["full_name"],
            is_staff=member.manages_organisation,
        )
        if commit:
            member.save()
            self.save_m2m()
        return member


@admin.register(StaffMember)
class StaffMemberAdmin(PasswordFirstAdmin):
    """Every change here goes through the rule of accounts/roles.py: a person at or below
    the actor's role, given a role at or below it, and never the last active owner away.
    Someone above the actor is shown read-only; staff are removed one at a time."""

    form = StaffMemberForm
    list_display = ("user", "role", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("user__full_name", "user__email")
    filter_horizontal = ("locations",)
    readonly_fields = ("user",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = NewStaffMemberForm
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            fields = ("email", "full_name", "password", "role", "locations", "is_active")
            return ("organisation", *fields) if request.user.is_superuser else fields
        return ("user", "role", "locations", "is_active")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("user",) if obj is not None else ()

    password_first_fields = ("role",)  # adding a member or changing a role hands out access
    password_first_to_add = True

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_manage(request.user, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self._removal_refusal(request, obj) is None)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, each checked
        return actions

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "POST" and object_id is not None:
            member = self.get_object(request, unquote(object_id))
            if member is not None and self._allowed(request):
                try:  # someone above the actor: refused before any form is read
                    staff_change_check(
                        request.user, organisation=member.organisation, member=member
                    )
                except DomainError as error:
                    return self._refused(request, member, error)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        member = self.get_object(request, unquote(object_id))
        if member is not None and self._allowed(request):
            refusal = self._removal_refusal(request, member)
            if refusal is not None:
                return self._refused(request, member, refusal)
        return super().delete_view(request, object_id, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The form checked already; checked again here, in the writing transaction.
        own = getattr(request.user, "staff", None)
        organisation = (
            obj.organisation if obj.organisation_id else getattr(own, "organisation", None)
        )
        if organisation is None:
            raise PermissionDenied("A new staff member needs an organisation.")
        try:
            staff_change_check(
                request.user,
                organisation=organisation,
                member=obj if change else None,
                role=obj.role,
                is_active=obj.is_active,
            )
        except DomainError as error:
            raise PermissionDenied(error.message) from error
        super().save_model(request, obj, form, change)
        if obj.user.is_staff != obj.manages_organisation and not obj.user.is_superuser:
            obj.user.is_staff = obj.manages_organisation
            obj.user.save(update_fields=["is_staff"])

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        refusal = self._removal_refusal(request, obj)
        if refusal is not None:
            raise PermissionDenied(refusal.message)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        raise PermissionDenied("Staff members are removed one at a time.")

    def _removal_refusal(self, request: HttpRequest, member: StaffMember) -> DomainError | None:
        try:
            staff_change_check(
                request.user, organisation=member.organisation, member=member, removing=True
            )
        except DomainError as error:
            return error
        return None

    def _refused(
        self, request: HttpRequest, member: StaffMember, error: DomainError
    ) -> HttpResponse:
        """Nothing changed: back to the member's page, saying why."""
        self.message_user(request, error.message, messages.ERROR)
        return HttpResponseRedirect(reverse("admin:clinics_staffmember_change", args=[member.pk]))
