"""The worker's money tasks, queued by its scheduler every minute (and after a Stripe
event arrives): card payments and refunds sent, Stripe's events processed, and the fees
of locations that charge them automatically charged."""

from __future__ import annotations

import logging

from django_tasks import task

from needlepoint.core.errors import DomainError
from needlepoint.core.outbox import CONNECTION_LOST
from needlepoint.payments import charges, services
from needlepoint.payments.queries import fees_charged_automatically
from needlepoint.payments.stripe_events import stripe_events_process

logger = logging.getLogger(__name__)


@task()
def send_due_payments() -> int:
    """Send every card payment and refund waiting for Stripe, and ask again about those
    whose outcome is unknown; returns how many were handled."""
    return services.send_due()


@task()
def process_stripe_events() -> int:
    """Process every Stripe event received and not processed yet; returns how many."""
    return stripe_events_process()


@task()
def charge_fees_due() -> int:
    """Charge each fee still to charge where the location's policy charges them
    automatically; returns how many were charged. A fee that can't be charged (another
    worker or a person decided it first) doesn't stop the others."""
    charged = 0
    for fee in fees_charged_automatically():
        try:
            services.fee_charge(booking=fee.booking, by=None)
        except DomainError as error:
            logger.info("Fee %s not charged: %s", fee.pk, error.code)
        except CONNECTION_LOST:
            raise
        except Exception:  # one fee's surprise must not stop the others
            logger.exception("Charging fee %s failed.", fee.pk)
        else:
            charged += 1
    return charged


@task()
def charge_scheduled_due() -> int:
    """Charge the saved cards of every instalment and membership period that has fallen
    due (or whose card is to be tried again); returns how many were tried."""
    tried = charges.charges_due()
    if tried:
        services.send_due()
    return tried
