"""The demo clinic's courses for sale, through the same services Settings and the desk
use: a course of three for acne scars (sold online too) and a course of six, and two
clients who bought one at the desk."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Location, StaffMember
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money
from needlepoint.packages import services
from needlepoint.payments.choices import Method
from needlepoint.scheduling.choices import ServiceKind
from needlepoint.scheduling.models import Service


def load(location: Location, owner: StaffMember, clients: list[Client]) -> None:
    currency = location.organisation.currency
    face = (
        Service.objects.filter(location=location, kind=ServiceKind.TREATMENT)
        .exclude(area="")
        .order_by("pk")
        .first()
    )
    if face is None:
        return
    three = services.offer_create(
        service=face,
        terms=services.OfferTerms(
            "Acne scars: course of 3", 3, Money(face.price_minor * 27 // 10, currency), 180, True
        ),
        by=owner.user,
    )
    services.offer_create(
        service=face,
        terms=services.OfferTerms(
            "Acne scars: course of 6", 6, Money(face.price_minor * 5, currency), 365
        ),
        by=owner.user,
    )
    start = location.local_now().date() + timedelta(days=10)
    for client in clients:
        try:
            with transaction.atomic():
                services.package_sell(
                    client=client,
                    sale=services.Sale.of(three),
                    start_on=start,
                    method=Method.TERMINAL,
                    by=owner.user,
                )
        except DomainError:  # no free times that fortnight: the demo does without
            continue
