"""A consent version states what it covers: indications, the deepest depth band, devices.

SQLite rebuilds the table to add the columns, which drops its never-change trigger (made
in 0002); it is made again here, written out so that this migration never changes.
"""

from django.db import migrations, models

TABLE = "consents_consentformversion"


def remake_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {TABLE}_never_change BEFORE UPDATE ON {TABLE}"
            " BEGIN SELECT RAISE(ABORT, 'consent records are never changed'); END"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('consents', '0004_consent_versions_get_a_public_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='consentformversion',
            name='depth_band',
            field=models.CharField(blank=True, help_text='Depth band key, e.g. band.mid_dermal.', max_length=32),
        ),
        migrations.AddField(
            model_name='consentformversion',
            name='device_kinds',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='consentformversion',
            name='indications',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(remake_trigger, migrations.RunPython.noop),
    ]
