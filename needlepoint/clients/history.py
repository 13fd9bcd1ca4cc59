"""A client's clinical history as the clinical core reads it, gathered in one place.

The booking gate (scheduling), the chart (treatments) and the pages all hand this to the
pure core. It reads the session and adverse-event tables by name in plain SQL, so that
the apps below treatments need not import it: the data flows down, the imports never
climb back up.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from django.utils import timezone

from needlepoint.clients.answers import answers_from_json
from needlepoint.clients.models import Client
from needlepoint.clients.reviews import reviews_of
from needlepoint.clinical import AdverseEventRecord, History, SessionRecord
from needlepoint.core.plain_sql import as_date, as_instant, from_json, marks, rows

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
    "{planned}) AS history"
    " ORDER BY part, CASE WHEN part = 'review' THEN day END, day DESC, created_at, id, zone"
)
# The client's booked (not yet done) treatments on an area, for the booking gate: in the
# same statement, a round trip fewer on every booking. A visit checked in whose chart
# already has a zone needled is in the history as a session, so it is left out here.
# The statuses are scheduling's BookingStatus.BOOKED and CHECKED_IN (by name, as above).
# Its columns: the indication as name, the area as zone, the location's time zone as
# decision, the service's name as reason and the start as created_at (so by start).
PLANNED = (
    " UNION ALL"
    " SELECT 'planned', b.id, NULL, NULL, s.indication, s.area, NULL, NULL, NULL, NULL,"
    " l.time_zone, s.name, NULL, NULL, NULL, NULL, NULL, b.starts_at"
    " FROM scheduling_booking b JOIN scheduling_service s ON s.id = b.service_id"
    " JOIN clinics_location l ON l.id = b.location_id"
    " WHERE b.client_id = %s AND b.status IN ('booked', 'checked_in') AND s.area <> ''"
    " AND NOT EXISTS (SELECT 1 FROM treatments_treatmentsession t"
    " JOIN treatments_zonetreatment z ON z.session_id = t.id WHERE t.booking_id = b.id)"
)


class Planned(NamedTuple):
    """A booked treatment not yet done, as the booking gate weighs it."""

    starts_at: datetime
    time_zone: str
    name: str
    area: str
    indication: str


def client_history(client: Client, reviews_on: date | None = None) -> History:
    """The clinical core's view of a client: sessions, adverse events, latest answers and
    the clinical reviews in force on ``reviews_on`` (today when not given).

    Every booking on every channel reads this, with the visit's day as ``reviews_on``,
    so it is one plain statement (``HISTORY``) rather than model instances (see
    ``scheduling/calendar_reads.py`` for why). Stored answers that no longer parse raise
    (``DomainError`` or ``ClinicalError``): a history that fails validation is never
    read as no history.
    """
    return _read(client, reviews_on, None)[0]


def client_history_and_planned(
    client: Client, reviews_on: date, leaving_out: Sequence[int]
) -> tuple[History, list[Planned]]:
    """``client_history`` and the client's booked treatments on an area but for
    ``leaving_out``, in one statement: what the booking gate reads."""
    return _read(client, reviews_on, leaving_out)


def _read(
    client: Client, reviews_on: date | None, leaving_out: Sequence[int] | None
) -> tuple[History, list[Planned]]:
    on = reviews_on or timezone.localdate()
    params: list[Any] = [client.pk, client.pk, client.pk, client.pk, on, on]
    planned_part = ""
    if leaving_out is not None:
        planned_part = PLANNED
        params.append(client.pk)
        if leaving_out:
            planned_part += f" AND b.id NOT IN ({marks(leaving_out)})"
            params.extend(leaving_out)
    planned: list[Planned] = []
    zones_by_session: dict[int, tuple[date, str, dict[str, float]]] = {}
    adverse_events: list[AdverseEventRecord] = []
    answers = None
    reviews = []
    for part, pk, day, until, name, zone, amount, stored, *review in rows(
        HISTORY.format(planned=planned_part), params
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
        elif part == "planned":
            planned.append(Planned(as_instant(review[9]), review[2], review[3], zone, name))
        else:
            reviews.append(review[:9])  # all but when it was recorded
    history = History(
        sessions=tuple(
            SessionRecord(on=day, indication=indication, zones=zones)
            for day, indication, zones in zones_by_session.values()
            if zones  # a chart opened but nothing needled yet: no treatment
        ),
        adverse_events=tuple(adverse_events),
        answers=answers,
        reviews=tuple(reviews_of(reviews)),
    )
    return history, planned
