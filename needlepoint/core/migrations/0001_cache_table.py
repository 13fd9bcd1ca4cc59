"""The cache table, where rate-limit counts live (settings.CACHES, core/throttle.py).

A migration, not a step to remember: `needlepoint migrate` makes it wherever the app
runs, tests included. The name must match ``CACHES["default"]["LOCATION"]``.
"""

from typing import Any

from django.core.management import call_command
from django.db import migrations

TABLE = "needlepoint_cache"


def create(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create, drop, elidable=False)]
