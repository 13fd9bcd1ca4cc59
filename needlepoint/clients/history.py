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
from needlepoint.clients.reviews import reviews_of
from needlepoint.clinical import AdverseEventRecord, History, SessionRecord
from needlepoint.core.plain_sql import as_date, from_json, rows

# The client's clinical record in one statement (every booking reads it). Each part's
# rows fill their own columns, NULL in the others'; the last ten are a review's (those
# ``reviews_of`` reads, then when it was recorded). The first part's NULLs are typed:
# PostgreSQL types a UNION's columns from its first parts (SQLite ignores the casts).
# Parts come in the order of their names; sessions and adverse events newest first (a
# session's zones in order), reviews oldest first, so that on the same day the one
# recorded last wins.
NO_REVIEW = ", ".join(["NULL"] * 10)
HISTORY = (
    "SELECT * FROM ("
    " SELECT 'session' AS part, s.id AS id, s.performed_on AS day, CAST(NULL AS DATE) AS until,"
    " s.indication AS name, z.zone AS zone, z.depth_mm AS amount, CAST(NULL AS JSONB) AS stored,"
    " CAST(NULL AS JSONB) AS keys, CAST(NULL AS JSONB) AS zones, NULL AS decision,"
    " NULL AS reason, NULL AS conditions, CAST(NULL AS DATE) AS reviewed_on,"
    " CAST(NULL AS DATE) AS expires_on, NULL AS full_name, NULL AS email,"
    " CAST(NULL AS TIMESTAMPTZ) AS created_at"
    " FROM treatments_treatmentsession s"
    " LEFT JOIN treatments_zonetreatment z ON z.session_id = s.id WHERE s.client_id = %s"
    " UNION ALL"
    f" SELECT 'adverse', id, onset_on, resolved_on, kind, NULL, grade, zones, {NO_REVIEW}"
    " FROM treatments_adverseevent WHERE client_id = %s"
    " UNION ALL"
    f" SELECT 'answers', id, answered_on, NULL, NULL, NULL, NULL, answers, {NO_REVIEW}"
    " FROM clients_questionnairesubmission WHERE id = (SELECT id"
    " FROM clients_questionnairesubmission WHERE client_id = %s ORDER BY version DESC LIMIT 1)"
    " UNION ALL"
    " SELECT 'review', r.id, r.reviewed_on, NULL, NULL, NULL, NULL, NULL,"
    " r.keys, r.zones, r.decision, r.reason, r.conditions, r.reviewed_on, r.expires_on,"
    " u.full_name, u.email, r.created_at"
    " FROM clients_clinicalreview r JOIN accounts_user u ON u.id = r.reviewed_by_id"
    " WHERE r.client_id = %s AND r.reviewed_on <= %s"
    " AND (r.expires_on IS NULL OR r.expires_on > %s)"
    ") AS history"
    " ORDER BY part, CASE WHEN part = 'review' THEN day END, day DESC, created_at, id, zone"
)


def client_history(client: Client, reviews_on: date | None = None) -> History:
    """The clinical core's view of a client: sessions, adverse events, latest answers and
    the clinical reviews in force on ``reviews_on`` (today when not given).

    Every booking on every channel reads this, with the visit's day as ``reviews_on``,
    so it is one plain statement (``HISTORY``) rather than model instances (see
    ``scheduling/calendar_reads.py`` for why). Stored answers that no longer parse raise
    (``DomainError`` or ``ClinicalError``): a history that fails validation is never
    read as no history.
    """
    on = reviews_on or timezone.localdate()
    zones_by_session: dict[int, tuple[date, str, dict[str, float]]] = {}
    adverse_events: list[AdverseEventRecord] = []
    answers = None
    reviews = []
    for part, pk, day, until, name, zone, amount, stored, *review in rows(
        HISTORY, [client.pk, client.pk, client.pk, client.pk, on, on]
    ):
        if part == "session":
            _, _, zones = zones_by_session.setdefault(pk, (as_date(day), name, {}))
            if zone is not None:  # several segments on a zone: the deepest decides
                zones[zone] = max(float(amount), zones.get(zone, 0.0))
        elif part == "adverse":
            adverse_events.append(
                AdverseEventRecord(
                    key=name,
                    zones=tuple(from_json(stored)),
                    onset=as_date(day),
                    resolved_on=None if until is None else as_date(until),
                    grade=int(amount),
                )
            )
        elif part == "answers":
            answers = answers_from_json(
                from_json(stored),
                answered_on=as_date(day),
                date_of_birth=client.date_of_birth,
                fitzpatrick=client.fitzpatrick,
            )
        else:
            reviews.append(review[:9])  # all but when it was recorded
    return History(
        sessions=tuple(
            SessionRecord(on=day, indication=indication, zones=zones)
            for day, indication, zones in zones_by_session.values()
            if zones  # a chart opened but nothing needled yet: no treatment
        ),
        adverse_events=tuple(adverse_events),
        answers=answers,
        reviews=tuple(reviews_of(reviews)),
    )
