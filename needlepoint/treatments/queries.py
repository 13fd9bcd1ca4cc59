"""A client's treatment record and what the clinical core makes of it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from needlepoint.accounts.access import visible_locations
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
from needlepoint.clinics.models import NeedleConfiguration, StaffMember
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import (
    AdverseEvent,
    Cartridge,
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


def chart_sessions(sessions: QuerySet[TreatmentSession]) -> QuerySet[TreatmentSession]:
    """``sessions`` with what their charts and checklists read loaded alongside: a fixed
    number of queries, whatever the number of zones, photos or addenda."""
    return sessions.select_related(
        "client__organisation",
        "location",
        "practitioner__user",
        "booking__service",
        "device",
        "completed_by__staff",
        "outcome",
        "countersignature__by",
    ).prefetch_related(*CHART_ROWS)


def session_chart(session: TreatmentSession) -> Chart:
    """The chart of ``session``; loaded through ``chart_sessions``, it costs one query more
    (the client's open adverse events)."""
    prefetch_related_objects([session], *CHART_ROWS)  # nothing to do after chart_sessions
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
    return list(client.adverse_events.filter(resolved_on__isnull=True).order_by("onset_on"))


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
