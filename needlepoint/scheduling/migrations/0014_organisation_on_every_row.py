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

APP = "scheduling"
PATHS = {'service': 'location__organisation', 'workingperiod': 'staff__organisation', 'shiftexception': 'staff__organisation', 'timeoff': 'staff__organisation', 'course': 'client__organisation', 'booking': 'location__organisation', 'hold': 'booking__location__organisation', 'bookingevent': 'booking__location__organisation', 'waitlistentry': 'client__organisation', 'waitlistoffer': 'entry__client__organisation'}
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


def no_overlap(leading):
    return [
        "ALTER TABLE scheduling_hold DROP CONSTRAINT hold_resources_never_overlap",
        f"""ALTER TABLE scheduling_hold ADD CONSTRAINT hold_resources_never_overlap
           EXCLUDE USING gist (
               {leading}kind WITH =, resource_id WITH =,
               tstzrange(starts_at, ends_at, '[)') WITH &&
           ) WHERE (active)""",
    ]


def on_postgres(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return apply


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
        ('clinics', '0012_organisation_on_every_row'),
        ('scheduling', '0013_service_tax_rate'),
    ]

    operations = [
        SqliteTriggers(keep=True),
        migrations.RemoveConstraint(
            model_name='hold',
            name='one_hold_per_kind_per_booking',
        ),
        migrations.RemoveConstraint(
            model_name='waitlistoffer',
            name='one_open_offer_per_waitlist_entry',
        ),
        migrations.AddField(
            model_name='booking',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='bookingevent',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='course',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='hold',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='service',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='shiftexception',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='timeoff',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='waitlistentry',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='waitlistoffer',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='workingperiod',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddConstraint(
            model_name='hold',
            constraint=models.UniqueConstraint(fields=('organisation', 'booking', 'kind'), name='one_hold_per_kind_per_booking'),
        ),
        migrations.AddConstraint(
            model_name='waitlistoffer',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('organisation', 'entry'), name='one_open_offer_per_waitlist_entry'),
        ),
        migrations.RunPython(fill_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='booking',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='bookingevent',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='course',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='hold',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='service',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='shiftexception',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='timeoff',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='waitlistentry',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='waitlistoffer',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='workingperiod',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        # No two active holds on one resource overlap within one organisation: the same
        # rule (a resource belongs to one organisation), with the partition key first.
        migrations.RunPython(
            on_postgres(no_overlap("organisation_id WITH =, ")), on_postgres(no_overlap(""))
        ),
        SqliteTriggers(keep=False),
    ]
