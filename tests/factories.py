"""Test data in the clinic's words: one place to build organisations, staff and clients."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import count
from typing import Any

from django.test import Client as DjangoTestClient

from needlepoint.accounts.models import User
from needlepoint.clients.models import Client, Screening
from needlepoint.clinics.choices import DeviceKind, Role
from needlepoint.clinics.models import (
    Device,
    Location,
    OpeningHours,
    Organisation,
    Room,
    StaffMember,
)
from needlepoint.clinics.setup import organisation_update
from needlepoint.scheduling.models import Booking, Service, WorkingPeriod
from needlepoint.treatments.models import TreatmentSession

PASSWORD = "correct horse battery staple"
_sequence = count(1)


@dataclass
class Clinic:
    organisation: Organisation
    location: Location
    owner: StaffMember
    manager: StaffMember
    practitioner: StaffMember
    front_desk: StaffMember
    trainee: StaffMember


def staff_member(
    organisation: Organisation, role: str, location: Location | None = None
) -> StaffMember:
    n = next(_sequence)
    user = User.objects.create_user(
        f"{role}{n}@{organisation.slug}.test",
        PASSWORD,
        full_name=f"{role.replace('_', ' ').title()} {n}",
    )
    member = StaffMember.objects.create(user=user, organisation=organisation, role=role)
    if location is not None:
        member.locations.add(location)
    return member


def location(
    organisation: Organisation, name: str = "Harbour Street", time_zone: str = "Europe/London"
) -> Location:
    place = Location.objects.create(
        organisation=organisation,
        name=name,
        slug=name.lower().replace(" ", "-"),
        time_zone=time_zone,
        address="1 Harbour Street\nPortsmouth PO1 2AB",
    )
    for weekday in range(5):
        OpeningHours.objects.create(location=place, weekday=weekday, opens=time(9), closes=time(18))
    OpeningHours.objects.create(location=place, weekday=5, opens=time(11), closes=time(15))
    Room.objects.create(location=place, name="Room 1")
    Device.objects.create(
        location=place, kind=DeviceKind.PEN, name="Pen A", serial_number=f"PEN-{next(_sequence)}"
    )
    return place


def clinic(name: str = "Test Skin Clinic", slug: str = "test-skin") -> Clinic:
    organisation = Organisation.objects.create(name=name, slug=slug)
    place = location(organisation)
    return Clinic(
        organisation=organisation,
        location=place,
        owner=staff_member(organisation, Role.OWNER, place),
        manager=staff_member(organisation, Role.MANAGER, place),
        practitioner=staff_member(organisation, Role.PRACTITIONER, place),
        front_desk=staff_member(organisation, Role.FRONT_DESK, place),
        trainee=staff_member(organisation, Role.TRAINEE, place),
    )


def client(organisation: Organisation, **fields: object) -> Client:
    n = next(_sequence)
    values: dict[str, object] = {
        "first_name": "Alex",
        "last_name": f"Client{n}",
        "email": f"client{n}@example.test",
        "phone": "+447400123456",
        "date_of_birth": date(1990, 5, 1),
        "fitzpatrick": 2,
    }
    values.update(fields)
    return Client.objects.create(organisation=organisation, **values)  # type: ignore[arg-type]


def offers_every_language(clinic: Clinic) -> None:
    """The clinic offers English, Spanish and German (a clinic offers English alone at first)."""
    organisation_update(
        organisation=clinic.organisation,
        by=clinic.owner,
        languages=["en-gb", "es", "de"],
        default_language="en-gb",
    )


def service(location: Location, **fields: object) -> Service:
    """A 60-minute face treatment (30 min numbing + 30 min needling) needing a room and a pen."""
    values: dict[str, object] = {
        "name": "Microneedling — face",
        "kind": "treatment",
        "area": "area.face",
        "indication": "ind.acne_scars",
        "numbing_minutes": 30,
        "duration_minutes": 30,
        "buffer_after_minutes": 10,
        "price_minor": 18000,  # £180.00
        "device_kind": DeviceKind.PEN,
    }
    values.update(fields)
    offered = Service.objects.create(location=location, **values)  # type: ignore[arg-type]
    practitioners = StaffMember.objects.filter(locations=location, role=Role.PRACTITIONER)
    offered.practitioners.set(practitioners)
    for member in practitioners:
        works_opening_hours(member, location)
    return offered


def works_opening_hours(member: StaffMember, location: Location) -> None:
    for hours in location.opening_hours.all():
        WorkingPeriod.objects.get_or_create(
            staff=member,
            location=location,
            weekday=hours.weekday,
            starts=hours.opens,
            ends=hours.closes,
        )


HISTORY_ANSWERED_ON = date(2026, 11, 20)
"""When ``medical_history`` records a history unless told otherwise: before every visit
the tests book (a history dated after a visit can't screen it)."""


def medical_history(
    someone: Client,
    declared: dict[str, dict[str, object]] | None = None,
    *,
    answered_on: date = HISTORY_ANSWERED_ON,
) -> Screening:
    """Record the client's medical history, as the front desk would: "no" to every
    question but ``declared`` (ci key -> stored answer, e.g. ``{"ci.pregnancy":
    {"present": True}}``). Returns the screening of the day it was answered."""
    from needlepoint.clients.choices import SubmissionSource
    from needlepoint.clients.services import questionnaire_submit
    from needlepoint.clinical import default_rules

    answers: dict[str, object] = {
        question.key: {"present": False} for question in default_rules().questions()
    }
    answers.update(declared or {})
    return questionnaire_submit(
        client=someone, answers=answers, answered_on=answered_on, source=SubmissionSource.STAFF
    )


def screened_client(
    organisation: Organisation, *, answered_on: date = HISTORY_ANSWERED_ON, **fields: object
) -> Client:
    """A client whose medical history (answered 20 Nov 2026 unless told) declares nothing:
    cleared, so a treatment can be booked for them on any channel."""
    someone = client(organisation, **fields)
    medical_history(someone, answered_on=answered_on)
    return someone


def signed_in(who: StaffMember | User) -> DjangoTestClient:
    """A browser signed in as this staff member, past the two-step code where they need one."""
    from django_otp import DEVICE_ID_SESSION_KEY

    user = who.user if isinstance(who, StaffMember) else who
    browser = DjangoTestClient()
    browser.force_login(user)
    device = authenticator(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return browser


def authenticator(user: User, *, confirmed: bool = True) -> Any:
    """The user's authenticator app (a TOTP device), set up if they have none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()
    return device or TOTPDevice.objects.create(user=user, name="Test app", confirmed=confirmed)


def current_code(device: Any) -> str:
    """What the authenticator app shows now."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def give_code_in_browser(page: Any, user: User) -> None:
    """On the two-step page of a real browser: type the app's current code and go on."""
    import re

    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.get_by_label("6-digit code").wait_for()
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed").first()
    page.get_by_label("6-digit code").fill(current_code(device))
    page.get_by_role("button", name=re.compile("continue", re.I)).click()


def photo_bytes(
    size: tuple[int, int] = (120, 90), colour: tuple[int, int, int] = (210, 160, 150)
) -> bytes:
    """A small, plain JPEG: what a camera upload needs to be."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


def booked_treatment(clinic: Clinic, starts_at: datetime) -> Booking:
    """A screened (cleared) client booked by the front desk for a face treatment."""
    from needlepoint.scheduling.choices import Channel
    from needlepoint.scheduling.services import booking_create

    return booking_create(
        client=screened_client(clinic.organisation),
        service=service(clinic.location),
        starts_at=starts_at,
        channel=Channel.STAFF,
        now=starts_at - timedelta(days=1),
    )


def open_chart(clinic: Clinic, starts_at: datetime) -> TreatmentSession:
    """The open chart of a booked face treatment, started by the clinic's practitioner."""
    from needlepoint.treatments.services import session_start

    booking = booked_treatment(clinic, starts_at)
    return session_start(booking=booking, by=clinic.practitioner.user, now=starts_at)
