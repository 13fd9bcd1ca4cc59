"""A one-to-one link's uniqueness leads with the organisation (docs/scaling.md,
"Partitioning by organisation"): the unique index on the link alone becomes a plain
index and a unique constraint on (organisation, link).

On SQLite, dropping the unique index rebuilds the table, which drops its triggers: this
app's triggers are noted first and made again at the end, exactly as they were.
"""

import django.db.models.deletion
import needlepoint.core.models
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.operations.base import Operation

# This migration's own helpers, frozen as written: a migration never changes when app code does.

APP = "packages"
KEPT_TRIGGERS = {}


def keep_sqlite_triggers(schema_editor):
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


def restore_sqlite_triggers(schema_editor):
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
        (keep_sqlite_triggers if self.keep else restore_sqlite_triggers)(schema_editor)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        (restore_sqlite_triggers if self.keep else keep_sqlite_triggers)(schema_editor)

    def describe(self):
        return "Keep SQLite triggers" if self.keep else "Make SQLite triggers again"

    def deconstruct(self):
        return (self.__class__.__name__, [self.keep], {})


class Migration(migrations.Migration):

    dependencies = [
        ('clients', '0012_organisation_on_every_row'),
        ('clinics', '0012_organisation_on_every_row'),
        ('packages', '0002_organisation_on_every_row'),
        ('payments', '0006_organisation_on_every_row'),
        ('scheduling', '0014_organisation_on_every_row'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        SqliteTriggers(keep=True),
        migrations.AlterField(
            model_name='package',
            name='course',
            field=needlepoint.core.models.OrganisationOneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='package', to='scheduling.course'),
        ),
        migrations.AlterField(
            model_name='package',
            name='transferred_from',
            field=needlepoint.core.models.OrganisationOneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='transferred_to', to='packages.package'),
        ),
        migrations.AlterField(
            model_name='redemption',
            name='booking',
            field=needlepoint.core.models.OrganisationOneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='redemption', to='scheduling.booking'),
        ),
        migrations.AddConstraint(
            model_name='package',
            constraint=models.UniqueConstraint(fields=('organisation', 'course'), name='package_once_per_course'),
        ),
        migrations.AddConstraint(
            model_name='package',
            constraint=models.UniqueConstraint(fields=('organisation', 'transferred_from'), name='package_transferred_once'),
        ),
        migrations.AddConstraint(
            model_name='redemption',
            constraint=models.UniqueConstraint(fields=('organisation', 'booking'), name='redemption_once_per_booking'),
        ),
        SqliteTriggers(keep=False),
    ]
