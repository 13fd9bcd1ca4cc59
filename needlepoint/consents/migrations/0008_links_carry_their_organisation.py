"""Django's own join table of a consent form's services becomes a model of its own
(ConsentFormService), on the same table and columns, so each link carries its organisation like
every other row of a clinic's data and its unique rule leads with it (docs/scaling.md).

The state takes the model as Django had made it (no database change); the column is then
added empty, filled from the row each link belongs to, made NOT NULL, and the unique index
on the two ends becomes one on (organisation, the two ends).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.migrations.operations.base import Operation
from django.db.models import OuterRef, Subquery


# This migration's own helpers, frozen as written: a migration never changes when app code does.
#
# Each link takes the organisation of the row it belongs to (PATHS). PostgreSQL: the
# tables' own triggers (the set-up token) are off for the backfill. SQLite: changing a
# constraint or a column's NOT NULL rebuilds the table and drops its triggers, so this
# app's triggers are noted and dropped first and made again at the end, exactly as they were.

APP = "consents"
PATHS = {'consentformservice': 'consent_form__organisation'}
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
        ('consents', '0007_organisation_on_every_row'),
        ('scheduling', '0015_links_carry_their_organisation'),
    ]

    operations = [
        SqliteTriggers(keep=True),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ConsentFormService',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('consent_form', models.ForeignKey(db_column='consentform_id', on_delete=django.db.models.deletion.CASCADE, related_name='+', to='consents.consentform')),
                        ('service', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scheduling.service')),
                    ],
                    options={
                        'db_table': 'consents_consentform_services',
                        'unique_together': {('consent_form', 'service')},
                    },
                ),
                migrations.AlterField(
                    model_name='consentform',
                    name='services',
                    field=models.ManyToManyField(blank=True, help_text='The services that need this form signed first.', related_name='consent_forms', through='consents.ConsentFormService', to='scheduling.service'),
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name='consentformservice',
            name='organisation',
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.RunPython(fill_organisation, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='consentformservice',
            name='organisation',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.organisation'),
        ),
        migrations.AlterUniqueTogether(
            name='consentformservice',
            unique_together=set(),
        ),
        migrations.AddConstraint(
            model_name='consentformservice',
            constraint=models.UniqueConstraint(fields=('organisation', 'consent_form', 'service'), name='consent_form_covers_service_once'),
        ),
        SqliteTriggers(keep=False),
    ]
