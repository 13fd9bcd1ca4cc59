"""A consent form keeps a version of its text per language: the English text is the
source, numbered as before; a Spanish or German text is numbered on its own and says
which English version it translates. Versions already published are English.

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
        ('consents', '0005_consent_covers'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='consentformversion',
            name='consent_version_unique',
        ),
        migrations.AddField(
            model_name='consentformversion',
            name='language',
            field=models.CharField(default='en-gb', max_length=10),
        ),
        migrations.AddField(
            model_name='consentformversion',
            name='translates',
            field=models.PositiveIntegerField(blank=True, help_text='The English version translated; empty for English.', null=True),
        ),
        migrations.AddConstraint(
            model_name='consentformversion',
            constraint=models.UniqueConstraint(fields=('form', 'language', 'version'), name='consent_version_unique'),
        ),
        migrations.RunPython(remake_trigger, migrations.RunPython.noop),
    ]
