"""The worker's voucher task, queued by its scheduler every minute: vouchers past their
last day marked expired (spending checks the date itself, so this only tidies the list
and the report)."""

from __future__ import annotations

from django_tasks import task

from needlepoint.vouchers import services


@task()
def expire_vouchers() -> int:
    """Mark every active voucher past its last day as expired; returns how many."""
    return services.vouchers_expire()
