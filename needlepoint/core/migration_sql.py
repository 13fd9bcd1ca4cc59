"""What migrations that write raw SQL share: statements chosen by database vendor."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any


def per_vendor(statements_by_vendor: Mapping[str, Sequence[str]]) -> Callable[[Any, Any], None]:
    """A ``RunPython`` function running the statements listed for the database in use."""

    def apply(apps: Any, schema_editor: Any) -> None:
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply
