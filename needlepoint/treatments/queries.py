"""A client's treatment record and what the clinical core makes of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from needlepoint.clients.answers import answers_from_json
from needlepoint.clients.models import Client, QuestionnaireSubmission, Screening
from needlepoint.clinical import (
    AdverseEventRecord,
    Eligibility,
    History,
    Rules,
    SessionRecord,
    next_session_date,
)
from needlepoint.core.plain_sql import as_date, from_json, rows
from needlepoint.treatments.models import AdverseEvent, Cartridge, TreatmentSession


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
                zones={zone.zone: float(zone.depth_mm) for zone in session.zones.all()},
            )
            for session in sessions
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
    )


def client_history(client: Client) -> History:
    """The clinical core's view of a client: sessions, adverse events, latest answers.

    Every booking on every channel reads this, so it is three plain statements
    rather than model instances (see ``scheduling/calendar_reads.py`` for why).
    """
    zones_by_session: dict[int, tuple[date, str, dict[str, float]]] = {}
    for pk, on, indication, zone, depth in rows(
        "SELECT s.id, s.performed_on, s.indication, z.zone, z.depth_mm"
        " FROM treatments_treatmentsession s"
        " LEFT JOIN treatments_zonetreatment z ON z.session_id = s.id"
        " WHERE s.client_id = %s ORDER BY s.performed_on DESC, s.id, z.zone",
        [client.pk],
    ):
        _, _, zones = zones_by_session.setdefault(pk, (as_date(on), indication, {}))
        if zone is not None:
            zones[zone] = float(depth)
    adverse_events = rows(
        "SELECT kind, zones, onset_on, resolved_on, grade FROM treatments_adverseevent"
        " WHERE client_id = %s ORDER BY onset_on DESC, id",
        [client.pk],
    )
    latest = rows(
        "SELECT answers, answered_on FROM clients_questionnairesubmission"
        " WHERE client_id = %s ORDER BY version DESC LIMIT 1",
        [client.pk],
    )
    answers = None
    if latest:
        stored, answered_on = latest[0]
        answers = answers_from_json(
            from_json(stored),
            answered_on=as_date(answered_on),
            date_of_birth=client.date_of_birth,
            fitzpatrick=client.fitzpatrick,
        )
    return History(
        sessions=tuple(
            SessionRecord(on=on, indication=indication, zones=zones)
            for on, indication, zones in zones_by_session.values()
        ),
        adverse_events=tuple(
            AdverseEventRecord(
                key=kind,
                zones=tuple(from_json(zones)),
                onset=as_date(onset),
                resolved_on=None if resolved is None else as_date(resolved),
                grade=grade,
            )
            for kind, zones, onset, resolved, grade in adverse_events
        ),
        answers=answers,
    )


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
        client, sessions, adverse_events, questionnaires[0] if questionnaires else None
    )
    for session in sessions:
        session.indication_name = rules.indication(session.indication).name  # type: ignore[attr-defined]
        for zone in session.zones.all():
            zone.zone_name = rules.zone(zone.zone).name  # type: ignore[attr-defined]
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
    for session in sessions:  # newest first
        latest_by_indication.setdefault(session.indication, session)
    result = []
    for indication, session in latest_by_indication.items():
        zones = tuple(zone.zone for zone in session.zones.all())
        result.append(
            NextSession(
                indication=indication,
                indication_name=rules.indication(indication).name,
                zones=zones,
                zone_names=tuple(rules.zone(zone).name for zone in zones),
                done=sum(1 for s in sessions if s.indication == indication),
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
