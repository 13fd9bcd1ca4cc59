"""CSV exports of an organisation's clients, bookings, treatment sessions and outcomes.

Rows are produced one at a time from the database (nothing builds the whole file), as
UTF-8 with a byte-order mark so Excel reads accents right. Times are written in the
location's zone with their offset (2027-03-02T10:00:00+00:00). A cell that starts with
= + - or @ gets a leading quote, so a spreadsheet shows it as text instead of running
it as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation
from needlepoint.core.csv_export import Echo, safe
from needlepoint.scheduling.models import Booking
from needlepoint.treatments.models import Outcome, TreatmentSession, ZoneTreatment

EXPORTS = {
    "clients": _("Clients"),
    "bookings": _("Bookings"),
    "sessions": _("Treatment sessions"),
    "outcomes": _("Outcomes"),
}
HEALTH = {"sessions", "outcomes"}
"""Health data: exported only after the password was given recently."""
TARGETS = {
    "clients": Target.CLIENT,
    "bookings": Target.BOOKING,
    "sessions": Target.CHART,
    "outcomes": Target.CHART,
}
COLUMNS = {
    "clients": (
        "record_id",
        "first_name",
        "last_name",
        "email",
        "phone",
        "date_of_birth",
        "home_location",
        "created_at",
    ),
    "bookings": (
        "booking_id",
        "client_id",
        "client_name",
        "service",
        "location",
        "practitioner",
        "room",
        "starts_at",
        "ends_at",
        "time_zone",
        "status",
        "channel",
    ),
    "sessions": (
        "session_id",
        "date",
        "client_id",
        "location",
        "practitioner",
        "indication",
        "status",
        "zone",
        "depth_mm",
        "passes",
        "completed_at",
    ),
    "outcomes": (
        "session_id",
        "date",
        "client_id",
        "scar_grade",
        "scar_score",
        "glogau",
        "improvement",
        "notes",
        "recorded_at",
        "recorded_by",
    ),
}
CHUNK = 2000


def local(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).isoformat() if at is not None else ""


def csv_lines(
    kind: str, organisation: Organisation, since: date | None, until: date | None
) -> Iterator[str]:
    """The export's lines, one at a time: a byte-order mark, the header, then the rows."""
    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(COLUMNS[kind])
    for row in ROWS[kind](organisation, since, until):
        yield writer.writerow([safe(cell) for cell in row])


def record_export(
    kind: str,
    organisation: Organisation,
    since: date | None,
    until: date | None,
    actor: str = "",
) -> None:
    audit.record(
        Action.EXPORTED,
        TARGETS[kind],
        f"{kind}.csv",
        organisation_id=organisation.pk,
        detail={
            "export": kind,
            "from": since.isoformat() if since else "",
            "to": until.isoformat() if until else "",
        },
        actor=actor,
    )


def _clients(org: Organisation, since: date | None, until: date | None) -> Iterable[list[object]]:
    clients = (
        Client.objects.filter(organisation=org, anonymised_at__isnull=True)
        .select_related("home_location")
        .order_by("pk")
    )
    for client in clients.iterator(chunk_size=CHUNK):
        place = client.home_location
        yield [
            client.public_id,
            client.first_name,
            client.last_name,
            client.email,
            client.phone,
            client.date_of_birth.isoformat(),
            place.name if place else "",
            local(client.created_at, place.zone if place else ZoneInfo("UTC")),
        ]


def _padded(since: date | None, until: date | None) -> dict[str, datetime]:
    """A UTC range wide enough for any zone's local days; rows are then checked exactly."""
    bounds = {}
    if since:
        bounds["starts_at__gte"] = datetime.combine(since, time.min, UTC) - timedelta(days=1)
    if until:
        bounds["starts_at__lt"] = datetime.combine(until, time.min, UTC) + timedelta(days=2)
    return bounds


def _within(day: date, since: date | None, until: date | None) -> bool:
    return (since is None or day >= since) and (until is None or day <= until)


def _bookings(org: Organisation, since: date | None, until: date | None) -> Iterable[list[object]]:
    bookings = (
        Booking.objects.filter(location__organisation=org, **_padded(since, until))
        .select_related("client", "service", "location", "practitioner__user", "room")
        .order_by("starts_at", "pk")
    )
    for booking in bookings.iterator(chunk_size=CHUNK):
        zone = booking.location.zone
        if not _within(booking.starts_at.astimezone(zone).date(), since, until):
            continue
        yield [
            booking.public_id,
            booking.client.public_id,
            booking.client.full_name,
            booking.service.name,
            booking.location.name,
            booking.practitioner.user.full_name,
            booking.room.name if booking.room else "",
            local(booking.starts_at, zone),
            local(booking.ends_at, zone),
            booking.location.time_zone,
            booking.status,
            booking.channel,
        ]


def _dates(since: date | None, until: date | None, path: str) -> dict[str, date]:
    bounds = {}
    if since:
        bounds[f"{path}__gte"] = since
    if until:
        bounds[f"{path}__lte"] = until
    return bounds


def _sessions(org: Organisation, since: date | None, until: date | None) -> Iterable[list[object]]:
    sessions = (
        TreatmentSession.objects.filter(
            client__organisation=org, **_dates(since, until, "performed_on")
        )
        .select_related("client", "location", "practitioner__user")
        .prefetch_related(Prefetch("zones", ZoneTreatment.objects.order_by("pk")))
        .order_by("performed_on", "pk")
    )
    for session in sessions.iterator(chunk_size=CHUNK):
        start = [
            session.public_id,
            session.performed_on.isoformat(),
            session.client.public_id,
            session.location.name,
            session.practitioner.user.full_name,
            session.indication,
            session.status,
        ]
        end = [local(session.completed_at, session.location.zone)]
        zones = list(session.zones.all())
        if not zones:
            yield [*start, "", "", "", *end]
        for zone in zones:
            yield [*start, zone.zone, zone.depth_mm, zone.passes, *end]


def _outcomes(org: Organisation, since: date | None, until: date | None) -> Iterable[list[object]]:
    outcomes = (
        Outcome.objects.filter(
            session__client__organisation=org,
            **_dates(since, until, "session__performed_on"),
        )
        .select_related("session__client", "session__location", "recorded_by")
        .order_by("session__performed_on", "pk")
    )
    for outcome in outcomes.iterator(chunk_size=CHUNK):
        session = outcome.session
        yield [
            session.public_id,
            session.performed_on.isoformat(),
            session.client.public_id,
            outcome.scar_grade,
            outcome.scar_score,
            outcome.glogau,
            outcome.improvement,
            outcome.notes,
            local(outcome.recorded_at, session.location.zone),
            outcome.recorded_by.email,
        ]


ROWS = {"clients": _clients, "bookings": _bookings, "sessions": _sessions, "outcomes": _outcomes}
