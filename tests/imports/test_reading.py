"""Reading other systems' files: encodings, delimiters, limits, dates, times and clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from needlepoint.imports import csvfile
from needlepoint.imports.csvfile import FileProblem, read_table
from needlepoint.imports.exporter import safe
from needlepoint.imports.importer import (
    APPOINTMENTS,
    CLIENTS,
    clean,
    guess_columns,
    guess_date_format,
    local_instant,
    parse_date,
    parse_time,
    split_when,
)

LONDON = ZoneInfo("Europe/London")


def test_utf8_with_a_byte_order_mark_and_semicolons():
    table = read_table(b'\xef\xbb\xbfFirst;Notes\r\nZo\xc3\xab;"a; b"\r\n\r\n')
    assert table.headers == ["First", "Notes"]
    assert table.rows == [["Zoë", "a; b"]]


def test_windows_1252_and_commas():
    table = read_table("Name,City\nRenée,Köln\n".encode("cp1252"))
    assert table.rows == [["Renée", "Köln"]]


def test_short_rows_are_padded_and_blank_headers_named():
    table = read_table(b"A,,C\n1\n")
    assert table.headers == ["A", "Column 2", "C"]
    assert table.rows == [["1", "", ""]]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"A,B\n", "no rows"),
        (b"\xff\xfeA\x00", "UTF-16"),
        (b"PK\x03\x04\x00\x00", "not a CSV"),
    ],
)
def test_files_that_cant_be_read(data, reason):
    with pytest.raises(FileProblem, match=reason):
        read_table(data)


def test_size_and_row_limits(monkeypatch):
    monkeypatch.setattr(csvfile, "MAX_ROWS", 3)
    assert len(read_table(b"A\n1\n2\n3\n").rows) == 3
    with pytest.raises(FileProblem, match="more than 3 rows"):
        read_table(b"A\n1\n2\n3\n4\n")
    monkeypatch.setattr(csvfile, "MAX_BYTES", 10)
    with pytest.raises(FileProblem, match="larger than"):
        read_table(b"A\n123456789\n")


def test_column_guesses_from_common_header_names():
    headers = ["Customer ID", "Forename", "Surname", "Email Address", "Mobile Phone (main)", "DOB"]
    assert guess_columns(headers, CLIENTS) == {
        "external_id": 0,
        "first_name": 1,
        "last_name": 2,
        "email": 3,
        "phone": 4,
        "date_of_birth": 5,
    }
    headers = ["Start", "Client", "Client Email", "Treatment", "Therapist", "Branch", "Length"]
    assert guess_columns(headers, APPOINTMENTS) == {
        "start_date": 0,
        "client_email": 2,
        "service": 3,
        "practitioner": 4,
        "location": 5,
        "duration": 6,
    }


def test_date_formats():
    assert parse_date("03/11/1975", "DMY") == date(1975, 11, 3)
    assert parse_date("11/03/1975", "MDY") == date(1975, 11, 3)
    assert parse_date("1975-11-03", "YMD") == date(1975, 11, 3)
    assert parse_date("3.11.1975", "DMY") == date(1975, 11, 3)
    for text in ("03/11/75", "31/02/2027", "3 Nov 1975", "03/11"):
        with pytest.raises(ValueError):
            parse_date(text, "DMY")
    assert guess_date_format(["01/02/1990", "25/12/1980"]) == "DMY"
    assert guess_date_format(["12/25/1980"]) == "MDY"
    assert guess_date_format(["1980-12-25"]) == "YMD"
    assert split_when("2027-03-12T10:30:00") == ("2027-03-12", "10:30:00")
    assert split_when("12/03/2027 2:30 pm") == ("12/03/2027", "2:30 pm")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9)),
        ("9.30", time(9, 30)),
        ("14:30:00", time(14, 30)),
        ("2:30 pm", time(14, 30)),
        ("2:30PM", time(14, 30)),
        ("12:00 pm", time(12)),  # noon
        ("12:15 a.m.", time(0, 15)),  # a quarter past midnight
        ("11:45 am", time(11, 45)),
    ],
)
def test_times_on_both_clocks(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["24:00", "13:00 pm", "0:30 am", "noon", "9", "10:60"])
def test_times_that_are_not(text):
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize(
    ("zone", "spring", "autumn", "gap"),
    [
        ("Europe/London", date(2027, 3, 28), date(2027, 10, 31), {1}),
        ("America/New_York", date(2027, 3, 14), date(2027, 11, 7), {2}),
        ("Australia/Sydney", date(2027, 10, 3), date(2027, 4, 4), {2}),
    ],
)
def test_every_hour_of_both_change_days(zone, spring, autumn, gap):
    """Hours inside the spring gap don't exist; the rest, morning and afternoon, round-trip."""
    place = ZoneInfo(zone)
    for day in (spring - timedelta(days=1), spring, autumn, autumn + timedelta(days=1)):
        for hour in range(24):
            for minute in (0, 30):
                at = time(hour, minute)
                instant = local_instant(day, at, place)
                if day == spring and hour in gap:
                    assert instant is None, (day, at)
                    continue
                assert instant is not None, (day, at)
                assert instant.tzinfo is UTC
                local = instant.astimezone(place)
                assert (local.date(), local.time()) == (day, at)


def test_a_repeated_time_is_the_first_of_the_two():
    assert local_instant(date(2027, 10, 31), time(1, 30), LONDON) == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC
    )


def test_formula_cells_are_quoted_on_export_and_unquoted_on_import():
    for text in ("=1+2", "+447400123456", "-3", "@SUM(A1)"):
        assert safe(text) == f"'{text}"
        assert clean(safe(text)) == text
    assert safe("\t=1") == "'\t=1"
    assert safe("O'Connor") == "O'Connor"
    assert safe(None) == ""
    assert clean("'quoted'") == "'quoted'"
