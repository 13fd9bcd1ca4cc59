"""Re-running an appointments import after the clinic moved and cancelled what it brought in:
nothing comes back, with the old system's appointment id or without one."""

from __future__ import annotations

from datetime import UTC, datetime

from django.urls import reverse

from needlepoint.imports.models import ImportedBooking
from needlepoint.privacy.erasure import erasure_request
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_cancel, booking_reschedule
from tests import factories
from tests.imports.conftest import NOW, changed, checked, guessed, row_counts, upload

WITH_IDS = (
    "Booking Ref;Date;Time;Email;Service\n"
    "A-1;02/03/2027;10:00;amelia@example.test;Skin consultation\n"
    "A-2;03/03/2027;11:00;ben@example.test;Skin consultation\n"
    "A-3;04/03/2027;12:00;chloe@example.test;Skin consultation\n"
)
WITHOUT_IDS = "\n".join(line.split(";", 1)[1] for line in WITH_IDS.splitlines()) + "\n"


def clients(moving_in) -> None:
    for name in ("Amelia", "Ben", "Chloe"):
        factories.client(
            moving_in.clinic.organisation, first_name=name, email=f"{name.lower()}@example.test"
        )


def imported(browser, moving_in, rows: str):
    """Upload, check and import ``rows``; the dry run's report."""
    upload(browser, rows.encode(), "appointments", moving_in.location)
    report = checked(browser).context["report"]
    assert report.problems == []
    assert browser.post(reverse("imports:check")).status_code == 302
    return report


def booking_of(first_name: str) -> Booking:
    return Booking.objects.get(client__first_name=first_name, channel=Channel.IMPORT)


def move_one_and_cancel_another() -> None:
    booking_reschedule(
        booking=booking_of("Amelia"), starts_at=datetime(2027, 3, 2, 14, 0, tzinfo=UTC), now=NOW
    )
    booking_cancel(booking=booking_of("Ben"), now=NOW)


def test_with_appointment_ids_a_moved_or_cancelled_booking_is_not_imported_again(moving_in):
    clients(moving_in)
    browser = factories.signed_in(moving_in.clinic.manager)
    upload(browser, WITH_IDS.encode(), "appointments", moving_in.location)
    assert guessed(browser)["appointment_id"] == "0"  # Booking Ref
    first = imported(browser, moving_in, WITH_IDS)
    assert first.created == 3
    links = ImportedBooking.objects.order_by("source_id")
    assert [(link.source_id, link.booking.client.first_name) for link in links] == [
        ("A-1", "Amelia"),
        ("A-2", "Ben"),
        ("A-3", "Chloe"),
    ]
    move_one_and_cancel_another()

    before = row_counts()
    again = imported(browser, moving_in, WITH_IDS)
    assert (again.created, again.matched) == (0, 3)
    assert changed(before, row_counts()) == {"audit.AuditEvent": 1}
    assert booking_of("Amelia").starts_at == datetime(2027, 3, 2, 14, 0, tzinfo=UTC)
    assert booking_of("Ben").status == BookingStatus.CANCELLED


def test_an_appointment_the_old_system_moved_is_matched_by_its_id(moving_in):
    clients(moving_in)
    browser = factories.signed_in(moving_in.clinic.owner)
    imported(browser, moving_in, WITH_IDS)
    moved = WITH_IDS.replace("A-3;04/03/2027;12:00", "A-3;05/03/2027;09:30")
    before = row_counts()
    again = imported(browser, moving_in, moved)
    assert (again.created, again.matched) == (0, 3)
    assert changed(before, row_counts()) == {"audit.AuditEvent": 1}


def test_without_ids_a_moved_or_cancelled_booking_is_recognised_by_its_imported_row(moving_in):
    clients(moving_in)
    browser = factories.signed_in(moving_in.clinic.manager)
    upload(browser, WITHOUT_IDS.encode(), "appointments", moving_in.location)
    assert guessed(browser)["appointment_id"] == ""
    assert imported(browser, moving_in, WITHOUT_IDS).created == 3
    assert {link.source_id for link in ImportedBooking.objects.all()} == {""}
    move_one_and_cancel_another()

    before = row_counts()
    again = imported(browser, moving_in, WITHOUT_IDS)
    assert (again.created, again.matched) == (0, 3)
    assert changed(before, row_counts()) == {"audit.AuditEvent": 1}
    assert Booking.objects.filter(channel=Channel.IMPORT).count() == 3


def test_a_later_file_with_ids_adopts_the_bookings_of_one_without(moving_in):
    clients(moving_in)
    browser = factories.signed_in(moving_in.clinic.manager)
    imported(browser, moving_in, WITHOUT_IDS)
    move_one_and_cancel_another()
    before = row_counts()
    again = imported(browser, moving_in, WITH_IDS)
    assert (again.created, again.matched) == (0, 3)
    assert changed(before, row_counts()) == {"audit.AuditEvent": 1}
    assert ImportedBooking.objects.get(source_id="A-1").booking == booking_of("Amelia")


def test_the_same_appointment_id_twice_in_a_file_is_a_row_problem(moving_in):
    clients(moving_in)
    browser = factories.signed_in(moving_in.clinic.owner)
    twice = WITH_IDS.replace("A-3;", "A-1;")
    upload(browser, twice.encode(), "appointments", moving_in.location)
    problems = checked(browser).context["report"].problems
    assert [(p.row, p.column, p.message) for p in problems] == [
        (4, "Booking Ref", "The same appointment id as row 2.")
    ]


def test_an_erased_client_keeps_no_link_to_the_old_systems_appointment_ids(moving_in):
    clients(moving_in)
    browser = factories.signed_in(moving_in.clinic.owner)
    imported(browser, moving_in, WITH_IDS)
    amelia = booking_of("Amelia").client
    erasure_request(amelia, by=moving_in.clinic.owner.user, reason="The client asked us to.")
    assert sorted(ImportedBooking.objects.values_list("source_id", flat=True)) == ["A-2", "A-3"]
