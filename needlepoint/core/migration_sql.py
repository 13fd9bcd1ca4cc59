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


SETUP_TOKEN_EVENTS = ("INSERT", "UPDATE", "DELETE")
SETUP_TOKEN_VALUE = {
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
    "sqlite": "lower(hex(randomblob(16)))",
}


def new_setup_token(vendor: str) -> str:
    """The statement that gives ``scheduling_setuptoken`` (core/setup_token.py) a new value."""
    return (
        f"INSERT INTO scheduling_setuptoken (id, token) VALUES (1, {SETUP_TOKEN_VALUE[vendor]})"
        " ON CONFLICT (id) DO UPDATE SET token = excluded.token"
    )


def setup_token_triggers(
    tables: Sequence[str],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Triggers that change the set-up token on any write to ``tables``, and their undoing.

    PostgreSQL: a statement trigger (TRUNCATE too) calling ``scheduling_setup_changed()``,
    made in migration scheduling 0009; SQLite: a row trigger per kind of write.
    """
    forward = {
        "postgresql": [
            f"""CREATE TRIGGER {table}_setup_changed
                AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION scheduling_setup_changed()"""
            for table in tables
        ],
        "sqlite": [
            f"""CREATE TRIGGER {table}_setup_changed_{event.lower()} AFTER {event} ON {table}
                BEGIN {new_setup_token("sqlite")}; END"""
            for table in tables
            for event in SETUP_TOKEN_EVENTS
        ],
    }
    reverse = {
        "postgresql": [f"DROP TRIGGER {table}_setup_changed ON {table}" for table in tables],
        "sqlite": [
            f"DROP TRIGGER {table}_setup_changed_{event.lower()}"
            for table in tables
            for event in SETUP_TOKEN_EVENTS
        ],
    }
    return forward, reverse
