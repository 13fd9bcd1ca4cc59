"""Issue 17: pen speeds in strokes per minute, Hz or strokes per second (§6)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from needlepoint.clinical import (
    InvalidValue,
    describe_stroke_rate,
    format_stroke_rate,
    pen_channel_density,
    stroke_rate_hz,
    strokes_per_minute,
)


@pytest.mark.parametrize(
    ("value", "unit", "hz"),
    [
        (6000, "per_minute", 100.0),
        (100, "hz", 100.0),
        (100, "per_second", 100.0),
        (7000, "per_minute", 7000 / 60),
        (20_000, "per_minute", 20_000 / 60),
        (60, "per_minute", 1.0),
    ],
)
def test_every_unit_converts_to_hz(value: float, unit: str, hz: float) -> None:
    assert stroke_rate_hz(value, unit) == pytest.approx(hz)  # type: ignore[arg-type]


def test_hz_to_strokes_per_minute() -> None:
    assert strokes_per_minute(100) == 6000


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (6000, "per_minute", "6,000 strokes/min = 100 Hz"),
        (100, "hz", "100 Hz = 6,000 strokes/min"),
        (100, "per_second", "100 strokes/s = 100 Hz = 6,000 strokes/min"),
        (7000, "per_minute", "7,000 strokes/min = 116.7 Hz"),
    ],
)
def test_the_rate_is_described_as_given_and_converted(value: float, unit: str, text: str) -> None:
    assert describe_stroke_rate(value, unit) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "unit", "part"),
    [
        (0, "hz", "above 0"),
        (-100, "per_minute", "above 0"),
        (float("inf"), "hz", "above 0"),
        (20_001, "per_minute", "over 20,000 strokes/min"),
        (400, "hz", "over 20,000 strokes/min"),
        (30, "per_minute", "under 1 Hz"),
        (100, "rpm", "Unknown pen speed unit"),
        ("fast", "hz", "number"),
    ],
)
def test_bad_rates_are_refused_with_a_clear_message(value: object, unit: str, part: str) -> None:
    with pytest.raises(InvalidValue, match=part):
        stroke_rate_hz(value, unit)  # type: ignore[arg-type]


def test_a_unit_is_always_named() -> None:
    assert format_stroke_rate(116.666, "hz") == "116.7 Hz"
    with pytest.raises(InvalidValue):
        format_stroke_rate(1, "rpm")  # type: ignore[arg-type]


@given(st.floats(min_value=60, max_value=20_000, allow_nan=False))
def test_per_minute_and_hz_round_trip_and_give_the_same_density(per_minute: float) -> None:
    hz = stroke_rate_hz(per_minute, "per_minute")

    assert strokes_per_minute(hz) == pytest.approx(per_minute)
    assert hz == pytest.approx(stroke_rate_hz(hz, "hz"))


def test_the_reference_example_in_strokes_per_minute() -> None:
    hz = stroke_rate_hz(6000, "per_minute")

    assert pen_channel_density(12, hz, 5, 0.5, 1).per_pass == pytest.approx(480)
