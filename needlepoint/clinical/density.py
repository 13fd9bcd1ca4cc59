"""Channel density helpers (§6): puncture events per cm², per pass and in total."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from needlepoint.clinical.checks import require_positive
from needlepoint.clinical.errors import InvalidValue

StrokeUnit = Literal["per_minute", "hz", "per_second"]
#: The units pens are sold with; Hz and strokes per second are the same rate.
STROKE_UNITS: dict[StrokeUnit, str] = {
    "per_minute": "strokes/min",
    "hz": "Hz",
    "per_second": "strokes/s",
}
MIN_STROKES_PER_SECOND = 1.0
MAX_STROKES_PER_MINUTE = 20_000.0


def _per_second(value: float, unit: StrokeUnit) -> float:
    if unit not in STROKE_UNITS:
        known = ", ".join(STROKE_UNITS)
        raise InvalidValue(f"Unknown pen speed unit {unit!r}: use one of {known}.")
    return value / 60 if unit == "per_minute" else value


def stroke_rate_hz(value: float, unit: StrokeUnit) -> float:
    """A pen's stroke rate given in `unit`, in Hz (strokes per second): 6,000/min -> 100.

    InvalidValue for 0, a negative or non-finite number, a rate under 1 Hz (60/min) or
    over 20,000/min (no pen is that fast: it is a unit mistake).
    """
    number = require_positive(value, "Pen speed")
    hz = _per_second(number, unit)
    if hz * 60 > MAX_STROKES_PER_MINUTE:
        raise InvalidValue(
            f"Pen speed {format_stroke_rate(number, unit)} is over "
            f"{MAX_STROKES_PER_MINUTE:,.0f} strokes/min: check the unit."
        )
    if hz < MIN_STROKES_PER_SECOND:
        raise InvalidValue(
            f"Pen speed {format_stroke_rate(number, unit)} is under "
            f"{MIN_STROKES_PER_SECOND:g} Hz (60 strokes/min): check the unit."
        )
    return hz


def strokes_per_minute(hz: float) -> float:
    """Hz (strokes per second) as strokes per minute: 100 -> 6,000."""
    return require_positive(hz, "Pen speed (Hz)") * 60


def format_stroke_rate(value: float, unit: StrokeUnit) -> str:
    """E.g. "6,000 strokes/min", "116.7 Hz": thousands separated, at most one decimal."""
    if unit not in STROKE_UNITS:
        raise InvalidValue(f"Unknown pen speed unit {unit!r}.")
    number = f"{value:,.1f}".removesuffix(".0")
    return f"{number} {STROKE_UNITS[unit]}"


def describe_stroke_rate(value: float, unit: StrokeUnit) -> str:
    """The rate as given and converted: "6,000 strokes/min = 100 Hz", "100 Hz = 6,000 strokes/min".

    Strokes per second are named with their Hz and per-minute values too.
    """
    hz = stroke_rate_hz(value, unit)
    given = format_stroke_rate(value, unit)
    per_minute = format_stroke_rate(hz * 60, "per_minute")
    if unit == "per_minute":
        return f"{given} = {format_stroke_rate(hz, 'hz')}"
    if unit == "hz":
        return f"{given} = {per_minute}"
    return f"{given} = {format_stroke_rate(hz, 'hz')} = {per_minute}"


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
