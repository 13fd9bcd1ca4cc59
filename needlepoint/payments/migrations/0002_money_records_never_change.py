"""Money records the database keeps as written.

- An issued invoice or credit note, and its lines, never change and are never deleted.
- A payment's amount, currency, method, kind, client and what it refunds never change; its
  status moves only out of "pending" or "unknown"; it is never deleted. A deposit paid
  before its invoice existed may be attached to the invoice once (NULL → an invoice).
- Account credit entries, accepted policies and cash-ups are append-only.

PostgreSQL refuses with triggers, DELETE included (raw SQL too). SQLite refuses the same
UPDATEs (and new or changed lines on issued invoices); a DELETE there is refused by the
application only (the models are PROTECTed), because SQLite test databases are emptied
with DELETE.
"""

from django.db import migrations

# This migration's own SQL, frozen as written: a migration never changes when app code does.


def per_vendor(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


APPEND_ONLY = ["payments_creditentry", "payments_policyacceptance", "payments_cashup"]
PAYMENT_FROZEN = "amount_minor currency method kind client_id refund_of_id organisation_id"

POSTGRES = [
    """CREATE FUNCTION payments_refuse(what text) RETURNS void LANGUAGE plpgsql AS $$
       BEGIN
           RAISE EXCEPTION '%%', what USING ERRCODE = 'restrict_violation';
       END $$""",
    """CREATE FUNCTION payments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           PERFORM payments_refuse(TG_TABLE_NAME || ' rows are never changed or deleted');
           RETURN NULL;
       END $$""",
    *(
        f"""CREATE TRIGGER {table}_never_change BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION payments_append_only()"""
        for table in APPEND_ONLY
    ),
    """CREATE FUNCTION payments_invoice_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF OLD.status = 'issued' THEN
               PERFORM payments_refuse('an issued invoice is never changed or deleted');
           END IF;
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER payments_invoice_never_change BEFORE UPDATE OR DELETE
       ON payments_invoice FOR EACH ROW EXECUTE FUNCTION payments_invoice_guard()""",
    """CREATE FUNCTION payments_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       DECLARE invoice bigint;
       BEGIN
           IF TG_OP = 'INSERT' THEN invoice := NEW.invoice_id; ELSE invoice := OLD.invoice_id; END IF;
           IF EXISTS (SELECT 1 FROM payments_invoice WHERE id = invoice AND status = 'issued')
              OR (TG_OP = 'UPDATE' AND EXISTS (
                  SELECT 1 FROM payments_invoice WHERE id = NEW.invoice_id AND status = 'issued'))
           THEN
               PERFORM payments_refuse('the lines of an issued invoice never change');
           END IF;
           IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER payments_invoiceline_never_change BEFORE INSERT OR UPDATE OR DELETE
       ON payments_invoiceline FOR EACH ROW EXECUTE FUNCTION payments_line_guard()""",
    f"""CREATE FUNCTION payments_payment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
           IF TG_OP = 'DELETE' THEN
               PERFORM payments_refuse('payments are never deleted');
           END IF;
           IF ({", ".join("OLD." + c for c in PAYMENT_FROZEN.split())})
                IS DISTINCT FROM ({", ".join("NEW." + c for c in PAYMENT_FROZEN.split())})
              OR (OLD.status IN ('succeeded', 'failed') AND NEW.status <> OLD.status)
              OR (OLD.invoice_id IS NOT NULL AND NEW.invoice_id IS DISTINCT FROM OLD.invoice_id)
           THEN
               PERFORM payments_refuse('a recorded payment never changes');
           END IF;
           RETURN NEW;
       END $$""",
    """CREATE TRIGGER payments_payment_never_change BEFORE UPDATE OR DELETE
       ON payments_payment FOR EACH ROW EXECUTE FUNCTION payments_payment_guard()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER payments_payment_never_change ON payments_payment",
    "DROP FUNCTION payments_payment_guard()",
    "DROP TRIGGER payments_invoiceline_never_change ON payments_invoiceline",
    "DROP FUNCTION payments_line_guard()",
    "DROP TRIGGER payments_invoice_never_change ON payments_invoice",
    "DROP FUNCTION payments_invoice_guard()",
    *(f"DROP TRIGGER {table}_never_change ON {table}" for table in APPEND_ONLY),
    "DROP FUNCTION payments_append_only()",
    "DROP FUNCTION payments_refuse(text)",
]
SQLITE = [
    *(
        f"""CREATE TRIGGER {table}_never_change BEFORE UPDATE ON {table}
            BEGIN SELECT RAISE(ABORT, '{table} rows are never changed'); END"""
        for table in APPEND_ONLY
    ),
    """CREATE TRIGGER payments_invoice_never_change BEFORE UPDATE ON payments_invoice
       WHEN OLD.status = 'issued'
       BEGIN SELECT RAISE(ABORT, 'an issued invoice is never changed'); END""",
    *(
        f"""CREATE TRIGGER payments_invoiceline_never_{op.lower()} BEFORE {op} ON payments_invoiceline
            WHEN EXISTS (SELECT 1 FROM payments_invoice WHERE id = {row}.invoice_id
                         AND status = 'issued')
            BEGIN SELECT RAISE(ABORT, 'the lines of an issued invoice never change'); END"""
        for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"))
    ),
    f"""CREATE TRIGGER payments_payment_never_change BEFORE UPDATE ON payments_payment
       WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in PAYMENT_FROZEN.split())}
            OR (OLD.status IN ('succeeded', 'failed') AND NEW.status <> OLD.status)
            OR (OLD.invoice_id IS NOT NULL AND NEW.invoice_id IS NOT OLD.invoice_id)
       BEGIN SELECT RAISE(ABORT, 'a recorded payment never changes'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER payments_payment_never_change",
    *(f"DROP TRIGGER payments_invoiceline_never_{op}" for op in ("insert", "update")),
    "DROP TRIGGER payments_invoice_never_change",
    *(f"DROP TRIGGER {table}_never_change" for table in APPEND_ONLY),
]


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": SQLITE}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
