"""The clinic's rules are set-up too: every booking check reads them (core/setup_token.py)."""

from django.db import migrations

# The SQL helpers below are this migration's own copy, frozen as they were when it was
# written: a migration never changes when app code does.


SETUP_TOKEN_EVENTS = ("INSERT", "UPDATE", "DELETE")
SETUP_TOKEN_VALUE = {
    "postgresql": "md5(random()::text || clock_timestamp()::text)",
    "sqlite": "lower(hex(randomblob(16)))",
}


def new_setup_token(vendor):
    """The statement that gives ``scheduling_setuptoken`` a new value."""
    return (
        f"INSERT INTO scheduling_setuptoken (id, token) VALUES (1, {SETUP_TOKEN_VALUE[vendor]})"
        " ON CONFLICT (id) DO UPDATE SET token = excluded.token"
    )


def setup_token_triggers(tables):
    """Triggers that change the set-up token on any write to ``tables``, and their undoing."""
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


def per_vendor(statements_by_vendor):
    """A ``RunPython`` function running the statements listed for the database in use."""

    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


TRIGGERS, TRIGGERS_REVERSE = setup_token_triggers(["clinics_organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0010_setup_token_covers_webhooks"),
        ("clinics", "0009_staff_members_get_a_public_id"),
    ]

    operations = [
        migrations.RunPython(per_vendor(TRIGGERS), per_vendor(TRIGGERS_REVERSE)),
    ]
