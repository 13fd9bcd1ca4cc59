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


def said(thing: object) -> str:
    """What the web layer says for a reason, refusal or check of the engine, in English."""
    from django.utils import translation

    from needlepoint.clinics.clinical_wording import clinical_text

    with translation.override("en-gb"):
        return clinical_text(thing)


def messages(reasons: Iterable[object]) -> str:
    return " ".join(said(reason) for reason in reasons)
