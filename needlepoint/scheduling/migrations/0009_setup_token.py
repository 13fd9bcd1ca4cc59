"""A token the database changes whenever availability's set-up changes (see SetupToken).

Every table an availability search reads, other than the holds, gets triggers that give
the single row (id 1) a new random token on insert, update, delete (and, on PostgreSQL,
truncate). The row is upserted, so a flushed table comes back on the next change.
"""

from django.db import migrations, models

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


SETUP_TABLES = [
    "clinics_staffmember",
    "clinics_staffmember_locations",
    "scheduling_service_practitioners",
    "clinics_room",
    "clinics_device",
    "clinics_openinghours",
    "clinics_closure",
    "scheduling_workingperiod",
    "scheduling_shiftexception",
    "scheduling_timeoff",
]
TRIGGERS, TRIGGERS_REVERSE = setup_token_triggers(SETUP_TABLES)
POSTGRES = [
    f"""CREATE FUNCTION scheduling_setup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {new_setup_token("postgresql")}; RETURN NULL; END $$""",
    *TRIGGERS["postgresql"],
    new_setup_token("postgresql"),
]
POSTGRES_REVERSE = [*TRIGGERS_REVERSE["postgresql"], "DROP FUNCTION scheduling_setup_changed()"]
SQLITE = [*TRIGGERS["sqlite"], new_setup_token("sqlite")]
SQLITE_REVERSE = TRIGGERS_REVERSE["sqlite"]


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0008_clinical_retention_years"),
        ("scheduling", "0008_service_public_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="SetupToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
