"""Medical-history answers as stored JSON, and back to the clinical core's ``Answers``.

Stored form, one entry per question key::

    {"ci.pregnancy": {"present": false},
     "ci.sunburn_area": {"present": true, "since": "2026-11-18", "zones": ["zone.cheeks"]},
     "ci.laser_recent": {"present": true, "since": "2026-10-01", "zones": ["zone.cheeks"],
                         "variant": "ablative"},
     "ci.isotretinoin_recent": {"present": true, "ongoing": true}}

``ongoing`` (still taking or using it, no date yet) is left out when false, so answers
stored before it existed read the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from needlepoint.clinical import Answer, Answers
from needlepoint.core.errors import DomainError

FIELDS = {"present", "since", "zones", "variant", "ongoing"}
PLAIN = {True: Answer(present=True), False: Answer(present=False)}  # frozen: shared by all


def answers_from_json(
    items: object, *, answered_on: date, date_of_birth: date, fitzpatrick: int | None
) -> Answers:
    """Parse stored or submitted answers; a malformed entry raises ``DomainError``.

    The clinical core then checks the content (unknown keys, missing answers, zones).
    """
    if not isinstance(items, Mapping):
        raise DomainError("invalid_answers", "Answers must be an object of question keys.")
    parsed = {str(key): _answer(str(key), value) for key, value in items.items()}
    return Answers(
        answered_on=answered_on, date_of_birth=date_of_birth, fitzpatrick=fitzpatrick, items=parsed
    )


def answers_to_json(answers: Answers) -> dict[str, dict[str, Any]]:
    stored: dict[str, dict[str, Any]] = {}
    for key, answer in answers.items.items():
        entry: dict[str, Any] = {"present": answer.present}
        if answer.since is not None:
            entry["since"] = answer.since.isoformat()
        if answer.zones:
            entry["zones"] = sorted(answer.zones)
        if answer.variant is not None:
            entry["variant"] = answer.variant
        if answer.ongoing:
            entry["ongoing"] = True
        stored[key] = entry
    return stored


def _answer(key: str, value: object) -> Answer:
    if isinstance(value, dict) and len(value) == 1 and type(value.get("present")) is bool:
        return PLAIN[value["present"]]  # most answers: a plain yes or no, read on every booking
    if not isinstance(value, Mapping):
        raise DomainError("invalid_answers", f"The answer to {key} must be an object.", field=key)
    unknown = set(value) - FIELDS
    if unknown:
        raise DomainError(
            "invalid_answers",
            f"The answer to {key} has unknown fields: {sorted(unknown)}.",
            field=key,
        )
    present = value.get("present")
    if not isinstance(present, bool):
        raise DomainError(
            "invalid_answers", f"The answer to {key} needs present: true or false.", field=key
        )
    zones = value.get("zones", [])
    if not isinstance(zones, list) or not all(isinstance(zone, str) for zone in zones):
        raise DomainError(
            "invalid_answers", f"The zones for {key} must be a list of zone keys.", field=key
        )
    variant = value.get("variant")
    if variant is not None and not isinstance(variant, str):
        raise DomainError("invalid_answers", f"The kind for {key} must be text.", field=key)
    ongoing = value.get("ongoing", False)
    if not isinstance(ongoing, bool):
        raise DomainError(
            "invalid_answers", f"The answer to {key} needs ongoing: true or false.", field=key
        )
    since = _date(key, value.get("since"))
    if ongoing and since is not None:
        raise DomainError(
            "invalid_answers",
            f"The answer to {key} gives a date and says it is still going on: "
            "give one or the other.",
            field=key,
        )
    if ongoing and not present:
        raise DomainError(
            "invalid_answers", f"A 'no' answer to {key} cannot be still going on.", field=key
        )
    return Answer(
        present=present, since=since, zones=frozenset(zones), variant=variant, ongoing=ongoing
    )


def _date(key: str, value: object) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise DomainError("invalid_answers", f"The date for {key} must be YYYY-MM-DD.", field=key)
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise DomainError(
            "invalid_answers", f"The date for {key} must be YYYY-MM-DD, not {value!r}.", field=key
        ) from error
