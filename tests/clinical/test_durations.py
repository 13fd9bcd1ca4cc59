from __future__ import annotations

from datetime import date

import pytest

from needlepoint.clinical import Duration, InvalidDuration, add_duration, parse_duration
from tests.clinical.helpers import said


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("P14D", Duration(days=14)),
        ("P6M", Duration(months=6)),
        ("P2W", Duration(weeks=2)),
        ("P1Y", Duration(years=1)),
        ("P1Y2M3W4D", Duration(1, 2, 3, 4)),
        ("P0D", Duration()),
    ],
)
def test_iso_date_durations_are_read_into_their_parts(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["P14D", "P6M", "P1Y2M", "P2W3D", "P0D"])
def test_a_duration_writes_back_as_the_same_text(text: str) -> None:
    assert str(parse_duration(text)) == text


@pytest.mark.parametrize(
    "text", ["", "P", "14D", "p14d", "P-1D", "P1.5M", "PT1H", "P1D2M", "P 1D", "P1M ", "six months"]
)
def test_malformed_durations_are_refused(text: str) -> None:
    with pytest.raises(InvalidDuration) as caught:
        parse_duration(text)

    assert caught.value.code == "invalid_duration"
    assert "P14D" in caught.value.message


def test_a_duration_longer_than_a_century_is_refused() -> None:
    with pytest.raises(InvalidDuration):
        parse_duration("P101Y")


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (date(2025, 8, 31), "P6M", date(2026, 2, 28)),
        (date(2025, 1, 31), "P1M", date(2025, 2, 28)),
        (date(2024, 1, 31), "P1M", date(2024, 2, 29)),
        (date(2024, 2, 29), "P1Y", date(2025, 2, 28)),
        (date(2024, 2, 29), "P4Y", date(2028, 2, 29)),
        (date(2025, 3, 31), "P1M", date(2025, 4, 30)),
        (date(2025, 12, 15), "P1M", date(2026, 1, 15)),
        (date(2025, 1, 15), "P6M", date(2025, 7, 15)),
        (date(2025, 1, 31), "P1M1D", date(2025, 3, 1)),
        (date(2025, 6, 1), "P2W", date(2025, 6, 15)),
        (date(2025, 6, 1), "P0D", date(2025, 6, 1)),
    ],
)
def test_calendar_months_land_on_the_same_day_or_the_last_day_of_a_shorter_month(
    start: date, duration: str, expected: date
) -> None:
    assert add_duration(start, duration) == expected


def test_adding_past_the_end_of_the_calendar_is_an_invalid_duration() -> None:
    with pytest.raises(InvalidDuration):
        add_duration(date(9999, 6, 1), "P1Y")
    with pytest.raises(InvalidDuration):
        add_duration(date(9999, 12, 30), "P5D")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("P14D", "2 weeks"),
        ("P7D", "1 week"),
        ("P3D", "3 days"),
        ("P6M", "6 months"),
        ("P1Y", "1 year"),
        ("P1Y3D", "1 year and 3 days"),
        ("P1M2W", "1 month and 2 weeks"),
        ("P0D", "0 days"),
    ],
)
def test_durations_read_in_words_for_clients(text: str, words: str) -> None:
    assert said(parse_duration(text)) == words
