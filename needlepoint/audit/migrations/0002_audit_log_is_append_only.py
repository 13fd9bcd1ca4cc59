"""The audit log is append-only: the database refuses to change or remove an event.

PostgreSQL refuses UPDATE and DELETE with a trigger. SQLite refuses UPDATE with a
trigger; a DELETE there is refused by the application only, because SQLite has no
TRUNCATE and its test databases are emptied with DELETE.
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


TABLE = "audit_auditevent"

POSTGRES = [
    """CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           RAISE EXCEPTION 'the audit log is append-only'
               USING ERRCODE = 'restrict_violation';
       END $$""",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER {TABLE}_append_only ON {TABLE}",
    "DROP FUNCTION audit_refuse_change()",
]
SQLITE = [
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""
]
SQLITE_REVERSE = [f"DROP TRIGGER {TABLE}_append_only"]


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_event")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
