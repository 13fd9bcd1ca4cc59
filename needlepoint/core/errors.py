from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db.models import Model


class DomainError(Exception):
    """A request the clinic's rules refuse: a stable ``code`` and a message for people.

    Pages show the message next to the form, the API returns both as JSON, the CLI
    prints the message. Nothing was written when one is raised. ``details`` are plain
    values a program may need to act on the refusal, e.g. the id of a record in the way.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        field: str | None = None,
        details: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = dict(details or {})

    def __str__(self) -> str:
        return self.message


def checked(row: Model, code: str = "invalid", *, exclude: Iterable[str] = ()) -> None:
    """The model's own checks (fields, constraints, uniqueness) as a ``DomainError`` naming
    the first field at fault (none for a check across fields); nothing is saved."""
    try:
        row.full_clean(exclude=list(exclude))
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(
            code, " ".join(messages), field=None if field == "__all__" else field
        ) from error
