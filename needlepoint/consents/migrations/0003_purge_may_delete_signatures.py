"""The retention purge may delete signatures; nothing else may change or delete them.

PostgreSQL's trigger function (consents 0002) now lets a DELETE through only inside a
transaction that ran ``SET LOCAL needlepoint.purging = 'on'``: the clinical-retention
purge does that (``clients/erasure.py: purge_due``) and nothing else does. An UPDATE is
refused as before. SQLite's triggers refuse UPDATE only and are unchanged.
"""

from django.db import migrations

# The SQL helpers below are this migration's own copy, frozen as they were when it was
# written: a migration never changes when app code does.


def per_vendor(statements_by_vendor):
    """A ``RunPython`` function running the statements listed for the database in use."""

    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


POSTGRES = [
    """CREATE OR REPLACE FUNCTION consents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP = 'DELETE' AND current_setting('needlepoint.purging', true) = 'on' THEN
               RETURN OLD;
           END IF;
           RAISE EXCEPTION 'consent records are never changed or deleted (%%)', TG_TABLE_NAME
               USING ERRCODE = 'restrict_violation';
       END $$""",
]
POSTGRES_REVERSE = [
    """CREATE OR REPLACE FUNCTION consents_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           RAISE EXCEPTION 'consent records are never changed or deleted (%%)', TG_TABLE_NAME
               USING ERRCODE = 'restrict_violation';
       END $$""",
]


class Migration(migrations.Migration):
    dependencies = [("consents", "0002_signatures_never_change")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES}), per_vendor({"postgresql": POSTGRES_REVERSE})
        )
    ]
