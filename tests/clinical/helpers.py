"""Builders for screening answers and histories used across the clinical tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from needlepoint.clinical import Answer, Answers, default_rules

BORN = date(1990, 4, 2)


def no_to_everything() -> dict[str, Answer]:
    return {question.key: Answer(present=False) for question in default_rules().questions()}


def answers(
    answered_on: date,
    yes: dict[str, Answer] | None = None,
    *,
    born: date = BORN,
    fitzpatrick: int | None = 2,
) -> Answers:
    """Answers given on `answered_on`: "no" to every question except those in `yes`."""
    items = no_to_everything() | (yes or {})
    return Answers(answered_on, born, fitzpatrick, items)


def on(*zones: str, since: date | None = None, variant: str | None = None) -> Answer:
    """A "yes" for an area question, on the given zones or areas."""
    return Answer(True, since=since, zones=frozenset(zones), variant=variant)


def yes(since: date | None = None, variant: str | None = None) -> Answer:
    return Answer(True, since=since, variant=variant)


def messages(reasons: Iterable[object]) -> str:
    return " ".join(str(getattr(reason, "message", "")) for reason in reasons)
