"""Depth checks for a chart or plan: the §3 zone cap always wins over the §2 indication range."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from needlepoint.clinical.checks import require_depth
from needlepoint.clinical.rules import Rules, default_rules

DepthStatus = Literal["ok", "warn", "block"]


@dataclass(frozen=True)
class DepthCheck:
    """ "ok", "warn" (save allowed, show the message) or "block", with the rule key and cap."""

    status: DepthStatus
    message: str
    cap_mm: float
    key: str = ""


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
    range: "warn". Otherwise "ok".
    """
    rules = rules or default_rules()
    depth = require_depth(depth_mm)
    place = rules.zone(zone)
    plan = rules.indication(indication)
    cap = place.max_depth_mm
    name = place.name.lower()
    if place.clinician_only and not clinician:
        text = f"Only a clinician may treat the {name} (cap {cap:g} mm)."
        return DepthCheck("block", text, cap, f"{zone}.clinician_only")
    if depth > cap:
        text = f"{depth:g} mm is too deep for the {name}: cap {cap:g} mm."
        return DepthCheck("block", text, cap, f"{zone}.max_depth_mm")
    if place.warn_above_mm is not None and depth > place.warn_above_mm:
        text = f"{depth:g} mm on the {name}: {place.warn_note}."
        return DepthCheck("warn", text, cap, f"{zone}.warn_above_mm")
    low, high = plan.depth_range(place)
    if not low <= depth <= high:
        text = (
            f"{depth:g} mm is outside the usual {low:g} to {high:g} mm for "
            f"{plan.name.lower()} on the {name} (cap {cap:g} mm)."
        )
        return DepthCheck("warn", text, cap, f"{indication}.depth")
    return DepthCheck("ok", f"{depth:g} mm is within range for the {name}.", cap)
