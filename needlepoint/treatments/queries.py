"""A client's treatment record and what the clinical core makes of it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from needlepoint.accounts.access import visible_locations, visible_locations_where
from needlepoint.clients.answers import answers_from_json
from needlepoint.clients.models import Client, QuestionnaireSubmission, Screening
from needlepoint.clients.reviews import clinical_reviews_in_force
from needlepoint.clinical import (
    AdverseEventRecord,
    Density,
    Eligibility,
    History,
    Review,
    Rules,
    SessionRecord,
    next_session_date,
    pen_channel_density,
    roller_channel_density,
)
from needlepoint.clinics.choices import DeviceKind, Role
from needlepoint.clinics.clinical_wording import rule_text
from needlepoint.clinics.models import (
    Device,
    Location,
    NeedleConfiguration,
    Organisation,
    StaffMember,
)
from needlepoint.core import plain_sql
from needlepoint.scheduling.models import Booking, Service
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import (
    AdverseEvent,
    Cartridge,
    Countersignature,
    Outcome,
    Photo,
    SessionAddendum,
    TreatmentSession,
    ZoneTreatment,
)


@dataclass(frozen=True)
class NextSession:
    indication: str
    indication_name: str
    zones: tuple[str, ...]
    zone_names: tuple[str, ...]
    done: int
    eligibility: Eligibility


@dataclass(frozen=True)
class ClientRecord:
    latest_screening: Screening | None
    questionnaires: list[QuestionnaireSubmission]
    sessions: list[TreatmentSession]
    adverse_events: list[AdverseEvent]
    next_sessions: list[NextSession]


def clinical_history(
    client: Client,
    sessions: list[TreatmentSession],
    adverse_events: list[AdverseEvent],
    latest: QuestionnaireSubmission | None,
    reviews: Sequence[Review] = (),
) -> History:
    answers = None
    if latest is not None:
        answers = answers_from_json(
            latest.answers,
            answered_on=latest.answered_on,
            date_of_birth=client.date_of_birth,
            fitzpatrick=client.fitzpatrick,
        )
    return History(
        sessions=tuple(
            SessionRecord(
                on=session.performed_on,
                indication=session.indication,
                zones=deepest_by_zone(session.zones.all()),
            )
            for session in sessions
            if session.zones.all()  # a chart opened but nothing needled yet: no treatment
        ),
        adverse_events=tuple(
            AdverseEventRecord(
                key=event.kind,
                zones=tuple(event.zones),
                onset=event.onset_on,
                resolved_on=event.resolved_on,
                grade=event.grade,
            )
            for event in adverse_events
        ),
        answers=answers,
        reviews=tuple(reviews),
    )


def deepest_by_zone(segments: Iterable[ZoneTreatment]) -> dict[str, float]:
    """Each zone's deepest segment: what decides its interval and its consent band."""
    deepest: dict[str, float] = {}
    for segment in segments:
        deepest[segment.zone] = max(float(segment.depth_mm), deepest.get(segment.zone, 0.0))
    return deepest


def client_record(client: Client) -> ClientRecord:
    """Everything the client page shows, in a fixed number of queries."""
    rules = client.organisation.rules()
    sessions = list(
        client.sessions.select_related("practitioner__user")
        .prefetch_related("zones")
        .order_by("-performed_on")
    )
    adverse_events = list(client.adverse_events.order_by("-onset_on"))
    questionnaires = list(client.questionnaires.order_by("-version"))
    latest_screening = client.screenings.order_by("-created_at", "-pk").first()
    history = clinical_history(
        client,
        sessions,
        adverse_events,
        questionnaires[0] if questionnaires else None,
        clinical_reviews_in_force(client, timezone.localdate()),
    )
    for session in sessions:
        session.indication_name = rule_text(rules.indication(session.indication).name)  # type: ignore[attr-defined]
        for zone in session.zones.all():
            zone.zone_name = rule_text(rules.zone(zone.zone).name)  # type: ignore[attr-defined]
    return ClientRecord(
        latest_screening=latest_screening,
        questionnaires=questionnaires,
        sessions=sessions,
        adverse_events=adverse_events,
        next_sessions=next_sessions(history, sessions, rules),
    )


def next_sessions(
    history: History, sessions: list[TreatmentSession], rules: Rules
) -> list[NextSession]:
    """For each indication treated, when the zones of its latest session may be treated again."""
    latest_by_indication: dict[str, TreatmentSession] = {}
    treated = [session for session in sessions if session.zones.all()]
    for session in treated:  # newest first
        latest_by_indication.setdefault(session.indication, session)
    result = []
    for indication, session in latest_by_indication.items():
        zones = tuple(zone.zone for zone in session.zones.all())
        result.append(
            NextSession(
                indication=indication,
                indication_name=rule_text(rules.indication(indication).name),
                zones=zones,
                zone_names=tuple(rule_text(rules.zone(zone).name) for zone in zones),
                done=sum(1 for s in treated if s.indication == indication),
                eligibility=next_session_date(history, zones, indication, rules=rules),
            )
        )
    return result


def sessions_using_lot(organisation_id: int, lot: str) -> list[Cartridge]:
    """Every used cartridge of a lot with its client, date and zones: what a recall needs."""
    return list(
        Cartridge.objects.filter(organisation_id=organisation_id, lot=lot, session__isnull=False)
        .select_related("session__client", "configuration")
        .prefetch_related("session__zones")
        .order_by("session__performed_on", "serial")
    )


@dataclass(frozen=True)
class ZoneLine:
    record: ZoneTreatment
    name: str
    density: Density | None
    cartridge: Cartridge | None  # the one it names: one of its own session's


@dataclass(frozen=True)
class Chart:
    """Everything the chart page shows, in a fixed number of queries."""

    session: TreatmentSession
    zones: list[ZoneLine]
    cartridges: list[Cartridge]
    photos: list[Photo]
    addenda: list[SessionAddendum]
    outcome: Outcome | None
    open_adverse_events: list[AdverseEvent]
    zone_names: dict[str, str]
    allowed_zones: frozenset[str] | None


HAND_SPEED_CM_S = 5.0  # a steady pass, as in the domain reference's worked example
FOOTPRINT_CM = 0.5


# The rows of a session its chart shows, each kind in one query, ordered as the models
# order them within one session (their own orderings sort across sessions first, by the
# client's name: joins a single chart does not need).
CHART_ROWS = (
    Prefetch(
        "cartridges", Cartridge.objects.select_related("configuration").order_by("lot", "serial")
    ),
    Prefetch("zones", ZoneTreatment.objects.select_related("override_by").order_by("zone", "pk")),
    Prefetch("photos", Photo.objects.order_by("timing", "view", "uploaded_at")),
    Prefetch("addenda", SessionAddendum.objects.select_related("by").order_by("at", "pk")),
)


def chart_session(staff: StaffMember, public_id: UUID) -> TreatmentSession | None:
    """The session ``public_id`` at one of the locations ``staff`` sees, with what its chart
    and checklist read, or None: five statements whatever the number of zones, photos or
    addenda.

    Plain SQL (core/plain_sql.py): the ORM took far longer to build the twelve-table
    ``select_related`` and the four prefetches than the database took to answer them.
    """
    where, params = visible_locations_where(staff, "l")
    found = plain_sql.rows(
        f"{_chart_session_sql()} WHERE s.public_id = %s AND {where}",
        [plain_sql.uuid_value(public_id), *params],
    )
    if not found:
        return None
    session = _session_from_row(found[0])
    _chart_rows(session)
    return session


User = get_user_model()

# The rows read alongside a session: (model, alias, join), in the order selected.
_CHART_JOINS: tuple[tuple[type[Model], str, str], ...] = (
    (TreatmentSession, "s", ""),
    (Client, "c", "JOIN clients_client c ON c.id = s.client_id"),
    (Organisation, "o", "JOIN clinics_organisation o ON o.id = c.organisation_id"),
    (Location, "l", "JOIN clinics_location l ON l.id = s.location_id"),
    (StaffMember, "p", "JOIN clinics_staffmember p ON p.id = s.practitioner_id"),
    (User, "pu", "JOIN accounts_user pu ON pu.id = p.user_id"),
    (Booking, "b", "LEFT JOIN scheduling_booking b ON b.id = s.booking_id"),
    (Service, "sv", "LEFT JOIN scheduling_service sv ON sv.id = b.service_id"),
    (Device, "d", "LEFT JOIN clinics_device d ON d.id = s.device_id"),
    (User, "cu", "LEFT JOIN accounts_user cu ON cu.id = s.completed_by_id"),
    (StaffMember, "cs", "LEFT JOIN clinics_staffmember cs ON cs.user_id = cu.id"),
    (Outcome, "oc", "LEFT JOIN treatments_outcome oc ON oc.session_id = s.id"),
    (Countersignature, "cg", "LEFT JOIN treatments_countersignature cg ON cg.session_id = s.id"),
    (User, "cgu", "LEFT JOIN accounts_user cgu ON cgu.id = cg.by_id"),
)


@cache
def _chart_session_sql() -> str:
    selected = ", ".join(plain_sql.columns(model, alias) for model, alias, _ in _CHART_JOINS)
    joins = " ".join(join for _, _, join in _CHART_JOINS if join)
    return f"SELECT {selected} FROM treatments_treatmentsession s {joins}"


def _session_from_row(row: Sequence[Any]) -> TreatmentSession:
    loaded: list[Any] = []
    start = 0
    for model, _, _ in _CHART_JOINS:
        end = start + len(model._meta.concrete_fields)
        values = row[start:end]
        loaded.append(None if values[0] is None else plain_sql.instance(model, values))
        start = end
    session: TreatmentSession = loaded[0]
    client, organisation, location, practitioner, user, booking, service = loaded[1:8]
    device, completed_by, completer, outcome, countersignature, countersigner = loaded[8:]
    _related(client, "organisation", organisation)
    _related(practitioner, "user", user, back="staff")
    _related(booking, "service", service)
    _related(completed_by, "staff", completer, back="user")
    _related(countersignature, "by", countersigner)
    for name, value in (
        ("client", client),
        ("location", location),
        ("practitioner", practitioner),
        ("booking", booking),
        ("device", device),
        ("completed_by", completed_by),
        ("outcome", outcome),
        ("countersignature", countersignature),
    ):
        _related(session, name, value, back="session" if name in _ONE_TO_ONE else "")
    return session


_ONE_TO_ONE = frozenset({"booking", "outcome", "countersignature"})


def _related(instance: Model | None, name: str, value: Model | None, back: str = "") -> None:
    """Cache ``value`` as ``instance.name`` (None: it has none), as ``select_related`` does;
    a one-to-one's other end points ``back``."""
    if instance is None:
        return
    instance._state.fields_cache[name] = value
    if back and value is not None:
        value._state.fields_cache[back] = instance


def _chart_rows(session: TreatmentSession) -> None:
    """The session's rows its chart shows, as ``CHART_ROWS`` prefetches them."""
    cartridges = _children(
        session,
        "SELECT {0}, {1} FROM treatments_cartridge t"
        " JOIN clinics_needleconfiguration n ON n.id = t.configuration_id"
        " WHERE t.session_id = %s ORDER BY t.lot, t.serial",
        Cartridge,
        (NeedleConfiguration, "n", "configuration"),
    )
    zones = _children(
        session,
        "SELECT {0}, {1} FROM treatments_zonetreatment t"
        " LEFT JOIN accounts_user u ON u.id = t.override_by_id"
        " WHERE t.session_id = %s ORDER BY t.zone, t.id",
        ZoneTreatment,
        (User, "u", "override_by"),
    )
    photos = _children(
        session,
        "SELECT {0} FROM treatments_photo t"
        " WHERE t.session_id = %s ORDER BY t.timing, t.view, t.uploaded_at",
        Photo,
    )
    addenda = _children(
        session,
        "SELECT {0}, {1} FROM treatments_sessionaddendum t"
        " JOIN accounts_user u ON u.id = t.by_id"
        " WHERE t.session_id = %s ORDER BY t.at, t.id",
        SessionAddendum,
        (User, "u", "by"),
    )
    plain_sql.prefetched(session, "cartridges", Cartridge, cartridges)
    plain_sql.prefetched(session, "zones", ZoneTreatment, zones)
    plain_sql.prefetched(session, "photos", Photo, photos)
    plain_sql.prefetched(session, "addenda", SessionAddendum, addenda)


def _children(
    session: TreatmentSession,
    sql: str,
    model: type[Model],
    joined: tuple[type[Model], str, str] | None = None,
) -> list[Any]:
    """Rows of ``model`` pointing at ``session``, each with the row it joins (if any):
    ``sql`` selects ``{0}``, the model's columns as ``t``, then ``{1}``, the joined one's."""
    columns = [plain_sql.columns(model, "t")]
    if joined is not None:
        columns.append(plain_sql.columns(joined[0], joined[1]))
    width = len(model._meta.concrete_fields)
    found = []
    for row in plain_sql.rows(sql.format(*columns), [session.pk]):
        child = plain_sql.instance(model, row[:width])
        child._state.fields_cache["session"] = session
        if joined is not None:
            other, _, name = joined
            values = row[width:]
            child._state.fields_cache[name] = (
                None if values[0] is None else plain_sql.instance(other, values)
            )
        found.append(child)
    return found


def session_chart(session: TreatmentSession) -> Chart:
    """The chart of ``session``; loaded through ``chart_session``, it costs one query more
    (the client's open adverse events)."""
    prefetch_related_objects([session], *CHART_ROWS)  # nothing to do after chart_session
    rules = session.client.organisation.rules()
    cartridges = list(session.cartridges.all())
    by_id = {cartridge.pk: cartridge for cartridge in cartridges}
    needles = cartridges[0].configuration if cartridges else None
    zones = []
    for record in session.zones.all():
        cartridge = by_id.get(record.cartridge_id) if record.cartridge_id else None
        zones.append(
            ZoneLine(
                record,
                rule_text(rules.zone(record.zone).name),
                _density(session, cartridge.configuration if cartridge else needles, record.passes),
                cartridge,
            )
        )
    area = session.booking.service.area if session.booking else ""
    return Chart(
        session=session,
        zones=zones,
        cartridges=cartridges,
        photos=list(session.photos.all()),
        addenda=list(session.addenda.all()),
        outcome=one_to_one(session, "outcome"),
        open_adverse_events=open_adverse_events(session.client),
        zone_names={key: zone.name for key, zone in rules.zones.items()},
        allowed_zones=frozenset(rules.area_zones(area)) if area else None,
    )


def one_to_one(session: TreatmentSession, name: str) -> Any:
    """The session's outcome or countersignature, or None if it has none yet."""
    try:
        return getattr(session, name)
    except ObjectDoesNotExist:
        return None


def _density(
    session: TreatmentSession, needles: NeedleConfiguration | None, passes: int
) -> Density | None:
    """Punctures per cm², estimated from the cartridge, the pen's speed and the passes."""
    if needles is None or passes < 1:
        return None
    if needles.device_kind == DeviceKind.ROLLER:
        return roller_channel_density(needles.needle_count, passes=passes)
    if not session.speed_hz:
        return None
    return pen_channel_density(
        needles.needle_count, session.speed_hz, HAND_SPEED_CM_S, FOOTPRINT_CM, passes
    )


def open_adverse_events(client: Client) -> list[AdverseEvent]:
    found = plain_sql.rows(
        f"SELECT {plain_sql.columns(AdverseEvent, 'a')} FROM treatments_adverseevent a"
        " WHERE a.client_id = %s AND a.resolved_on IS NULL ORDER BY a.onset_on",
        [client.pk],
    )
    return [plain_sql.instance(AdverseEvent, row) for row in found]


def charts_to_countersign(staff: StaffMember) -> QuerySet[TreatmentSession]:
    """Charts a trainee signed at the staff member's locations, not yet countersigned."""
    return (
        TreatmentSession.objects.filter(
            status=SessionStatus.COMPLETED,
            completed_by__staff__role=Role.TRAINEE,
            countersignature__isnull=True,
            location__in=visible_locations(staff),
        )
        .select_related("client", "completed_by")
        .order_by("performed_on", "pk")
    )
