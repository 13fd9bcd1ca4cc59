"""Admin pages scoped to the signed-in person's organisation.

Site administrators (superusers) see everything. An owner or manager sees and edits
only their own organisation's rows, and is offered only its rows: in every form's and
inline's choices (a related model with no way to its organisation offers nothing) and in
every list filter; other roles don't use the admin. The admin's sign-in page counts
against the per-address sign-in limit, as the staff sign-in page does.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.filters import RelatedFieldListFilter
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation, StaffMember
from needlepoint.core.throttle import limit_posts


def managing_staff(request: HttpRequest) -> StaffMember | None:
    staff: StaffMember | None = getattr(request.user, "staff", None)
    if staff is not None and staff.is_active and staff.manages_organisation:
        return staff
    return None


class OrganisationRelatedFilter(RelatedFieldListFilter):
    """A list filter on a related model that names only the signed-in organisation's rows."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> Any:
        staff = managing_staff(request)
        if request.user.is_superuser:
            return super().field_choices(field, request, model_admin)
        related = field.remote_field.model
        if staff is None:
            return []
        try:
            rows = related._default_manager.filter(
                **organisation_filter(related, staff.organisation)
            )
        except TypeError:
            return []
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            rows = rows.order_by(*ordering)
        return [(row.pk, str(row)) for row in rows.distinct()]


def organisation_filter(model: type[models.Model], organisation: Organisation) -> dict[str, Any]:
    path = getattr(model, "organisation_path", None)
    if path is None:
        path = "organisation" if any(f.name == "organisation" for f in model._meta.fields) else None
    if model is Organisation:
        return {"pk": organisation.pk}
    if path is None:
        raise TypeError(f"{model.__name__} has no organisation_path for admin scoping.")
    return {path: organisation}


class ScopedAdminMixin:
    """Limit rows and choices to the user's organisation; stamp it on new rows."""

    organisation_path: str | None = None

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(
            request.user.is_active and (request.user.is_superuser or managing_staff(request))
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def _scope(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if request.user.is_superuser:
            return queryset
        staff = managing_staff(request)
        if staff is None:
            return queryset.none()
        path = self.organisation_path
        filters = (
            {path: staff.organisation}
            if path
            else organisation_filter(queryset.model, staff.organisation)
        )
        return queryset.filter(**filters)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self._scope(request, super().get_queryset(request))  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> Any:
        """Each filter on a related model lists only the organisation's own rows."""
        filters = super().get_list_filter(request)  # type: ignore[misc]
        return [self._scoped_filter(entry) for entry in filters]

    def _scoped_filter(self, entry: Any) -> Any:
        if not isinstance(entry, str):
            return entry
        model = self.model  # type: ignore[attr-defined]
        field = None
        for part in entry.split("__"):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:  # not a field path: Django's own check reports it
                return entry
            if not field.is_relation:
                break
            model = field.related_model
        if field is not None and field.is_relation:
            return (entry, OrganisationRelatedFilter)
        return entry

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]
        self._scope_choices(field, db_field, request)
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        self._scope_choices(field, db_field, request)
        return field

    def _scope_choices(self, field: Any, db_field: Any, request: HttpRequest) -> None:
        staff = managing_staff(request)
        if field is None or request.user.is_superuser or staff is None:
            return
        related = db_field.remote_field.model
        try:
            field.queryset = field.queryset.filter(
                **organisation_filter(related, staff.organisation)
            )
        except TypeError:  # no way to its organisation: offer nothing rather than everyone's
            field.queryset = field.queryset.none()

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])  # type: ignore[misc]
        if not request.user.is_superuser and self._has_organisation_field():
            exclude.append("organisation")
        return exclude

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        staff = managing_staff(request)
        if not change and staff is not None and self._has_organisation_field():
            obj.organisation = staff.organisation
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        client = _client_of(obj)
        if client is not None:
            audit.record(
                Action.CHANGED if change else Action.CREATED,
                Target.CLIENT,
                client.public_id,
                client=client,
                detail={"record": type(obj).__name__, "fields": list(form.changed_data)},
            )

    def change_view(self, request: HttpRequest, object_id: str, *args: Any, **kwargs: Any) -> Any:
        response = super().change_view(request, object_id, *args, **kwargs)  # type: ignore[misc]
        if request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, object_id)  # type: ignore[attr-defined]
            client = _client_of(obj)
            if client is not None:
                audit.record(
                    Action.VIEWED,
                    Target.CLIENT,
                    client.public_id,
                    client=client,
                    detail={"record": type(obj).__name__},
                )
        return response

    def _has_organisation_field(self) -> bool:
        return any(f.name == "organisation" for f in self.model._meta.fields)  # type: ignore[attr-defined]


def _client_of(obj: Any) -> Client | None:
    """The client a settings-area record is about, if it is about one."""
    if isinstance(obj, Client):
        return obj
    client = getattr(obj, "client", None)
    return client if isinstance(client, Client) else None


class ScopedAdmin(ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    pass


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    extra = 0


class ReadOnlyScopedAdmin(ScopedAdmin):
    """For records that are written once by services and never changed (screenings, histories)."""

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# The settings area's own sign-in page is a second door to the same accounts: it counts
# against the same per-address limit as the staff sign-in page (accounts/urls.py).
# AdminSite.get_urls reads ``self.login`` when the URLs are built, after this module.
admin.site.login = limit_posts("sign_in")(admin.site.login)  # type: ignore[method-assign,assignment]
