"""A zone may be charted in several segments (depths) in one session.

SQLite rebuilds the table to drop the unique constraint, which drops its triggers: the
ones of 0003 that refuse adding to or changing the zones of a signed chart are made
again here (written out, so later edits elsewhere never change this migration).
"""

import django.db.models.deletion
from django.db import migrations, models

LOCKED = "signed charts are never changed; write an addendum"
TABLE = "treatments_zonetreatment"


def _of_locked(row: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM treatments_treatmentsession"
        f" WHERE id = {row}.session_id AND status = 'completed')"
    )


SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {TABLE}_locked_insert BEFORE INSERT ON {TABLE}
        WHEN {_of_locked("NEW")}
        BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
    f"""CREATE TRIGGER {TABLE}_locked_update BEFORE UPDATE ON {TABLE}
        WHEN {_of_locked("OLD")} OR {_of_locked("NEW")}
        BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
]


def remake_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_locked_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ('treatments', '0006_countersignature_never_changes'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='zonetreatment',
            options={'ordering': ('session', 'zone', 'pk')},
        ),
        migrations.RemoveConstraint(
            model_name='zonetreatment',
            name='one_record_per_zone_per_session',
        ),
        migrations.AddField(
            model_name='zonetreatment',
            name='cartridge',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='segments', to='treatments.cartridge'),
        ),
        migrations.RunPython(remake_triggers, drop_triggers),
    ]
