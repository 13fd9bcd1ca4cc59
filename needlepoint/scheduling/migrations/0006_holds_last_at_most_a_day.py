"""Holds last at most a day, so reads and the SQLite overlap check look at a bounded range.

Services and devices are limited so that no visit comes near a day; the database refuses
a longer hold outright (a CHECK on PostgreSQL, the insert and update triggers on SQLite).
With that, "overlapping [start, end)" is "started in [start - 1 day, end) and ending after
start": a range on the new index by start time. The SQLite triggers read it that way.
"""

import django.db.models.expressions
from django.db import migrations, models

# The SQL helpers below are this migration's own copy, frozen as they were when it was
# written: a migration never changes when app code does.


def per_vendor(statements_by_vendor):
    """A ``RunPython`` function running the statements listed for the database in use."""

    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


POSTGRES = [
    """ALTER TABLE scheduling_hold ADD CONSTRAINT hold_lasts_at_most_a_day
       CHECK (ends_at <= starts_at + interval '1 day')"""
]
POSTGRES_REVERSE = ["ALTER TABLE scheduling_hold DROP CONSTRAINT hold_lasts_at_most_a_day"]

TOO_LONG = "NEW.ends_at > datetime(NEW.starts_at, '+1 day')"
OVERLAP = """EXISTS (SELECT 1 FROM scheduling_hold AS other
    WHERE other.active AND other.kind = NEW.kind AND other.resource_id = NEW.resource_id
      AND other.starts_at >= datetime(NEW.starts_at, '-1 day')
      AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at {extra})"""
OLD_OVERLAP = """EXISTS (SELECT 1 FROM scheduling_hold AS other
    WHERE other.active AND other.kind = NEW.kind AND other.resource_id = NEW.resource_id
      AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at {extra})"""


def triggers(overlap: str, too_long: bool) -> list[str]:
    statements = ["DROP TRIGGER hold_no_overlap_insert", "DROP TRIGGER hold_no_overlap_update"]
    for event, extra in (("INSERT", ""), ("UPDATE", "AND other.id <> NEW.id")):
        name = f"hold_no_overlap_{event.lower()}"
        statements.append(
            f"""CREATE TRIGGER {name} BEFORE {event} ON scheduling_hold
                WHEN NEW.active AND {overlap.format(extra=extra)}
                BEGIN SELECT RAISE(ABORT, 'hold_resources_never_overlap'); END"""
        )
    if too_long:
        statements += [
            f"""CREATE TRIGGER hold_at_most_a_day_{event.lower()} BEFORE {event} ON scheduling_hold
                WHEN {TOO_LONG}
                BEGIN SELECT RAISE(ABORT, 'hold_lasts_at_most_a_day'); END"""
            for event in ("INSERT", "UPDATE")
        ]
    else:
        statements += ["DROP TRIGGER hold_at_most_a_day_insert", "DROP TRIGGER hold_at_most_a_day_update"]
    return statements


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0005_longest_visit'),
        ('scheduling', '0005_hold_index_by_end'),
    ]

    operations = [
        migrations.RunPython(
            per_vendor({"postgresql": POSTGRES, "sqlite": triggers(OVERLAP, too_long=True)}),
            per_vendor({"postgresql": POSTGRES_REVERSE, "sqlite": triggers(OLD_OVERLAP, too_long=False)}),
        ),
        migrations.RemoveIndex(
            model_name='hold',
            name='active_holds_by_end',
        ),
        migrations.AddIndex(
            model_name='hold',
            index=models.Index(condition=models.Q(('active', True)), fields=['kind', 'resource_id', 'starts_at'], name='active_holds_by_start'),
        ),
        migrations.AddConstraint(
            model_name='service',
            constraint=models.CheckConstraint(condition=models.Q(('numbing_minutes__lte', django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(django.db.models.expressions.CombinedExpression(models.Value(720), '-', models.F('duration_minutes')), '-', models.F('buffer_before_minutes')), '-', models.F('buffer_after_minutes')))), name='service_visit_at_most_12_hours', violation_error_message="Buffers, numbing and treatment together can't exceed 12 hours."),
        ),
    ]
