"""The hot lookups read rows in plain SQL (core/plain_sql.py): they must load as the ORM does."""

from __future__ import annotations

from django.db.models import Model

from needlepoint.api.models import ApiToken
from needlepoint.api.tokens import token_create
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.core import plain_sql
from needlepoint.scheduling.models import Service
from tests import factories


def loaded(model: type[Model], pk: int) -> Model:
    table = model._meta.db_table
    found = plain_sql.rows(
        f"SELECT {plain_sql.columns(model, 'x')} FROM {table} x WHERE x.id = %s", [pk]
    )
    return plain_sql.instance(model, found[0])


def test_a_row_read_in_plain_sql_has_the_values_and_types_the_orm_gives(clinic):
    token, _ = token_create(user=clinic.owner.user, name="Website", scopes=["read", "book"])
    service = factories.service(clinic.location)
    rows = [
        (ApiToken, token.pk),  # a JSON list, instants, a UUID
        (Location, clinic.location.pk),
        (Organisation, clinic.organisation.pk),
        (StaffMember, clinic.owner.pk),
        (Service, service.pk),  # money, booleans, minutes
    ]
    for model, pk in rows:
        plain, orm = loaded(model, pk), model._default_manager.get(pk=pk)
        for field in model._meta.concrete_fields:
            ours, theirs = getattr(plain, field.attname), getattr(orm, field.attname)
            assert (ours, type(ours)) == (theirs, type(theirs)), f"{model.__name__}.{field.name}"
        assert plain == orm and not plain._state.adding and plain._state.db == "default"
