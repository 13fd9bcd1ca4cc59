"""PostgreSQL keeps the rate-limit counts in an unlogged table.

Every API request and every limited form post adds one to a count, in a transaction of
its own. A logged table made each of those commits wait for the write-ahead log to reach
the disk (about 5 ms here, longer than the rest of an availability answer's reads); an
unlogged one writes no log, so its commits don't wait. What that gives up: after a crash
PostgreSQL empties the table (every window starts afresh, as a Redis restart would), and
replicas don't have it (only the primary counts). SQLite has no such tables.
"""

from django.db import migrations


def per_vendor(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0002_rate_count")]

    operations = [
        migrations.RunPython(
            per_vendor("ALTER TABLE core_ratecount SET UNLOGGED"),
            per_vendor("ALTER TABLE core_ratecount SET LOGGED"),
        )
    ]
