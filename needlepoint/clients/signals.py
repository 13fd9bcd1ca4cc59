"""What clients announces for the apps above it (see scheduling/signals.py)."""

from django.dispatch import Signal

client_screened = Signal()  # screening
