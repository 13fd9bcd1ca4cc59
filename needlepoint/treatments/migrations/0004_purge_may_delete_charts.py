"""The retention purge may delete signed charts; nothing else may change or delete them.

PostgreSQL's trigger functions (treatments 0003) now let a DELETE of a signed session,
its zones and photos, its addenda and its outcome through only inside a transaction
that ran ``SET LOCAL needlepoint.purging = 'on'``: the clinical-retention purge does
that (``clients/erasure.py: purge_due``) and nothing else does. Every UPDATE, and every
INSERT into a signed chart, is refused as before. SQLite's triggers refuse INSERT and
UPDATE only and are unchanged.
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


LOCKED = "signed charts are never changed; write an addendum"
SESSION_TABLE = "treatments_treatmentsession"
PURGING = "TG_OP = 'DELETE' AND current_setting('needlepoint.purging', true) = 'on'"


def functions(purge_check: str) -> list[str]:
    """The three trigger functions; ``purge_check`` is the statement letting a purge through."""
    return [
        f"""CREATE OR REPLACE FUNCTION treatments_refuse_locked_session() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
               {purge_check}
               IF OLD.status = 'completed' THEN
                   RAISE EXCEPTION '{LOCKED}' USING ERRCODE = 'restrict_violation';
               END IF;
               IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
               RETURN NEW;
           END $$""",
        f"""CREATE OR REPLACE FUNCTION treatments_refuse_locked_child() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
               {purge_check}
               IF TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM {SESSION_TABLE}
                       WHERE id = OLD.session_id AND status = 'completed')
                  OR TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM {SESSION_TABLE}
                       WHERE id = NEW.session_id AND status = 'completed') THEN
                   RAISE EXCEPTION '{LOCKED}' USING ERRCODE = 'restrict_violation';
               END IF;
               IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
               RETURN NEW;
           END $$""",
        f"""CREATE OR REPLACE FUNCTION treatments_refuse_change() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN
               {purge_check}
               RAISE EXCEPTION '%% rows are never changed or deleted', TG_TABLE_NAME
                   USING ERRCODE = 'restrict_violation';
           END $$""",
    ]


POSTGRES = functions(f"IF {PURGING} THEN RETURN OLD; END IF;")
POSTGRES_REVERSE = functions("")


class Migration(migrations.Migration):
    dependencies = [("treatments", "0003_signed_charts_never_change")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES}), per_vendor({"postgresql": POSTGRES_REVERSE})
        )
    ]
