"""Moving a clinic in through the pages: upload, columns, dry run, import, and again."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from django.test import Client as Browser
from django.urls import reverse

from needlepoint.audit.choices import Action
from needlepoint.audit.models import AuditEvent
from needlepoint.clients.models import Client
from needlepoint.imports.models import ExternalClientId
from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from tests import factories
from tests.imports.conftest import (
    FILES,
    changed,
    checked,
    guessed,
    histories_recorded,
    row_counts,
    upload,
)
from tests.project.test_object_storage import NOT_READ, NOT_SAVED, in_a_bucket
from tests.tools.s3server import FaultyS3

CLIENTS = (FILES / "clients-old-system.csv").read_bytes()
APPOINTMENTS = (FILES / "appointments-old-system.csv").read_bytes()


def problems(response) -> list[tuple[int, str, str]]:
    return [(p.row, p.column, p.message) for p in response.context["report"].problems]


def import_folder(settings) -> list[Path]:
    """The uploads kept in the private storage (here its folder; a bucket in
    tests/project/test_object_storage.py)."""
    folder = Path(settings.PHOTO_ROOT) / "imports"
    return sorted(folder.glob("*")) if folder.exists() else []


def test_moving_a_clinic_in_from_another_systems_export(moving_in, settings):
    clinic, place = moving_in.clinic, moving_in.location
    taken = factories.screened_client(clinic.organisation, first_name="Already", last_name="Booked")
    booking_create(
        client=taken,
        service=moving_in.treatment,
        starts_at=datetime(2027, 3, 4, 14, 0, tzinfo=UTC),  # 14:00 in London (GMT)
        channel=Channel.STAFF,
    )
    browser = factories.signed_in(clinic.manager)

    # Clients first. The columns are guessed from the old system's header names.
    assert upload(browser, CLIENTS, "clients", place).status_code == 302
    assert len(import_folder(settings)) == 1
    columns = guessed(browser)
    assert columns == {
        "external_id": "0",  # Client ID
        "first_name": "1",  # First Name
        "last_name": "2",  # Surname
        "email": "3",  # E-mail Address
        "phone": "4",  # Mobile
        "date_of_birth": "5",  # DOB
        "language": "",  # none in this file
        "date_format": "DMY",
    }
    page = browser.get(reverse("imports:mapping"))
    assert b"amelia.hughes@example.test" in page.content  # sample values are shown
    before = row_counts()
    response = checked(browser)
    assert problems(response) == [(4, "Mobile", "“0740 01” is not a phone number.")]
    report = response.context["report"]
    assert (report.created, report.matched) == (4, 0)  # the other four would be new
    assert b"Import now" not in response.content
    assert row_counts() == before, "the dry run wrote nothing"

    # The file is fixed and uploaded again: the dry run is clean, the import writes it all.
    fixed = CLIENTS.replace(b"0740 01", b"07400 111222")
    upload(browser, fixed, "clients", place)
    assert len(import_folder(settings)) == 1, "the first upload's file was replaced"
    response = checked(browser)
    assert problems(response) == []
    assert b"Import now" in response.content
    response = browser.post(reverse("imports:check"))
    assert response.status_code == 302
    assert changed(before, row_counts()) == {
        "clients.Client": 5,
        "imports.ExternalClientId": 5,
        "audit.AuditEvent": 6,  # one per client, one for the import
    }
    chloe = Client.objects.get(email="chloe@example.test")
    assert (chloe.first_name, chloe.phone, chloe.home_location) == ("Chloé", "+447400111222", place)
    assert str(chloe.date_of_birth) == "1992-07-21"
    assert import_folder(settings) == [], "the uploaded file is deleted after the import"
    event = AuditEvent.objects.filter(target_id="csv import").get()
    assert event.detail == {
        "import": "clients",
        "rows": 5,
        "created": 5,
        "matched": 0,
        "skipped": 0,
    }
    assert event.actor == clinic.manager.user.email

    # Re-running the same import creates nothing.
    before = row_counts()
    upload(browser, fixed, "clients", place)
    response = checked(browser)
    assert (response.context["report"].created, response.context["report"].matched) == (0, 5)
    browser.post(reverse("imports:check"))
    assert changed(before, row_counts()) == {"audit.AuditEvent": 1}

    # Then the future appointments, once the clinic has their health questions.
    histories_recorded(clinic)
    upload(browser, APPOINTMENTS, "appointments", place)
    assert guessed(browser) == {
        "client_email": "2",
        "client_id": "",
        "service": "3",
        "practitioner": "4",  # Staff
        "location": "",
        "start_date": "0",  # Appointment Date
        "start_time": "1",
        "duration": "5",  # Duration (mins)
        "appointment_id": "",
        "date_format": "DMY",
    }
    before = row_counts()
    response = checked(browser)
    assert problems(response) == [
        (
            4,
            "Service",
            "No service called “Chin filler” at Harbour Street: add it in the settings area, "
            "or correct the name.",
        ),
        (
            5,
            "Start Time",
            "Overlaps a booking already in the calendar "
            "(Microneedling face with Pat Jones at 14:00).",
        ),
        (
            6,
            "Start Time",
            "01:30 on 28/03/2027 doesn't exist in Europe/London: the clocks go forward then. "
            "Choose another time.",
        ),
    ]
    report = response.context["report"]
    assert (report.created, report.matched, report.skipped) == (2, 0, 1)
    assert [(note.row, note.message) for note in report.notes] == [
        (2, "In the past: skipped (only future appointments are imported)."),
        (7, "The old system had 75 minutes; Microneedling face takes 60 here, and is booked so."),
    ]
    assert row_counts() == before, "the dry run wrote nothing"

    fixed = (
        APPOINTMENTS.replace(b"Chin filler", b"Skin consultation")
        .replace(b"04/03/2027;14:00", b"04/03/2027;16:00")
        .replace(b"28/03/2027;01:30", b"29/03/2027;10:00")
    )
    upload(browser, fixed, "appointments", place)
    response = checked(browser)
    assert problems(response) == []
    browser.post(reverse("imports:check"))
    imported = Booking.objects.filter(channel=Channel.IMPORT).order_by("starts_at")
    assert [(b.client.first_name, b.starts_at, b.service.name) for b in imported] == [
        ("Amelia", datetime(2027, 3, 2, 10, 0, tzinfo=UTC), "Microneedling face"),
        ("Ben", datetime(2027, 3, 3, 11, 0, tzinfo=UTC), "Skin consultation"),
        ("Dev", datetime(2027, 3, 4, 16, 0, tzinfo=UTC), "Microneedling face"),
        ("Chloé", datetime(2027, 3, 5, 14, 30, tzinfo=UTC), "Microneedling face"),
        ("Ben", datetime(2027, 3, 29, 9, 0, tzinfo=UTC), "Skin consultation"),  # 10:00 BST
    ]
    assert {b.practitioner for b in imported} == {clinic.practitioner}
    assert not Message.objects.filter(
        kind=MessageKind.BOOKING_CONFIRMED, client__in=[b.client for b in imported]
    ).exists(), "clients are not told again about bookings the old system confirmed"
    assert Message.objects.filter(kind=MessageKind.REMINDER, client__first_name="Ben").exists()

    before = row_counts()
    upload(browser, fixed, "appointments", place)
    response = checked(browser)
    report = response.context["report"]
    assert (report.created, report.matched, report.skipped) == (0, 5, 1)
    browser.post(reverse("imports:check"))
    assert changed(before, row_counts()) == {"audit.AuditEvent": 1}
    assert ExternalClientId.objects.count() == 5


def test_an_import_that_fails_at_its_last_row_writes_nothing(moving_in):
    clinic, place = moving_in.clinic, moving_in.location
    for name, email in (("Amelia", "amelia.hughes@example.test"), ("Chloé", "chloe@example.test")):
        factories.screened_client(clinic.organisation, first_name=name, email=email)
    rows = (
        "Date,Time,Email,Service\n"
        "02/03/2027,10:00,amelia.hughes@example.test,Microneedling face\n"
        "05/03/2027,14:30,chloe@example.test,Microneedling face\n"
    )
    browser = factories.signed_in(clinic.owner)
    upload(browser, rows.encode(), "appointments", place)
    response = checked(browser)
    assert problems(response) == []
    assert response.context["report"].created == 2

    # Between the dry run and the import, someone books the last row's time.
    someone = factories.screened_client(clinic.organisation)
    booking_create(
        client=someone,
        service=moving_in.treatment,
        starts_at=datetime(2027, 3, 5, 14, 30, tzinfo=UTC),
        channel=Channel.STAFF,
    )
    before = row_counts()
    response = browser.post(reverse("imports:check"))
    assert response.status_code == 200
    assert response.context["failed"]
    assert [p.row for p in response.context["report"].problems] == [3]
    assert b"Nothing was imported" in response.content
    assert row_counts() == before, "the first row's booking was rolled back with the rest"
    assert not Booking.objects.filter(channel=Channel.IMPORT).exists()


def test_unknown_clients_duplicates_and_bad_dates_are_row_problems(moving_in):
    clinic, place = moving_in.clinic, moving_in.location
    factories.client(clinic.organisation, first_name="Amelia", email="amelia@example.test")
    rows = (
        "Date;Time;Email;Service;Practitioner\n"
        "02/03/2027;10:00;amelia@example.test;Skin consultation;\n"
        "02/03/2027;10:00;amelia@example.test;Skin consultation;\n"
        "03/03/2027;10:00;nobody@example.test;Skin consultation;\n"
        "31/02/2027;10:00;amelia@example.test;Skin consultation;\n"
        "04/03/2027;25:00;amelia@example.test;Skin consultation;\n"
        "04/03/2027;11:00;amelia@example.test;Skin consultation;Someone Else\n"
    )
    browser = factories.signed_in(clinic.owner)
    upload(browser, rows.encode(), "appointments", place)
    response = checked(browser)
    assert problems(response) == [
        (3, "Date", "The same appointment as row 2."),
        (4, "Email", "No client has the email nobody@example.test: import the clients first."),
        (5, "Date", "“31/02/2027” is not a real date when read as DD/MM/YYYY."),
        (6, "Time", "“25:00” is not a time of day."),
        (7, "Practitioner", "No one on the staff is called “Someone Else”."),
    ]


def test_duplicate_clients_and_a_clash_of_emails_are_row_problems(moving_in):
    clinic, place = moving_in.clinic, moving_in.location
    factories.client(
        clinic.organisation, first_name="Robert", last_name="Smith", email="bob@example.test"
    )
    rows = (
        "First Name,Last Name,Email,Date of Birth\n"
        "Amelia,Hughes,amelia@example.test,1988-02-14\n"
        "amelia,HUGHES,,1988-02-14\n"
        "Bob,Jones,bob@example.test,1970-01-01\n"
        "Cara,Lee,cara@,1970-01-01\n"
        "Dan,Ng,,\n"
    )
    browser = factories.signed_in(clinic.owner)
    upload(browser, rows.encode(), "clients", place)
    columns = guessed(browser)
    assert columns["date_format"] == "YMD"
    response = checked(browser)
    assert problems(response) == [
        (3, "First Name", "The same client as row 2: remove one of them."),
        (4, "Email", "bob@example.test is already the email of another client, Robert Smith."),
        (5, "Email", "“cara@” is not an email address."),
        (6, "Date of Birth", "The date of birth is missing."),
    ]


def test_the_mapping_must_name_the_required_columns(moving_in):
    browser = factories.signed_in(moving_in.clinic.owner)
    upload(browser, b"Name,Phone\nAmelia,07400 123456\n", "clients", moving_in.location)
    response = browser.post(reverse("imports:mapping"), {"phone": "1", "date_format": "DMY"})
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert "Choose the column that holds the first name." in errors
    assert "Choose the column that holds the date of birth." in errors


def test_a_file_that_cant_be_read_is_refused_with_a_reason(moving_in, settings):
    browser = factories.signed_in(moving_in.clinic.owner)
    response = upload(browser, b"\xff\xfeN\x00a\x00", "clients", moving_in.location)
    assert response.status_code == 200
    assert "UTF-16" in " ".join(response.context["form"].errors["file"])
    response = upload(browser, b"First,Last\n", "clients", moving_in.location)
    assert "no rows" in " ".join(response.context["form"].errors["file"])
    assert import_folder(settings) == []


def test_windows_1252_files_are_read(moving_in):
    rows = "First Name;Surname;DOB\nZoë;Brontë;01/02/1990\n".encode("cp1252")
    browser = factories.signed_in(moving_in.clinic.owner)
    upload(browser, rows, "clients", moving_in.location)
    checked(browser)
    browser.post(reverse("imports:check"))
    assert Client.objects.filter(first_name="Zoë", last_name="Brontë").exists()


def test_cancelling_deletes_the_uploaded_file(moving_in, settings):
    browser = factories.signed_in(moving_in.clinic.owner)
    upload(browser, CLIENTS, "clients", moving_in.location)
    assert len(import_folder(settings)) == 1
    response = browser.post(reverse("imports:cancel"))
    assert response.status_code == 302
    assert import_folder(settings) == []
    assert browser.get(reverse("imports:check"))["Location"] == reverse("imports:upload")


def test_another_user_cannot_reach_someone_elses_upload(moving_in):
    upload(factories.signed_in(moving_in.clinic.owner), CLIENTS, "clients", moving_in.location)
    other = factories.signed_in(moving_in.clinic.manager)
    assert other.get(reverse("imports:mapping"))["Location"] == reverse("imports:upload")


def test_the_front_desk_and_practitioners_cannot_import(moving_in):
    for member in (moving_in.clinic.front_desk, moving_in.clinic.practitioner):
        browser = factories.signed_in(member)
        assert browser.get(reverse("imports:upload")).status_code == 403
        assert upload(browser, CLIENTS, "clients", moving_in.location).status_code == 403
    assert not Client.objects.exists()


def test_a_location_of_another_organisation_cannot_be_chosen(moving_in, other_clinic):
    browser = factories.signed_in(moving_in.clinic.owner)
    response = upload(browser, CLIENTS, "clients", other_clinic.location)
    assert response.status_code == 200
    assert "location" in response.context["form"].errors


def test_the_import_is_audited_with_its_counts(moving_in):
    browser = factories.signed_in(moving_in.clinic.owner)
    upload(
        browser,
        b"First Name,Surname,DOB\nAmelia,Hughes,14/02/1988\n",
        "clients",
        moving_in.location,
    )
    checked(browser)
    browser.post(reverse("imports:check"))
    event = AuditEvent.objects.get(target_id="csv import")
    assert event.action == Action.CREATED
    assert event.organisation_id == moving_in.clinic.organisation.pk
    assert event.detail["created"] == 1


def test_the_upload_is_kept_in_the_bucket_so_any_web_server_reads_it(
    moving_in, settings, monkeypatch, s3_server
):
    """With a bucket, the file goes there (not to this server's disk): the next step may be
    served by another web server. An upload abandoned for a day is swept at the next one."""
    store = in_a_bucket(settings, monkeypatch, s3_server.endpoint_url)
    browser = factories.signed_in(moving_in.clinic.owner)
    assert upload(browser, CLIENTS, "clients", moving_in.location).status_code == 302
    [name] = store.files()
    assert name.startswith("imports/") and store.files()[name] == CLIENTS
    assert not [path for path in Path(settings.PHOTO_ROOT).rglob("*") if path.is_file()]

    second_server = Browser()  # the same session, another web server's process state
    second_server.cookies = browser.cookies
    response = checked(second_server)
    assert problems(response) != [] and response.context["report"].created == 4
    second_server.post(reverse("imports:cancel"))
    assert store.files() == {}

    upload(browser, CLIENTS, "clients", moving_in.location)
    [abandoned] = store.files()
    # The store's clock says when it was written: the next uploads come 23 and 25 hours on.
    made = store.client().head_object(Bucket=store.bucket, Key=abandoned)["LastModified"]
    for hours, kept in ((23, True), (25, False)):
        with time_machine.travel(made + timedelta(hours=hours), tick=False):
            manager = factories.signed_in(moving_in.clinic.manager)
            response = upload(manager, CLIENTS, "clients", moving_in.location)
            assert response["Location"] == reverse("imports:mapping")
            manager.post(reverse("imports:cancel"))
        assert (abandoned in store.files()) == kept, hours
    assert store.files() == {}, "swept after a day"


def test_a_store_that_is_down_keeps_nothing_says_so_and_a_retry_works(
    moving_in, settings, monkeypatch, s3_server
):
    faulty = FaultyS3(s3_server.endpoint_url)
    try:
        store = in_a_bucket(settings, monkeypatch, faulty.endpoint_url)
        store.endpoint_url = faulty.upstream
        browser = factories.signed_in(moving_in.clinic.owner)
        faulty.failing = True
        response = upload(browser, CLIENTS, "clients", moving_in.location)
        assert response.status_code == 200
        assert NOT_SAVED in html.unescape(response.content.decode())
        assert store.files() == {}
        assert browser.get(reverse("imports:mapping"))["Location"] == reverse("imports:upload")

        faulty.failing = False
        assert upload(browser, CLIENTS, "clients", moving_in.location).status_code == 302
        faulty.failing = True
        response = browser.get(reverse("imports:mapping"), follow=True)
        assert response.redirect_chain[-1][0] == reverse("imports:upload")
        assert NOT_READ in html.unescape(response.content.decode())
        faulty.failing = False
        assert len(store.files()) == 1, "the import is kept while the store is down"
        fixed = CLIENTS.replace(b"0740 01", b"07400 111222")
        upload(browser, fixed, "clients", moving_in.location)
        checked(browser)
        assert browser.post(reverse("imports:check")).status_code == 302
        assert Client.objects.count() == 5
        assert store.files() == {}
    finally:
        faulty.stop()
