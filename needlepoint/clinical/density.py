"""Channel density helpers (§6): puncture events per cm², per pass and in total."""

from __future__ import annotations

import math
from dataclasses import dataclass

from needlepoint.clinical.checks import require_positive


@dataclass(frozen=True)
class Density:
    """Punctures per cm²: one pass and all passes (passes overlap, so not unique holes)."""

    per_pass: float
    total: float


def pen_channel_density(
    needles: int,
    strokes_per_second: float,
    hand_speed_cm_s: float,
    footprint_width_cm: float,
    passes: int,
) -> Density:
    """D = N x f / (v x w) per pass: 12 needles, 100 Hz, 5 cm/s, 0.5 cm wide -> 480/cm²."""
    count = require_positive(needles, "Needles", whole=True)
    rate = require_positive(strokes_per_second, "Strokes per second")
    speed = require_positive(hand_speed_cm_s, "Hand speed (cm/s)")
    width = require_positive(footprint_width_cm, "Footprint width (cm)")
    repeats = require_positive(passes, "Passes", whole=True)
    per_pass = count * rate / (speed * width)
    return Density(per_pass, per_pass * repeats)


def roller_channel_density(
    needles: int = 192,
    drum_width_cm: float = 2.0,
    drum_diameter_cm: float = 2.0,
    *,
    passes: int,
) -> Density:
    """Needles per revolution over the area one revolution covers (width x pi x diameter).

    The classic 192-needle 2 cm x 2 cm roller gives ≈15.3/cm² per pass.
    """
    count = require_positive(needles, "Needles", whole=True)
    width = require_positive(drum_width_cm, "Drum width (cm)")
    diameter = require_positive(drum_diameter_cm, "Drum diameter (cm)")
    repeats = require_positive(passes, "Passes", whole=True)
    per_pass = count / (width * math.pi * diameter)
    return Density(per_pass, per_pass * repeats)
