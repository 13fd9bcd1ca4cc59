"""Each clinic offers languages and has a default; each staff member reads one.

SQLite rebuilds the organisation and staff tables to add the columns, which drops their
set-up token triggers (scheduling 0009 and 0011): they are made again here when the
migration that made them has run (a fresh install makes them later), written out so later
edits elsewhere never change this migration.
"""

import needlepoint.clinics.models
from django.db import migrations, models

NEW_TOKEN = (
    "INSERT INTO scheduling_setuptoken (id, token) VALUES (1, lower(hex(randomblob(16))))"
    " ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)
MADE_BY = {
    "clinics_organisation": "0011_setup_token_covers_clinical_rules",
    "clinics_staffmember": "0009_setup_token",
}


def remake_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        present = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'scheduling'")
        applied = {name for (name,) in cursor.fetchall()}
    for table, migration in MADE_BY.items():
        if migration not in applied:  # a fresh install: scheduling makes them later
            continue
        for event in ("insert", "update", "delete"):
            name = f"{table}_setup_changed_{event}"
            if name not in present:
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} BEGIN {NEW_TOKEN}; END"
                )


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0010_device_stroke_rate"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="default_language",
            field=models.CharField(
                default="en-gb",
                help_text="Clients who have not chosen a language get this one; it is offered.",
                max_length=8,
                validators=[needlepoint.clinics.models.validate_language],
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="languages",
            field=models.JSONField(
                default=needlepoint.clinics.models.default_languages,
                help_text="The languages clients may choose (codes from settings.LANGUAGES).",
            ),
        ),
        migrations.AddField(
            model_name="staffmember",
            name="language",
            field=models.CharField(
                default="en-gb",
                help_text="Staff pages and the messages sent to them are in this language.",
                max_length=8,
                validators=[needlepoint.clinics.models.validate_language],
            ),
        ),
        migrations.RunPython(remake_triggers, migrations.RunPython.noop),
    ]
