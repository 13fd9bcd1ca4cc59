"""What payments announces for the apps above it (packages, memberships)."""

from django.dispatch import Signal

payment_settled = Signal()  # payment: a card payment Stripe settled, succeeded or failed
charge_paid = Signal()  # charge: a scheduled charge was paid
charge_retrying = Signal()  # charge: its card was refused; tried again at charge.next_try_at
charge_failed = Signal()  # charge: refused on its last try; nothing more is tried
