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

    No sentence: `code` names the message ("depth.clinician_only", "depth.too_deep",
    "depth.warn_above", "depth.outside_usual", "depth.ok"), worded by the web layer from
    `zone`, `indication`, `depth_mm`, `cap_mm` and `usual` (the indication's usual depth on
    the zone, already clipped to the cap).
    """

    status: DepthStatus
    code: str
    cap_mm: float
    key: str = ""
    usual: SuggestedDepth | None = None
    zone: str = ""
    indication: str = ""
    depth_mm: float = 0.0


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
    rules.indication(indication)
    usual = suggested_depth(zone, indication, rules=rules)
    cap = place.max_depth_mm

    def check(status: DepthStatus, code: str, key: str = "") -> DepthCheck:
        return DepthCheck(status, code, cap, key, usual, zone, indication, depth)

    if place.clinician_only and not clinician:
        return check("block", "depth.clinician_only", f"{zone}.clinician_only")
    if depth > cap:
        return check("block", "depth.too_deep", f"{zone}.max_depth_mm")
    if place.warn_above_mm is not None and depth > place.warn_above_mm:
        return check("warn", "depth.warn_above", f"{zone}.warn_above_mm")
    if not usual.contains(depth):
        return check("warn", "depth.outside_usual", f"{indication}.depth")
    return check("ok", "depth.ok")
