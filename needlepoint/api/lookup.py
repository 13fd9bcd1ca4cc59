from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from needlepoint.core.errors import DomainError

M = TypeVar("M", bound=Model)


def referenced(rows: QuerySet[M], public_id: UUID, field: str) -> M:
    """A row a request body names by its id; one the user can't see is a 404 naming the field."""
    found = rows.filter(public_id=public_id).first()
    if found is None:
        raise DomainError(
            "not_found", _("No %(field)s with that id.") % {"field": field}, field=field
        )
    return found
