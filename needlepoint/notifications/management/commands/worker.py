"""``needlepoint worker``: runs background tasks and, every minute, looks for due messages,
webhooks and payments.

One process does both: the tasks framework's database worker (django-tasks-db's own
``db_worker`` command) in the main thread, and a small scheduler thread that writes the
heartbeat and queues the delivery task (unless one is already waiting), and between
those minutes queues it as soon as a message is due. No cron is needed. Several workers
may run at once.

A lost database connection (the server restarted, say) does not end the process: the
broken connection is closed and the worker starts again after 1 s, 2 s, 4 s… (at most
30 s) until the database answers; the scheduler carries on at its next tick.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from needlepoint.core.outbox import CONNECTION_LOST, drop_connection
from needlepoint.core.throttle import purge_expired_counts
from needlepoint.memberships.tasks import roll_membership_periods
from needlepoint.notifications.choices import MessageStatus
from needlepoint.notifications.models import Message
from needlepoint.notifications.services import heartbeat_record
from needlepoint.notifications.tasks import WORKER_ID, deliver_due_messages
from needlepoint.packages.tasks import expire_packages
from needlepoint.payments.tasks import (
    charge_fees_due,
    charge_scheduled_due,
    process_stripe_events,
    send_due_payments,
)
from needlepoint.privacy.erasure import purge_due
from needlepoint.vouchers.tasks import expire_vouchers
from needlepoint.webhooks.tasks import deliver_due_webhooks

logger = logging.getLogger(__name__)
# Queued at every tick, each unless one already waits.
SCHEDULED = (
    deliver_due_messages,
    deliver_due_webhooks,
    process_stripe_events,
    send_due_payments,
    charge_fees_due,
    roll_membership_periods,  # each new period, its charge then due on its first day
    charge_scheduled_due,
    expire_packages,
    expire_vouchers,
)


class Command(BaseCommand):
    help = "Run the background worker: due messages, reminders, and queued tasks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args: Any, interval: float, **options: Any) -> None:
        started = timezone.now()
        stop = threading.Event()
        scheduler = threading.Thread(
            target=schedule, args=(stop, started, interval), name="scheduler", daemon=True
        )
        scheduler.start()
        self.stdout.write(f"Worker {WORKER_ID} started.")

        def run_tasks() -> None:
            call_command(
                "db_worker",
                queue_name="default",
                interval=interval,
                backend_name="default",
                startup_delay=False,
                reload=False,
                worker_id=WORKER_ID,
            )

        try:
            run_reconnecting(run_tasks)
        finally:
            stop.set()


def run_reconnecting(
    run: Callable[[], None],
    *,
    sleep: Callable[[float], None] = time.sleep,
    first_delay: float = 1.0,
    longest_delay: float = 30.0,
) -> None:
    """``run()`` until it returns; when it fails for a lost database connection, close
    that connection, wait (doubling the wait each time, back to ``first_delay`` after a
    minute's good run) and run it again. Any other error ends the worker as before."""
    delay = first_delay
    while True:
        began = time.monotonic()
        try:
            run()
            return
        except CONNECTION_LOST as error:
            if time.monotonic() - began > 60:
                delay = first_delay
            logger.warning("Lost the database (%s); reconnecting in %g s.", error, delay)
            drop_connection()
            sleep(delay)
            delay = min(delay * 2, longest_delay)


def schedule(stop: threading.Event, started: Any, interval: float = 1.0) -> None:
    """Every ``SCHEDULER_SECONDS``: heartbeat, and queue each task of ``SCHEDULED``
    (messages, webhooks, Stripe's events, card payments, automatic fees) if none waits.
    Between those ticks, every ``interval`` seconds (the worker's poll): queue the
    delivery task as soon as a message is due (a booking's confirmation, say).

    Once a day, too: purge the clinical records whose retention has ended, and the rate
    limits' counts of windows that have ended.
    """
    purged_on: date | None = None
    next_tick = time.monotonic()
    while not stop.is_set():
        pause = interval
        try:
            if time.monotonic() >= next_tick:
                next_tick = time.monotonic() + settings.SCHEDULER_SECONDS
                beat(started)
                for task in SCHEDULED:
                    queue_unless_waiting(task)
                purged_on = purge_daily(purged_on)
            else:
                queue_if_messages_due()
        except Exception:  # the database gone, say: the scheduler carries on at the next tick
            logger.exception("The scheduler's tick failed; trying again at the next one.")
            drop_connection()
            pause = settings.SCHEDULER_SECONDS  # no polls till then: one such line a tick
        finally:
            close_old_connections()
        stop.wait(max(0.0, min(pause, next_tick - time.monotonic())))


def queue_unless_waiting(task: Task[[], Any]) -> None:
    if not DBTaskResult.objects.ready().filter(task_path=task.module_path).exists():
        task.enqueue()


def queue_if_messages_due() -> None:
    """Queue the delivery task if a message is due and none waits: one read on the
    outbox's index of pending rows, instead of a wake-up row written with each booking."""
    due = Message.objects.filter(status=MessageStatus.PENDING, next_attempt_at__lte=timezone.now())
    if due.exists():
        queue_unless_waiting(deliver_due_messages)


def beat(started: Any) -> None:
    heartbeat_record(worker_id=WORKER_ID, started_at=started)


def purge_daily(last: date | None) -> date:
    """Run ``purge_due`` (privacy/erasure.py) and ``purge_expired_counts`` (core/throttle.py)
    on the first tick of each day; today's date."""
    today = timezone.localdate()
    if last != today:
        try:
            purge_due()
        except Exception:  # a failed purge must not stop the messages
            logger.exception(
                "The daily purge failed; it runs again tomorrow (or: needlepoint purge)."
            )
        try:
            purge_expired_counts()
        except Exception:  # nor a failed clean-up of counts
            logger.exception("Deleting the ended rate-limit counts failed; tomorrow again.")
    return today
