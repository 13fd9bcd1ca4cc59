"""The API's calendar: services, free times, bookings and courses.

Every write goes through ``scheduling/services.py``, as the calendar pages do; the
API books on its own channel (``api``), so the location's minimum notice and booking
horizon apply as they do online.
"""

# Annotations stay real types (no __future__ import): ninja reads these signatures,
# some through its paginate wrapper, whose module can't resolve names given as strings.

import json
from datetime import date, datetime, timedelta
from functools import cache
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from needlepoint.accounts.access import no_store, visible_locations, visible_locations_where
from needlepoint.api.auth import BOOK, acting_staff
from needlepoint.api.errors import errors
from needlepoint.api.fields import Day, Instant, Note
from needlepoint.api.idempotency import KeyHeader, create_once
from needlepoint.api.lookup import referenced
from needlepoint.api.pagination import Page
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.queries import clients_for
from needlepoint.clinics.clinical_wording import reason_text
from needlepoint.clinics.models import Location, Organisation, StaffMember
from needlepoint.core import plain_sql
from needlepoint.core.errors import DomainError
from needlepoint.core.money import Money, as_decimal
from needlepoint.scheduling import services
from needlepoint.scheduling.choices import BookingStatus, Channel, ServiceKind
from needlepoint.scheduling.courses import course_progress
from needlepoint.scheduling.models import Booking, Course, Service
from needlepoint.scheduling.queries import available_slots, clinical_eligibility

router = Router(tags=["Calendar"])
LONGEST_SEARCH = timedelta(days=62)


class ServiceOut(Schema):
    id: UUID
    location: UUID
    name: str
    kind: ServiceKind
    area: str
    indication: str
    visit_minutes: int
    treatment_minutes: int
    price: str = Field(
        description="In major units to the currency's precision: 85.50 (GBP), 8500 (JPY)."
    )
    price_minor: int = Field(description="In the currency's smallest unit: 8550 is £85.50.")
    currency: str = Field(description="ISO 4217 code, e.g. GBP.")
    tax_rate_bp: int = Field(description="Tax on the service in basis points: 2000 is 20%.")
    bookable_online: bool

    @staticmethod
    def resolve_id(service: Service) -> UUID:
        return service.public_id

    @staticmethod
    def resolve_location(service: Service) -> UUID:
        return service.location.public_id

    @staticmethod
    def resolve_treatment_minutes(service: Service) -> int:
        return service.duration_minutes

    @staticmethod
    def resolve_price(service: Service) -> str:
        return str(as_decimal(Money(service.price_minor, service.location.organisation.currency)))

    @staticmethod
    def resolve_currency(service: Service) -> str:
        return service.location.organisation.currency


class PractitionerOut(Schema):
    id: UUID
    name: str
    services: list[UUID] = Field(description="The location's services they give.")

    @staticmethod
    def resolve_id(member: StaffMember) -> UUID:
        return member.public_id

    @staticmethod
    def resolve_name(member: StaffMember) -> str:
        return member.user.full_name

    @staticmethod
    def resolve_services(member: StaffMember) -> list[UUID]:
        return [service.public_id for service in member.services.all()]


class SlotOut(Schema):
    starts_at: datetime
    ends_at: datetime
    practitioner: str = Field(description="The practitioner's name.")
    practitioner_id: UUID


class AvailabilityOut(Schema):
    service: UUID
    client: UUID | None
    practitioner: UUID | None
    time_zone: str
    earliest_date: date | None
    blocked: bool
    reasons: list[str]
    slots: list[SlotOut]


class BookingOut(Schema):
    id: UUID
    client: UUID
    service: UUID
    location: UUID
    practitioner: str = Field(description="The practitioner's name.")
    practitioner_id: UUID
    starts_at: datetime
    ends_at: datetime
    status: BookingStatus
    channel: Channel

    @staticmethod
    def resolve_id(booking: Booking) -> UUID:
        return booking.public_id

    @staticmethod
    def resolve_client(booking: Booking) -> UUID:
        return booking.client.public_id

    @staticmethod
    def resolve_service(booking: Booking) -> UUID:
        return booking.service.public_id

    @staticmethod
    def resolve_location(booking: Booking) -> UUID:
        return booking.location.public_id

    @staticmethod
    def resolve_practitioner(booking: Booking) -> str:
        return booking.practitioner.user.full_name

    @staticmethod
    def resolve_practitioner_id(booking: Booking) -> UUID:
        return booking.practitioner.public_id


class BookingIn(Schema):
    client: UUID
    service: UUID
    starts_at: Instant
    practitioner: UUID | None = Field(None, description="Whom to book; any who is free if not.")
    override_reason: Note = ""


class RescheduleIn(Schema):
    starts_at: Instant
    override_reason: Note = ""


class CancelIn(Schema):
    reason: Note = ""


class BookingFilters(Schema):
    starts_after: Instant | None = None
    starts_before: Instant | None = None
    client: UUID | None = None
    status: BookingStatus | None = None


class ProgressOut(Schema):
    done: int
    planned: int
    upcoming: list[UUID]


class CourseOut(Schema):
    service: UUID
    planned_sessions: int
    interval_days: int
    created_at: datetime
    progress: ProgressOut

    @staticmethod
    def resolve_service(course: Course) -> UUID:
        return course.service.public_id

    @staticmethod
    def resolve_progress(course: Course) -> ProgressOut:
        progress = course_progress(course)
        upcoming = [booking.public_id for booking in progress.upcoming]
        return ProgressOut(done=progress.done, planned=progress.planned, upcoming=upcoming)


def _services(request: HttpRequest) -> QuerySet[Service]:
    return Service.objects.filter(
        location__in=visible_locations(acting_staff(request))
    ).select_related("location__organisation")


def _offered_service(request: HttpRequest, public_id: UUID) -> Service:
    """An active service at one of the user's locations, with its location and organisation;
    404 when there is none. Plain SQL: every availability request reads it."""
    where, params = visible_locations_where(acting_staff(request), "l")
    sql = f"{_service_select(connection.vendor)} AND {where}"
    params = [plain_sql.uuid_value(public_id), *params]
    found = plain_sql.rows(sql, params)
    if not found:
        raise Http404("No Service matches the given query.")
    service, location, organisation = plain_sql.instances(found[0], Service, Location, Organisation)
    location.organisation = organisation  # type: ignore[attr-defined]
    service.location = location  # type: ignore[attr-defined]
    return service  # type: ignore[return-value]


@cache
def _service_select(vendor: str) -> str:
    """The statement's start, written once per database kind (its quoting)."""
    columns = ", ".join(
        plain_sql.columns(model, alias)
        for model, alias in ((Service, "sv"), (Location, "l"), (Organisation, "o"))
    )
    return (
        f"SELECT {columns} FROM scheduling_service sv"
        " JOIN clinics_location l ON l.id = sv.location_id"
        " JOIN clinics_organisation o ON o.id = l.organisation_id"
        " WHERE sv.public_id = %s AND sv.is_active"
    )


def _bookings(request: HttpRequest) -> QuerySet[Booking]:
    return Booking.objects.filter(
        location__in=visible_locations(acting_staff(request))
    ).select_related("client", "service", "location", "practitioner__user")


def _practitioners_at(location: Location) -> QuerySet[StaffMember]:
    """Active staff working at the location who give one of its services, as the calendar
    finds them, each with those services."""
    offered = Service.objects.filter(location=location, is_active=True)
    return (
        StaffMember.objects.filter(is_active=True, locations=location, services__in=offered)
        .distinct()
        .select_related("user")
        .prefetch_related(Prefetch("services", queryset=offered.order_by("name", "pk")))
        .order_by("user__full_name", "pk")
    )


def _practitioner(
    request: HttpRequest, offered: Service, chosen: UUID | None
) -> StaffMember | None:
    """The practitioner a request names for a service; None when it names none."""
    if chosen is None:
        return None
    staff = StaffMember.objects.filter(
        organisation=acting_staff(request).organisation, is_active=True
    ).select_related("user")
    member = referenced(staff, chosen, "practitioner")
    if not offered.practitioners.filter(pk=member.pk, locations=offered.location).exists():
        raise DomainError(
            "not_offered",
            _("%(practitioner)s does not give %(service)s at %(location)s.")
            % {
                "practitioner": member.user.full_name,
                "service": offered.name,
                "location": offered.location.name,
            },
            field="practitioner",
        )
    return member


@router.get(
    "/locations/{location_id}/services", response={200: list[ServiceOut], **errors(404, 422)}
)
@paginate(Page)
def list_services(request: HttpRequest, location_id: UUID) -> QuerySet[Service]:
    """The services offered at a location, by name."""
    location = get_object_or_404(visible_locations(acting_staff(request)), public_id=location_id)
    return _services(request).filter(location=location, is_active=True).order_by("name", "pk")


@router.get("/practitioners", response={200: list[PractitionerOut], **errors(404, 422)})
@paginate(Page)
def list_practitioners(
    request: HttpRequest, location: UUID, service: UUID | None = None
) -> QuerySet[StaffMember]:
    """Who gives treatments at a location, by name, each with the services they give there;
    with ``service``, only those who give it. Name one in availability and bookings."""
    place = referenced(visible_locations(acting_staff(request)), location, "location")
    practitioners = _practitioners_at(place)
    if service is not None:
        at_place = _services(request).filter(location=place, is_active=True)
        offered = referenced(at_place, service, "service")
        practitioners = practitioners.filter(services=offered)
    return practitioners


@router.get("/availability", response={200: AvailabilityOut, **errors(400, 404, 422)})
def read_availability(
    request: HttpRequest,
    service: UUID,
    start: Day,
    end: Day,
    client: UUID | None = None,
    practitioner: UUID | None = None,
) -> HttpResponse:
    """Free start times for a service between two of its location's dates (at most 62 days).

    With a client, times before their clinical earliest date for the service's area are
    left out, and the date and its reasons are given. With a practitioner, only their times.
    """
    if end < start or end - start > LONGEST_SEARCH:
        raise DomainError("invalid_range", _("Give an end on or after the start, within 62 days."))
    offered = _offered_service(request, service)
    someone = None
    if client is not None:
        someone = referenced(clients_for(acting_staff(request)), client, "client")
    member = _practitioner(request, offered, practitioner)
    eligibility = clinical_eligibility(someone, offered) if someone is not None else None
    slots = available_slots(
        offered,
        start,
        end,
        now=timezone.now(),
        channel=Channel.API,
        client=someone,
        practitioner=member,
    )
    named = sorted({slot.practitioner for slot in slots})
    who = {
        pk: (str(plain_sql.uuid(public_id)), name)
        for pk, public_id, name in plain_sql.rows(
            "SELECT s.id, s.public_id, u.full_name FROM clinics_staffmember s"
            f" JOIN accounts_user u ON u.id = s.user_id WHERE s.id IN ({plain_sql.marks(named)})",
            named,
        )
    }
    # The answer is AvailabilityOut, written here as plain JSON: validating and dumping a
    # model per free time was most of a week's request. Instants as ninja writes them.
    instant = DjangoJSONEncoder().default
    answer = {
        "service": str(offered.public_id),
        "client": str(someone.public_id) if someone is not None else None,
        "practitioner": str(member.public_id) if member is not None else None,
        "time_zone": offered.location.time_zone,
        "earliest_date": eligibility.earliest.isoformat()
        if eligibility is not None and eligibility.earliest is not None
        else None,
        "blocked": bool(eligibility and eligibility.blocked),
        "reasons": [str(reason_text(reason)) for reason in eligibility.reasons]
        if eligibility
        else [],
        "slots": [
            {
                "starts_at": instant(s.start),
                "ends_at": instant(s.end),
                "practitioner": who[s.practitioner][1],
                "practitioner_id": who[s.practitioner][0],
            }
            for s in slots
        ],
    }
    return no_store(
        HttpResponse(json.dumps(answer), content_type="application/json; charset=utf-8")
    )


@router.get("/bookings", response={200: list[BookingOut], **errors(422)})
@paginate(Page)
def list_bookings(request: HttpRequest, filters: Query[BookingFilters]) -> QuerySet[Booking]:
    """Bookings at the user's locations, by start; filter by a time range, client or status."""
    bookings = _bookings(request).order_by("starts_at", "pk")
    if filters.starts_after is not None:
        bookings = bookings.filter(starts_at__gte=filters.starts_after)
    if filters.starts_before is not None:
        bookings = bookings.filter(starts_at__lt=filters.starts_before)
    if filters.client is not None:
        bookings = bookings.filter(client__public_id=filters.client)
    if filters.status is not None:
        bookings = bookings.filter(status=filters.status)
    return bookings


@router.post("/bookings", auth=BOOK, response={201: BookingOut, **errors(400, 404, 409, 422)})
def create_booking(
    request: HttpRequest, payload: BookingIn, idempotency_key: KeyHeader = None
) -> HttpResponse:
    """Book a service for a client, with the practitioner named or any who is free; a room
    and device are chosen. Send an ``Idempotency-Key`` to retry safely.

    Refused with 409 ``slot_taken`` when the time was just taken; with 400
    ``screening_needed`` or ``screening_not_cleared`` (with the ``outcome`` and the reasons)
    when the client's medical history doesn't screen cleared for the visit, whatever the
    ``override_reason``; and with 400 ``too_early`` (naming the date) before the client's
    clinical interval allows.
    """

    def create() -> BookingOut:
        staff = acting_staff(request)
        client = referenced(clients_for(staff), payload.client, "client")
        offered = referenced(_services(request), payload.service, "service")
        booking = services.booking_create(
            client=client,
            service=offered,
            starts_at=payload.starts_at,
            channel=Channel.API,
            practitioner=_practitioner(request, offered, payload.practitioner),
            by=staff.user,
            override_reason=payload.override_reason,
        )
        return BookingOut.from_orm(booking)

    return create_once(request, idempotency_key, payload, 201, create)


@router.get("/bookings/{booking_id}", response={200: BookingOut, **errors(404, 422)})
def read_booking(request: HttpRequest, booking_id: UUID) -> Booking:
    booking = get_object_or_404(_bookings(request), public_id=booking_id)
    audit.record(Action.VIEWED, Target.BOOKING, booking.public_id, client=booking.client)
    return booking


@router.post(
    "/bookings/{booking_id}/reschedule",
    auth=BOOK,
    response={200: BookingOut, **errors(400, 404, 409, 422)},
)
def reschedule_booking(request: HttpRequest, booking_id: UUID, payload: RescheduleIn) -> Booking:
    """Move a booking; it keeps its practitioner when they are free."""
    booking = get_object_or_404(_bookings(request), public_id=booking_id)
    return services.booking_reschedule(
        booking=booking,
        starts_at=payload.starts_at,
        by=acting_staff(request).user,
        override_reason=payload.override_reason,
        channel=Channel.API,
    )


@router.post(
    "/bookings/{booking_id}/cancel",
    auth=BOOK,
    response={200: BookingOut, **errors(400, 404, 409, 422)},
)
def cancel_booking(request: HttpRequest, booking_id: UUID, payload: CancelIn) -> Booking:
    """Cancel a booking; inside the location's late-cancellation window it counts as late."""
    booking = get_object_or_404(_bookings(request), public_id=booking_id)
    return services.booking_cancel(
        booking=booking, by=acting_staff(request).user, reason=payload.reason
    )


@router.get("/clients/{client_id}/courses", response={200: list[CourseOut], **errors(404, 422)})
@paginate(Page)
def list_courses(request: HttpRequest, client_id: UUID) -> QuerySet[Course]:
    """A client's courses, newest first, with the sessions done and still to come."""
    client = get_object_or_404(clients_for(acting_staff(request)), public_id=client_id)
    audit.record(
        Action.VIEWED, Target.CLIENT, client.public_id, client=client, detail={"api": "courses"}
    )
    return client.courses.select_related("service").order_by("-created_at", "-pk")
