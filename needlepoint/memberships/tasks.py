"""The worker's membership task, queued by its scheduler every minute: periods that
ended move on (the next invoiced, its charge scheduled) or end as cancelled."""

from __future__ import annotations

from django_tasks import task

from needlepoint.memberships import services


@task()
def roll_membership_periods() -> int:
    """Move on every live membership whose period has ended; returns how many."""
    return services.periods_roll()
