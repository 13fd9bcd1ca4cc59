"""``needlepoint importcsv`` and ``exportcsv``: the pages' code from the command line."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from needlepoint.audit.choices import Action
from needlepoint.audit.models import AuditEvent
from needlepoint.clients.models import Client
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.treatments.models import Outcome
from tests import factories
from tests.imports.conftest import FILES, histories_recorded, row_counts
from tests.imports.test_exports import treated

CLIENT_COLUMNS = {
    "external_id": "Client ID",
    "first_name": "First Name",
    "last_name": "Surname",
    "email": "E-mail Address",
    "phone": "Mobile",
    "date_of_birth": "DOB",
}
APPOINTMENT_COLUMNS = {
    "start_date": "Appointment Date",
    "start_time": "Start Time",
    "client_email": "Client Email",
    "service": "Service",
    "practitioner": "Staff",
}


def importcsv(tmp_path, file, kind: str, columns: dict[str, str], *extra: str) -> str:
    mapping = tmp_path / f"{kind}-mapping.json"
    mapping.write_text(json.dumps({"columns": columns, "date_format": "DD/MM/YYYY"}))
    out = io.StringIO()
    call_command(
        "importcsv",
        str(file),
        "--organisation=test-skin",
        f"--kind={kind}",
        f"--mapping={mapping}",
        "--location=harbour-street",
        *extra,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def test_dry_run_then_import_then_again(moving_in, tmp_path):
    fixed = tmp_path / "clients.csv"
    fixed.write_bytes((FILES / "clients-old-system.csv").read_bytes().replace(b"0740 01", b""))
    before = row_counts()
    output = importcsv(tmp_path, fixed, "clients", CLIENT_COLUMNS, "--dry-run")
    assert "5 rows: 5 new clients, 0 already here (matched)." in output
    assert "Dry run: nothing was written." in output
    assert row_counts() == before

    assert "Imported." in importcsv(tmp_path, fixed, "clients", CLIENT_COLUMNS)
    assert Client.objects.count() == 5
    event = AuditEvent.objects.get(target_id="csv import")
    assert (event.actor, event.role) == ("needlepoint importcsv", "system")

    output = importcsv(tmp_path, fixed, "clients", CLIENT_COLUMNS)
    assert "0 new clients, 5 already here" in output
    assert Client.objects.count() == 5


def test_problems_stop_the_import_and_are_printed(moving_in, tmp_path):
    with pytest.raises(CommandError, match="1 problem"):
        importcsv(tmp_path, FILES / "clients-old-system.csv", "clients", CLIENT_COLUMNS)
    assert not Client.objects.exists()


def test_appointments_from_the_command_line(moving_in, tmp_path):
    clients = tmp_path / "clients.csv"
    clients.write_bytes((FILES / "clients-old-system.csv").read_bytes().replace(b"0740 01", b""))
    importcsv(tmp_path, clients, "clients", CLIENT_COLUMNS)
    histories_recorded(moving_in.clinic)
    appointments = tmp_path / "appointments.csv"
    appointments.write_bytes(
        (FILES / "appointments-old-system.csv")
        .read_bytes()
        .replace(b"Chin filler", b"Skin consultation")
        .replace(b"04/03/2027;14:00", b"04/03/2027;16:00")
        .replace(b"28/03/2027;01:30", b"29/03/2027;10:00")
    )
    output = importcsv(tmp_path, appointments, "appointments", APPOINTMENT_COLUMNS)
    assert "6 rows: 5 appointments to create, 0 already here, 1 in the past (skipped)." in output
    assert Booking.objects.filter(channel=Channel.IMPORT).count() == 5


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"first_name": "Nope"}, "no column 'Nope'"),
        ({"favourite_colour": "DOB"}, "not a field of clients"),
        ({"first_name": "First Name"}, "choose the column"),
    ],
)
def test_a_bad_mapping_is_refused(moving_in, tmp_path, columns, message):
    with pytest.raises(CommandError, match=f"(?i){message}"):
        importcsv(tmp_path, FILES / "clients-old-system.csv", "clients", columns)


def test_exportcsv_writes_a_file_or_standard_output(moving_in, tmp_path):
    factories.client(moving_in.clinic.organisation, first_name="=1+1", last_name="Sum")
    output = tmp_path / "clients.csv"
    call_command("exportcsv", "clients", "--organisation=test-skin", f"--output={output}")
    text = output.read_bytes().decode("utf-8")
    assert text.startswith("\ufeffrecord_id,first_name,")
    assert "'=1+1,Sum" in text
    with pytest.raises(CommandError, match="exists already"):
        call_command("exportcsv", "clients", "--organisation=test-skin", f"--output={output}")
    out = io.StringIO()
    call_command(
        "exportcsv",
        "bookings",
        "--organisation=test-skin",
        "--from=2027-03-01",
        "--to=2027-03-31",
        stdout=out,
    )
    assert out.getvalue().startswith("\ufeffbooking_id,client_id,")
    events = AuditEvent.objects.filter(action=Action.EXPORTED).order_by("pk")
    assert [(e.actor, e.detail["export"]) for e in events] == [
        ("needlepoint exportcsv", "clients"),
        ("needlepoint exportcsv", "bookings"),
    ]
    assert events[1].detail["from"] == "2027-03-01"


def exported(kind: str, *extra: str) -> list[dict[str, str]]:
    """``needlepoint exportcsv KIND`` to standard output, read back as rows."""
    out = io.StringIO()
    call_command("exportcsv", kind, "--organisation=test-skin", *extra, stdout=out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_exportcsv_writes_sessions_and_outcomes_naming_no_one(moving_in, other_clinic):
    clinic = moving_in.clinic
    ours = factories.client(clinic.organisation, first_name="Amelia", last_name="Hughes")
    theirs = factories.client(other_clinic.organisation, first_name="Outsider")
    february = treated(clinic, ours, date(2027, 2, 1), {"zone.cheeks": "1.00", "zone.chin": "0.50"})
    treated(clinic, ours, date(2026, 12, 1), {"zone.forehead": "1.50"})
    treated(other_clinic, theirs, date(2027, 2, 1), {"zone.cheeks": "2.00"})
    Outcome.objects.create(
        session=february,
        improvement=7,
        notes="=calmer skin",
        recorded_by=clinic.practitioner.user,
        recorded_at=datetime(2027, 2, 1, 11, 0, tzinfo=UTC),
    )

    sessions = exported("sessions", "--from=2027-01-01")
    assert [(r["date"], r["zone"], r["depth_mm"], r["passes"]) for r in sessions] == [
        ("2027-02-01", "zone.cheeks", "1.00", "3"),
        ("2027-02-01", "zone.chin", "0.50", "3"),
    ]
    assert {r["session_id"] for r in sessions} == {str(february.public_id)}
    assert {r["client_id"] for r in sessions} == {str(ours.public_id)}
    assert not {"first_name", "client_name"} & set(sessions[0])
    (outcome,) = exported("outcomes")
    assert (outcome["session_id"], outcome["improvement"]) == (str(february.public_id), "7")
    assert outcome["notes"] == "'=calmer skin"
    assert outcome["recorded_at"] == "2027-02-01T11:00:00+00:00"
    events = AuditEvent.objects.filter(action=Action.EXPORTED).order_by("pk")
    assert [(e.actor, e.detail["export"], e.detail["from"]) for e in events] == [
        ("needlepoint exportcsv", "sessions", "2027-01-01"),
        ("needlepoint exportcsv", "outcomes", ""),
    ]
