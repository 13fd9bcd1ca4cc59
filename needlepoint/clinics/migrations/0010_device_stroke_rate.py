"""Pens say how fast they stamp: the stroke rate charting and channel density use.

SQLite rebuilds the device table to add the check constraint, which drops its triggers:
the set-up token ones of scheduling 0009 (a changed device changes which times are free)
are made again here when the token table exists (a fresh install makes them later),
written out so later edits elsewhere never change this migration.
"""


import django.core.validators
from django.db import migrations, models

TABLE = "clinics_device"
EVENTS = ("insert", "update", "delete")
NEW_TOKEN = (
    "INSERT INTO scheduling_setuptoken (id, token) VALUES (1, lower(hex(randomblob(16))))"
    " ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)


def remake_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('trigger', 'table')")
        present = {name for (name,) in cursor.fetchall()}
    if "scheduling_setuptoken" not in present:  # a fresh install: scheduling 0009 makes them
        return
    for event in EVENTS:
        name = f"{TABLE}_setup_changed_{event}"
        if name not in present:
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER {event.upper()} ON {TABLE} BEGIN {NEW_TOKEN}; END"
            )


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0009_staff_members_get_a_public_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='device',
            name='stroke_rate_hz',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Pens: how fast the needles stamp, in strokes per second (Hz), e.g. 117 for 7,000 a minute. Charting and channel density use it.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(333)]),
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.CheckConstraint(condition=models.Q(('stroke_rate_hz__isnull', True), ('kind', 'pen'), _connector='OR'), name='device_stroke_rate_for_pens_only', violation_error_message='Only a pen has a stroke rate.'),
        ),
        migrations.RunPython(remake_triggers, migrations.RunPython.noop),
    ]
