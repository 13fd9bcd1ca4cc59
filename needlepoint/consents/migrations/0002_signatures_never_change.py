"""Consent wording and signatures are written once: the database refuses any change.

PostgreSQL refuses UPDATE and DELETE on both tables with a trigger. SQLite refuses
UPDATE with a trigger; a DELETE there is refused by the application only, because
SQLite has no TRUNCATE and its test databases are emptied with DELETE.
"""

from django.db import migrations

# The SQL helpers below are this migration's own copy, frozen as they were when it was
# written: a migration never changes when app code does.


def per_vendor(statements_by_vendor):
    """A ``RunPython`` function running the statements listed for the database in use."""

    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


TABLES = ["consents_consentformversion", "consents_signedconsent"]

POSTGRES = [
    """CREATE FUNCTION consents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           RAISE EXCEPTION 'consent records are never changed or deleted (%%)', TG_TABLE_NAME
               USING ERRCODE = 'restrict_violation';
       END $$""",
    *(
        f"""CREATE TRIGGER {table}_never_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION consents_refuse_change()"""
        for table in TABLES
    ),
]
POSTGRES_REVERSE = [
    *(f"DROP TRIGGER {table}_never_change ON {table}" for table in TABLES),
    "DROP FUNCTION consents_refuse_change()",
]
SQLITE = [
    f"""CREATE TRIGGER {table}_never_change BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, 'consent records are never changed'); END"""
    for table in TABLES
]
SQLITE_REVERSE = [f"DROP TRIGGER {table}_never_change" for table in TABLES]


class Migration(migrations.Migration):
    dependencies = [("consents", "0001_initial")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
