"""The demo clinic: a believable practice to explore, loaded once by ``needlepoint demo``.

Dates are relative to the day it is loaded, so the demo always has recent sessions,
clients mid-course and deferrals that end in the coming weeks.
"""

from __future__ import annotations

import random
from base64 import b32decode
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from needlepoint.accounts.models import User
from needlepoint.accounts.two_factor import SECOND_FACTOR_ROLES
from needlepoint.clients.choices import ConsentChannel, SubmissionSource
from needlepoint.clients.models import Client, MarketingConsent
from needlepoint.clients.services import client_create, questionnaire_submit
from needlepoint.clinics.choices import DeviceKind, NeedleMaterial, Role
from needlepoint.clinics.models import (
    Closure,
    Device,
    Location,
    NeedleConfiguration,
    OpeningHours,
    Organisation,
    Room,
    StaffMember,
)
from needlepoint.consents.forms_setup import consent_forms_start
from needlepoint.core import languages
from needlepoint.memberships import demo as memberships
from needlepoint.packages import demo as packages
from needlepoint.payments import demo as money
from needlepoint.reports import demo as report_history
from needlepoint.scheduling.choices import Channel, ServiceKind
from needlepoint.scheduling.models import Service, WorkingPeriod
from needlepoint.scheduling.queries import available_slots
from needlepoint.scheduling.services import booking_create
from needlepoint.scheduling.starter import STARTER_SERVICES
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import AdverseEvent, Cartridge, TreatmentSession, ZoneTreatment
from needlepoint.vouchers import demo as vouchers

ORGANISATION_NAME = "Harbour Skin Clinic"
ORGANISATION_SLUG = "demo"
PASSWORD = "needlepoint-demo"
OWNER_EMAIL = "owner@demo.needlepoint.test"
STAFF = [
    (OWNER_EMAIL, "Morgan Hale", Role.OWNER),
    ("sam@demo.needlepoint.test", "Dr Sam Okafor", Role.PRACTITIONER),
    ("priya@demo.needlepoint.test", "Priya Nair", Role.PRACTITIONER),
    ("jo@demo.needlepoint.test", "Jo Evans", Role.PRACTITIONER),
    ("riley@demo.needlepoint.test", "Riley Stone", Role.FRONT_DESK),
    ("kit@demo.needlepoint.test", "Kit Lamb", Role.TRAINEE),
]
NEWSLETTER_WORDING = (
    "Send me the clinic's newsletter and offers by email. I can unsubscribe any time."
)
OTHER_STAFF_EMAILS = [email for email, _, _ in STAFF[1:]]
AUTHENTICATOR_KEY = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
"""The demo staff's shared authenticator key (base32): as public as the demo password."""

FIRST_NAMES = [
    "Amelia",
    "Olivia",
    "Isla",
    "Ava",
    "Mia",
    "Sophia",
    "Grace",
    "Lily",
    "Freya",
    "Emily",
    "Ella",
    "Poppy",
    "Chloe",
    "Ruby",
    "Zara",
    "Aisha",
    "Maya",
    "Leah",
    "Hannah",
    "Nadia",
    "Oliver",
    "George",
    "Noah",
    "Arthur",
    "Leo",
    "Theo",
    "Jack",
    "Harry",
    "Oscar",
    "Kwame",
    "Ravi",
    "Tomasz",
    "Daniel",
    "Samir",
    "Luca",
    "Ethan",
    "Adam",
    "Yusuf",
    "Ben",
    "Finn",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Robinson",
    "Wright",
    "Thompson",
    "Evans",
    "Walker",
    "White",
    "Roberts",
    "Green",
    "Hall",
    "Wood",
    "Jackson",
    "Clarke",
    "Khan",
    "Lewis",
    "Harris",
    "Mensah",
    "Kowalski",
    "Ahmed",
    "Martin",
    "Cooper",
    "King",
    "Lee",
    "Baker",
    "Hughes",
    "Edwards",
    "Chen",
    "Moore",
    "Young",
    "Allen",
    "Mitchell",
    "Okoro",
]


@dataclass(frozen=True)
class Profile:
    """One demo client's story: declared conditions, past sessions, adverse events."""

    declared: dict[str, dict[str, object]] = field(default_factory=dict)
    # (indication, days ago, {zone: depth mm})
    sessions: tuple[tuple[str, int, dict[str, float]], ...] = ()
    # (kind, zones, grade, onset days ago, resolved days ago or None)
    adverse_events: tuple[tuple[str, tuple[str, ...], int, int, int | None], ...] = ()
    fitzpatrick: int = 2
    age: int | None = None


FACE_ACNE = {"zone.cheeks": 1.5, "zone.chin": 1.0}
FACE_AGEING = {"zone.forehead": 0.5, "zone.periorbital": 0.25, "zone.cheeks": 1.0}

PROFILES: list[Profile] = [
    Profile(
        sessions=(("ind.acne_scars", 70, FACE_ACNE), ("ind.acne_scars", 35, FACE_ACNE)),
        fitzpatrick=3,
    ),
    Profile(sessions=(("ind.acne_scars", 38, FACE_ACNE), ("ind.acne_scars", 10, FACE_ACNE))),
    Profile(
        sessions=(
            ("ind.wrinkles_fine_lines", 60, FACE_AGEING),
            ("ind.wrinkles_fine_lines", 20, FACE_AGEING),
        )
    ),
    Profile(
        sessions=tuple(("ind.alopecia", days, {"zone.scalp": 0.6}) for days in (21, 14, 3)),
        fitzpatrick=4,
    ),
    Profile(
        sessions=(("ind.stretch_marks", 30, {"zone.abdomen": 2.0, "zone.thighs": 1.5}),),
        fitzpatrick=5,
    ),
    Profile(
        sessions=(("ind.hyperpigmentation", 10, {"zone.cheeks": 0.3, "zone.forehead": 0.25}),),
        fitzpatrick=4,
    ),
    Profile(
        sessions=tuple(
            ("ind.acne_scars", days, FACE_ACNE) for days in (330, 290, 250, 210, 170, 130)
        ),
    ),
    Profile(
        sessions=(("ind.acne_scars", 40, FACE_ACNE),),
        adverse_events=(("ae.pih", ("zone.cheeks",), 2, 25, None),),
        fitzpatrick=5,
    ),
    Profile(
        sessions=(("ind.wrinkles_fine_lines", 50, {"zone.neck": 1.0, "zone.decolletage": 1.0}),),
        adverse_events=(("ae.erythema_prolonged", ("zone.neck",), 1, 49, 38),),
    ),
    Profile(declared={"ci.pregnancy": {}}),
    Profile(declared={"ci.isotretinoin_recent": {"since": 60}}),
    Profile(declared={"ci.sunburn_area": {"since": 3, "zones": ["zone.cheeks", "zone.nose"]}}),
    Profile(declared={"ci.keloid_history": {}}, fitzpatrick=6),
    Profile(declared={"ci.anticoagulant": {}}),
    Profile(
        declared={"ci.hsv_history": {}}, sessions=(("ind.wrinkles_fine_lines", 45, FACE_AGEING),)
    ),
    Profile(declared={"ci.neurotoxin_recent_area": {"since": 5, "zones": ["zone.forehead"]}}),
    Profile(declared={"ci.bleeding_disorder": {}}),
    Profile(declared={"ci.breastfeeding": {}}),
    Profile(
        declared={
            "ci.topical_retinoid": {"since": 2, "zones": ["zone.cheeks"], "variant": "prescription"}
        }
    ),
    Profile(age=17),
    Profile(fitzpatrick=5),
    Profile(declared={"ci.filler_recent_area": {"since": 12, "zones": ["zone.cheeks"]}}),
    Profile(
        declared={"ci.laser_recent": {"since": 30, "zones": ["zone.cheeks"], "variant": "ablative"}}
    ),
]


@transaction.atomic
def load() -> bool:
    """Create the demo clinic unless it exists. Returns whether it was created."""
    if Organisation.objects.filter(slug=ORGANISATION_SLUG).exists():
        ensure_authenticators()
        return False
    organisation = Organisation.objects.create(
        name=ORGANISATION_NAME,
        slug=ORGANISATION_SLUG,
        languages=list(languages.codes()),  # the demo shows every language
    )
    location = _location(organisation)
    staff = _staff(organisation, location)
    configurations = _devices(organisation, location)
    practitioners = [member for member in staff if member.role == Role.PRACTITIONER]
    _services_and_shifts(location, practitioners)
    money.load(location, owner=staff[0])
    consent_forms_start(organisation)  # the starter form a new clinic gets
    today = location.local_now().date()
    serials = iter(range(1, 10_000))
    rng = random.Random(2026)
    newcomers: list[Client] = []
    for index in range(40):
        profile = (
            PROFILES[index]
            if index < len(PROFILES)
            else Profile(fitzpatrick=rng.choice([1, 2, 2, 3, 3, 4]))
        )
        client = _client(organisation, location, index, profile, today, rng)
        for indication, days_ago, zones in profile.sessions:
            _session(
                client,
                location,
                rng.choice(practitioners),
                indication,
                today - timedelta(days_ago),
                zones,
                configurations,
                f"C-{next(serials):06d}",
            )
        for kind, zones_hit, grade, onset, resolved in profile.adverse_events:
            AdverseEvent.objects.create(
                client=client,
                kind=kind,
                zones=list(zones_hit),
                grade=grade,
                onset_on=today - timedelta(onset),
                resolved_on=None if resolved is None else today - timedelta(resolved),
            )
        _questionnaire(client, profile, today, staff[-2].user)
        if profile == Profile(fitzpatrick=profile.fitzpatrick) and profile.age is None:
            newcomers.append(client)
    _bookings(location, newcomers, staff[-2].user, rng)
    packages.load(location, owner=staff[0], clients=newcomers[-2:])
    memberships.load(location, owner=staff[0], member=newcomers[0] if newcomers else None)
    report_history.load(location, practitioners, rng)
    vouchers.load(location, staff[-2], list(organisation.clients.order_by("pk")), timezone.now())
    ensure_authenticators()
    return True


def _bookings(
    location: Location, clients: list[Client], front_desk: User, rng: random.Random
) -> None:
    """Fill the coming week with first sessions for the newly screened clients."""
    services = list(
        Service.objects.filter(location=location, kind=ServiceKind.TREATMENT).order_by("pk")
    )
    now = timezone.now()
    today = location.local_now().date()
    waiting = iter(clients)
    for offset in range(7):
        day = today + timedelta(days=offset)
        for _ in range(3):
            service = rng.choice(services[:3])
            slots = available_slots(service, day, day, now=now, channel=Channel.STAFF)
            client = next(waiting, None)
            if not slots or client is None:
                break
            slot = rng.choice(slots)
            booking_create(
                client=client,
                service=service,
                starts_at=slot.start,
                channel=Channel.STAFF,
                by=front_desk,
            )


def _location(organisation: Organisation) -> Location:
    location = Location.objects.create(
        organisation=organisation,
        name="Harbour Street",
        slug="harbour-street",
        time_zone="Europe/London",
        address="14 Harbour Street\nBrighton BN1 1AA\nUnited Kingdom",
        phone="+441273900123",
        email="hello@harbourskin.example",
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=time(9), closes=time(18)
        )
    OpeningHours.objects.create(location=location, weekday=5, opens=time(11), closes=time(15))
    year = location.local_now().year
    Closure.objects.create(
        location=location,
        starts_on=date(year, 12, 24),
        ends_on=date(year, 12, 26),
        reason="Christmas",
    )
    Closure.objects.create(
        location=location,
        starts_on=date(year + 1, 1, 1),
        ends_on=date(year + 1, 1, 1),
        reason="New Year's Day",
    )
    for name in ("Treatment Room 1", "Treatment Room 2"):
        Room.objects.create(location=location, name=name)
    return location


# Practitioners' weekly days (0 = Monday); each works the location's opening hours on them.
WORKING_DAYS = [(0, 1, 2, 3, 4), (1, 2, 3, 4, 5), (0, 2, 4, 5)]


def _services_and_shifts(location: Location, practitioners: list[StaffMember]) -> None:
    for starter in STARTER_SERVICES:
        service = Service.objects.create(
            location=location,
            name=starter.name,
            kind=starter.kind,
            area=starter.area,
            indication=starter.indication,
            numbing_minutes=starter.numbing_minutes,
            duration_minutes=starter.duration_minutes,
            price_minor=starter.price_in(location.organisation.currency).minor,
            device_kind=starter.device_kind,
            buffer_after_minutes=starter.buffer_after_minutes,
        )
        service.practitioners.set(practitioners)
    hours = list(location.opening_hours.all())
    for member, days in zip(practitioners, WORKING_DAYS, strict=True):
        for period in hours:
            if period.weekday in days:
                WorkingPeriod.objects.create(
                    staff=member,
                    location=location,
                    weekday=period.weekday,
                    starts=period.opens,
                    ends=period.closes,
                )


def ensure_authenticators() -> None:
    """Give demo staff whose role signs in with a code an authenticator set to the demo key."""
    key = b32decode(AUTHENTICATOR_KEY).hex()
    for member in StaffMember.objects.filter(
        organisation__slug=ORGANISATION_SLUG, role__in=SECOND_FACTOR_ROLES
    ).select_related("user"):
        TOTPDevice.objects.get_or_create(
            user=member.user, name="Demo authenticator", defaults={"key": key, "confirmed": True}
        )


def current_code() -> str:
    """The demo key's code right now, for trying the demo without an authenticator app."""
    return f"{totp(b32decode(AUTHENTICATOR_KEY)):06d}"


def _staff(organisation: Organisation, location: Location) -> list[StaffMember]:
    members = []
    for email, name, role in STAFF:
        user = User.objects.create_user(email, PASSWORD, full_name=name)
        member = StaffMember.objects.create(user=user, organisation=organisation, role=role)
        member.locations.add(location)
        members.append(member)
    return members


def _devices(organisation: Organisation, location: Location) -> dict[str, NeedleConfiguration]:
    def configuration(
        name: str, kind: str, needles: int, material: str, length: float | None = None
    ) -> NeedleConfiguration:
        return NeedleConfiguration.objects.create(
            organisation=organisation,
            name=name,
            device_kind=kind,
            needle_count=needles,
            material=material,
            needle_length_mm=length,
        )

    face = configuration("12-pin steel cartridge", DeviceKind.PEN, 12, NeedleMaterial.STEEL)
    fine = configuration("16-pin titanium cartridge", DeviceKind.PEN, 16, NeedleMaterial.TITANIUM)
    body = configuration("36-pin steel cartridge", DeviceKind.PEN, 36, NeedleMaterial.STEEL)
    roller = configuration(
        "192-needle 1.0 mm roller head", DeviceKind.ROLLER, 192, NeedleMaterial.TITANIUM, 1.0
    )
    pens = [
        ("Pen 1", "Dermapen 4", "DP4-10231"),
        ("Pen 2", "Dermapen 4", "DP4-10877"),
        ("Pen 3", "SkinPen Precision", "SP-55012"),
    ]
    for name, model, serial in pens:
        pen = Device.objects.create(
            location=location, kind=DeviceKind.PEN, name=name, model=model, serial_number=serial
        )
        pen.needle_configurations.set([face, fine, body])
    device = Device.objects.create(
        location=location,
        kind=DeviceKind.ROLLER,
        name="Roller",
        model="Medical roller 1.0 mm",
        serial_number="MR-1001",
        reprocessing_minutes=0,
    )
    device.needle_configurations.set([roller])
    return {"face": face, "body": body}


def _client(
    organisation: Organisation,
    location: Location,
    index: int,
    profile: Profile,
    today: date,
    rng: random.Random,
) -> Client:
    age = profile.age if profile.age is not None else rng.randint(22, 68)
    born = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    if born > today.replace(year=today.year - age):
        born = born.replace(year=born.year - 1)
    first, last = FIRST_NAMES[index], LAST_NAMES[index]
    client = client_create(
        organisation=organisation,
        first_name=first,
        last_name=last,
        date_of_birth=born,
        email=f"{first}.{last}@example.com".lower(),
        phone=f"+447400123{100 + index:03d}",
        fitzpatrick=profile.fitzpatrick,
        home_location=location,
    )
    if index % 3 == 0:
        signed_up = timezone.now() - timedelta(days=90)
        MarketingConsent.objects.create(
            organisation=organisation,
            client=client,
            channel=ConsentChannel.EMAIL,
            address=client.email,
            wording=NEWSLETTER_WORDING,
            source="demo",
            requested_at=signed_up,
            confirmed_at=signed_up + timedelta(minutes=4),
        )
    return client


def _session(
    client: Client,
    location: Location,
    practitioner: StaffMember,
    indication: str,
    on: date,
    zones: dict[str, float],
    configurations: dict[str, NeedleConfiguration],
    serial: str,
) -> None:
    session = TreatmentSession.objects.create(
        client=client,
        location=location,
        practitioner=practitioner,
        indication=indication,
        performed_on=on,
    )
    for zone, depth in zones.items():
        ZoneTreatment.objects.create(session=session, zone=zone, depth_mm=depth, passes=3)
    body = any(
        zone in {"zone.abdomen", "zone.thighs", "zone.buttocks", "zone.back", "zone.arms"}
        for zone in zones
    )
    Cartridge.objects.create(
        organisation=client.organisation,
        configuration=configurations["body" if body else "face"],
        serial=serial,
        lot=f"L-{on:%y%m}-{'B' if body else 'F'}",
        expires_on=on + timedelta(days=700),
        session=session,
    )
    signed = datetime.combine(on, time(12), tzinfo=location.zone)
    TreatmentSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.COMPLETED, completed_at=signed, completed_by=practitioner.user
    )


def _questionnaire(client: Client, profile: Profile, today: date, front_desk: User) -> None:
    from needlepoint.clinical import default_rules

    answers: dict[str, object] = {
        question.key: {"present": False} for question in default_rules().questions()
    }
    for key, declared in profile.declared.items():
        answer: dict[str, object] = {"present": True}
        if "since" in declared:
            answer["since"] = (today - timedelta(days=int(declared["since"]))).isoformat()  # type: ignore[call-overload]
        for extra in ("zones", "variant"):
            if extra in declared:
                answer[extra] = declared[extra]
        answers[key] = answer
    questionnaire_submit(
        client=client,
        answers=answers,
        answered_on=today,
        source=SubmissionSource.STAFF,
        by=front_desk,
    )
