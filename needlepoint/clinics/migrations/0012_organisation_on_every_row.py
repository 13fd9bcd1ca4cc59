"""Every row of a clinic's data carries its organisation, and every unique constraint
leads with it: the key to partition and shard by (docs/scaling.md).

The column is added empty, filled from the row each belongs to, then made NOT NULL.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.operations.base import Operation
from django.db.models import OuterRef, Subquery


# This migration's own helpers, frozen as written: a migration never changes when app code does.
#
# Each row takes the organisation of the row it belongs to (PATHS, as the models reached it
# when this was written). PostgreSQL: the tables' own triggers (append-only records, the
# set-up token) are off for the backfill. SQLite: changing a constraint or a column's
# NOT NULL rebuilds the table and drops its triggers, so this app's triggers are noted and
# dropped first (which also lets the backfill through the append-only ones) and made again
# at the end, exactly as they were.

APP = "clinics"
PATHS = {'openinghours': 'location__organisation', 'closure': 'location__organisation', 'room': 'location__organisation', 'device': 'location__organisation'}
KEPT_TRIGGERS = {}


def keep_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        rows = cursor.fetchall()
    KEPT_TRIGGERS.clear()
    for name, table, sql in rows:
        if not table.startswith(APP + "_"):
            continue
        KEPT_TRIGGERS[name] = sql
        schema_editor.execute(f"DROP TRIGGER {name}")


def fill_organisation(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for model_name, path in PATHS.items():
        model = apps.get_model(APP, model_name)
        table = model._meta.db_table
        if postgres:
            schema_editor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        model.objects.filter(organisation__isnull=True).update(
            organisation_id=Subquery(model.objects.filter(pk=OuterRef("pk")).values(path)[:1])
        )
        if postgres:
            # the foreign key checks the UPDATE queued, now, so the table can be altered
            schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")
            schema_editor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
    for name, sql in KEPT_TRIGGERS.items():
        if name not in present:
            schema_editor.execute(sql)


class SqliteTriggers(Operation):
    """Note and drop (``keep=True``) or make again (``keep=False``) this app's SQLite
    triggers: a plain operation, so the models are not rendered for it."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, keep):
        self.keep = keep

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        (keep_sqlite_triggers if self.keep else restore_sqlite_triggers)(None, schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        (restore_sqlite_triggers if self.keep else keep_sqlite_triggers)(None, schema_editor)

    def describe(self):
        return "Keep SQLite triggers" if self.keep else "Make SQLite triggers again"

    def deconstruct(self):
        return (self.__class__.__name__, [self.keep], {})


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0011_languages'),
    ]

    operations = [
        SqliteTriggers(keep=True),
        migrations.RemoveConstraint(
            model_name='device',
            name='device_serial_unique_in_location',
        ),
        migrations.RemoveConstraint(
            model_name='openinghours',
            name='opening_hours_unique_start',
        ),
        migrations.RemoveConstraint(
            model_name='room',
            name='room_name_unique_in_location',
        ),
        migrations.AddField(
            model_name='closure',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='device',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='openinghours',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='room',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.UniqueConstraint(fields=('organisation', 'location', 'serial_number'), name='device_serial_unique_in_location'),
        ),
        migrations.AddConstraint(
            model_name='openinghours',
            constraint=models.UniqueConstraint(fields=('organisation', 'location', 'weekday', 'opens'), name='opening_hours_unique_start'),
        ),
        migrations.AddConstraint(
            model_name='room',
            constraint=models.UniqueConstraint(fields=('organisation', 'location', 'name'), name='room_name_unique_in_location'),
        ),
        migrations.RunPython(fill_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='closure',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='device',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='openinghours',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='room',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        SqliteTriggers(keep=False),
    ]
