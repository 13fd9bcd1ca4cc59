"""Report data written straight into the tables, so each figure can be worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import count

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, NeedleConfiguration, StaffMember
from needlepoint.scheduling.choices import BookingEventKind, BookingStatus, Channel
from needlepoint.scheduling.models import Booking, BookingEvent, Course, Service
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import AdverseEvent, Cartridge, Outcome, TreatmentSession
from tests import factories

_serials = count(1)


def booking(
    service: Service,
    practitioner: StaffMember,
    starts_at: datetime,
    *,
    client: Client | None = None,
    status: str = BookingStatus.COMPLETED,
    channel: str = Channel.STAFF,
    minutes: int = 60,
    course: Course | None = None,
    with_room_and_device: bool = True,
) -> Booking:
    location = service.location
    return Booking.objects.create(
        location=location,
        client=client or factories.client(location.organisation),
        service=service,
        practitioner=practitioner,
        room=location.rooms.first() if with_room_and_device else None,
        device=location.devices.first() if with_room_and_device else None,
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        status=status,
        channel=channel,
    )


def cancelled(booking: Booking, *, late: bool) -> Booking:
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    kind = BookingEventKind.LATE_CANCELLED if late else BookingEventKind.CANCELLED
    BookingEvent.objects.create(
        booking=booking, kind=kind, at=booking.starts_at - timedelta(days=1)
    )
    return booking


def session(
    client: Client,
    location: Location,
    practitioner: StaffMember,
    performed_on: date,
    *,
    indication: str = "ind.acne_scars",
    scar_score: int | None = None,
    improvement: int | None = None,
) -> TreatmentSession:
    done = datetime.combine(performed_on, datetime.min.time(), UTC) + timedelta(hours=12)
    made = TreatmentSession.objects.create(
        client=client,
        location=location,
        practitioner=practitioner,
        indication=indication,
        performed_on=performed_on,
        status=SessionStatus.COMPLETED,
        completed_at=done,
    )
    if scar_score is not None or improvement is not None:
        Outcome.objects.create(
            session=made,
            scar_score=scar_score,
            improvement=improvement,
            recorded_by=practitioner.user,
            recorded_at=done,
        )
    return made


def cartridge(session: TreatmentSession, configuration: NeedleConfiguration, lot: str) -> Cartridge:
    return Cartridge.objects.create(
        organisation=session.client.organisation,
        configuration=configuration,
        serial=f"SN-{next(_serials)}",
        lot=lot,
        expires_on=date(2029, 1, 1),
        session=session,
        opened_at=session.completed_at,
    )


def configuration(location: Location, name: str = "12-pin nano") -> NeedleConfiguration:
    return NeedleConfiguration.objects.create(
        organisation=location.organisation, device_kind="pen", name=name, needle_count=12
    )


def adverse_event(session: TreatmentSession | None, client: Client, onset: date) -> AdverseEvent:
    return AdverseEvent.objects.create(
        client=client,
        session=session,
        kind="ae.pih",
        zones=["zone.cheeks"],
        grade=1,
        onset_on=onset,
    )
