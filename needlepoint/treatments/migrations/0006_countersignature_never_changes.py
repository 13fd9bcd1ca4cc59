"""A countersignature is written once: the database refuses to change it.

PostgreSQL: the same trigger function as addenda and outcomes (which lets the
clinical-retention purge delete, see 0004). SQLite: UPDATE refused; DELETE is refused by
the application (its test databases are emptied with DELETE).
"""

from django.db import migrations

from needlepoint.core.migration_sql import per_vendor

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
