"""The worker's package task, queued by its scheduler every minute: packages whose
effective expiry has passed are marked expired."""

from __future__ import annotations

from django_tasks import task

from needlepoint.packages import services


@task()
def expire_packages() -> int:
    """Mark expired every active package past its effective expiry; returns how many."""
    return services.expire_due()
