"""CSV exports: the right rows, safe cells, the organisation's own data only, the right people."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from needlepoint.accounts.recent import SESSION_KEY
from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.models import Outcome, TreatmentSession, ZoneTreatment
from tests import factories

FORMULA = '=HYPERLINK("http://evil.test","Click")'


def rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "a byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(body[1:])))


def treated(clinic, client, on: date, zones: dict[str, str]) -> TreatmentSession:
    session = TreatmentSession.objects.create(
        client=client,
        location=clinic.location,
        practitioner=clinic.practitioner,
        indication="ind.acne_scars",
        performed_on=on,
    )
    for zone, depth in zones.items():
        ZoneTreatment.objects.create(session=session, zone=zone, depth_mm=Decimal(depth), passes=3)
    return session


@pytest.fixture
def data(moving_in, other_clinic):
    clinic = moving_in.clinic
    ours = factories.client(clinic.organisation, first_name=FORMULA, last_name="Hughes")
    theirs = factories.screened_client(
        other_clinic.organisation, first_name="Outsider", last_name="Person"
    )
    for starts_at in (
        datetime(2027, 3, 2, 10, 0, tzinfo=UTC),
        datetime(2027, 7, 6, 9, 0, tzinfo=UTC),  # 10:00 in London (BST)
    ):
        booking_create(
            client=ours, service=moving_in.consultation, starts_at=starts_at, channel=Channel.STAFF
        )
    other_service = factories.service(other_clinic.location, name="Elsewhere peel")
    booking_create(
        client=theirs,
        service=other_service,
        starts_at=datetime(2027, 3, 2, 10, 0, tzinfo=UTC),
        channel=Channel.STAFF,
    )
    session = treated(
        clinic, ours, date(2027, 2, 1), {"zone.cheeks": "1.00", "zone.forehead": "0.50"}
    )
    treated(clinic, ours, date(2026, 12, 1), {"zone.chin": "1.50"})
    treated(other_clinic, theirs, date(2027, 2, 1), {"zone.cheeks": "2.00"})
    Outcome.objects.create(
        session=session,
        improvement=6,
        notes="-less redness",
        recorded_by=clinic.practitioner.user,
        recorded_at=datetime(2027, 2, 1, 11, 0, tzinfo=UTC),
    )
    return moving_in


def export(browser, kind: str, **dates: str):
    return browser.get(reverse("imports:export_csv", args=[kind]), dates)


def test_clients_export_escapes_formulas_and_holds_only_this_organisation(data):
    response = export(factories.signed_in(data.clinic.owner), "clients")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="clients-')
    assert response["Cache-Control"] == "no-store"
    found = rows(response)
    assert [row["first_name"] for row in found] == [f"'{FORMULA}"]
    assert found[0]["phone"] == "'+447400123456"
    assert found[0]["home_location"] == ""
    event = AuditEvent.objects.get(action=Action.EXPORTED)
    assert (event.target, event.detail["export"]) == (Target.CLIENT, "clients")
    assert event.organisation_id == data.clinic.organisation.pk


def test_bookings_export_in_a_date_range_with_local_times_and_offsets(data):
    browser = factories.signed_in(data.clinic.manager)
    found = rows(export(browser, "bookings", since="2027-07-01", until="2027-07-31"))
    assert [(row["starts_at"], row["ends_at"], row["time_zone"]) for row in found] == [
        ("2027-07-06T10:00:00+01:00", "2027-07-06T10:30:00+01:00", "Europe/London")
    ]
    everything = rows(export(browser, "bookings"))
    assert [row["starts_at"] for row in everything] == [
        "2027-03-02T10:00:00+00:00",
        "2027-07-06T10:00:00+01:00",
    ]
    assert {row["service"] for row in everything} == {"Skin consultation"}
    assert {row["practitioner"] for row in everything} == {"Pat Jones"}


def test_sessions_export_one_row_per_zone_with_its_depth(data):
    browser = factories.signed_in(data.clinic.owner)
    found = rows(export(browser, "sessions", since="2027-01-01"))
    assert [(row["date"], row["zone"], row["depth_mm"], row["passes"]) for row in found] == [
        ("2027-02-01", "zone.cheeks", "1.00", "3"),
        ("2027-02-01", "zone.forehead", "0.50", "3"),
    ]
    ours = data.clinic.organisation.clients.get()
    assert {row["client_id"] for row in found} == {str(ours.public_id)}
    assert "first_name" not in found[0], "the clinical export names no one"


def test_outcomes_export(data):
    found = rows(export(factories.signed_in(data.clinic.owner), "outcomes"))
    assert len(found) == 1
    assert (found[0]["improvement"], found[0]["notes"]) == ("6", "'-less redness")
    assert found[0]["recorded_at"] == "2027-02-01T11:00:00+00:00"


@pytest.mark.parametrize("kind", ["sessions", "outcomes"])
def test_health_exports_ask_for_the_password_again(data, kind):
    browser = factories.signed_in(data.clinic.owner)
    session = browser.session
    session[SESSION_KEY] = 0  # given long ago
    session.save()
    response = export(browser, kind)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm_password"))
    assert not AuditEvent.objects.filter(action=Action.EXPORTED).exists()
    assert export(browser, "bookings").status_code == 200  # not health data


def test_front_desk_and_practitioners_are_refused(data):
    for member in (data.clinic.front_desk, data.clinic.practitioner, data.clinic.trainee):
        browser = factories.signed_in(member)
        assert browser.get(reverse("imports:export")).status_code == 403
        for kind in ("clients", "bookings", "sessions", "outcomes"):
            assert export(browser, kind).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORTED).exists()


def test_the_other_organisations_owner_sees_only_their_own(data, other_clinic):
    browser = factories.signed_in(other_clinic.owner)
    names = [row["first_name"] for row in rows(export(browser, "clients"))]
    assert names == ["Outsider"]
    assert [row["service"] for row in rows(export(browser, "bookings"))] == ["Elsewhere peel"]
    assert [row["depth_mm"] for row in rows(export(browser, "sessions"))] == ["2.00"]
    assert rows(export(browser, "outcomes")) == []


def test_unknown_exports_and_bad_ranges(data):
    browser = factories.signed_in(data.clinic.owner)
    assert export(browser, "photos").status_code == 404
    response = export(browser, "bookings", since="2027-08-01", until="2027-07-01")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("imports:export"))
    page = browser.get(reverse("imports:export"))
    assert page.status_code == 200
    assert b"Treatment sessions" in page.content
