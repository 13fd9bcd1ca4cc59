"""The API's course packages: a client's packages, one package, a sale, and the ways a
package ends, through the same services as the pages.

Reading and selling are for the roles that take money at the desk (not a trainee);
ending a package (transfer, credit, refund, void) is for owners and managers, as on the
pages. Amounts come in the currency's smallest unit (``price_minor``: 45000 is £450.00)
beside the same amount in major units as a string and the ``currency``.
"""

# Annotations stay real types (no __future__ import): ninja reads these signatures.

from datetime import date, datetime, time
from typing import cast
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from ninja import Field, Router, Schema

from needlepoint.accounts.access import visible_locations
from needlepoint.accounts.permissions import MANAGERS
from needlepoint.accounts.permissions import MONEY as MONEY_ROLES
from needlepoint.api.auth import ApiTokenAuth, acting_staff
from needlepoint.api.choices import Scope
from needlepoint.api.errors import errors
from needlepoint.api.idempotency import KeyHeader, create_once
from needlepoint.api.lookup import referenced
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.queries import clients_for
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, as_decimal
from needlepoint.packages import queries, services
from needlepoint.packages.choices import PackageStatus, PauseReason, Payment
from needlepoint.packages.models import Package
from needlepoint.scheduling.courses import Preferences
from needlepoint.scheduling.models import Service

READING = ApiTokenAuth(
    Scope.READ, MONEY_ROLES, cast(str, _lazy("Course packages are not part of a trainee's role."))
)
SELLING = ApiTokenAuth(
    Scope.BOOK, MONEY_ROLES, cast(str, _lazy("Course packages are not part of a trainee's role."))
)
ENDING = ApiTokenAuth(
    Scope.BOOK, MANAGERS, cast(str, _lazy("Ending a course package is for managers and owners."))
)
router = Router(tags=["Course packages"])
MINOR = "In the currency's smallest unit: 45000 is £450.00."


class PauseOut(Schema):
    reason: PauseReason
    starts_on: date
    ends_on: date | None = Field(description="Empty while the pause is still open.")


class RedemptionOut(Schema):
    number: int = Field(description="Session k of the package.")
    booking: UUID
    value_minor: int = Field(description=MINOR)
    at: datetime


class PackageOut(Schema):
    id: UUID
    client: UUID
    service: UUID
    service_name: str
    sessions: int
    used: int
    status: PackageStatus
    currency: str
    price: str
    price_minor: int = Field(description=MINOR)
    paid_minor: int = Field(description="Paid on the sale invoice, less refunds.")
    liability_minor: int = Field(description="Paid for and not given yet.")
    sold_at: datetime
    expires_on_as_sold: date
    expires_on: date = Field(description="The effective expiry: valid through this day.")
    invoice: UUID | None
    transferred_from: UUID | None
    pauses: list[PauseOut]
    redemptions: list[RedemptionOut]


def package_out(package: Package) -> PackageOut:
    row = queries.row(package)
    return PackageOut(
        id=package.public_id,
        client=package.client.public_id,
        service=package.service.public_id,
        service_name=package.service.name,
        sessions=package.sessions,
        used=package.used,
        status=PackageStatus(package.status),
        currency=package.currency,
        price=str(as_decimal(Money(package.price_minor, package.currency))),
        price_minor=package.price_minor,
        paid_minor=row.paid,
        liability_minor=row.liability,
        sold_at=package.sold_at,
        expires_on_as_sold=package.expires_on,
        expires_on=row.expires,
        invoice=package.invoice.public_id if package.invoice else None,
        transferred_from=package.transferred_from.public_id if package.transferred_from else None,
        pauses=[
            PauseOut(reason=PauseReason(p.reason), starts_on=p.starts_on, ends_on=p.ends_on)
            for p in package.pauses.order_by("starts_on", "pk")
        ],
        redemptions=[
            RedemptionOut(
                number=r.number, booking=r.booking.public_id, value_minor=r.value_minor, at=r.at
            )
            for r in package.redemptions.select_related("booking").order_by("number")
        ],
    )


def _packages(request: HttpRequest) -> QuerySet[Package]:
    return queries.visible_packages(visible_locations(acting_staff(request)))


def _package(request: HttpRequest, package_id: UUID) -> Package:
    return get_object_or_404(_packages(request), public_id=package_id)


@router.get(
    "/clients/{client_id}/packages",
    auth=READING,
    response={200: list[PackageOut], **errors(404, 422)},
)
def list_packages(request: HttpRequest, client_id: UUID) -> list[PackageOut]:
    """A client's course packages, newest first, with their effective expiry."""
    client = get_object_or_404(clients_for(acting_staff(request)), public_id=client_id)
    audit.record(
        Action.VIEWED, Target.CLIENT, client.public_id, client=client, detail={"api": "packages"}
    )
    return [package_out(p) for p in _packages(request).filter(client=client)]


@router.get("/packages/{package_id}", auth=READING, response={200: PackageOut, **errors(404, 422)})
def read_package(request: HttpRequest, package_id: UUID) -> PackageOut:
    package = _package(request, package_id)
    audit.record(Action.VIEWED, Target.PACKAGE, package.public_id, client=package.client)
    return package_out(package)


class SaleIn(Schema):
    offer: UUID | None = Field(None, description="An offer on sale; or give the terms below.")
    service: UUID | None = None
    sessions: int | None = Field(None, ge=1, le=24)
    price_minor: int | None = Field(None, ge=0, description=MINOR)
    currency: str | None = Field(None, description="ISO 4217; the clinic's own.")
    valid_days: int | None = Field(None, ge=1)
    start_on: date = Field(description="The first session from this day (the location's).")
    weekdays: list[int] = Field(default_factory=list, description="0 = Monday; empty = any.")
    time_from: time | None = None
    time_to: time | None = None
    method: Payment = Field(description="At the desk, or by instalments on the saved card.")
    instalments: int = Field(0, ge=0, le=24, description="With method instalments: 2 to 24.")


def _sale(request: HttpRequest, payload: SaleIn) -> services.Sale:
    staff = acting_staff(request)
    if payload.offer is not None:
        offers = queries.offers_of(staff.organisation).filter(
            service__location__in=visible_locations(staff)
        )
        return services.Sale.of(referenced(offers, payload.offer, "offer"))
    missing = [
        name
        for name in ("service", "sessions", "price_minor", "valid_days")
        if getattr(payload, name) is None
    ]
    if missing:
        raise DomainError(
            "sale_incomplete",
            _("Name an offer, or give the service, sessions, price_minor and valid_days."),
            field=missing[0],
        )
    assert payload.service and payload.sessions and payload.valid_days is not None
    service = referenced(
        Service.objects.filter(location__in=visible_locations(staff)), payload.service, "service"
    )
    currency = payload.currency or staff.organisation.currency
    return services.Sale(
        service, payload.sessions, Money(payload.price_minor or 0, currency), payload.valid_days
    )


@router.post(
    "/clients/{client_id}/packages",
    auth=SELLING,
    response={201: PackageOut, **errors(400, 404, 422)},
)
def sell_package(
    request: HttpRequest, client_id: UUID, payload: SaleIn, idempotency_key: KeyHeader = None
) -> HttpResponse:
    """Sell a course, all or nothing: the screening gate, every session booked at the
    clinical interval, the sale invoice issued and the payment recorded. Send an
    ``Idempotency-Key`` to retry safely."""

    def create() -> PackageOut:
        staff = acting_staff(request)
        client = get_object_or_404(clients_for(staff), public_id=client_id)
        package = services.package_sell(
            client=client,
            sale=_sale(request, payload),
            start_on=payload.start_on,
            method=payload.method,
            instalments=payload.instalments,
            by=staff.user,
            preferences=Preferences(payload.weekdays, payload.time_from, payload.time_to),
        )
        return package_out(package)

    return create_once(request, idempotency_key, payload, 201, create)


class TransferIn(Schema):
    to: UUID = Field(description="The client receiving the unused sessions.")
    client_agreed: bool = Field(description="The giving client agreed (recorded).")
    reason: str = ""


class MoneyBackIn(Schema):
    percent: int = Field(ge=0, le=100, description="The share of the unused value.")
    reason: str


class VoidIn(Schema):
    reason: str


@router.post(
    "/packages/{package_id}/transfer",
    auth=ENDING,
    response={200: PackageOut, **errors(400, 404, 422)},
)
def transfer_package(request: HttpRequest, package_id: UUID, payload: TransferIn) -> PackageOut:
    """Give the unused sessions to another client; answers with the package they received."""
    staff = acting_staff(request)
    package = _package(request, package_id)
    to = referenced(clients_for(staff), payload.to, "to")
    received = services.package_transfer(
        package=package,
        to=to,
        client_agreed=payload.client_agreed,
        reason=payload.reason,
        by=staff.user,
    )
    return package_out(received)


@router.post(
    "/packages/{package_id}/credit",
    auth=ENDING,
    response={200: PackageOut, **errors(400, 404, 422)},
)
def credit_package(request: HttpRequest, package_id: UUID, payload: MoneyBackIn) -> PackageOut:
    """End the package with a share of its unused value as account credit."""
    package = services.package_credit(
        package=_package(request, package_id),
        percent=payload.percent,
        reason=payload.reason,
        by=acting_staff(request).user,
    )
    return package_out(package)


@router.post(
    "/packages/{package_id}/refund",
    auth=ENDING,
    response={200: PackageOut, **errors(400, 404, 422)},
)
def refund_package(request: HttpRequest, package_id: UUID, payload: MoneyBackIn) -> PackageOut:
    """End the package with a share of its unused value refunded to its payment."""
    package = services.package_refund(
        package=_package(request, package_id),
        percent=payload.percent,
        reason=payload.reason,
        by=acting_staff(request).user,
    )
    return package_out(package)


@router.post(
    "/packages/{package_id}/void", auth=ENDING, response={200: PackageOut, **errors(400, 404, 422)}
)
def void_package(request: HttpRequest, package_id: UUID, payload: VoidIn) -> PackageOut:
    """End the package without moving money, saying why."""
    package = services.package_void(
        package=_package(request, package_id), reason=payload.reason, by=acting_staff(request).user
    )
    return package_out(package)
