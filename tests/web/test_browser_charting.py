"""A practitioner charts a whole session in a real browser, then compares photos."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from PIL import Image, ImageDraw

from needlepoint.clinics.models import NeedleConfiguration
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.choices import SessionStatus
from needlepoint.treatments.models import TreatmentSession
from needlepoint.treatments.services import photo_add, session_start
from tests import factories
from tests.browser import checked

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # Tuesday; London is on UTC in November


def photo_bytes(tint: tuple[int, int, int]) -> bytes:
    picture = Image.new("RGB", (600, 800), (236, 232, 228))
    ImageDraw.Draw(picture).ellipse((120, 100, 480, 640), fill=tint)
    out = io.BytesIO()
    picture.save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def visit():
    clinic = factories.clinic()
    offered = factories.service(clinic.location)
    client = factories.screened_client(clinic.organisation, first_name="Maya")
    booking = booking_create(
        client=client,
        service=offered,
        starts_at=VISIT,
        channel=Channel.STAFF,
        now=VISIT - timedelta(days=2),
    )
    NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin nano", needle_count=12
    )
    return clinic, booking


def sign_in(page, base: str, member) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(member.user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    factories.authenticator(member.user)
    page.get_by_role("button", name="Sign in").click()
    factories.give_code_in_browser(page, member.user)
    page.get_by_role("link", name="Today").wait_for()


def chart_zone(page, zone: str, depth: str) -> None:
    page.get_by_role("link", name=zone, exact=True).first.click()
    page.locator("form.zone-form h3", has_text=zone).wait_for()
    page.get_by_label("Needle depth (mm)").fill(depth)
    page.locator("#depth-check p.depth-check").wait_for()


def test_a_practitioner_charts_a_full_session(page, live_server, visit):
    clinic, booking = visit
    base = live_server.url
    with time_machine.travel(VISIT - timedelta(minutes=40), tick=True):
        sign_in(page, base, clinic.practitioner)
        page.goto(f"{base}/bookings/{booking.public_id}/")
        page.get_by_role("button", name="Start the chart").click()
        page.get_by_role("heading", name="Before needling").wait_for()
        checklist = page.locator(".checklist")
        assert "Take the standard before photos." in checklist.inner_text()

        page.get_by_label("View").select_option("front")
        page.get_by_label("Photo (camera or file; JPEG, PNG or WebP)").set_input_files(
            {"name": "front.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes((222, 180, 160))}
        )
        page.get_by_role("button", name="Upload photo").click()
        page.get_by_role("img", name="Before, Front").wait_for()

        page.get_by_label("Numbing product").fill("LMX4")
        page.get_by_label("Numbing on at (local time)").fill("08:45")
        page.get_by_label("Pen speed", exact=True).fill("100")
        page.get_by_label("Unit", exact=True).select_option("hz")
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_text("Saved.").wait_for()
        page.get_by_text("Ready: zones can be charted.").wait_for()

        chart_zone(page, "Cheeks", "1.5")
        assert "usual range" in page.locator("#depth-check").inner_text()
        checked(page, "chart-zone-form")
        page.get_by_role("button", name="Save cheeks").click()
        page.get_by_text("Saved.").wait_for()

        chart_zone(page, "Nose", "0.75")
        assert "Check:" in page.locator("#depth-check").inner_text()  # the depth warning
        page.get_by_label("Endpoint reached").select_option("erythema")
        page.get_by_role("button", name="Save nose").click()
        page.get_by_text("Saved.").wait_for()

        chart_zone(page, "Chin", "1.0")
        page.get_by_role("button", name="Save chin").click()
        page.get_by_text("Saved.").wait_for()
        assert page.locator("table .badge.warn").count() == 1

        page.get_by_label("Cartridge type").select_option(label="12-pin nano")
        page.get_by_label("Serial (as printed or scanned)").fill("CT-5521")
        page.get_by_label("Lot number").fill("L2611-F")
        page.get_by_label("Lot expiry").fill("2027-09-30")
        page.get_by_role("button", name="Record cartridge").click()
        page.get_by_text("lot L2611-F").wait_for()

        chart_zone(page, "Cheeks", "0.5")  # a second, shallower pass over the whole cheek
        assert "Charted so far: 1.50 mm × 3." in page.locator("form.zone-form").inner_text()
        page.get_by_label("Cartridge used").select_option(label="12-pin nano · CT-5521")
        page.get_by_role("button", name="Save cheeks segment").click()
        page.get_by_text("Saved.").wait_for()
        assert page.get_by_role("button", name="Remove Cheeks at 1.50 mm").count() == 1
        assert page.get_by_role("button", name="Remove Cheeks at 0.50 mm").count() == 1
        checked(page, "chart-open")

        page.get_by_role("button", name="Complete and sign").click()
        page.get_by_text("Chart signed and locked.").wait_for()
        assert "Next session on these zones from 22 December 2026." in page.content()
        page.get_by_label("Addendum").fill("Nose was 0.5 mm on the bridge, 0.75 on the tip.")
        page.get_by_role("button", name="Add addendum").click()
        page.get_by_text("Nose was 0.5 mm on the bridge").wait_for()
        checked(page, "chart-signed")

    session = TreatmentSession.objects.get(booking=booking)
    booking.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert booking.status == BookingStatus.COMPLETED
    assert sorted(session.zones.values_list("zone", "depth_mm")) == [
        ("zone.cheeks", Decimal("0.50")),
        ("zone.cheeks", Decimal("1.50")),
        ("zone.chin", Decimal("1.00")),
        ("zone.nose", Decimal("0.75")),
    ]
    assert session.cartridges.get().lot == "L2611-F"
    assert session.addenda.count() == 1


def test_the_comparison_view_shows_two_sessions_side_by_side_and_with_a_slider(
    page, live_server, visit
):
    clinic, booking = visit
    user = clinic.practitioner.user
    first = session_start(booking=booking, by=user, now=VISIT)
    photo_add(
        session=first, view="front", timing="before", data=photo_bytes((222, 170, 150)), by=user
    )
    later = booking_create(
        client=booking.client,
        service=booking.service,
        starts_at=VISIT + timedelta(weeks=6),
        channel=Channel.STAFF,
        now=VISIT,
    )
    second = session_start(booking=later, by=user, now=VISIT + timedelta(weeks=6))
    photo_add(
        session=second, view="front", timing="before", data=photo_bytes((232, 196, 178)), by=user
    )
    sign_in(page, live_server.url, clinic.practitioner)
    page.goto(f"{live_server.url}/clients/{booking.client.public_id}/photos/compare/")
    page.get_by_role("heading", name="Side by side").wait_for()
    assert page.get_by_label("Earlier session").input_value() == str(first.public_id)
    assert page.get_by_label("Later session").input_value() == str(second.public_id)
    for image in page.locator(".side-by-side img").all():
        assert image.evaluate("image => image.complete && image.naturalWidth > 0")
    slider = page.get_by_label("Earlier ← → later")
    slider.fill("80")
    reveal = page.locator("[data-photo-slider]").evaluate(
        "element => element.style.getPropertyValue('--reveal')"
    )
    assert reveal == "20%"
    checked(page, "chart-compare")
