"""A client's clinical history as the clinical core reads it, gathered in one place.

The booking gate (scheduling), the chart (treatments) and the pages all hand this to the
pure core. It reads the session and adverse-event tables by name in plain SQL, so that
the apps below treatments need not import it: the data flows down, the imports never
climb back up.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from needlepoint.clients.answers import answers_from_json
from needlepoint.clients.models import Client
from needlepoint.clients.reviews import clinical_reviews_in_force
from needlepoint.clinical import AdverseEventRecord, History, SessionRecord
from needlepoint.core.plain_sql import as_date, from_json, rows


def client_history(client: Client, reviews_on: date | None = None) -> History:
    """The clinical core's view of a client: sessions, adverse events, latest answers and
    the clinical reviews in force on ``reviews_on`` (today when not given).

    Every booking on every channel reads this, with the visit's day as ``reviews_on``,
    so it is four plain statements rather than model instances (see
    ``scheduling/calendar_reads.py`` for why). Stored answers that no longer parse raise
    (``DomainError`` or ``ClinicalError``): a history that fails validation is never
    read as no history.
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
        if zone is not None:  # several segments on a zone: the deepest decides
            zones[zone] = max(float(depth), zones.get(zone, 0.0))
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
            if zones  # a chart opened but nothing needled yet: no treatment
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
        reviews=tuple(clinical_reviews_in_force(client, reviews_on or timezone.localdate())),
    )
