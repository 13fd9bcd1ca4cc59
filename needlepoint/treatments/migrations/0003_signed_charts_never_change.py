"""A signed chart never changes: the database refuses edits to a completed session.

PostgreSQL: triggers refuse changing or deleting a completed session, adding, changing
or removing its zones, photos or cartridges, moving a used cartridge to another session,
and any change to an addendum or outcome. SQLite: the same for INSERT and UPDATE; a
DELETE there is refused by the application only (its test databases are emptied with
DELETE; see consents 0002).
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
CHILD_TABLES = ["treatments_zonetreatment", "treatments_photo"]
WRITTEN_ONCE = ["treatments_sessionaddendum", "treatments_outcome"]

POSTGRES = [
    f"""CREATE FUNCTION treatments_refuse_locked_session() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF OLD.status = 'completed' THEN
               RAISE EXCEPTION '{LOCKED}' USING ERRCODE = 'restrict_violation';
           END IF;
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
       END $$""",
    f"""CREATE TRIGGER {SESSION_TABLE}_locked BEFORE UPDATE OR DELETE ON {SESSION_TABLE}
        FOR EACH ROW EXECUTE FUNCTION treatments_refuse_locked_session()""",
    f"""CREATE FUNCTION treatments_refuse_locked_child() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP <> 'INSERT' AND EXISTS (SELECT 1 FROM {SESSION_TABLE}
                   WHERE id = OLD.session_id AND status = 'completed')
              OR TG_OP <> 'DELETE' AND EXISTS (SELECT 1 FROM {SESSION_TABLE}
                   WHERE id = NEW.session_id AND status = 'completed') THEN
               RAISE EXCEPTION '{LOCKED}' USING ERRCODE = 'restrict_violation';
           END IF;
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
       END $$""",
    *(
        f"""CREATE TRIGGER {table}_locked BEFORE INSERT OR UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION treatments_refuse_locked_child()"""
        for table in CHILD_TABLES
    ),
    """CREATE FUNCTION treatments_cartridge_single_use() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF OLD.session_id IS NOT NULL AND NEW.session_id IS DISTINCT FROM OLD.session_id THEN
               RAISE EXCEPTION 'a used cartridge stays with its session'
                   USING ERRCODE = 'restrict_violation';
           END IF;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER treatments_cartridge_single_use BEFORE UPDATE ON treatments_cartridge
       FOR EACH ROW EXECUTE FUNCTION treatments_cartridge_single_use()""",
    """CREATE FUNCTION treatments_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           RAISE EXCEPTION '%% rows are never changed or deleted', TG_TABLE_NAME
               USING ERRCODE = 'restrict_violation';
       END $$""",
    *(
        f"""CREATE TRIGGER {table}_never_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION treatments_refuse_change()"""
        for table in WRITTEN_ONCE
    ),
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER {SESSION_TABLE}_locked ON {SESSION_TABLE}",
    *(f"DROP TRIGGER {table}_locked ON {table}" for table in CHILD_TABLES),
    "DROP TRIGGER treatments_cartridge_single_use ON treatments_cartridge",
    *(f"DROP TRIGGER {table}_never_change ON {table}" for table in WRITTEN_ONCE),
    "DROP FUNCTION treatments_refuse_locked_session()",
    "DROP FUNCTION treatments_refuse_locked_child()",
    "DROP FUNCTION treatments_cartridge_single_use()",
    "DROP FUNCTION treatments_refuse_change()",
]


def _child_of_locked(row: str) -> str:
    return f"EXISTS (SELECT 1 FROM {SESSION_TABLE} WHERE id = {row}.session_id AND status = 'completed')"


SQLITE = [
    f"""CREATE TRIGGER {SESSION_TABLE}_locked BEFORE UPDATE ON {SESSION_TABLE}
        WHEN OLD.status = 'completed'
        BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END""",
    *(
        f"""CREATE TRIGGER {table}_locked_{event.lower()} BEFORE {event} ON {table}
            WHEN {condition}
            BEGIN SELECT RAISE(ABORT, '{LOCKED}'); END"""
        for table in CHILD_TABLES
        for event, condition in (
            ("INSERT", _child_of_locked("NEW")),
            ("UPDATE", f"{_child_of_locked('OLD')} OR {_child_of_locked('NEW')}"),
        )
    ),
    """CREATE TRIGGER treatments_cartridge_single_use BEFORE UPDATE ON treatments_cartridge
       WHEN OLD.session_id IS NOT NULL AND NEW.session_id IS NOT OLD.session_id
       BEGIN SELECT RAISE(ABORT, 'a used cartridge stays with its session'); END""",
    *(
        f"""CREATE TRIGGER {table}_never_change BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} rows are never changed'); END"""
        for table in WRITTEN_ONCE
    ),
]
SQLITE_REVERSE = [
    f"DROP TRIGGER {SESSION_TABLE}_locked",
    *(
        f"DROP TRIGGER {table}_locked_{event}"
        for table in CHILD_TABLES
        for event in ("insert", "update")
    ),
    "DROP TRIGGER treatments_cartridge_single_use",
    *(f"DROP TRIGGER {table}_never_change" for table in WRITTEN_ONCE),
]


class Migration(migrations.Migration):
    dependencies = [("treatments", "0002_charting")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
