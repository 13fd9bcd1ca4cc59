"""A countersignature is written once: the database refuses to change it.

PostgreSQL: the same trigger function as addenda and outcomes (which lets the
clinical-retention purge delete, see 0004). SQLite: UPDATE refused; DELETE is refused by
the application (its test databases are emptied with DELETE).
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


TABLE = "treatments_countersignature"

POSTGRES = [
    f"""CREATE TRIGGER {TABLE}_never_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION treatments_refuse_change()"""
]
POSTGRES_REVERSE = [f"DROP TRIGGER {TABLE}_never_change ON {TABLE}"]
SQLITE = [
    f"""CREATE TRIGGER {TABLE}_never_change BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'countersignatures are never changed'); END"""
]
SQLITE_REVERSE = [f"DROP TRIGGER {TABLE}_never_change"]


class Migration(migrations.Migration):
    dependencies = [("treatments", "0005_countersignature")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
