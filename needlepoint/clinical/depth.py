"""Depth checks for a chart or plan: the §3 zone cap always wins over the §2 indication range."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from needlepoint.clinical.checks import require_depth
from needlepoint.clinical.rules import Rules, default_rules

DepthStatus = Literal["ok", "warn", "block"]


@dataclass(frozen=True)
class SuggestedDepth:
    """The usual depth (mm) of an indication on a zone, clipped to the zone's cap.

    `low_mm` is None when the indication's own lower bound is at or above the cap: then
    the suggestion is just "up to the cap". `clipped` says the cap cut the range short.
    """

    low_mm: float | None
    high_mm: float
    cap_mm: float
    clipped: bool

    def contains(self, depth_mm: float) -> bool:
        """Whether `depth_mm` is within the suggestion."""
        return (self.low_mm is None or self.low_mm <= depth_mm) and depth_mm <= self.high_mm

    @property
    def text(self) -> str:
        """E.g. "0.5 to 1.5 mm", "0.5 to 1 mm (the zone's limit)", "up to 1 mm (...)"."""
        limit = " (the zone's limit)" if self.clipped else ""
        if self.low_mm is None:
            return f"up to {self.high_mm:g} mm{limit}"
        return f"{self.low_mm:g} to {self.high_mm:g} mm{limit}"


def suggested_depth(zone: str, indication: str, *, rules: Rules | None = None) -> SuggestedDepth:
    """The usual depth of `indication` on `zone` (keys), never past the zone's cap.

    The one place a usual or suggested range is made: the upper bound is the smaller of
    the indication's and the cap; an indication whose lower bound reaches the cap gets
    just the cap ("up to 1 mm").
    """
    rules = rules or default_rules()
    place = rules.zone(zone)
    low, high = rules.indication(indication).depth_range(place)
    cap = place.max_depth_mm
    if low >= cap:
        return SuggestedDepth(None, cap, cap, clipped=True)
    return SuggestedDepth(low, min(high, cap), cap, clipped=high > cap)


@dataclass(frozen=True)
class DepthCheck:
    """ "ok", "warn" (save allowed, show the message) or "block", with the rule key and cap.

    `usual` is the indication's usual depth on the zone, already clipped to the cap.
    """

    status: DepthStatus
    message: str
    cap_mm: float
    key: str = ""
    usual: SuggestedDepth | None = None


def check_depth(
    zone: str,
    indication: str,
    depth_mm: float,
    *,
    clinician: bool = False,
    rules: Rules | None = None,
) -> DepthCheck:
    """Check a depth (mm) for `zone` (a zone key) under `indication`.

    Above the zone's cap, or a clinician-only zone for anyone else: "block". Within the
    cap but above a lower cap for part of the zone, or outside the indication's usual
    range (clipped to the cap, see `suggested_depth`): "warn". Otherwise "ok".
    """
    rules = rules or default_rules()
    depth = require_depth(depth_mm)
    place = rules.zone(zone)
    plan = rules.indication(indication)
    usual = suggested_depth(zone, indication, rules=rules)
    cap = place.max_depth_mm
    name = place.name.lower()
    if place.clinician_only and not clinician:
        text = f"Only a clinician may treat the {name} (cap {cap:g} mm)."
        return DepthCheck("block", text, cap, f"{zone}.clinician_only", usual)
    if depth > cap:
        text = f"{depth:g} mm is too deep for the {name}: cap {cap:g} mm."
        return DepthCheck("block", text, cap, f"{zone}.max_depth_mm", usual)
    if place.warn_above_mm is not None and depth > place.warn_above_mm:
        text = f"{depth:g} mm on the {name}: {place.warn_note}."
        return DepthCheck("warn", text, cap, f"{zone}.warn_above_mm", usual)
    if not usual.contains(depth):
        limit = "" if usual.clipped else f" (cap {cap:g} mm)"
        text = (
            f"{depth:g} mm is outside the usual {usual.text} for "
            f"{plan.name.lower()} on the {name}{limit}."
        )
        return DepthCheck("warn", text, cap, f"{indication}.depth", usual)
    return DepthCheck("ok", f"{depth:g} mm is within range for the {name}.", cap, usual=usual)
