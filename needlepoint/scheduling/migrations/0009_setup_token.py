"""A token the database changes whenever availability's set-up changes (see SetupToken).

Every table an availability search reads, other than the holds, gets triggers that give
the single row (id 1) a new random token on insert, update, delete (and, on PostgreSQL,
truncate). The row is upserted, so a flushed table comes back on the next change.
"""

from django.db import migrations, models

from needlepoint.core.migration_sql import new_setup_token, per_vendor, setup_token_triggers

SETUP_TABLES = [
    "clinics_staffmember",
    "clinics_staffmember_locations",
    "scheduling_service_practitioners",
    "clinics_room",
    "clinics_device",
    "clinics_openinghours",
    "clinics_closure",
    "scheduling_workingperiod",
    "scheduling_shiftexception",
    "scheduling_timeoff",
]
TRIGGERS, TRIGGERS_REVERSE = setup_token_triggers(SETUP_TABLES)
POSTGRES = [
    f"""CREATE FUNCTION scheduling_setup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {new_setup_token("postgresql")}; RETURN NULL; END $$""",
    *TRIGGERS["postgresql"],
    new_setup_token("postgresql"),
]
POSTGRES_REVERSE = [*TRIGGERS_REVERSE["postgresql"], "DROP FUNCTION scheduling_setup_changed()"]
SQLITE = [*TRIGGERS["sqlite"], new_setup_token("sqlite")]
SQLITE_REVERSE = TRIGGERS_REVERSE["sqlite"]


class Migration(migrations.Migration):
    dependencies = [
        ("clinics", "0008_clinical_retention_years"),
        ("scheduling", "0008_service_public_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="SetupToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
