"""No two active holds on one practitioner, room or device overlap — enforced by the database.

PostgreSQL: an exclusion constraint over half-open time ranges (btree_gist for the
equality parts). SQLite: triggers that refuse an overlapping insert or update; SQLite
runs one writer at a time, so the check and the write cannot interleave.
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


POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE scheduling_hold ADD CONSTRAINT hold_resources_never_overlap
       EXCLUDE USING gist (
           kind WITH =, resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&
       ) WHERE (active)""",
]
POSTGRES_REVERSE = ["ALTER TABLE scheduling_hold DROP CONSTRAINT hold_resources_never_overlap"]

OVERLAP = """EXISTS (SELECT 1 FROM scheduling_hold AS other
    WHERE other.active AND other.kind = NEW.kind AND other.resource_id = NEW.resource_id
      AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at {extra})"""
SQLITE = [
    f"""CREATE TRIGGER hold_no_overlap_insert BEFORE INSERT ON scheduling_hold
        WHEN NEW.active AND {OVERLAP.format(extra="")}
        BEGIN SELECT RAISE(ABORT, 'hold_resources_never_overlap'); END""",
    f"""CREATE TRIGGER hold_no_overlap_update BEFORE UPDATE ON scheduling_hold
        WHEN NEW.active AND {OVERLAP.format(extra="AND other.id <> NEW.id")}
        BEGIN SELECT RAISE(ABORT, 'hold_resources_never_overlap'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER hold_no_overlap_insert", "DROP TRIGGER hold_no_overlap_update"]


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
