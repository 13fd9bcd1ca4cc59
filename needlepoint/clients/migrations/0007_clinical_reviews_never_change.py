"""A clinical review is written once: the database refuses any change. Corrections are new reviews.

PostgreSQL refuses UPDATE and DELETE with a trigger; a DELETE gets through only inside
a transaction that ran ``SET LOCAL needlepoint.purging = 'on'``, which only the
clinical-retention purge does (``clients/erasure.py``, as for signed consents in
consents 0003). SQLite refuses UPDATE with a trigger; a DELETE there is refused by the
application only, because its test databases are emptied with DELETE (consents 0002).

The SQL is written out here, not imported, so this migration stays as it was applied.
"""

from django.db import migrations

TABLE = "clients_clinicalreview"

POSTGRES = [
    """CREATE FUNCTION clients_clinicalreview_refuse_change() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP = 'DELETE' AND current_setting('needlepoint.purging', true) = 'on' THEN
               RETURN OLD;
           END IF;
           RAISE EXCEPTION 'clinical reviews are never changed or deleted; record a new review'
               USING ERRCODE = 'restrict_violation';
       END $$""",
    f"""CREATE TRIGGER {TABLE}_never_change BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION clients_clinicalreview_refuse_change()""",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER {TABLE}_never_change ON {TABLE}",
    "DROP FUNCTION clients_clinicalreview_refuse_change()",
]
SQLITE = [
    f"""CREATE TRIGGER {TABLE}_never_change BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'clinical reviews are never changed; record a new review'); END"""
]
SQLITE_REVERSE = [f"DROP TRIGGER {TABLE}_never_change"]


class RunSQLOn(migrations.RunSQL):
    """``RunSQL`` applied only on one database vendor (a no-op elsewhere)."""

    def __init__(self, vendor, sql, reverse_sql):
        self.vendor = vendor
        super().__init__(sql, reverse_sql)

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, args, {"vendor": self.vendor, **kwargs}

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("clients", "0006_clinical_review")]

    operations = [
        RunSQLOn("postgresql", POSTGRES, POSTGRES_REVERSE),
        RunSQLOn("sqlite", SQLITE, SQLITE_REVERSE),
    ]
