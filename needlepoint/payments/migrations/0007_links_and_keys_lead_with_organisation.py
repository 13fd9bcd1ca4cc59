"""A one-to-one link's uniqueness leads with the organisation (docs/scaling.md,
"Partitioning by organisation"): the unique index on the link alone becomes a plain
index and a unique constraint on (organisation, link);
the keys a payment or a scheduled charge is
recorded once by are unique per organisation.

On SQLite, dropping the unique index rebuilds the table, which drops its triggers: this
app's triggers are noted first and made again at the end, exactly as they were.
"""

import django.db.models.deletion
import needlepoint.core.models
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.operations.base import Operation

# This migration's own helpers, frozen as written: a migration never changes when app code does.

APP = "payments"
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
        ('payments', '0006_organisation_on_every_row'),
        ('scheduling', '0014_organisation_on_every_row'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        SqliteTriggers(keep=True),
        migrations.AlterField(
            model_name='depositrule',
            name='service',
            field=needlepoint.core.models.OrganisationOneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='deposit_rule', to='scheduling.service'),
        ),
        migrations.AlterField(
            model_name='fee',
            name='booking',
            field=needlepoint.core.models.OrganisationOneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='fee', to='scheduling.booking'),
        ),
        migrations.AlterField(
            model_name='payment',
            name='idempotency_key',
            field=models.CharField(max_length=120),
        ),
        migrations.AlterField(
            model_name='paymentpolicy',
            name='location',
            field=needlepoint.core.models.OrganisationOneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='payment_policy', to='clinics.location'),
        ),
        migrations.AlterField(
            model_name='policyacceptance',
            name='booking',
            field=needlepoint.core.models.OrganisationOneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='policy_acceptance', to='scheduling.booking'),
        ),
        migrations.AlterField(
            model_name='savedcard',
            name='client',
            field=needlepoint.core.models.OrganisationOneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='saved_card', to='clients.client'),
        ),
        migrations.AlterField(
            model_name='scheduledcharge',
            name='key',
            field=models.CharField(max_length=120),
        ),
        migrations.AddConstraint(
            model_name='depositrule',
            constraint=models.UniqueConstraint(fields=('organisation', 'service'), name='deposit_rule_once_per_service'),
        ),
        migrations.AddConstraint(
            model_name='fee',
            constraint=models.UniqueConstraint(fields=('organisation', 'booking'), name='fee_once_per_booking'),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.UniqueConstraint(fields=('organisation', 'idempotency_key'), name='payment_once_per_key'),
        ),
        migrations.AddConstraint(
            model_name='paymentpolicy',
            constraint=models.UniqueConstraint(fields=('organisation', 'location'), name='payment_policy_once_per_location'),
        ),
        migrations.AddConstraint(
            model_name='policyacceptance',
            constraint=models.UniqueConstraint(fields=('organisation', 'booking'), name='policy_accepted_once_per_booking'),
        ),
        migrations.AddConstraint(
            model_name='savedcard',
            constraint=models.UniqueConstraint(fields=('organisation', 'client'), name='saved_card_once_per_client'),
        ),
        migrations.AddConstraint(
            model_name='scheduledcharge',
            constraint=models.UniqueConstraint(fields=('organisation', 'key'), name='scheduled_charge_once_per_key'),
        ),
        SqliteTriggers(keep=False),
    ]
