"""Contraindication screening (§4): the client's answers in, an outcome with reasons out."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

from needlepoint.clinical.checks import require_date
from needlepoint.clinical.durations import Duration, add_duration
from needlepoint.clinical.errors import (
    DatesOutOfOrder,
    InvalidAnswer,
    InvalidReview,
    InvalidValue,
    MissingAnswers,
    UnknownContraindication,
)
from needlepoint.clinical.rules import Contraindication, Rules, default_rules
from needlepoint.clinical.wording import frozen_params

Severity = Literal["declined", "deferred", "review", "precaution"]
REVIEW_DECISIONS = ("cleared", "cleared_with_conditions", "declined")
"""What a clinician's review decides: clear, clear on the conditions in its note, or decline."""


class Outcome(enum.StrEnum):
    """The screening outcome, from least to most strict."""

    CLEARED = "cleared"
    NEEDS_REVIEW = "needs_review"
    DEFERRED = "deferred"
    DECLINED = "declined"

    @property
    def rank(self) -> int:
        return list(Outcome).index(self)


@dataclass(frozen=True)
class Reason:
    """Why a decision was made: the rule key, a message code with its values, and its scope.

    No sentence: `code` (e.g. "ci.wait", "interval", "course.maintenance") and `params`
    (dates, numbers, keys) are rendered in the reader's language by the web layer
    (needlepoint.clinics.clinical_wording). `zones` is empty when the reason concerns the
    whole person (systemic).
    """

    key: str
    severity: Severity
    code: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)
    until: date | None = None
    zones: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", frozen_params(self.params))
        object.__setattr__(self, "zones", tuple(self.zones))


# Params that hold dates: stored as ISO text, read back as `date`.
_DATE_PARAMS = frozenset({"on", "since", "treated_on", "until", "earliest", "expires_on", "start"})


def reason_to_json(reason: Reason) -> dict[str, object]:
    """A reason as JSON for the database: its key, code and values, never words."""

    def plain(value: object) -> object:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, tuple | list | frozenset):
            return [plain(item) for item in value]
        return value

    return {
        "key": reason.key,
        "severity": reason.severity,
        "code": reason.code,
        "params": {name: plain(value) for name, value in reason.params.items()},
        "until": reason.until.isoformat() if reason.until else None,
        "zones": list(reason.zones),
    }


def reason_from_json(data: Mapping[str, object]) -> Reason | None:
    """The reason stored by `reason_to_json`; None for an older row stored as words."""
    code = data.get("code")
    if not isinstance(code, str):
        return None
    stored = data.get("params")
    params = {
        name: date.fromisoformat(value)
        if name in _DATE_PARAMS and isinstance(value, str)
        else value
        for name, value in (stored.items() if isinstance(stored, Mapping) else ())
    }
    until = data.get("until")
    zones = data.get("zones")
    severity = data.get("severity")
    return Reason(
        key=str(data.get("key", "")),
        severity=severity
        if severity in ("declined", "deferred", "review", "precaution")
        else "review",  # type: ignore[arg-type]
        code=code,
        params=params,
        until=date.fromisoformat(until) if isinstance(until, str) else None,
        zones=tuple(str(zone) for zone in zones) if isinstance(zones, list | tuple) else (),
    )


@dataclass(frozen=True)
class Answer:
    """The client's answer to one screening question.

    `since` is the date the question asks for (e.g. the last dose), `zones` the zones or
    areas affected (area questions), `variant` the kind chosen (e.g. "ablative").
    `ongoing` says the client is still taking or using it, so there is no date yet
    (only for a question with a wait and a date question; never together with `since`).
    """

    present: bool
    since: date | None = None
    zones: frozenset[str] = frozenset()
    variant: str | None = None
    ongoing: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.present, bool):
            raise InvalidAnswer(f"An answer's present must be True or False, not {self.present!r}.")
        if isinstance(self.zones, str):
            raise InvalidAnswer(f"Zones must be a set of keys, not the string {self.zones!r}.")
        object.__setattr__(self, "zones", frozenset(self.zones))
        if self.since is not None:
            require_date(self.since, "An answer's date")
        if not isinstance(self.ongoing, bool):
            raise InvalidAnswer(f"An answer's ongoing must be True or False, not {self.ongoing!r}.")
        if self.ongoing and not self.present:
            raise InvalidAnswer("An answer of 'no' cannot be still going on.")
        if self.ongoing and self.since is not None:
            raise InvalidAnswer(
                "Give either the date (the last dose or use) or that it is still going on, "
                "not both."
            )


@dataclass(frozen=True)
class Answers:
    """A completed screening questionnaire: every question's answer, keyed by ci.* key."""

    answered_on: date
    date_of_birth: date
    fitzpatrick: int | None
    items: Mapping[str, Answer] = field(hash=False)

    def __post_init__(self) -> None:
        require_date(self.answered_on, "The screening date")
        require_date(self.date_of_birth, "The date of birth")
        if self.date_of_birth > self.answered_on:
            raise DatesOutOfOrder(
                f"The date of birth {self.date_of_birth} is after the screening date "
                f"{self.answered_on}."
            )
        if self.fitzpatrick is not None and (
            isinstance(self.fitzpatrick, bool)
            or not isinstance(self.fitzpatrick, int)
            or not 1 <= self.fitzpatrick <= 6
        ):
            raise InvalidAnswer(f"Fitzpatrick type must be 1 to 6, not {self.fitzpatrick!r}.")
        object.__setattr__(self, "items", MappingProxyType(dict(self.items)))
        for key, answer in self.items.items():
            if not isinstance(answer, Answer):
                raise InvalidAnswer(f"The answer to {key} must be an Answer, not {answer!r}.")
            if answer.since is not None and answer.since > self.answered_on:
                raise DatesOutOfOrder(
                    f"The date given for {key} ({answer.since}) is after the day the questions "
                    f"were answered ({self.answered_on})."
                )


@dataclass(frozen=True)
class Review:
    """A clinician's recorded review of a relative or temporary contraindication.

    `decision` is "cleared", "cleared_with_conditions" (`note` then holds the conditions)
    or "declined". `zones` (zone or area keys) limits it to those zones; empty means every
    zone. It counts from `on` until the day before `expires_on` (None: it does not expire).
    Absolute contraindications cannot be reviewed away; a review never shortens a wait.
    """

    key: str
    by: str
    on: date
    note: str
    decision: str = "cleared"
    zones: frozenset[str] = frozenset()
    expires_on: date | None = None

    def __post_init__(self) -> None:
        require_date(self.on, "The review date")
        for name in ("key", "by", "note"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise InvalidReview(f"A review needs a {name}; got {value!r}.")
        if self.decision not in REVIEW_DECISIONS:
            raise InvalidReview(
                f"A review's decision is one of {', '.join(REVIEW_DECISIONS)}, "
                f"not {self.decision!r}."
            )
        if isinstance(self.zones, str):
            raise InvalidReview(f"Zones must be a set of keys, not the string {self.zones!r}.")
        object.__setattr__(self, "zones", frozenset(self.zones))
        if self.expires_on is not None:
            require_date(self.expires_on, "The review's expiry date")
            if self.expires_on <= self.on:
                raise DatesOutOfOrder(
                    f"The review of {self.key} on {self.on} expires on {self.expires_on}: "
                    "an expiry must come after the review."
                )

    def in_force_on(self, day: date) -> bool:
        """Whether the review counts on `day`: on or after its date, before its expiry."""
        return self.on <= day and (self.expires_on is None or day < self.expires_on)


@dataclass(frozen=True)
class ScreeningResult:
    """The outcome, the date it lifts (when computable), the reasons, and what was in force.

    `review_expires_on` is the first day a clinician's review this outcome relied on no
    longer counts (None when none relied on expires): from then on it must be reviewed again.
    """

    outcome: Outcome
    until: date | None
    reasons: tuple[Reason, ...]
    rules_version: str
    values_in_force: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )
    review_expires_on: date | None = None

    @property
    def strictness(self) -> tuple[int, int]:
        """A sortable key: a higher outcome is stricter; among deferrals, a later (or no) date."""
        if self.outcome is not Outcome.DEFERRED:
            return (self.outcome.rank, 0)
        last = self.until.toordinal() if self.until else date.max.toordinal() + 1
        return (self.outcome.rank, last)


def screen(
    answers: Answers,
    on_date: date,
    *,
    zones: str | Iterable[str] | None = None,
    reviews: Iterable[Review] = (),
    rules: Rules | None = None,
) -> ScreeningResult:
    """Screen `answers` for treating `zones` (zone or area keys; None = every zone) on `on_date`.

    Absolute in scope -> DECLINED; else any deferral -> DEFERRED (until the latest date,
    or None when one has no computable date); else an unreviewed relative -> NEEDS_REVIEW;
    else CLEARED with any precautions as reasons. A review counts when it is in force on
    `on_date` and covers every treated zone the condition concerns; a declined one declines.
    """
    rules = rules or default_rules()
    require_date(on_date, "The screening date")
    if not isinstance(answers, Answers):
        raise InvalidAnswer(f"Screening needs Answers, not {answers!r}.")
    if answers.answered_on > on_date:
        raise DatesOutOfOrder(
            f"The answers ({answers.answered_on}) are dated after the screening day ({on_date})."
        )
    treated = _treated_zones(rules, zones)
    _check_answers(answers, rules)
    by_key = _reviews_by_key(reviews, on_date, rules)
    reasons: list[Reason] = []
    values: dict[str, str] = {}
    expiries: list[date] = []
    for ci in rules.contraindications.values():
        case = _Case(ci, answers, on_date, treated, by_key.get(ci.key, ()), rules)
        reasons += case.reasons(values)
        if case.relied_on is not None and case.relied_on.expires_on is not None:
            expiries.append(case.relied_on.expires_on)
    return _result(reasons, values, rules, min(expiries, default=None))


def _treated_zones(rules: Rules, zones: str | Iterable[str] | None) -> tuple[str, ...]:
    if zones is None:
        return tuple(rules.zones)
    treated = rules.zones_of([zones] if isinstance(zones, str) else zones)
    if not treated:
        raise InvalidValue("Name at least one zone or area to treat.")
    return treated


def _check_answers(answers: Answers, rules: Rules) -> None:
    asked = [q.key for q in rules.questions()]
    unknown = sorted(key for key in answers.items if key not in asked)
    if unknown:
        raise UnknownContraindication(
            "These are not screening questions: " + ", ".join(unknown) + "."
        )
    missing = [key for key in asked if key not in answers.items]
    if missing:
        raise MissingAnswers(missing)
    for key, answer in answers.items.items():
        _check_answer(rules.contraindication(key), answer, rules)


def _check_answer(ci: Contraindication, answer: Answer, rules: Rules) -> None:
    def wrong(problem: str) -> InvalidAnswer:
        return InvalidAnswer(f"{ci.key} ({ci.question}): {problem}")

    if not answer.present:
        if answer.since or answer.zones or answer.variant or answer.ongoing:
            raise wrong("a 'no' answer cannot carry a date, zones, a kind or 'still going on'.")
        return
    if ci.scope == "area" and not answer.zones:
        raise wrong("say which zones or areas are affected.")
    if ci.scope != "area" and answer.zones:
        raise wrong("this question does not take zones.")
    rules.zones_of(answer.zones)
    if ci.variants and answer.variant not in ci.variants:
        raise wrong(f"choose one of: {', '.join(ci.variants)}.")
    if not ci.variants and answer.variant is not None:
        raise wrong("this question has no kinds to choose from.")
    if answer.ongoing and not ci.can_be_ongoing:
        raise wrong("this question cannot be answered 'still taking or using it'.")
    if answer.since is None and ci.has_wait and not answer.ongoing:
        raise wrong(f"a date is needed: {ci.date_question}")
    if answer.since is not None and ci.date_question is None:
        raise wrong("this question does not take a date.")


def _reviews_by_key(
    reviews: Iterable[Review], on_date: date, rules: Rules
) -> dict[str, tuple[Review, ...]]:
    by_key: dict[str, tuple[Review, ...]] = {}
    for review in reviews:
        if not isinstance(review, Review):
            raise InvalidReview(f"Reviews must be Review records, not {review!r}.")
        rules.contraindication(review.key)
        rules.zones_of(review.zones)  # unknown zone or area keys are refused
        if review.on > on_date:
            raise DatesOutOfOrder(
                f"The review of {review.key} is dated {review.on}, "
                f"after the screening day {on_date}."
            )
        by_key[review.key] = (*by_key.get(review.key, ()), review)
    return by_key


class _Case:
    """One contraindication judged against one set of answers."""

    def __init__(
        self,
        ci: Contraindication,
        answers: Answers,
        on_date: date,
        treated: tuple[str, ...],
        reviews: tuple[Review, ...],
        rules: Rules,
    ) -> None:
        self.ci = ci
        self.answers = answers
        self.on_date = on_date
        self.treated = treated
        self.answer = answers.items.get(ci.key)
        self.rules = rules
        self.reviews = reviews
        self.review: Review | None = None
        self.relied_on: Review | None = None  # the review the outcome depends on, if any

    def reasons(self, values: dict[str, str]) -> list[Reason]:
        zones = self._zones_in_scope()
        if zones is None or not self._applies():
            return []
        category = self.ci.category
        if category == "absolute":
            return [self._reason("declined", "ci.explanation", zones)]  # no review lifts it
        self.review = self._review_in_force(zones)
        if self.review is not None and self.review.decision == "declined":
            return [self._declined(self.review, zones)]
        if category == "precaution":
            return [self._reason("precaution", self._precaution_code(), zones)]
        if category == "relative":
            return [self._reviewed(zones) or self._reason("review", "ci.explanation", zones)]
        return self._temporary(zones, values)

    def _review_in_force(self, zones: tuple[str, ...]) -> Review | None:
        """The latest review that counts today (on the same day, the one given last).

        It counts when dated on or after the answer's date, in force on the screening
        day, and covering every treated zone concerned (all of them for the whole person).
        """
        since = self.answer.since if self.answer else None
        concerned = set(zones or self.treated)
        latest = None
        for review in self.reviews:
            if since is not None and review.on < since:
                continue
            if not review.in_force_on(self.on_date):
                continue
            if review.zones and not concerned <= set(self.rules.zones_of(review.zones)):
                continue
            if latest is None or review.on >= latest.on:
                latest = review
        return latest

    def _applies(self) -> bool:
        if self.ci.computed_from == "date_of_birth":
            return _age(self.answers.date_of_birth, self.on_date) < (self.ci.under_age or 0)
        if self.ci.computed_from == "fitzpatrick":
            phototype = self.answers.fitzpatrick
            return phototype is None or phototype >= (self.ci.phototype_at_least or 0)
        return self.answer is not None and self.answer.present

    def _zones_in_scope(self) -> tuple[str, ...] | None:
        """The treated zones this applies to: () for the whole person, None when out of scope."""
        if self.ci.scope == "systemic":
            return ()
        affected = self.rules.face_zones() if self.ci.scope == "face" else ()
        if self.ci.scope == "area" and self.answer is not None:
            affected = self.rules.zones_of(self.answer.zones)
        in_scope = tuple(zone for zone in self.treated if zone in affected)
        return in_scope or None

    def _temporary(self, zones: tuple[str, ...], values: dict[str, str]) -> list[Reason]:
        answer = self.answer
        wait = self.ci.wait_for(answer.variant) if answer else None
        if answer is not None and answer.ongoing:
            # Still taking or using it: the wait has not started, so no review lifts it.
            return [self._ongoing(zones, wait)]
        if answer is None or answer.since is None or wait is None:
            # No computable date (pregnancy, infection...): deferred until a clinician's review.
            return [self._reviewed(zones) or self._reason("deferred", "ci.explanation", zones)]
        value_key, duration = wait
        values[value_key] = str(duration)
        until = add_duration(answer.since, duration)
        reasons = []
        if self.on_date < until:
            params = {
                "whom": self._whom(zones),
                "wait": str(duration),
                "signoff": self.ci.clinician_signoff,
            }
            reasons.append(self._reason("deferred", "ci.wait", zones, until, params))
        if self.ci.clinician_signoff:
            if self.review is None:
                reasons.append(self._reason("review", "ci.explanation", zones))
            self.relied_on = self.review
        reviewed = self._reviewed(zones, relied_on=False)
        return reasons or ([reviewed] if reviewed else [])

    def _ongoing(self, zones: tuple[str, ...], wait: tuple[str, Duration] | None) -> Reason:
        """Still taking or using it: `wait` (ISO duration) is None when there is none to tell."""
        params = {
            "whom": self._whom(zones),
            "wait": str(wait[1]) if wait is not None and self.ci.after else None,
        }
        return self._reason("deferred", "ci.ongoing", zones, None, params)

    def _reviewed(self, zones: tuple[str, ...], *, relied_on: bool = True) -> Reason | None:
        """The review in force as a precaution; `relied_on` when it is what clears the case."""
        review = self.review
        if review is None:
            return None
        if relied_on:
            self.relied_on = review
        code = (
            "review.conditions"
            if review.decision == "cleared_with_conditions"
            else "review.cleared"
        )
        params = {"by": review.by, "on": review.on, "note": review.note}
        return self._reason("precaution", code, zones, None, params)

    def _declined(self, review: Review, zones: tuple[str, ...]) -> Reason:
        params = {"by": review.by, "on": review.on, "note": review.note}
        return self._reason("declined", "review.declined", zones, None, params)

    def _precaution_code(self) -> str:
        if self.ci.computed_from == "fitzpatrick" and self.answers.fitzpatrick is None:
            return "fitzpatrick.unrecorded"
        return "ci.explanation"

    def _whom(self, zones: tuple[str, ...]) -> str:
        """Who or what the sentence is about: "you", "face", "areas" (more than two) or
        "zones" (the reason's zones by name)."""
        if not zones:
            return "you"
        if self.ci.scope == "face":
            return "face"
        if len(zones) > 2:
            return "areas"
        return "zones"

    def _reason(
        self,
        severity: Severity,
        code: str,
        zones: tuple[str, ...],
        until: date | None = None,
        params: Mapping[str, object] | None = None,
    ) -> Reason:
        return Reason(self.ci.key, severity, code, params or {}, until, zones)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _result(
    reasons: list[Reason], values: dict[str, str], rules: Rules, review_expires_on: date | None
) -> ScreeningResult:
    severities = {reason.severity for reason in reasons}
    until = None
    if "declined" in severities:
        outcome = Outcome.DECLINED
    elif "deferred" in severities:
        outcome = Outcome.DEFERRED
        dates = [reason.until for reason in reasons if reason.severity == "deferred"]
        until = None if None in dates else max(d for d in dates if d is not None)
    elif "review" in severities:
        outcome = Outcome.NEEDS_REVIEW
    else:
        outcome = Outcome.CLEARED
    return ScreeningResult(
        outcome=outcome,
        until=until,
        reasons=tuple(reasons),
        rules_version=rules.version,
        values_in_force=MappingProxyType(dict(sorted(values.items()))),
        review_expires_on=review_expires_on,
    )
