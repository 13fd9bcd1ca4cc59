"""A voucher's code, its sale's key and a spend's key are unique within its organisation,
not everywhere: each unique constraint leads with organisation_id (docs/scaling.md), and
every lookup names the organisation (a code is typed on one clinic's page or at its till).
"""

from django.db import migrations, models
from django.db.migrations.operations.base import Operation


# This migration's own helpers, frozen as written: a migration never changes when app code does.
#
# SQLite: changing a column's or a table's unique rules rebuilds the table and drops its
# triggers (a redemption's append-only ones), so this app's triggers are noted and dropped
# first and made again at the end, exactly as they were.

APP = "vouchers"
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
        ('vouchers', '0003_organisation_on_every_row'),
    ]

    operations = [
        SqliteTriggers(keep=True),
        migrations.AlterField(
            model_name='giftvoucher',
            name='code',
            field=models.CharField(max_length=16),
        ),
        migrations.AlterField(
            model_name='giftvoucher',
            name='sale_key',
            field=models.CharField(max_length=120),
        ),
        migrations.AlterField(
            model_name='voucherredemption',
            name='key',
            field=models.CharField(max_length=120),
        ),
        migrations.AddConstraint(
            model_name='giftvoucher',
            constraint=models.UniqueConstraint(fields=('organisation', 'code'), name='voucher_code_unique_in_organisation'),
        ),
        migrations.AddConstraint(
            model_name='giftvoucher',
            constraint=models.UniqueConstraint(fields=('organisation', 'sale_key'), name='voucher_sale_once_per_key'),
        ),
        migrations.AddConstraint(
            model_name='voucherredemption',
            constraint=models.UniqueConstraint(fields=('organisation', 'key'), name='voucher_redemption_once_per_key'),
        ),
        SqliteTriggers(keep=False),
    ]
