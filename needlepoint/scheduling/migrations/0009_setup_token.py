"""A token the database changes whenever availability's set-up changes (see SetupToken).

Every table an availability search reads, other than the holds, gets triggers that give
the single row (id 1) a new random token on insert, update, delete (and, on PostgreSQL,
truncate). The row is upserted, so a flushed table comes back on the next change.
"""

from django.db import migrations, models

from needlepoint.core.migration_sql import per_vendor

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
UPSERT = (
    "INSERT INTO scheduling_setuptoken (id, token) VALUES (1, {token})"
    " ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)
POSTGRES_TOKEN = "md5(random()::text || clock_timestamp()::text)"
SQLITE_TOKEN = "lower(hex(randomblob(16)))"

POSTGRES = [
    f"""CREATE FUNCTION scheduling_setup_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN {UPSERT.format(token=POSTGRES_TOKEN)}; RETURN NULL; END $$""",
    *(
        f"""CREATE TRIGGER {table}_setup_changed
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION scheduling_setup_changed()"""
        for table in SETUP_TABLES
    ),
    UPSERT.format(token=POSTGRES_TOKEN),
]
POSTGRES_REVERSE = [
    *(f"DROP TRIGGER {table}_setup_changed ON {table}" for table in SETUP_TABLES),
    "DROP FUNCTION scheduling_setup_changed()",
]
SQLITE = [
    *(
        f"""CREATE TRIGGER {table}_setup_changed_{event.lower()} AFTER {event} ON {table}
            BEGIN {UPSERT.format(token=SQLITE_TOKEN)}; END"""
        for table in SETUP_TABLES
        for event in ("INSERT", "UPDATE", "DELETE")
    ),
    UPSERT.format(token=SQLITE_TOKEN),
]
SQLITE_REVERSE = [
    f"DROP TRIGGER {table}_setup_changed_{event.lower()}"
    for table in SETUP_TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
]


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
