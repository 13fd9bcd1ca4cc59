"""The demo clinic's past, so the reports have something to show.

Eight weeks of visits through every channel (kept, missed, cancelled early and late),
and a dozen courses at different stages, each session scored and its cartridge
recorded. Written straight into the tables: these are past visits, with no holds to
keep the calendar free.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Device, Location, NeedleConfiguration, Room, StaffMember
from needlepoint.scheduling.choices import BookingEventKind, BookingStatus, Channel, ServiceKind
from needlepoint.scheduling.models import Booking, BookingEvent, Course, Service
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import AdverseEvent, Cartridge, Outcome, TreatmentSession

WEEKS = 8
STARTS = (time(9, 30), time(11), time(13, 30), time(15))
CHANNELS = [Channel.ONLINE] * 5 + [Channel.STAFF] * 4 + [Channel.API]
COURSE_TIME = time(16, 30)


def load(location: Location, practitioners: list[StaffMember], rng: random.Random) -> None:
    services = list(
        Service.objects.filter(location=location, kind=ServiceKind.TREATMENT).exclude(indication="")
    )
    clients = list(Client.objects.filter(organisation=location.organisation))
    today = location.local_now().date()
    for days_ago in range(WEEKS * 7, 0, -1):
        day = today - timedelta(days=days_ago)
        if day.weekday() < 5:
            _day(location, day, practitioners, services, clients, rng)
    configuration = NeedleConfiguration.objects.filter(organisation=location.organisation).first()
    for n, client in enumerate(rng.sample(clients, 16)):
        _course(
            location,
            client,
            rng.choice(services),
            practitioners[n % len(practitioners)],
            today,
            n,
            configuration,
            rng,
        )


def _day(
    location: Location,
    day: date,
    practitioners: list[StaffMember],
    services: list[Service],
    clients: list[Client],
    rng: random.Random,
) -> None:
    rooms = list(location.rooms.all())
    pens = list(location.devices.filter(kind="pen"))
    for index, practitioner in enumerate(practitioners):
        for start in STARTS:
            if rng.random() < 0.35:
                continue
            roll = rng.random()
            status = (
                BookingStatus.NO_SHOW
                if roll < 0.06
                else BookingStatus.CANCELLED
                if roll < 0.14
                else BookingStatus.COMPLETED
            )
            booking = _booking(
                location,
                rng.choice(clients),
                rng.choice(services),
                practitioner,
                datetime.combine(day, start, tzinfo=location.zone),
                status,
                rng.choice(CHANNELS),
                rooms[index] if index < len(rooms) else None,
                pens[index] if index < len(pens) else None,
            )
            if status == BookingStatus.CANCELLED:
                late = rng.random() < 0.5
                BookingEvent.objects.create(
                    booking=booking,
                    kind=BookingEventKind.LATE_CANCELLED if late else BookingEventKind.CANCELLED,
                    at=booking.starts_at - timedelta(hours=6 if late else 72),
                )


def _booking(
    location: Location,
    client: Client,
    service: Service,
    practitioner: StaffMember,
    starts_at: datetime,
    status: str,
    channel: str,
    room: Room | None = None,
    device: Device | None = None,
    course: Course | None = None,
) -> Booking:
    booking = Booking.objects.create(
        location=location,
        client=client,
        service=service,
        practitioner=practitioner,
        room=room,
        device=device,
        course=course,
        starts_at=starts_at,
        ends_at=starts_at + service.visit,
        status=status,
        channel=channel,
    )
    BookingEvent.objects.create(
        booking=booking, kind=BookingEventKind.CREATED, at=starts_at - timedelta(days=5)
    )
    return booking


def _course(
    location: Location,
    client: Client,
    service: Service,
    practitioner: StaffMember,
    today: date,
    n: int,
    configuration: NeedleConfiguration | None,
    rng: random.Random,
) -> None:
    """Course ``n``: started 20 to 160 days ago, so some are finished, some lapsed."""
    course = Course.objects.create(
        client=client, service=service, planned_sessions=4, interval_days=28
    )
    day = today - timedelta(days=20 + 10 * n)
    scar, rating = rng.randint(25, 50), 0
    for number in range(4):
        if day >= today:
            break
        booking = _booking(
            location,
            client,
            service,
            practitioner,
            datetime.combine(day, COURSE_TIME, tzinfo=location.zone),
            BookingStatus.COMPLETED,
            Channel.STAFF,
            course=course,
        )
        session = _session(booking, configuration, f"R-{n:02d}{number}", scar, rating)
        scar, rating = max(scar - rng.randint(2, 8), 0), min(rating + rng.randint(1, 3), 10)
        day = session.performed_on + timedelta(days=28 + rng.choice((0, 0, 7, 21, 35)))


def _session(
    booking: Booking,
    configuration: NeedleConfiguration | None,
    serial: str,
    scar: int,
    rating: int,
) -> TreatmentSession:
    location = booking.location
    signed = booking.ends_at
    session = TreatmentSession.objects.create(
        client=booking.client,
        location=location,
        practitioner=booking.practitioner,
        booking=booking,
        indication=booking.service.indication,
        performed_on=booking.starts_at.astimezone(location.zone).date(),
        status=SessionStatus.COMPLETED,
        completed_at=signed,
        completed_by=booking.practitioner.user,
    )
    if serial.endswith("1") and int(serial[2:4]) % 4 == 0:  # a few reactions to follow up
        AdverseEvent.objects.create(
            client=session.client,
            session=session,
            kind="ae.pih",
            zones=["zone.cheeks"],
            grade=1,
            onset_on=session.performed_on + timedelta(days=3),
            resolved_on=session.performed_on + timedelta(days=40),
        )
    if configuration is not None:
        Cartridge.objects.create(
            organisation=location.organisation,
            configuration=configuration,
            serial=serial,
            lot=f"L-{session.performed_on:%y%m}-R",
            expires_on=session.performed_on + timedelta(days=700),
            session=session,
            opened_at=signed,
        )
    Outcome.objects.create(
        session=session,
        scar_score=scar if session.indication == "ind.acne_scars" else None,
        glogau=max(1, 3 - rating // 4) if session.indication == "ind.wrinkles_fine_lines" else None,
        improvement=rating,
        recorded_by=booking.practitioner.user,
        recorded_at=signed,
    )
    return session
