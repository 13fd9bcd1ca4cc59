"""What staff see of the outbox: its rows, and whether messages are going out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max, QuerySet

from needlepoint.clinics.models import StaffMember
from needlepoint.notifications.choices import MessageStatus
from needlepoint.notifications.models import Message, WorkerHeartbeat

STALLED_AFTER = timedelta(minutes=3)  # the scheduler beats every minute
OVERDUE_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class DeliveryHealth:
    last_beat: datetime | None
    stalled: bool
    overdue: int
    failed: int

    @property
    def problem(self) -> bool:
        return self.stalled or self.overdue > 0 or self.failed > 0


def messages_for(staff: StaffMember) -> QuerySet[Message]:
    return Message.objects.filter(organisation_id=staff.organisation_id)


def last_heartbeat() -> datetime | None:
    """When any worker last beat; None if none ever ran."""
    last: datetime | None = WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]
    return last


def delivery_health(staff: StaffMember, now: datetime) -> DeliveryHealth:
    """Is the worker alive, and is anything late or failed? Three small queries."""
    last_beat = last_heartbeat()
    mine = messages_for(staff)
    overdue = mine.filter(
        status__in=[MessageStatus.PENDING, MessageStatus.SENDING],
        next_attempt_at__lt=now - OVERDUE_AFTER,
    ).count()
    failed = mine.filter(status=MessageStatus.FAILED).count()
    stalled = last_beat is None or now - last_beat > STALLED_AFTER
    return DeliveryHealth(last_beat, stalled, overdue, failed)
