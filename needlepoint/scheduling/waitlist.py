"""The waitlist: when a time frees up, the first client waiting for it is offered it.

An offer holds nothing and books nothing by itself; the client (or the front desk for
them) accepts it while it is open, through the same booking service as any booking.
Sending the offer is the notifications' work; here it is recorded and shown.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location
from needlepoint.core.errors import DomainError
from needlepoint.scheduling import signals
from needlepoint.scheduling.choices import Channel, OfferStatus, WaitlistStatus
from needlepoint.scheduling.courses import Preferences
from needlepoint.scheduling.models import Booking, Service, WaitlistEntry, WaitlistOffer
from needlepoint.scheduling.queries import available_slots
from needlepoint.scheduling.services import booking_create, screening_gate
from needlepoint.scheduling.slots import Interval, Slot


def waitlist_join(
    *,
    client: Client,
    service: Service,
    earliest_on: date,
    latest_on: date,
    weekdays: Collection[int] = (),
    time_from: time | None = None,
    time_to: time | None = None,
) -> WaitlistEntry:
    if client.organisation_id != service.location.organisation_id:
        raise DomainError(
            "wrong_organisation",
            _("The client and the service belong to different organisations."),
        )
    if earliest_on > latest_on:
        raise DomainError("invalid_window", _("The first day must be on or before the last day."))
    if time_from and time_to and time_from >= time_to:
        raise DomainError("invalid_window", _("The earliest time must be before the latest time."))
    return WaitlistEntry.objects.create(
        client=client,
        service=service,
        earliest_on=earliest_on,
        latest_on=latest_on,
        weekdays=sorted(set(weekdays)),
        time_from=time_from,
        time_to=time_to,
    )


@transaction.atomic
def offer_freed_time(
    *, location: Location, freed: Interval, now: datetime | None = None
) -> WaitlistOffer | None:
    """Offer time a cancelled or moved booking left to the first suitable waiting client."""
    now = now or timezone.now()
    day = freed[0].astimezone(location.zone).date()
    waiting = WaitlistEntry.objects.filter(
        service__location=location,
        status=WaitlistStatus.WAITING,
        earliest_on__lte=day,
        latest_on__gte=day,
    ).select_related("service__location", "client__organisation")
    for entry in waiting.select_for_update():
        slot = _freed_slot_for(entry, freed, day, now)
        if slot is None:
            continue
        entry.status = WaitlistStatus.OFFERED
        entry.save(update_fields=["status"])
        offer = WaitlistOffer.objects.create(
            entry=entry,
            starts_at=slot.start,
            practitioner_id=slot.practitioner,
            expires_at=now + timedelta(minutes=location.waitlist_hold_minutes),
        )
        signals.waitlist_offered.send(WaitlistOffer, offer=offer, now=now)
        return offer
    return None


def offer_accept(
    *, offer: WaitlistOffer, by: User | None = None, now: datetime | None = None
) -> Booking:
    """Book an open offer; a late acceptance closes the offer and the client waits again."""
    now = now or timezone.now()
    with transaction.atomic():
        offer = (
            WaitlistOffer.objects.select_for_update()
            .select_related("entry__service", "entry__client")
            .get(pk=offer.pk)
        )
        if offer.status != OfferStatus.OPEN:
            raise DomainError("offer_closed", _("This offer is no longer open."))
        if now >= offer.expires_at:
            _expire(offer)  # kept: the refusal below must not undo it
        else:
            return _book_offer(offer, by, now)
    raise DomainError("offer_expired", _("Sorry, this offer has expired."))


def _book_offer(offer: WaitlistOffer, by: User | None, now: datetime) -> Booking:
    booking = booking_create(
        client=offer.entry.client,
        service=offer.entry.service,
        starts_at=offer.starts_at,
        practitioner=offer.practitioner,
        channel=Channel.STAFF if by else Channel.ONLINE,
        by=by,
        now=now,
    )
    offer.status, offer.booking = OfferStatus.ACCEPTED, booking
    offer.save(update_fields=["status", "booking"])
    offer.entry.status = WaitlistStatus.BOOKED
    offer.entry.save(update_fields=["status"])
    return booking


@transaction.atomic
def offers_expire(*, now: datetime | None = None) -> int:
    """Close offers past their hold time; their clients wait again for the next freed time."""
    now = now or timezone.now()
    stale = list(
        WaitlistOffer.objects.select_for_update().filter(
            status=OfferStatus.OPEN, expires_at__lte=now
        )
    )
    for offer in stale:
        _expire(offer)
    return len(stale)


def _expire(offer: WaitlistOffer) -> None:
    offer.status = OfferStatus.EXPIRED
    offer.save(update_fields=["status"])
    WaitlistEntry.objects.filter(pk=offer.entry_id, status=WaitlistStatus.OFFERED).update(
        status=WaitlistStatus.WAITING
    )


def _freed_slot_for(entry: WaitlistEntry, freed: Interval, day: date, now: datetime) -> Slot | None:
    try:  # a client the clinical gate would refuse that day is not offered the time
        screening_gate(entry.client, entry.service, day)
    except DomainError:
        return None
    preferences = Preferences(entry.weekdays, entry.time_from, entry.time_to)
    slots = available_slots(
        entry.service, day, day, now=now, channel=Channel.ONLINE, client=entry.client
    )
    return next(
        (
            slot
            for slot in slots
            if freed[0] <= slot.start < freed[1] and preferences.suit(slot, entry.service)
        ),
        None,
    )
