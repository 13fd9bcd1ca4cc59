"""What to send, to whom and when: the outbox rows planned for bookings, sessions and offers.

Planning runs inside the caller's transaction, so a booking and its messages are written
together or not at all. Planning the same thing twice changes nothing (the idempotency
key is unique); re-planning after a move cancels what no longer applies and revives a
cancelled message that applies again, so none is ever sent twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks_db import DatabaseBackend

from needlepoint.clients.models import Client
from needlepoint.clients.newsletter import newsletter_recipients
from needlepoint.clinics.models import Location
from needlepoint.core import plain_sql
from needlepoint.core.errors import DomainError
from needlepoint.notifications.choices import Channel, MessageKind, MessageStatus
from needlepoint.notifications.models import Campaign, Message, idempotency_key
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.models import Booking, WaitlistOffer
from needlepoint.treatments.models import TreatmentSession

PRE_CARE_DAYS = 3  # retinoids and other actives pause at least this long before needling
AFTERCARE_DAYS = (0, 1, 3, 7)
AFTERCARE_HOUR = time(18)  # evening, when the day's advice is read
FOLLOW_UP_MONTHS = (3, 6)
NUDGE_HOUR = time(10)
REMINDER_MARGIN = timedelta(minutes=30)  # a reminder held by quiet hours still comes this early
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))
GIVE_UP_AFTER = len(RETRY_DELAYS) + 1  # attempts


@dataclass(frozen=True)
class Planned:
    kind: MessageKind
    step: str
    due_at: datetime
    quiet: bool = True  # held back out of quiet hours; not for replies to the client's action
    latest: datetime | None = None  # never held back past this (a reminder, before the visit)


def plan_booking(booking: Booking, *, now: datetime | None = None, moved: bool = False) -> None:
    """Confirmation now, pre-care a few days before a treatment, reminders before the visit.

    A booking imported from the clinic's previous system was confirmed there already: it
    gets no second confirmation, only what is still to come.
    """
    now = now or timezone.now()
    subject = f"booking:{booking.public_id}"
    planned: list[Planned] = []
    if moved or booking.channel != "import":
        kind = MessageKind.BOOKING_MOVED if moved else MessageKind.BOOKING_CONFIRMED
        planned.append(Planned(kind, "", now, False))
    if booking.service.kind == ServiceKind.TREATMENT:
        pre_care = booking.starts_at - timedelta(days=PRE_CARE_DAYS)
        planned.append(Planned(MessageKind.PRE_CARE, "", max(pre_care, now), pre_care > now))
    for hours in booking.location.reminder_offsets:
        due = booking.starts_at - timedelta(hours=hours)
        if due > now:
            latest = booking.starts_at - REMINDER_MARGIN
            planned.append(Planned(MessageKind.REMINDER, f"{hours}h", due, latest=latest))
    if moved:
        cancel_pending(subject)
    _write(booking.client, booking.location, subject, planned, replanning=moved)


def plan_cancellation(booking: Booking, *, now: datetime | None = None) -> None:
    subject = f"booking:{booking.public_id}"
    cancel_pending(subject, keep_kinds=())
    planned = [Planned(MessageKind.BOOKING_CANCELLED, "", now or timezone.now(), False)]
    _write(booking.client, booking.location, subject, planned)


def plan_aftercare(session: TreatmentSession) -> None:
    """Aftercare on days 0, 1, 3 and 7, and "you can book again" on the eligible date."""
    location, subject = session.location, f"session:{session.public_id}"
    completed = session.completed_at or timezone.now()
    planned = [Planned(MessageKind.AFTERCARE, "day0", completed, False)]
    planned += [
        Planned(MessageKind.AFTERCARE, f"day{days}", _local(location, session.performed_on, days))
        for days in AFTERCARE_DAYS[1:]
    ]
    if session.next_eligible_on:
        due = datetime.combine(session.next_eligible_on, NUDGE_HOUR, tzinfo=location.zone)
        planned.append(Planned(MessageKind.REBOOK, "", due))
    if _ends_course(session):
        for months in FOLLOW_UP_MONTHS:
            on = _months_after(session.performed_on, months)
            due = datetime.combine(on, NUDGE_HOUR, tzinfo=location.zone)
            planned.append(Planned(MessageKind.FOLLOW_UP, f"{months}m", due))
    _write(session.client, location, subject, planned)


def plan_offer(offer: WaitlistOffer, *, now: datetime | None = None) -> None:
    entry = offer.entry
    planned = [Planned(MessageKind.WAITLIST_OFFER, "", now or timezone.now(), False)]
    _write(entry.client, entry.service.location, f"offer:{offer.pk}", planned)


def plan_email_now(
    *, organisation_id: int, client: Client | None, kind: MessageKind, subject: str, to: str
) -> None:
    """One email to send at once through the outbox (a signed consent's copy, a
    newsletter confirmation, a request for review): written in the caller's transaction,
    rendered and sent by the worker exactly once."""
    if not to:
        return
    now = timezone.now()
    key = idempotency_key(kind, subject, "", Channel.EMAIL, to, now.isoformat())
    Message.objects.create(
        organisation_id=organisation_id,
        client=client,
        kind=kind,
        subject=subject,
        channel=Channel.EMAIL,
        recipient=to,
        due_at=now,
        next_attempt_at=now,
        idempotency_key=key,
    )
    wake_the_worker()


def campaign_send(*, campaign: Campaign, now: datetime | None = None) -> int:
    """Queue the campaign to every confirmed subscriber; sending twice sends nothing more."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.queued_at is not None:
            raise DomainError("campaign_sent", _("This newsletter has already been sent."))
        subject = f"campaign:{campaign.pk}"
        due = now
        rows = [
            Message(
                organisation_id=campaign.organisation_id,
                client_id=consent.client_id,
                kind=MessageKind.NEWSLETTER,
                subject=subject,
                channel=Channel.EMAIL,
                recipient=consent.address,
                due_at=due,
                next_attempt_at=due,
                idempotency_key=idempotency_key(
                    MessageKind.NEWSLETTER, subject, "", Channel.EMAIL, consent.address, ""
                ),
            )
            for consent in newsletter_recipients(campaign.organisation)
        ]
        Message.objects.bulk_create(rows, ignore_conflicts=True)
        Campaign.objects.filter(pk=campaign.pk).update(queued_at=now, recipients=len(rows))
        wake_the_worker()
    campaign.queued_at, campaign.recipients = now, len(rows)
    return len(rows)


def cancel_pending(subject: str, keep_kinds: Iterable[str] = ()) -> int:
    """Cancel what was planned for ``subject`` and is not sent yet."""
    return (
        Message.objects.filter(subject=subject, status=MessageStatus.PENDING)
        .exclude(kind__in=list(keep_kinds))
        .update(status=MessageStatus.CANCELLED)
    )


def _write(
    client: Client,
    location: Location,
    subject: str,
    planned: list[Planned],
    *,
    replanning: bool = False,
) -> None:
    """Insert the planned rows; when re-planning, revive any that were cancelled before.

    Plain SQL, one statement: every booking plans its messages here, and building the
    ORM's model instances cost more than the insert itself. A row planned before (same
    idempotency key) is left as it is.
    """
    now = timezone.now()
    instants: dict[datetime, Any] = {}  # the rows share a few times: each adapted once

    def instant(moment: datetime) -> Any:
        if moment not in instants:
            instants[moment] = plain_sql.instant(moment)
        return instants[moment]

    rows = []
    for item in planned:
        due = _after_quiet_hours(location, item.due_at) if item.quiet else item.due_at
        if item.latest is not None:
            due = max(min(due, item.latest), item.due_at)
        for channel, recipient in channels_for(client):
            key = idempotency_key(
                item.kind, subject, item.step, channel, recipient, due.isoformat()
            )
            rows.append((item.kind.value, item.step, channel, recipient, due, key))
    if not rows:
        return
    if replanning:
        keys = [key for *_, key in rows]
        Message.objects.filter(idempotency_key__in=keys, status=MessageStatus.CANCELLED).update(
            status=MessageStatus.PENDING, attempts=0, last_error=""
        )
    plain_sql.insert(
        "notifications_message",
        [
            *("organisation_id", "client_id", "kind", "subject", "step", "channel", "recipient"),
            *("due_at", "next_attempt_at", "idempotency_key", "status", "attempts"),
            *("claimed_by", "last_error", "created_at"),
        ],
        [
            (
                *(location.organisation_id, client.pk, kind, subject, step, channel, recipient),
                *(instant(due), instant(due), key, MessageStatus.PENDING.value, 0),
                *("", "", instant(now)),
            )
            for kind, step, channel, recipient, due, key in rows
        ],
        skip_duplicates=True,
    )
    if any(due <= now for _, _, _, _, due, _ in rows):
        wake_the_worker()


def wake_the_worker() -> None:
    """Where tasks run in-process (the tests, a one-off script), hand the delivery task
    over once the change is committed. The database queue (production) needs no wake-up
    row: the worker itself looks for due messages at every poll (``worker`` command,
    ``queue_if_messages_due``), so a confirmation still leaves within a second or two
    and a booking writes one row fewer."""
    from needlepoint.notifications.tasks import deliver_due_messages  # it sends: imported late

    if not isinstance(deliver_due_messages.get_backend(), DatabaseBackend):
        transaction.on_commit(deliver_due_messages.enqueue)


def channels_for(client: Client) -> list[tuple[str, str]]:
    """Where the client wants messages: email, text or both, as far as we have the address."""
    wanted = {"email": [Channel.EMAIL], "sms": [Channel.SMS], "both": [Channel.EMAIL, Channel.SMS]}
    addresses = {Channel.EMAIL: client.email, Channel.SMS: client.phone}
    chosen = [(c.value, addresses[c]) for c in wanted[client.message_channel] if addresses[c]]
    if not chosen and client.email:
        chosen = [(Channel.EMAIL.value, client.email)]
    return chosen


def _after_quiet_hours(location: Location, due: datetime) -> datetime:
    """The due time, or the end of the location's quiet hours if it falls inside them."""
    local = due.astimezone(location.zone)
    start, end = location.quiet_from, location.quiet_until
    clock = local.time()
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return due
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=location.zone)


def _local(location: Location, on: date, days: int) -> datetime:
    return datetime.combine(on + timedelta(days=days), AFTERCARE_HOUR, tzinfo=location.zone)


def _ends_course(session: TreatmentSession) -> bool:
    """The session completes a course: the last of its planned bookings."""
    booking = session.booking
    if booking is None or booking.course_id is None:
        return False
    later = Booking.objects.filter(
        course_id=booking.course_id, starts_at__gt=booking.starts_at, status="booked"
    )
    return not later.exists()


def _months_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)
