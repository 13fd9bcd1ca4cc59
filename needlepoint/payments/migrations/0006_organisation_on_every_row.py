"""Every row of a clinic's data carries its organisation, and every unique constraint
leads with it: the key to partition and shard by (docs/scaling.md).

The column is added empty, filled from the row each belongs to, then made NOT NULL.
"""

import django.db.models.deletion
from django.conf import settings
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

APP = "payments"
PATHS = {'paymentpolicy': 'location__organisation', 'depositrule': 'location__organisation', 'invoiceseries': 'location__organisation', 'invoiceline': 'invoice__organisation', 'fee': 'booking__location__organisation', 'creditentry': 'client__organisation', 'savedcard': 'client__organisation', 'policyacceptance': 'booking__location__organisation', 'cashup': 'location__organisation'}
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
        ('clients', '0012_organisation_on_every_row'),
        ('clinics', '0012_organisation_on_every_row'),
        ('payments', '0005_scheduled_charges_and_purposes'),
        ('scheduling', '0014_organisation_on_every_row'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        SqliteTriggers(keep=True),
        migrations.RemoveConstraint(
            model_name='cashup',
            name='one_cash_up_per_day',
        ),
        migrations.RemoveConstraint(
            model_name='depositrule',
            name='one_deposit_rule_per_location',
        ),
        migrations.RemoveConstraint(
            model_name='invoice',
            name='invoice_number_once_per_series',
        ),
        migrations.RemoveConstraint(
            model_name='invoiceseries',
            name='one_series_per_kind',
        ),
        migrations.AddField(
            model_name='cashup',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='creditentry',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='depositrule',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='fee',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='invoiceline',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='invoiceseries',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='paymentpolicy',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='policyacceptance',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddField(
            model_name='savedcard',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AddConstraint(
            model_name='cashup',
            constraint=models.UniqueConstraint(fields=('organisation', 'location', 'day'), name='one_cash_up_per_day'),
        ),
        migrations.AddConstraint(
            model_name='depositrule',
            constraint=models.UniqueConstraint(condition=models.Q(('service', None)), fields=('organisation', 'location'), name='one_deposit_rule_per_location'),
        ),
        migrations.AddConstraint(
            model_name='invoice',
            constraint=models.UniqueConstraint(fields=('organisation', 'location', 'kind', 'number'), name='invoice_number_once_per_series'),
        ),
        migrations.AddConstraint(
            model_name='invoiceseries',
            constraint=models.UniqueConstraint(fields=('organisation', 'location', 'kind'), name='one_series_per_kind'),
        ),
        migrations.RunPython(fill_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='cashup',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='creditentry',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='depositrule',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='fee',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='invoiceline',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='invoiceseries',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='paymentpolicy',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='policyacceptance',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterField(
            model_name='savedcard',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        SqliteTriggers(keep=False),
    ]
