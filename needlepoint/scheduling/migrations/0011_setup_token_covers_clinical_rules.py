"""The clinic's rules are set-up too: every booking check reads them (core/setup_token.py).

The same triggers as 0009, on clinics_organisation.
"""

from django.db import migrations

from needlepoint.core.migration_sql import per_vendor

TABLE = "clinics_organisation"
UPSERT = (
    "INSERT INTO scheduling_setuptoken (id, token) VALUES (1, {token})"
    " ON CONFLICT (id) DO UPDATE SET token = excluded.token"
)
EVENTS = ("INSERT", "UPDATE", "DELETE")

POSTGRES = [
    f"""CREATE TRIGGER {TABLE}_setup_changed
        AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION scheduling_setup_changed()"""
]
POSTGRES_REVERSE = [f"DROP TRIGGER {TABLE}_setup_changed ON {TABLE}"]
SQLITE = [
    f"""CREATE TRIGGER {TABLE}_setup_changed_{event.lower()} AFTER {event} ON {TABLE}
        BEGIN {UPSERT.format(token="lower(hex(randomblob(16)))")}; END"""
    for event in EVENTS
]
SQLITE_REVERSE = [f"DROP TRIGGER {TABLE}_setup_changed_{event.lower()}" for event in EVENTS]


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0010_setup_token_covers_webhooks"),
        ("clinics", "0009_staff_members_get_a_public_id"),
    ]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
