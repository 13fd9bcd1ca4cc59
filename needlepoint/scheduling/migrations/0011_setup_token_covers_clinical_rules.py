"""The clinic's rules are set-up too: every booking check reads them (core/setup_token.py)."""

from django.db import migrations

from needlepoint.core.migration_sql import per_vendor, setup_token_triggers

TRIGGERS, TRIGGERS_REVERSE = setup_token_triggers(["clinics_organisation"])


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0010_setup_token_covers_webhooks"),
        ("clinics", "0009_staff_members_get_a_public_id"),
    ]

    operations = [
        migrations.RunPython(per_vendor(TRIGGERS), per_vendor(TRIGGERS_REVERSE)),
    ]
