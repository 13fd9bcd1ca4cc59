"""The webhook delivery task, queued by the worker's scheduler and after each change."""

from __future__ import annotations

from django_tasks import task

from needlepoint.notifications.tasks import WORKER_ID
from needlepoint.webhooks.delivery import deliver_due


@task()
def deliver_due_webhooks() -> int:
    """Post every webhook delivery whose time has come; returns how many were handled."""
    return deliver_due(worker_id=WORKER_ID)
