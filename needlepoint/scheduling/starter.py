"""The starter service catalogue a new clinic is offered in its first set-up (and the demo
uses): a consultation, a patch test and a microneedling treatment for each common area,
with the area and indication named by their keys in the clinical rules file."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop

from needlepoint.clinics.choices import DeviceKind
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.core.money import Money, from_major
from needlepoint.scheduling.catalogue import GIVES_TREATMENTS
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.models import WorkingPeriod


@dataclass(frozen=True)
class StarterService:
    name: str
    kind: str
    area: str
    indication: str
    numbing_minutes: int
    duration_minutes: int
    price: str  # in major units of whatever currency the organisation uses, e.g. "180.00"

    def price_in(self, currency: str) -> Money:
        """The price in `currency`, rounded to its precision (¥180 for yen)."""
        return from_major(self.price, currency)

    @property
    def device_kind(self) -> str:
        return DeviceKind.PEN if self.kind == ServiceKind.TREATMENT else ""

    @property
    def buffer_after_minutes(self) -> int:
        return 10 if self.kind == ServiceKind.TREATMENT else 5


TREATMENT = ServiceKind.TREATMENT
STARTER_SERVICES = (
    StarterService(gettext_noop("Consultation"), ServiceKind.CONSULTATION, "", "", 0, 30, "40.00"),
    StarterService(gettext_noop("Patch test"), ServiceKind.PATCH_TEST, "", "", 0, 15, "0.00"),
    StarterService(
        gettext_noop("Microneedling — face"),
        TREATMENT,
        "area.face",
        "ind.acne_scars",
        30,
        30,
        "180.00",
    ),
    StarterService(
        gettext_noop("Microneedling — face and neck"),
        TREATMENT,
        "area.face_neck",
        "ind.wrinkles_fine_lines",
        30,
        45,
        "230.00",
    ),
    StarterService(
        gettext_noop("Microneedling — neck and décolletage"),
        TREATMENT,
        "area.neck_decolletage",
        "ind.wrinkles_fine_lines",
        30,
        30,
        "190.00",
    ),
    StarterService(
        gettext_noop("Microneedling — scalp"),
        TREATMENT,
        "area.scalp",
        "ind.alopecia",
        20,
        30,
        "150.00",
    ),
    StarterService(
        gettext_noop("Microneedling — stretch marks, abdomen"),
        TREATMENT,
        "area.abdomen",
        "ind.stretch_marks",
        30,
        45,
        "220.00",
    ),
    StarterService(
        gettext_noop("Microneedling — stretch marks, thighs"),
        TREATMENT,
        "area.thighs",
        "ind.stretch_marks",
        30,
        45,
        "220.00",
    ),
)


def first_location(organisation: Organisation) -> Location | None:
    return organisation.locations.order_by("pk").first()


def setup_step(organisation: Organisation) -> str:
    """``done`` once a new clinic's first location has someone working and something to
    book; ``start`` until then (the guided first set-up)."""
    location = first_location(organisation)
    if location is None or not WorkingPeriod.objects.filter(location=location).exists():
        return "start"
    if not location.services.filter(is_active=True).exists():
        return "start"
    return "done"


def treating_staff(location: Location) -> list[StaffMember]:
    """Who treats clients at the location in the week, and so gives its first services."""
    return list(
        StaffMember.objects.filter(
            is_active=True,
            user__is_active=True,
            role__in=GIVES_TREATMENTS,
            locations=location,
            working_periods__location=location,
        )
        .distinct()
        .order_by("pk")
    )
