"""The benchmark's clinic chain, written straight into the database with bulk inserts.

Three locations (two in Europe/London, one in America/New_York), 20 practitioners,
8 rooms, 12 pens, 3,000 clients and (by default) 50,000 bookings running from a few
years back to six months after ``NOW``. Each booking carries the holds
``booking_create`` would write for it (practitioner and room: visit + 10 min buffer;
pen: visit + 15 min reprocessing), at times worked out here so that no two active holds
on one resource overlap. The database's no-overlap rule checks every row on the way in.
For the reports, 15% of past visits have a signed chart with an outcome and a cartridge,
half the cancellations are recorded as late, and 300 clients have a course of four.
The 1,250 newcomers, booked through the service, have a medical history that screens
cleared: without one, a treatment is refused on every channel. Every client has an email
address and a mobile number and wants messages by both, so a booking plans its
confirmation, pre-care and reminders as a real one does.

Everything comes from one seeded ``random.Random``; ``NOW`` stands in for the clock.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction

from needlepoint.accounts.models import User
from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.models import Client, QuestionnaireSubmission
from needlepoint.clinical import default_rules
from needlepoint.clinics.choices import DeviceKind, Role
from needlepoint.clinics.models import (
    Device,
    Location,
    NeedleConfiguration,
    OpeningHours,
    Organisation,
    Room,
    StaffMember,
)
from needlepoint.scheduling.choices import (
    BookingEventKind,
    BookingStatus,
    Channel,
    HoldKind,
    ServiceKind,
)
from needlepoint.scheduling.models import (
    Booking,
    BookingEvent,
    Course,
    Hold,
    Service,
    WorkingPeriod,
)
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import Cartridge, Outcome, TreatmentSession

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # a Monday: 08:00 in London, 03:00 in New York
SEED = 20261123
BOOKINGS = 50_000
CLIENTS = 2_000  # the existing bookings' clients
NEWCOMERS = 1_250  # clients with no bookings yet, for booking through the service
FUTURE_DAYS = 182  # the last existing booking is this many days after NOW

OPENING = {weekday: (time(9), time(18)) for weekday in range(5)} | {5: (time(11), time(15))}
VISIT = timedelta(minutes=60)  # 30 min numbing + 30 min needling
AFTER = timedelta(minutes=10)  # the buffer after, for the practitioner and the room
REPROCESSING = timedelta(minutes=15)  # a pen's default cleaning time
ROOM_STEP = timedelta(minutes=75)  # a room's next start after a visit, on the 15-minute grid
CANCELLED = 0.06  # share of bookings cancelled: their holds are inactive
BATCH = 5_000
CHARTED = 0.15  # share of past visits with a signed chart, an outcome and a cartridge
INDICATIONS = ("ind.acne_scars", "ind.acne_scars", "ind.wrinkles_fine_lines", "ind.stretch_marks")
COURSES = 300


@dataclass(frozen=True)
class Site:
    name: str
    zone: str
    practitioners: int
    rooms: int
    pens: int


SITES = (
    Site("Brighton", "Europe/London", 7, 3, 4),
    Site("Hove", "Europe/London", 7, 3, 4),
    Site("Brooklyn", "America/New_York", 6, 2, 4),
)


@dataclass(frozen=True)
class Place:
    location: Location
    service: Service
    practitioners: list[int]
    rooms: list[int]
    pens: list[int]


@dataclass(frozen=True)
class Chain:
    places: list[Place]
    newcomers: list[Client]


# (start in UTC, index into places, practitioner, room, pen)
Visit = tuple[datetime, int, int, int, int]


def build(bookings: int = BOOKINGS) -> Chain:
    rng = random.Random(SEED)
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Bench Chain", slug="bench-chain")
        users = iter(make_users(sum(site.practitioners for site in SITES)))
        places = [
            make_place(organisation, site, [next(users) for _ in range(site.practitioners)])
            for site in SITES
        ]
        clients = make_clients(organisation, CLIENTS + NEWCOMERS, rng)
        write_bookings(places, clients[:CLIENTS], plan(places, bookings, rng), rng)
        write_history(organisation, random.Random(SEED + 1))
        write_medical_histories(clients[CLIENTS:])
    return Chain(places, clients[CLIENTS:])


def make_users(count: int) -> list[User]:
    return User.objects.bulk_create(
        User(email=f"practitioner{n}@bench.test", full_name=f"Practitioner {n}", password="!")
        for n in range(1, count + 1)
    )


def make_place(organisation: Organisation, site: Site, users: list[User]) -> Place:
    location = Location.objects.create(
        organisation=organisation, name=site.name, slug=site.name.lower(), time_zone=site.zone
    )
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=day, opens=opens, closes=closes)
        for day, (opens, closes) in OPENING.items()
    )
    rooms = Room.objects.bulk_create(
        Room(location=location, name=f"Room {n}") for n in range(1, site.rooms + 1)
    )
    pens = Device.objects.bulk_create(
        Device(location=location, kind=DeviceKind.PEN, name=f"Pen {n}", serial_number=f"P{n}")
        for n in range(1, site.pens + 1)
    )
    staff = StaffMember.objects.bulk_create(
        StaffMember(user=user, organisation=organisation, role=Role.PRACTITIONER) for user in users
    )
    location.staff.add(*staff)
    WorkingPeriod.objects.bulk_create(
        WorkingPeriod(staff=member, location=location, weekday=day, starts=opens, ends=closes)
        for member in staff
        for day, (opens, closes) in OPENING.items()
    )
    service = make_service(location)
    service.practitioners.set(staff)
    return Place(
        location,
        service,
        [member.pk for member in staff],
        [room.pk for room in rooms],
        [pen.pk for pen in pens],
    )


def make_service(location: Location) -> Service:
    return Service.objects.create(
        location=location,
        name="Microneedling — face",
        kind=ServiceKind.TREATMENT,
        area="area.face",
        indication="ind.acne_scars",
        numbing_minutes=30,
        duration_minutes=30,
        buffer_after_minutes=10,
        price_minor=18000,
        device_kind=DeviceKind.PEN,
    )


def make_clients(organisation: Organisation, count: int, rng: random.Random) -> list[Client]:
    return Client.objects.bulk_create(
        Client(
            organisation=organisation,
            public_id=seeded_uuid(rng),
            first_name="Client",
            last_name=f"{n:05d}",
            date_of_birth=date(1960, 1, 1) + timedelta(days=rng.randrange(40 * 365)),
            # Contact details, as real clients give: a booking then plans its messages.
            email=f"client{n:05d}@bench.test",
            phone=f"+44 7700 9{n:05d}",
            message_channel="both",
        )
        for n in range(1, count + 1)
    )


def write_medical_histories(clients: list[Client]) -> None:
    """A medical history declaring nothing, answered the week before ``NOW``, for each
    newcomer: a treatment is booked only for a client whose history screens cleared."""
    rules = default_rules()
    answers = {question.key: {"present": False} for question in rules.questions()}
    QuestionnaireSubmission.objects.bulk_create(
        (
            QuestionnaireSubmission(
                client=client,
                version=1,
                answered_on=NOW.date() - timedelta(days=7),
                answers=answers,
                rules_version=rules.version,
                source=SubmissionSource.STAFF,
            )
            for client in clients
        ),
        batch_size=BATCH,
    )


def plan(places: list[Place], count: int, rng: random.Random) -> list[Visit]:
    """``count`` visits, newest day first until there are enough, returned in time order."""
    visits: list[Visit] = []
    day = NOW.date() + timedelta(days=FUTURE_DAYS)
    while len(visits) < count:
        for index, place in enumerate(places):
            visits += day_plan(place, index, day, rng)
        day -= timedelta(days=1)
    # Inserting in time order keeps the no-overlap check to the few holds just before.
    return sorted(visits[:count])


def fill(day: date) -> float:
    """The share of a room's starts taken: 75% in the past; 90% just after NOW, 10% by 6 months."""
    ahead = (day - NOW.date()).days
    return 0.75 if ahead < 0 else max(0.1, 0.9 - ahead / 200)


def day_plan(place: Place, index: int, day: date, rng: random.Random) -> list[Visit]:
    """One location's visits on one day: rooms first, then a free practitioner and pen."""
    hours = OPENING.get(day.weekday())
    if hours is None:
        return []
    opens, closes = (datetime.combine(day, at, tzinfo=place.location.zone) for at in hours)
    starts = sorted(
        (start, room)
        for room in place.rooms
        for start in room_starts(opens.astimezone(UTC), closes.astimezone(UTC), fill(day), rng)
    )
    practitioner_free = dict.fromkeys(place.practitioners, opens)
    pen_free = dict.fromkeys(place.pens, opens)
    visits = []
    for start, room in starts:
        practitioner = pick(practitioner_free, start, rng)
        pen = pick(pen_free, start, rng)
        if practitioner is None or pen is None:
            continue
        practitioner_free[practitioner] = start + VISIT + AFTER
        pen_free[pen] = start + VISIT + REPROCESSING
        visits.append((start, index, practitioner, room, pen))
    return visits


def room_starts(
    opens: datetime, closes: datetime, share: float, rng: random.Random
) -> list[datetime]:
    start = opens + timedelta(minutes=15 * rng.randrange(3))
    starts = []
    while start + VISIT <= closes:
        if rng.random() < share:
            starts.append(start)
        start += ROOM_STEP
    return starts


def pick(free_from: dict[int, datetime], start: datetime, rng: random.Random) -> int | None:
    free = [key for key, moment in free_from.items() if moment <= start]
    return rng.choice(free) if free else None


def write_bookings(
    places: list[Place], clients: list[Client], visits: list[Visit], rng: random.Random
) -> None:
    for first in range(0, len(visits), BATCH):
        bookings = Booking.objects.bulk_create(
            booking_row(places[visit[1]], rng.choice(clients), visit, rng)
            for visit in visits[first : first + BATCH]
        )
        Hold.objects.bulk_create(hold for booking in bookings for hold in holds_of(booking))


def booking_row(place: Place, client: Client, visit: Visit, rng: random.Random) -> Booking:
    start, _, practitioner, room, pen = visit
    if rng.random() < CANCELLED:
        status = BookingStatus.CANCELLED
    else:
        status = BookingStatus.COMPLETED if start < NOW else BookingStatus.BOOKED
    return Booking(
        public_id=seeded_uuid(rng),
        location=place.location,
        client=client,
        service=place.service,
        practitioner_id=practitioner,
        room_id=room,
        device_id=pen,
        starts_at=start,
        ends_at=start + VISIT,
        status=status,
        channel=Channel.STAFF,
    )


def holds_of(booking: Booking) -> list[Hold]:
    start, active = booking.starts_at, booking.status != BookingStatus.CANCELLED
    kept = start + VISIT + AFTER
    return [
        Hold(
            booking=booking,
            kind=kind,
            resource_id=resource,
            starts_at=start,
            ends_at=end,
            active=active,
        )
        for kind, resource, end in (
            (HoldKind.PRACTITIONER, booking.practitioner_id, kept),
            (HoldKind.ROOM, booking.room_id, kept),
            (HoldKind.DEVICE, booking.device_id, start + VISIT + REPROCESSING),
        )
    ]


def seeded_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def write_history(organisation: Organisation, rng: random.Random) -> None:
    """What the reports read beyond bookings: a share of past visits charted and scored
    with a cartridge each, late cancellations recorded, and courses over clients' visits."""
    past = list(
        Booking.objects.filter(status=BookingStatus.COMPLETED)
        .order_by("pk")
        .values_list("pk", "client_id", "location_id", "practitioner_id", "device_id", "starts_at")
    )
    charted = [row for row in past if rng.random() < CHARTED]
    users = dict(StaffMember.objects.values_list("pk", "user_id"))
    configuration = NeedleConfiguration.objects.create(
        organisation=organisation, device_kind=DeviceKind.PEN, name="12-pin", needle_count=12
    )
    for first in range(0, len(charted), BATCH):
        sessions = TreatmentSession.objects.bulk_create(
            session_row(organisation, row, rng) for row in charted[first : first + BATCH]
        )
        Outcome.objects.bulk_create(outcome_row(session, users, rng) for session in sessions)
        Cartridge.objects.bulk_create(
            cartridge_row(organisation, configuration, session, rng) for session in sessions
        )
    cancelled = Booking.objects.filter(status=BookingStatus.CANCELLED).values_list(
        "pk", "organisation_id", "starts_at"
    )
    BookingEvent.objects.bulk_create(
        BookingEvent(
            organisation_id=organisation_id,
            booking_id=pk,
            kind=BookingEventKind.LATE_CANCELLED,
            at=start - timedelta(hours=3),
        )
        for pk, organisation_id, start in cancelled
        if rng.random() < 0.5
    )
    write_courses(rng)


def session_row(
    organisation: Organisation, row: tuple[object, ...], rng: random.Random
) -> TreatmentSession:
    booking_id, client_id, location_id, practitioner_id, device_id, starts_at = row
    assert isinstance(starts_at, datetime)
    return TreatmentSession(
        organisation=organisation,
        public_id=seeded_uuid(rng),
        booking_id=booking_id,
        client_id=client_id,
        location_id=location_id,
        practitioner_id=practitioner_id,
        device_id=device_id,
        indication=rng.choice(INDICATIONS),
        performed_on=starts_at.date(),
        status=SessionStatus.COMPLETED,
        completed_at=starts_at + VISIT,
    )


def outcome_row(session: TreatmentSession, users: dict[int, int], rng: random.Random) -> Outcome:
    return Outcome(
        session=session,
        scar_score=rng.randint(5, 60) if session.indication == "ind.acne_scars" else None,
        improvement=rng.randint(0, 10),
        recorded_by_id=users[session.practitioner_id],
        recorded_at=session.completed_at,
    )


def cartridge_row(
    organisation: Organisation,
    configuration: NeedleConfiguration,
    session: TreatmentSession,
    rng: random.Random,
) -> Cartridge:
    return Cartridge(
        organisation=organisation,
        configuration=configuration,
        serial=f"S{session.pk}",
        lot=f"L-{session.performed_on:%y%m}-{rng.randrange(3)}",
        expires_on=session.performed_on + timedelta(days=700),
        session=session,
    )


def write_courses(rng: random.Random) -> None:
    """A course of four for a few hundred clients, over their first four visits."""
    clients = sorted(set(Booking.objects.values_list("client_id", flat=True)))
    for client_id in rng.sample(clients, min(COURSES, len(clients))):
        visits = list(
            Booking.objects.filter(client_id=client_id)
            .order_by("starts_at")
            .values_list("pk", "service_id")[:4]
        )
        course = Course.objects.create(
            client_id=client_id, service_id=visits[0][1], planned_sessions=4, interval_days=28
        )
        Booking.objects.filter(pk__in=[pk for pk, _ in visits]).update(course=course)
