"""Webhook subscriptions are set-up too: every booking asks for them (core/setup_token.py)."""

from django.db import migrations

from needlepoint.core.migration_sql import per_vendor, setup_token_triggers

TRIGGERS, TRIGGERS_REVERSE = setup_token_triggers(["webhooks_webhooksubscription"])


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0009_setup_token"),
        ("webhooks", "0002_attempts_edit_and_secret_grace"),
    ]

    operations = [
        migrations.RunPython(per_vendor(TRIGGERS), per_vendor(TRIGGERS_REVERSE)),
    ]
