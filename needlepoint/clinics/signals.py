"""What clinics announces for the apps above it to act on.

Clinics sits below the audit log, so its services can't call ``audit.record``; they send
``setup_changed`` inside their transaction and the audit app (audit/signals.py) writes
the row, which commits or rolls back with the change.
"""

from django.dispatch import Signal

# action ("created", "changed", "removed"), target (an audit Target value), target_id,
# organisation_id, detail (a dict of plain values)
setup_changed = Signal()
