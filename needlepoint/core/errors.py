from __future__ import annotations

from collections.abc import Mapping


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
