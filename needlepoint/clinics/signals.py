"""What clinics announces for the apps above it to act on.

clinics sits below audit, so its services cannot write the audit log themselves: they
send ``clinic_changed`` inside their transaction and audit's receiver records it, so the
record commits or rolls back with the change.
"""

from django.dispatch import Signal

# organisation_id, action and target (the values of audit's Action and Target), target_id,
# detail (a dict of plain values, e.g. {"old": ..., "new": ...}).
clinic_changed = Signal()
