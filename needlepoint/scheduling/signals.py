"""What scheduling announces for the apps above it to act on.

The services send these inside their transaction; notifications (messages to plan) and
webhooks (deliveries to write) receive them in their ``receivers.py``, connected in
their ``AppConfig.ready``. So scheduling never imports the apps that depend on it, and
what they write still commits or rolls back with the booking.
"""

from django.dispatch import Signal

booking_created = Signal()  # booking, now
booking_moved = Signal()  # booking, now, previous_starts_at
booking_cancelled = Signal()  # booking, now
booking_checked_in = Signal()  # booking
booking_no_show = Signal()  # booking
booking_completed = Signal()  # booking
waitlist_offered = Signal()  # offer, now
