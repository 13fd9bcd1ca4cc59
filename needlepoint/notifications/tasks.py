"""Background tasks, on the tasks framework (django-tasks; the database backend in production)."""

from __future__ import annotations

import os
import socket

from django_tasks import task

from needlepoint.notifications.delivery import deliver_due

WORKER_ID = f"{socket.gethostname()}-{os.getpid()}"[:64]


@task()
def deliver_due_messages() -> int:
    """Send every message whose time has come; returns how many were handled."""
    return deliver_due(worker_id=WORKER_ID)
