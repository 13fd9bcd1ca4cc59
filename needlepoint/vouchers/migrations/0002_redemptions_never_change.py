"""A voucher's redemptions are kept as written: PostgreSQL refuses an UPDATE or DELETE of
one (raw SQL too), SQLite an UPDATE (its test databases are emptied with DELETE; the
model refuses a delete and the foreign keys are PROTECTed)."""

from django.db import migrations

# This migration's own SQL, frozen as written: a migration never changes when app code does.
TABLE = "vouchers_voucherredemption"

POSTGRES = [
    f"""CREATE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           RAISE EXCEPTION '{TABLE} rows are never changed or deleted'
               USING ERRCODE = 'restrict_violation';
       END $$""",
    f"""CREATE TRIGGER {TABLE}_never_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER {TABLE}_never_change ON {TABLE}",
    f"DROP FUNCTION {TABLE}_append_only()",
]
SQLITE = [
    f"""CREATE TRIGGER {TABLE}_never_change BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{TABLE} rows are never changed'); END""",
]
SQLITE_REVERSE = [f"DROP TRIGGER {TABLE}_never_change"]


def per_vendor(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("vouchers", "0001_initial")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
