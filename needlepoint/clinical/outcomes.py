"""Outcome measures (§7) and reaction classification (§8)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from needlepoint.clinical.checks import require_date
from needlepoint.clinical.errors import DatesOutOfOrder, InvalidValue, UnknownKey
from needlepoint.clinical.rules import Rules, default_rules

# Goodman & Baron quantitative (2006): weight of each counted scar type.
SCAR_WEIGHTS: Mapping[str, int] = {
    "macular": 1,
    "mildly_atrophic": 1,
    "moderately_atrophic": 2,
    "punched_out_shallow": 2,
    "shallow_broad_atrophic": 2,
    "punched_out_deep_normal_base": 3,
    "punched_out_deep_abnormal_base": 3,
    "linear_troughed": 3,
    "deep_broad_atrophic": 3,
    "papular": 2,
}

# Standard photo views per set (§7), in shooting order.
PHOTO_VIEWS: Mapping[str, tuple[str, ...]] = {
    "face": ("front", "left_45", "right_45", "left_90", "right_90"),
    "scalp": ("vertex", "hairline", "left_temple", "right_temple"),
}


def goodman_baron_score(counts: Mapping[str, int], *, hypertrophic_area_cm2: float = 0.0) -> int:
    """The Goodman & Baron quantitative score, 0 to 84.

    Each scar type scores its weight times its count band (1 to 10 scars: 1, 11 to 20: 2,
    more: 3); keloidal/hypertrophic scars score by area: under 5 cm² 6, 5 to 20 cm² 12,
    over 20 cm² 18. E.g. 12 moderately atrophic and 5 deep punched-out scars with a normal
    base: 2 x 2 + 3 x 1 = 7.
    """
    total = 0
    for row, count in counts.items():
        if row not in SCAR_WEIGHTS:
            raise UnknownKey(f"Unknown scar type {row!r}; use one of {', '.join(SCAR_WEIGHTS)}.")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise InvalidValue(f"The count of {row} must be a whole number from 0, not {count!r}.")
        total += SCAR_WEIGHTS[row] * _band(count)
    return total + _hypertrophic_points(hypertrophic_area_cm2)


def _band(count: int) -> int:
    if count == 0:
        return 0
    return 1 if count <= 10 else 2 if count <= 20 else 3


def _hypertrophic_points(area_cm2: float) -> int:
    if isinstance(area_cm2, bool) or not isinstance(area_cm2, int | float) or not area_cm2 >= 0:
        raise InvalidValue(f"The hypertrophic scar area must be 0 cm² or more, not {area_cm2!r}.")
    if area_cm2 == 0:
        return 0
    return 6 if area_cm2 < 5 else 12 if area_cm2 <= 20 else 18


def missing_views(kind: str, views: Iterable[str]) -> tuple[str, ...]:
    """The standard views of a `kind` ("face" or "scalp") photo set that `views` lacks."""
    if kind not in PHOTO_VIEWS:
        raise UnknownKey(f"Unknown photo set {kind!r}; use one of {', '.join(PHOTO_VIEWS)}.")
    taken = set(views)
    unknown = sorted(taken - set(PHOTO_VIEWS[kind]))
    if unknown:
        raise UnknownKey(f"Unknown {kind} views: {', '.join(unknown)}.")
    return tuple(view for view in PHOTO_VIEWS[kind] if view not in taken)


@dataclass(frozen=True)
class AdverseEventSuggestion:
    """An adverse event staff should record, with its suggested grade."""

    key: str
    grade: int
    code: str  # "ae.record" (always recorded) or "ae.beyond_window" (`days`, `window`)
    days: int = 0
    window: int = 0


def classify_reaction(
    kind: str,
    onset: date,
    observed_on: date,
    deep_or_body: bool = False,
    *,
    zone: str | None = None,
    rules: Rules | None = None,
) -> AdverseEventSuggestion | None:
    """None while a reaction is within its expected window, else the adverse event to record.

    `kind` is an ae.* key; `onset` the day the reaction began (usually the session).
    The window is longer after deep or body work and on some zones (periorbital swelling).
    Events without a window (infection, PIH...) are always recorded.
    """
    rules = rules or default_rules()
    event = rules.adverse_event(kind)
    require_date(onset, "The onset")
    require_date(observed_on, "The observation date")
    if observed_on < onset:
        raise DatesOutOfOrder(f"{kind} was observed on {observed_on}, before its onset {onset}.")
    if zone is not None:
        rules.zone(zone)
    days = (observed_on - onset).days
    if event.expected_days is None:
        return AdverseEventSuggestion(kind, event.grade, "ae.record", days)
    windows = [event.expected_days]
    if deep_or_body and event.expected_days_deep_or_body:
        windows.append(event.expected_days_deep_or_body)
    if zone is not None and zone in event.expected_days_by_zone:
        windows.append(event.expected_days_by_zone[zone])
    if days <= max(windows):
        return None
    grade = event.grade
    if event.grade_by_days is not None:
        first, second = event.grade_by_days
        grade = 1 if days <= first else 2 if days <= second else 3
    return AdverseEventSuggestion(kind, grade, "ae.beyond_window", days, max(windows))
