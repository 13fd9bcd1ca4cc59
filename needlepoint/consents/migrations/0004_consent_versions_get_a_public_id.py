"""A consent form version gets a public id, so the signing link carries no sequential id.

Versions are never changed, and the database refuses an UPDATE (consents 0002), so the
ids of versions already published are written with that guard lifted for this migration
only: PostgreSQL disables the trigger and enables it again; SQLite drops it, and makes it
again after the table is rebuilt for the unique column (a rebuild drops a table's
triggers).
"""

import uuid

from django.db import migrations, models

# The SQL helpers below are this migration's own copy, frozen as they were when it was
# written: a migration never changes when app code does.


def per_vendor(statements_by_vendor):
    """A ``RunPython`` function running the statements listed for the database in use."""

    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


TABLE = "consents_consentformversion"
TRIGGER = f"{TABLE}_never_change"
SQLITE_TRIGGER = f"""CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'consent records are never changed'); END"""
LIFT_GUARD = per_vendor(
    {
        "postgresql": [f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}"],
        "sqlite": [f"DROP TRIGGER {TRIGGER}"],
    }
)
KEEP_GUARD = per_vendor(
    {
        "postgresql": [f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}"],
        "sqlite": [SQLITE_TRIGGER],
    }
)


def give_each_version_an_id(apps, schema_editor):
    versions = apps.get_model("consents", "ConsentFormVersion").objects
    for pk in versions.filter(public_id__isnull=True).values_list("pk", flat=True):
        versions.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("consents", "0003_purge_may_delete_signatures")]

    operations = [
        migrations.AddField(
            model_name="consentformversion",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(LIFT_GUARD, KEEP_GUARD),
        migrations.RunPython(give_each_version_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="consentformversion",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.RunPython(KEEP_GUARD, LIFT_GUARD),
    ]
