"""What treatments announces for the apps above it (see scheduling/signals.py)."""

from django.dispatch import Signal

session_completed = Signal()  # session: a chart signed and locked
adverse_event_recorded = Signal()  # event
adverse_event_resolved = Signal()  # event
