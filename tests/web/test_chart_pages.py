"""The chart pages as a practitioner uses them, and who may reach them."""

from __future__ import annotations

import html
import io
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.clinics.models import NeedleConfiguration
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import AdverseEvent, Photo, TreatmentSession
from needlepoint.treatments.services import (
    addendum_add,
    adverse_event_record,
    cartridge_use,
    outcome_record,
    photo_add,
    session_complete,
    session_details_record,
    session_start,
    zone_record,
)
from tests import factories

VISIT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("at_the_visit")


@pytest.fixture
def at_the_visit() -> Iterator[None]:
    """Every page is asked for at the visit, whatever the real date."""
    with time_machine.travel(VISIT, tick=False):
        yield


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (210, 160, 150)).save(out, format="JPEG")
    return out.getvalue()


def signed_in(member) -> Browser:
    return factories.signed_in(member)


@pytest.fixture
def booked(clinic):
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation)
    booking = booking_create(
        client=client,
        service=offered,
        starts_at=VISIT,
        channel=Channel.STAFF,
        now=VISIT - timedelta(days=1),
    )
    NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin nano", needle_count=12
    )
    return clinic, booking


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_practitioner_charts_a_session_through_the_pages(booked):
    clinic, booking = booked
    with time_machine.travel(VISIT, tick=False):
        browser = signed_in(clinic.practitioner)
        response = browser.post(reverse("treatments:open", args=[booking.public_id]))
        session = TreatmentSession.objects.get(booking=booking)
        chart_url = reverse("treatments:chart", args=[session.public_id])
        assert response["Location"] == chart_url
        assert "Before photos taken" in page(browser.get(chart_url))

        def act(action: str, data: dict, **extra) -> str:
            url = reverse("treatments:action", args=[session.public_id, action])
            return page(browser.post(url, data, follow=True, **extra))

        act(
            "photo",
            {"view": "front", "timing": "before", "image": io.BytesIO(jpeg())},
        )
        shown = act(
            "details",
            {
                "numbing_product": "LMX4",
                "numbing_applied_at": "09:25",
                "speed": "6,000",
                "speed_unit": "per_minute",
            },
        )
        assert "Pen speed: 6,000 strokes/min = 100 Hz." in shown
        shown = act("zone", {"zone": "zone.cheeks", "depth_mm": "1.5", "passes": 3})
        assert "Saved." in shown
        refused = act("zone", {"zone": "zone.forehead", "depth_mm": "1.5", "passes": 3})
        assert "too deep for the forehead" in refused
        configuration = NeedleConfiguration.objects.get()
        act(
            "cartridge",
            {
                "configuration": configuration.pk,
                "serial": "SN-1",
                "lot": "L-42",
                "expires_on": "2027-05-01",
            },
        )
        shown = page(browser.get(chart_url))
        assert "1440/cm²" in shown  # 12 needles x 100/s / (5 cm/s x 0.5 cm) x 3 passes
        signed = act("complete", {})
        assert "Chart signed and locked." in signed
        assert "Next session on these zones from 22 December 2026." in signed
        assert "Add addendum" in signed
        act("addendum", {"text": "Client reported mild tightness only."})
        pdf = browser.get(reverse("treatments:session_pdf", args=[session.public_id]))
    session.refresh_from_db()
    booking.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert booking.status == BookingStatus.COMPLETED
    assert session.addenda.get().text == "Client reported mild tightness only."
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_live_depth_check_warns_and_blocks(booked):
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    browser = signed_in(clinic.practitioner)
    url = reverse("treatments:depth_check", args=[session.public_id])
    assert "Past the limit" in page(browser.get(url, {"zone": "zone.forehead", "depth_mm": "1.5"}))
    assert "Check:" in page(browser.get(url, {"zone": "zone.nose", "depth_mm": "0.75"}))
    assert "usual range" in page(browser.get(url, {"zone": "zone.cheeks", "depth_mm": "1.5"}))


def test_the_depth_check_on_the_forehead_never_suggests_more_than_its_cap(booked):
    """Acne scars are usually 1 to 2.5 mm; the forehead's cap is 1 mm (issue 17)."""
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    assert session.indication == "ind.acne_scars"
    browser = signed_in(clinic.practitioner)
    url = reverse("treatments:depth_check", args=[session.public_id])
    chart = page(
        browser.get(
            reverse("treatments:chart", args=[session.public_id]), {"zone": "zone.forehead"}
        )
    )
    assert "Usual for atrophic acne scars here: up to 1 mm (the zone&#x27;s limit)." in chart
    for depth in ("", "0.25", "0.5", "0.75", "1", "1.0"):
        shown = page(browser.get(url, {"zone": "zone.forehead", "depth_mm": depth}))
        assert "up to 1 mm (the zone&#x27;s limit)" in shown
        text = html.unescape(re.sub(r"<[^>]+>", " ", shown))
        numbers = [float(n) for n in re.findall(r"\d+(?:\.\d+)?", text)]
        assert numbers and max(numbers) <= 1.0, text


@pytest.mark.parametrize(
    ("speed", "unit", "problem"),
    [
        ("0", "hz", "must be above 0"),
        ("-6000", "per_minute", "must be above 0"),
        ("25,000", "per_minute", "faster than 20,000 strokes per minute"),
        ("400", "per_second", "faster than 20,000 strokes per minute"),
        ("30", "per_minute", "slower than 1 Hz"),
    ],
)
def test_a_pen_speed_that_cannot_be_right_is_refused_on_the_chart(booked, speed, unit, problem):
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    browser = signed_in(clinic.practitioner)
    url = reverse("treatments:action", args=[session.public_id, "details"])
    shown = page(browser.post(url, {"speed": speed, "speed_unit": unit}, follow=True))
    assert "Pen speed: " in shown and problem in shown
    session.refresh_from_db()
    assert session.speed_hz is None


@pytest.mark.parametrize(
    ("speed", "unit", "hz", "said"),
    [
        ("100", "hz", 100, "100 Hz = 6,000 strokes/min"),
        ("100", "per_second", 100, "100 strokes/s = 100 Hz = 6,000 strokes/min"),
        ("7000", "per_minute", 117, "7,000 strokes/min = 116.7 Hz"),
    ],
)
def test_a_pen_speed_in_any_unit_is_kept_in_hz_and_shown_converted(booked, speed, unit, hz, said):
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    browser = signed_in(clinic.practitioner)
    url = reverse("treatments:action", args=[session.public_id, "details"])
    shown = page(browser.post(url, {"speed": speed, "speed_unit": unit}, follow=True))
    assert f"Pen speed: {said}." in shown
    session.refresh_from_db()
    assert session.speed_hz == hz
    assert f"Recorded: {hz} Hz = {hz * 60:,} strokes/min." in shown


def test_the_front_desk_cannot_open_charts_or_photos(booked):
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    photo = photo_add(
        session=session, view="front", timing="before", data=jpeg(), by=clinic.practitioner.user
    )
    browser = signed_in(clinic.front_desk)
    assert browser.get(reverse("treatments:chart", args=[session.public_id])).status_code == 403
    assert (
        browser.get(reverse("treatments:photo", args=[photo.public_id, "full"])).status_code == 403
    )


def test_another_clinic_cannot_reach_a_chart_a_photo_or_a_summary(booked, other_clinic):
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    photo = photo_add(
        session=session, view="front", timing="before", data=jpeg(), by=clinic.practitioner.user
    )
    outsider = signed_in(other_clinic.practitioner)
    for url in (
        reverse("treatments:chart", args=[session.public_id]),
        reverse("treatments:photo", args=[photo.public_id, "full"]),
        reverse("treatments:session_pdf", args=[session.public_id]),
        reverse("treatments:compare", args=[booking.client.public_id]),
    ):
        assert outsider.get(url).status_code == 404, url


def test_a_chart_is_reached_only_from_the_staff_members_own_locations(booked):
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    url = reverse("treatments:chart", args=[session.public_id])
    elsewhere = factories.staff_member(
        clinic.organisation, "practitioner", factories.location(clinic.organisation, "Quay Road")
    )
    assert signed_in(elsewhere).get(url).status_code == 404
    assert signed_in(clinic.owner).get(url).status_code == 200  # the owner sees every location
    assert signed_in(clinic.practitioner).get(f"/sessions/{uuid.uuid4()}/").status_code == 404


def test_opening_a_chart_records_who_viewed_it(booked):
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    page(signed_in(clinic.practitioner).get(reverse("treatments:chart", args=[session.public_id])))
    viewed = AuditEvent.objects.get(action=Action.VIEWED, target=Target.CHART)
    assert viewed.target_id == str(session.public_id)
    assert viewed.client_id == booking.client_id
    assert viewed.actor == clinic.practitioner.user.email


def test_photos_are_served_privately_to_the_clinic(booked):
    clinic, booking = booked
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    photo = photo_add(
        session=session, view="front", timing="before", data=jpeg(), by=clinic.practitioner.user
    )
    response = signed_in(clinic.practitioner).get(
        reverse("treatments:photo", args=[photo.public_id, "thumb"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "no-store"
    assert (
        Browser().get(reverse("treatments:photo", args=[photo.public_id, "full"])).status_code
        == 302
    )


# What a chart costs, signing in included, whatever its number of rows: the session with
# its rows takes five statements, the checklist's consents two; an open chart checks more.
OPEN_CHART_QUERIES = 15
SIGNED_CHART_QUERIES = 13


def chart_a_session(clinic, booking, on: datetime, *, zones: int, photos: int) -> TreatmentSession:
    """Another session of the same treatment for the same client, charted."""
    booking = booking_create(
        client=booking.client,
        service=booking.service,
        starts_at=on,
        channel=Channel.STAFF,
        now=on - timedelta(days=1),
        override_reason="course in a test",
        by=clinic.practitioner.user,
    )
    user = clinic.practitioner.user
    session = session_start(booking=booking, by=user, now=on)
    session_details_record(
        session=session, by=user, numbing_product="LMX4", numbing_applied_at=on - timedelta(hours=1)
    )
    for n in range(photos):
        view = ["front", "left_45", "right_45", "left_90", "right_90"][n % 5]
        photo_add(session=session, view=view, timing="before", data=jpeg(), by=user, now=on)
    for zone in ["zone.cheeks", "zone.chin", "zone.jawline", "zone.nose"][:zones]:
        zone_record(session=session, zone=zone, depth_mm="0.5", by=user, now=on)
    return session


def test_the_chart_costs_the_same_queries_for_one_or_many_zones_and_photos(booked):
    clinic, booking = booked
    browser = signed_in(clinic.practitioner)
    small = chart_a_session(clinic, booking, VISIT + timedelta(days=1), zones=1, photos=1)
    large = chart_a_session(clinic, booking, VISIT + timedelta(days=63), zones=4, photos=5)
    counts = []
    for session in (small, large):
        with CaptureQueriesContext(connection) as queries:
            page(browser.get(reverse("treatments:chart", args=[session.public_id])))
        counts.append(len(queries))
    assert counts == [OPEN_CHART_QUERIES, OPEN_CHART_QUERIES]


def test_a_signed_chart_costs_the_same_queries_for_one_or_many_of_each_row(booked):
    clinic, booking = booked
    user = clinic.practitioner.user
    browser = signed_in(clinic.practitioner)
    sessions = []
    for rows, on in ((1, VISIT + timedelta(days=1)), (4, VISIT + timedelta(days=63))):
        session = chart_a_session(clinic, booking, on, zones=rows, photos=rows)
        for n in range(rows):
            cartridge_use(
                session=session,
                configuration=NeedleConfiguration.objects.get(),
                serial=f"S-{on:%j}-{n}",
                lot="L-1",
                expires_on=date(2027, 12, 1),
                by=user,
                now=on,
            )
        session_complete(session=session, by=user, now=on)
        outcome_record(session=session, by=user, improvement=3, scar_grade=2)
        for n in range(rows):
            addendum_add(session=session, text=f"Addendum {n}", by=user, now=on)
        sessions.append((rows, session))
    counts = []
    for rows, session in sessions:
        for _ in range(rows - len(AdverseEvent.objects.filter(client=booking.client))):
            adverse_event_record(
                client=booking.client,
                kind="ae.pih",
                zones=["zone.chin"],
                grade=1,
                onset_on=date(2027, 3, 1),
                by=user,
            )
        with CaptureQueriesContext(connection) as queries:
            shown = page(browser.get(reverse("treatments:chart", args=[session.public_id])))
        assert shown.count("Addendum ") == rows
        counts.append(len(queries))
    assert counts == [SIGNED_CHART_QUERIES, SIGNED_CHART_QUERIES]


def test_the_client_page_shows_progress_and_costs_the_same_for_more_sessions(booked):
    clinic, booking = booked
    client = booking.client
    browser = signed_in(clinic.practitioner)
    url = reverse("clients:detail", args=[client.public_id])
    first = chart_a_session(clinic, booking, VISIT + timedelta(days=1), zones=1, photos=1)
    outcome_record(session=first, by=clinic.practitioner.user, improvement=3, scar_grade=3)
    with CaptureQueriesContext(connection) as one:
        shown = page(browser.get(url))
    assert "Progress" in shown and "Results expected" in shown
    for weeks in (5, 10):
        later = chart_a_session(clinic, booking, VISIT + timedelta(weeks=weeks), zones=2, photos=2)
        outcome_record(session=later, by=clinic.practitioner.user, improvement=weeks // 2)
    with CaptureQueriesContext(connection) as three:
        page(browser.get(url))
    assert len(one) == len(three)


def test_the_comparison_puts_two_sessions_photos_side_by_side(booked):
    clinic, booking = booked
    client = booking.client
    first = chart_a_session(clinic, booking, VISIT + timedelta(days=1), zones=1, photos=1)
    last = chart_a_session(clinic, booking, VISIT + timedelta(days=63), zones=1, photos=1)
    shown = page(
        signed_in(clinic.practitioner).get(
            reverse("treatments:compare", args=[client.public_id]), {"view": "front"}
        )
    )
    for session in (first, last):
        photo = Photo.objects.get(session=session)
        assert reverse("treatments:photo", args=[photo.public_id, "full"]) in shown
    assert "data-photo-slider" in shown


def test_a_signed_chart_offers_no_editing(booked):
    clinic, booking = booked
    user = clinic.practitioner.user
    clinic.organisation.checklist_blocking = []
    clinic.organisation.save()
    session = session_start(booking=booking, by=user, now=VISIT)
    zone_record(session=session, zone="zone.cheeks", depth_mm="1.0", by=user, now=VISIT)
    session.cartridges.create(
        organisation=clinic.organisation,
        configuration=NeedleConfiguration.objects.get(),
        serial="Z-1",
        lot="L",
        expires_on=date(2027, 1, 1),
    )
    session_complete(session=session, by=user, now=VISIT)
    shown = page(
        signed_in(clinic.practitioner).get(reverse("treatments:chart", args=[session.public_id]))
    )
    assert "Record cartridge" not in shown
    assert "Upload photo" not in shown
    assert "Complete and sign" not in shown
    assert "Add addendum" in shown


def test_the_client_page_shows_a_chart_opened_before_any_zone_is_needled(booked):
    clinic, booking = booked
    session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    shown = page(
        signed_in(clinic.practitioner).get(
            reverse("clients:detail", args=[booking.client.public_id])
        )
    )
    assert "Open" in shown


def test_the_course_summary_covers_every_session_of_the_indication(booked):
    clinic, booking = booked
    chart_a_session(clinic, booking, VISIT + timedelta(days=1), zones=2, photos=1)
    chart_a_session(clinic, booking, VISIT + timedelta(days=63), zones=1, photos=1)
    response = signed_in(clinic.practitioner).get(
        reverse("treatments:course_pdf", args=[booking.client.public_id, "ind.acne_scars"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"


def test_an_oversized_upload_is_refused_before_it_is_read(booked, settings):
    clinic, booking = booked
    settings.PHOTO_MAX_BYTES = 1000
    session = session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)
    url = reverse("treatments:action", args=[session.public_id, "photo"])
    shown = page(
        signed_in(clinic.practitioner).post(
            url, {"view": "front", "timing": "before", "image": io.BytesIO(jpeg())}, follow=True
        )
    )
    assert "too large" in shown
    assert not session.photos.exists()


FOLLOW_UP = "Tranexamic acid cream twice daily; review in two weeks."


def a_clinical_record(clinic, booking) -> TreatmentSession:
    """Two charted sessions with photos and outcomes, and an adverse event with a note."""
    user = clinic.practitioner.user
    first = chart_a_session(clinic, booking, VISIT + timedelta(days=1), zones=2, photos=1)
    outcome_record(session=first, by=user, improvement=3, scar_grade=3)
    later = chart_a_session(clinic, booking, VISIT + timedelta(weeks=6), zones=2, photos=1)
    outcome_record(session=later, by=user, improvement=6)
    adverse_event_record(
        client=booking.client,
        kind="ae.pih",
        zones=["zone.cheeks"],
        grade=2,
        onset_on=date(2026, 12, 1),
        by=user,
        follow_up=FOLLOW_UP,
    )
    return later


CLINICAL_CONTENT = (
    "0.50 mm",  # depths
    "Cheeks",  # zone names
    "Chin",
    FOLLOW_UP,  # adverse event notes
    "Hyperpigmentation (PIH)",
    'id="ae-heading"',
    'id="sessions-heading"',
    'id="progress-heading"',  # the progress chart
    "Results expected",
    "<svg",
    "Compare photos",
    "/sessions/",  # links to charts and their PDFs
)


def test_the_front_desks_client_page_holds_no_clinical_content(booked):
    clinic, booking = booked
    a_clinical_record(clinic, booking)
    url = reverse("clients:detail", args=[booking.client.public_id])
    desk = page(signed_in(clinic.front_desk).get(url))
    assert booking.client.email in desk  # contact details, bookings and screening stay
    assert "Bookings and courses" in desk and "Screening" in desk
    assert "in the clinical record, for clinical staff" in desk
    for shown in CLINICAL_CONTENT:
        assert shown not in desk, shown
    practitioner = page(signed_in(clinic.practitioner).get(url))
    for shown in CLINICAL_CONTENT:
        assert shown in practitioner, shown
    assert "for clinical staff" not in practitioner


@pytest.mark.parametrize("role", ["owner", "manager", "trainee"])
def test_every_clinical_role_sees_the_clinical_record_on_the_client_page(booked, role):
    clinic, booking = booked
    a_clinical_record(clinic, booking)
    url = reverse("clients:detail", args=[booking.client.public_id])
    shown = page(signed_in(getattr(clinic, role)).get(url))
    assert "0.50 mm" in shown and FOLLOW_UP in shown and "Results expected" in shown


def test_the_front_desks_client_page_costs_the_same_queries_for_more_sessions(booked):
    clinic, booking = booked
    browser = signed_in(clinic.front_desk)
    url = reverse("clients:detail", args=[booking.client.public_id])
    chart_a_session(clinic, booking, VISIT + timedelta(weeks=12), zones=1, photos=1)
    with CaptureQueriesContext(connection) as one:
        page(browser.get(url))
    a_clinical_record(clinic, booking)
    with CaptureQueriesContext(connection) as more:
        page(browser.get(url))
    assert len(one) == len(more)


def test_the_booking_page_names_an_open_adverse_event_to_clinical_staff_only(booked):
    clinic, booking = booked
    a_clinical_record(clinic, booking)
    url = reverse("scheduling:booking", args=[booking.public_id])
    shown = page(signed_in(clinic.practitioner).get(url))
    assert "Open adverse event" in shown
    assert "Hyperpigmentation (PIH) (G2) since 1 Dec 2026" in shown  # its name, not ae.pih
    assert "Open adverse event" not in page(signed_in(clinic.front_desk).get(url))


def test_the_comparison_offers_only_sessions_at_the_practitioners_own_locations(booked):
    clinic, booking = booked
    here = chart_a_session(clinic, booking, VISIT + timedelta(days=1), zones=1, photos=1)
    elsewhere = factories.location(clinic.organisation, name="Seafront")
    colleague = factories.staff_member(clinic.organisation, "practitioner", elsewhere)
    there = TreatmentSession.objects.create(
        client=booking.client,
        location=elsewhere,
        practitioner=colleague,
        indication="ind.acne_scars",
        performed_on=date(2027, 1, 12),
    )
    photo_add(session=there, view="front", timing="before", data=jpeg(), by=colleague.user)
    url = reverse("treatments:compare", args=[booking.client.public_id])
    theirs = page(signed_in(colleague).get(url, {"a": str(here.public_id)}))
    assert str(there.public_id) in theirs
    assert str(here.public_id) not in theirs
    assert "24 Nov 2026" not in theirs and "25 Nov 2026" not in theirs
    for photo in Photo.objects.filter(session=here):
        assert str(photo.public_id) not in theirs
    owners = page(signed_in(clinic.owner).get(url))
    assert str(here.public_id) in owners and str(there.public_id) in owners


def test_a_zone_is_charted_in_segments_on_the_page_and_one_is_taken_back(booked):
    clinic, booking = booked
    with time_machine.travel(VISIT, tick=False):
        browser = signed_in(clinic.practitioner)
        browser.post(reverse("treatments:open", args=[booking.public_id]))
        session = TreatmentSession.objects.get(booking=booking)

        def act(action: str, data: dict) -> str:
            url = reverse("treatments:action", args=[session.public_id, action])
            return page(browser.post(url, data, follow=True))

        act("photo", {"view": "front", "timing": "before", "image": io.BytesIO(jpeg())})
        act("details", {"numbing_product": "LMX4", "numbing_applied_at": "09:25"})
        act(
            "cartridge",
            {
                "configuration": NeedleConfiguration.objects.get().pk,
                "serial": "SN-7",
                "lot": "L-42",
                "expires_on": "2027-05-01",
            },
        )
        cartridge = session.cartridges.get()
        act(
            "zone",
            {"zone": "zone.cheeks", "depth_mm": "1.5", "passes": 2, "cartridge": cartridge.pk},
        )
        shown = act("zone", {"zone": "zone.cheeks", "depth_mm": "0.5", "passes": 4})
        assert "Charted so far: 1.50 mm × 2, 0.50 mm × 4." in shown
        deep, shallow = session.zones.order_by("pk")
        assert deep.cartridge == cartridge and shallow.cartridge is None
        shown = act("segment-remove", {"segment": shallow.pk})
        assert list(session.zones.all()) == [deep]
        assert "Remove Cheeks at 1.50 mm" in shown
        refused = act("segment-remove", {"segment": shallow.pk})
        assert "That segment is not on this chart." in refused
