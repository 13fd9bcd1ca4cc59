"""When a zone or area may next be treated (§2 interval rule, §5 "next session allowed when")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType

from needlepoint.clinical.checks import require_date, require_depth
from needlepoint.clinical.durations import Duration, add_duration
from needlepoint.clinical.errors import DatesOutOfOrder, InvalidValue
from needlepoint.clinical.rules import Rules, default_rules
from needlepoint.clinical.screening import Answers, Reason, Review, screen
from needlepoint.clinical.wording import Message


@dataclass(frozen=True)
class SessionRecord:
    """A past session: its date, indication and the depth used on each zone (mm)."""

    on: date
    indication: str
    zones: Mapping[str, float] = field(hash=False)

    def __post_init__(self) -> None:
        require_date(self.on, "The session date")
        if not self.zones:
            raise InvalidValue(f"The session on {self.on} names no zones.")
        depths = {
            zone: require_depth(depth, f"Depth on {zone}") for zone, depth in self.zones.items()
        }
        object.__setattr__(self, "zones", MappingProxyType(depths))


@dataclass(frozen=True)
class AdverseEventRecord:
    """A recorded adverse event (§8) on some zones; open while `resolved_on` is None."""

    key: str
    zones: tuple[str, ...]
    onset: date
    resolved_on: date | None
    grade: int

    def __post_init__(self) -> None:
        require_date(self.onset, "The adverse event's onset")
        if self.resolved_on is not None:
            require_date(self.resolved_on, "The adverse event's resolution date")
            if self.resolved_on < self.onset:
                raise DatesOutOfOrder(
                    f"{self.key} is marked resolved on {self.resolved_on}, before its onset "
                    f"on {self.onset}."
                )
        if isinstance(self.grade, bool) or self.grade not in (1, 2, 3):
            raise InvalidValue(f"{self.key}: the grade must be 1, 2 or 3, not {self.grade!r}.")
        if isinstance(self.zones, str) or not self.zones:
            raise InvalidValue(f"{self.key}: name the zones affected as a tuple of keys.")
        object.__setattr__(self, "zones", tuple(self.zones))


@dataclass(frozen=True)
class History:
    """What is known about a client: sessions, adverse events, latest answers and reviews.

    Sessions of an indication count towards its course from `course_started_on`; those
    after the course's `course_max_sessions` are maintenance.
    """

    sessions: tuple[SessionRecord, ...] = ()
    adverse_events: tuple[AdverseEventRecord, ...] = ()
    answers: Answers | None = None
    reviews: tuple[Review, ...] = ()
    course_started_on: date | None = None


@dataclass(frozen=True)
class Eligibility:
    """The earliest date a zone or area may be treated, and what else stands in the way.

    `earliest` is None with `blocked` False when nothing constrains the date. `blocked`
    means no date can be given until something is resolved (see `reasons`); `earliest`
    then still holds the lower bound from the dated constraints, if any.
    `review_required` lists what a clinician must review before the session;
    `review_expires_on` is the first day a review relied on no longer counts.
    """

    earliest: date | None
    blocked: bool
    reasons: tuple[Reason, ...]
    review_required: tuple[Reason, ...]
    rules_version: str
    values_in_force: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    review_expires_on: date | None = None

    def allows(self, day: date) -> bool:
        """Whether a session may take place on `day`: not blocked, on or after the earliest
        date, no clinician review outstanding and none relied on expired by then."""
        return self.refusal(day) is None

    def refusal(self, day: date) -> Message | None:
        """Why a session on `day` is refused, for staff; None when it is allowed.

        Codes: "refusal.blocked" and "refusal.review_required" (params `reasons`, a tuple
        of Reason), "refusal.too_early" (`earliest`), "refusal.review_expires" (`expires_on`).
        """
        require_date(day, "The booking date")
        if self.blocked:
            blocking = [r for r in self.reasons if r.until is None and r.severity != "precaution"]
            return Message("refusal.blocked", {"reasons": tuple(blocking)})
        if self.earliest is not None and day < self.earliest:
            return Message("refusal.too_early", {"earliest": self.earliest})
        if self.review_required:
            return Message("refusal.review_required", {"reasons": self.review_required})
        if self.review_expires_on is not None and day >= self.review_expires_on:
            return Message("refusal.review_expires", {"expires_on": self.review_expires_on})
        return None


def next_session_date(
    history: History,
    area: str | Iterable[str],
    indication: str,
    *,
    rules: Rules | None = None,
    on_date: date | None = None,
) -> Eligibility:
    """The earliest date `area` (an area or zone key, or several) may be treated for `indication`.

    Combines the interval since each earlier session on each zone, open adverse events,
    contraindications from `history.answers` (screened on their own date, or on the
    latest review's date when a review came later) and course limits. `on_date`, when
    given, is today: history dated after it is an error.
    """
    rules = rules or default_rules()
    zones = rules.zones_of([area] if isinstance(area, str) else area)
    if not zones:
        raise InvalidValue("Name at least one zone or area to treat.")
    rules.indication(indication)
    _check_history(history, rules, on_date)
    found = _Findings()
    _intervals(found, history, zones, indication, rules)
    _adverse_events(found, history, zones, rules)
    _contraindications(found, history, zones, rules)
    _course(found, history, zones, indication, rules)
    return found.eligibility(rules)


class _Findings:
    def __init__(self) -> None:
        self.reasons: list[Reason] = []
        self.reviews: list[Reason] = []
        self.values: dict[str, str] = {}
        self.blocked = False
        self.review_expires_on: date | None = None

    def add(self, reason: Reason, *, blocks: bool = False) -> None:
        self.reasons.append(reason)
        self.blocked = self.blocked or blocks

    def eligibility(self, rules: Rules) -> Eligibility:
        dates = [reason.until for reason in self.reasons if reason.until is not None]
        return Eligibility(
            earliest=max(dates, default=None),
            blocked=self.blocked,
            reasons=tuple(self.reasons),
            review_required=tuple(self.reviews),
            rules_version=rules.version,
            values_in_force=MappingProxyType(dict(sorted(self.values.items()))),
            review_expires_on=self.review_expires_on,
        )


def _check_history(history: History, rules: Rules, on_date: date | None) -> None:
    if not isinstance(history, History):
        raise InvalidValue(f"next_session_date needs a History, not {history!r}.")
    dated: list[tuple[str, date]] = []
    for session in history.sessions:
        rules.indication(session.indication)
        for zone in session.zones:
            rules.zone(zone)
        dated.append((f"The session of {session.on}", session.on))
    for event in history.adverse_events:
        rules.adverse_event(event.key)
        for zone in event.zones:
            rules.zone(zone)
        dated += [(f"{event.key} onset", event.onset)]
        dated += [(f"{event.key} resolution", event.resolved_on)] if event.resolved_on else []
    if history.answers is not None:
        dated.append(("The screening", history.answers.answered_on))
    for review in history.reviews:
        rules.contraindication(review.key)
        dated.append((f"The review of {review.key}", review.on))
    if on_date is not None:
        require_date(on_date, "Today's date")
        for what, day in dated:
            if day > on_date:
                raise DatesOutOfOrder(f"{what} is dated {day}, after today ({on_date}).")


def _intervals(
    found: _Findings, history: History, zones: tuple[str, ...], indication: str, rules: Rules
) -> None:
    """Per zone, the latest date any earlier session on it allows; zones sharing it are grouped."""
    latest: dict[tuple[date, str, date], list[str]] = {}
    for zone in zones:
        best: tuple[date, str, date] | None = None
        for session in history.sessions:
            if zone not in session.zones:
                continue
            key, value_key, days = rules.interval.days_after(
                zone, session.zones[zone], session.indication, indication
            )
            found.values[value_key] = str(days)
            candidate = (session.on + timedelta(days=days), key, session.on)
            best = max(best, candidate) if best else candidate
        if best:
            latest.setdefault(best, []).append(zone)
    for (until, key, on), grouped in sorted(latest.items()):
        params = {"treated_on": on, "days": (until - on).days}
        found.add(Reason(key, "deferred", "interval", params, until, tuple(grouped)))


def _adverse_events(
    found: _Findings, history: History, zones: tuple[str, ...], rules: Rules
) -> None:
    for event in history.adverse_events:
        affected = tuple(zone for zone in zones if zone in event.zones)
        if event.resolved_on is not None or not affected:
            continue
        params = {"event": event.key, "grade": event.grade, "since": event.onset}
        found.add(Reason("ae.open", "deferred", "ae.open", params, None, affected), blocks=True)


def _contraindications(
    found: _Findings, history: History, zones: tuple[str, ...], rules: Rules
) -> None:
    answers = history.answers
    if answers is None:
        return
    # Reviews usually come after the answers: judged on the latest of their dates, every
    # review on file has happened; a wait still runs to its own date either way.
    day = max([answers.answered_on, *(review.on for review in history.reviews)])
    result = screen(answers, day, zones=zones, reviews=history.reviews, rules=rules)
    found.values.update(result.values_in_force)
    found.review_expires_on = result.review_expires_on
    for reason in result.reasons:
        if reason.severity == "review":
            found.reviews.append(reason)
        else:
            blocks = reason.severity == "declined" or (
                reason.severity == "deferred" and reason.until is None
            )
            found.add(reason, blocks=blocks)


def _course(
    found: _Findings, history: History, zones: tuple[str, ...], indication: str, rules: Rules
) -> None:
    plan = rules.indication(indication)
    done = course_sessions(history, zones, indication)
    found.values[f"{indication}.course_max_sessions"] = str(plan.course_max_sessions)
    if len(done) < plan.course_max_sessions:
        return
    if plan.maintenance_per_year is None:
        params = {
            "done": len(done),
            "course_max": plan.course_max_sessions,
            "indication": indication,
        }
        reason = Reason("course.complete", "deferred", "course.complete", params, None, zones)
        found.add(reason, blocks=True)
        return
    per_year = plan.maintenance_per_year
    found.values[f"{indication}.maintenance_per_year"] = str(per_year)
    until = maintenance_from(done[plan.course_max_sessions :], per_year)
    if until is None:
        return
    params = {"course_max": plan.course_max_sessions, "per_year": per_year}
    found.add(Reason("course.maintenance", "deferred", "course.maintenance", params, until, zones))


def course_sessions(history: History, zones: Iterable[str], indication: str) -> list[date]:
    """The days of the sessions done that count towards the course on these zones."""
    start, zones = history.course_started_on, tuple(zones)
    return sorted(
        session.on
        for session in history.sessions
        if session.indication == indication
        and (start is None or session.on >= start)
        and any(zone in session.zones for zone in zones)
    )


MAINTENANCE_WINDOW = Duration(months=12)
""""Up to N a year" (§2) is rolling: at most N maintenance sessions in any 12 months."""


def maintenance_from(maintenance: Iterable[date], per_year: int) -> date | None:
    """The first day another maintenance session keeps to "at most `per_year` in any 12
    months", given the maintenance sessions so far; None while fewer than `per_year`.

    A session counts against the 12 calendar months from its date (29 February against
    the year to 28 February), so the next may be from the day the oldest of the latest
    `per_year` sessions leaves its window: a rolling window, not a gap after the last.
    """
    days = sorted(maintenance)
    if per_year < 1 or len(days) < per_year:
        return None
    return add_duration(days[-per_year], MAINTENANCE_WINDOW)


def course_limit_with_booked(
    done: Iterable[date],
    booked: Iterable[date],
    day: date,
    *,
    course_max: int,
    per_year: int | None,
) -> tuple[str, Message] | None:
    """The course and maintenance limits (§2, §6) counting sessions booked but not yet
    done: why one more session on `day` goes past them, as (rule key, message), or None.

    Messages: "course.complete_booked" (params `counted`, `course_max`) and
    "course.maintenance_booked" (also `per_year`, `start`, `busiest`).

    `next_session_date` judges the sessions done; this adds the ones already booked, so
    that booking ahead cannot fill a course twice or put three "up to 2 a year"
    maintenance sessions in one 12 months.
    """
    before = sorted([*done, *booked])
    after = sorted([*before, day])
    if len(after) <= course_max:
        return None
    counted = len(before)
    if per_year is None:
        complete = {"counted": counted, "course_max": course_max}
        return "course.complete", Message("course.complete_booked", complete)
    busiest, start = _busiest_window(after[course_max:])
    if busiest <= per_year or busiest <= _busiest_window(before[course_max:])[0]:
        return None
    params: dict[str, object] = {
        "counted": counted,
        "course_max": course_max,
        "per_year": per_year,
        "start": start,
        "busiest": busiest,
    }
    return "course.maintenance", Message("course.maintenance_booked", params)


def _busiest_window(days: list[date]) -> tuple[int, date]:
    """The most sessions in any 12 months of `days` (sorted), and where that window starts."""
    most, start = 0, date.min
    for i, first in enumerate(days):
        end = add_duration(first, MAINTENANCE_WINDOW)
        count = sum(1 for later in days[i:] if later < end)
        if count > most:
            most, start = count, first
    return most, start
