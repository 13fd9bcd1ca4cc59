"""A client's data: the export for their right of access, erasure that keeps the chart, purge."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client as Browser
from django.urls import reverse
from PIL import Image

from needlepoint.accounts.access import PORTAL_CLIENT_KEY
from needlepoint.audit.choices import Action
from needlepoint.audit.models import AuditEvent
from needlepoint.clients.models import Client, MarketingConsent
from needlepoint.clients.newsletter import newsletter_confirm, newsletter_sign_up
from needlepoint.clients.photo_consent import photo_consent_give
from needlepoint.clinics.models import NeedleConfiguration
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm, SignedConsent
from needlepoint.consents.services import consent_form_publish, consent_sign
from needlepoint.core.errors import DomainError
from needlepoint.notifications.choices import MessageStatus
from needlepoint.notifications.models import Message
from needlepoint.privacy.erasure import ERASED_BIRTH_DATE, erasure_request, purge_due
from needlepoint.privacy.export import client_export_zip
from needlepoint.public.portal import portal_link_create
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.models import Photo, TreatmentSession
from needlepoint.treatments.services import (
    addendum_add,
    adverse_event_record,
    cartridge_use,
    outcome_record,
    photo_add,
    session_complete,
    session_start,
    zone_record,
)
from tests import factories

BOOKED_AT = datetime(2026, 11, 23, 8, tzinfo=UTC)
VISIT = datetime(2026, 11, 24, 10, tzinfo=UTC)  # Tuesday; London is on UTC
ERASED = datetime(2026, 12, 1, 9, tzinfo=UTC)
KEPT_UNTIL = date(2034, 11, 24)  # 8 years after the last treatment
WORDING = "Microneedling makes tiny punctures in the skin. Redness for 1–3 days is expected."
NAME, SURNAME, EMAIL, PHONE = "Dana", "Whitfield", "dana.whitfield@example.test", "+447700900123"


@dataclass
class Record:
    clinic: factories.Clinic
    client: Client
    session: TreatmentSession
    upcoming: Booking


def jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def record(clinic) -> Record:
    """A client with a signed chart (photos, cartridge, outcome, addendum, adverse event),
    a signed consent, newsletter and photo consents, and a booking still to come."""
    clinic.organisation.checklist_blocking = []
    clinic.organisation.save()
    offered = factories.service(clinic.location)
    client = factories.screened_client(
        clinic.organisation, first_name=NAME, last_name=SURNAME, email=EMAIL, phone=PHONE
    )
    user = clinic.practitioner.user
    booking = booking_create(
        client=client, service=offered, starts_at=VISIT, channel=Channel.STAFF, now=BOOKED_AT
    )
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Microneedling")
    consent_sign(
        client=client,
        form_version=consent_form_publish(form=form, text=WORDING),
        kind=SignatureKind.TYPED,
        typed_name=f"{NAME} {SURNAME}",
        ip_address="203.0.113.7",
        now=BOOKED_AT,
    )
    newsletter_confirm(
        consent=newsletter_sign_up(
            organisation=clinic.organisation, email=EMAIL, source="booking form", now=BOOKED_AT
        ),
        now=BOOKED_AT + timedelta(minutes=5),
    )
    photo_consent_give(client=client, source="front desk, on paper", now=VISIT)
    session = session_start(booking=booking, by=user, now=VISIT)
    for timing, colour in (("before", (200, 150, 140)), ("after", (220, 120, 120))):
        photo_add(
            session=session, view="front", timing=timing, data=jpeg(colour), by=user, now=VISIT
        )
    zone_record(session=session, zone="zone.cheeks", depth_mm="1.5", by=user, now=VISIT)
    configuration = NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin nano", needle_count=12
    )
    cartridge_use(
        session=session,
        configuration=configuration,
        serial="C-1",
        lot="L-7",
        expires_on=date(2027, 6, 1),
        by=user,
        now=VISIT,
    )
    outcome_record(session=session, by=user, improvement=6, now=VISIT)
    session_complete(session=session, by=user, now=VISIT + timedelta(minutes=45))
    addendum_add(session=session, text="Cheeks were 1.25 mm.", by=user, now=VISIT)
    upcoming = booking_create(
        client=client,
        service=offered,
        starts_at=datetime(2027, 1, 5, 10, tzinfo=UTC),
        channel=Channel.STAFF,
        now=ERASED - timedelta(days=1),
    )
    adverse_event_record(
        client=client,
        session=session,
        kind="ae.pih",
        grade=1,
        zones=["zone.cheeks"],
        onset_on=date(2026, 11, 30),
        by=user,
    )
    portal_link_create(organisation=clinic.organisation, email=EMAIL, now=ERASED)
    session.refresh_from_db()
    return Record(clinic, Client.objects.get(pk=client.pk), session, upcoming)


def signed_in(member) -> Browser:
    return factories.signed_in(member)


def opened(content: bytes) -> tuple[zipfile.ZipFile, dict]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    return archive, json.loads(archive.read("client.json"))


def erase(record: Record, **changes) -> Client:
    values = {"by": record.clinic.owner.user, "reason": "Emailed request of 1 Dec", "now": ERASED}
    return erasure_request(record.client, **(values | changes))


# --- export ---------------------------------------------------------------------------------


def test_the_export_holds_every_record_photo_and_pdf_of_the_client(record):
    archive, data = opened(client_export_zip(record.client))
    names = archive.namelist()
    assert {"README.txt", "client.json"} <= set(names)
    assert "photos/" in archive.read("README.txt").decode()
    assert data["client"]["email"] == EMAIL and data["client"]["last_name"] == SURNAME
    newsletter, photos = data["marketing_consents"]
    assert (newsletter["channel"], newsletter["address"]) == ("email", EMAIL)
    assert "newsletter" in newsletter["wording"] and newsletter["confirmed_at"]
    assert photos["channel"] == "photos" and "photos of my treated skin" in photos["wording"]
    assert photos["requested_at"] == VISIT.isoformat()
    (history,) = data["medical_history"]
    assert history["answers"] and history["version"] == 1
    assert data["screenings"][0]["outcome"] == "cleared"
    first, later = data["bookings"]
    assert first["status"] == BookingStatus.COMPLETED
    assert [event["kind"] for event in first["events"]][:2] == ["created", "checked_in"]
    assert later["status"] == BookingStatus.BOOKED
    (session,) = data["treatment_sessions"]
    assert (
        session["zones"][0]["zone"] == "zone.cheeks" and session["zones"][0]["depth_mm"] == "1.50"
    )
    assert session["cartridges"][0]["lot"] == "L-7"
    assert session["outcome"]["improvement"] == 6
    assert session["addenda"][0]["text"] == "Cheeks were 1.25 mm."
    assert data["adverse_events"][0]["kind"] == "ae.pih"
    (signed,) = data["signed_consents"]
    assert signed["text"] == WORDING and signed["signed_at"] == BOOKED_AT.isoformat()
    assert data["messages"] and all(m["recipient"] == EMAIL for m in data["messages"])
    for photo in Photo.objects.filter(session=record.session):
        name = next(p["file"] for p in session["photos"] if p["timing"] == photo.timing)
        assert archive.read(name) == Path(photo.image.path).read_bytes()
    assert len([n for n in names if n.startswith("photos/")]) == 2
    assert names.count(signed["pdf"]) == 1 and signed["pdf"].startswith("consents/")
    assert session["pdf"] == "sessions/2026-11-24.pdf"
    for pdf in (signed["pdf"], session["pdf"]):
        assert archive.read(pdf).startswith(b"%PDF")


def test_an_owner_or_manager_downloads_the_export_and_it_is_audited(record):
    for member in (record.clinic.owner, record.clinic.manager):
        response = signed_in(member).get(reverse("clients:export", args=[record.client.public_id]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Whitfield" not in response["Content-Disposition"]
        assert response["Cache-Control"] == "no-store"
        _, data = opened(b"".join(response.streaming_content))
        assert data["record_id"] == str(record.client.public_id)
    exports = AuditEvent.objects.filter(client=record.client, action=Action.EXPORTED)
    assert {event.actor for event in exports} == {
        record.clinic.owner.user.email,
        record.clinic.manager.user.email,
    }


def test_another_clinics_owner_gets_404_and_the_front_desk_403(record, other_clinic):
    url = reverse("clients:export", args=[record.client.public_id])
    erasure = reverse("clients:erasure", args=[record.client.public_id])
    form = {"reason": "asked", "confirm": "on"}
    tries = [
        (other_clinic.owner, "GET", url, 404),
        (record.clinic.front_desk, "GET", url, 403),
        (record.clinic.practitioner, "GET", url, 403),
        (other_clinic.owner, "POST", erasure, 404),
        (record.clinic.front_desk, "POST", erasure, 403),
    ]
    for member, method, path, status in tries:
        browser = signed_in(member)
        response = browser.get(path) if method == "GET" else browser.post(path, form)
        assert response.status_code == status, (member.role, path)
        denied = AuditEvent.objects.get(
            action=Action.DENIED, path=path, actor=member.user.email, detail__method=method
        )
        assert denied.organisation_id == member.organisation_id  # the owner who can act on it
        assert denied.detail["status"] == status
    assert not AuditEvent.objects.filter(client=record.client, action=Action.EXPORTED).exists()
    assert Client.objects.get(pk=record.client.pk).anonymised_at is None


def test_the_exportclient_command_writes_the_zip(record, tmp_path):
    output = tmp_path / "dana.zip"
    call_command("exportclient", str(record.client.public_id), "--output", str(output))
    _, data = opened(output.read_bytes())
    assert data["client"]["first_name"] == NAME
    event = AuditEvent.objects.get(client=record.client, action=Action.EXPORTED)
    assert (event.actor, event.role) == ("needlepoint exportclient", "system")


# --- erasure ----------------------------------------------------------------------------------


def test_erasure_anonymises_at_once_and_keeps_the_chart_for_practitioners(record):
    assert Message.objects.filter(client=record.client, status=MessageStatus.PENDING).exists()
    client = erase(record)
    row = Client.objects.filter(pk=client.pk).values().get()
    for value in row.values():
        for personal in (NAME, SURNAME, EMAIL, PHONE):
            assert personal not in str(value)
    assert client.full_name == "Erased client"
    assert (client.erasure_requested_at, client.anonymised_at) == (ERASED, ERASED)
    assert client.purge_after == KEPT_UNTIL
    assert client.date_of_birth == date(1990, 5, 1)  # kept: the chart needs the age
    consents = MarketingConsent.objects.filter(client=client)
    assert consents.count() == 2
    assert all(c.withdrawn_at == ERASED and c.address == "" for c in consents)
    assert not Message.objects.filter(client=client, status=MessageStatus.PENDING).exists()
    assert not Message.objects.filter(recipient__in=[EMAIL, PHONE]).exists()
    record.upcoming.refresh_from_db()
    assert record.upcoming.status == BookingStatus.CANCELLED
    assert not client.portal_links.exists()
    event = AuditEvent.objects.get(client=client, action=Action.ANONYMISED)
    assert event.reason == "Emailed request of 1 Dec"
    assert event.detail["purge_after"] == "2034-11-24"
    chart = signed_in(record.clinic.practitioner).get(
        reverse("treatments:chart", args=[record.session.public_id])
    )
    assert chart.status_code == 200 and "1.50" in chart.content.decode()
    assert SignedConsent.objects.filter(client=client).exists()


def test_a_second_erasure_request_is_refused_with_the_dates(record):
    erase(record)
    with pytest.raises(DomainError) as refused:
        erase(record, now=ERASED + timedelta(days=1))
    assert refused.value.code == "already_erased"
    assert "1 December 2026" in refused.value.message
    assert "24 November 2034" in refused.value.message


def test_erasure_needs_a_reason_and_an_owner_or_manager(record):
    with pytest.raises(DomainError) as no_reason:
        erase(record, reason="  ")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(DomainError) as desk:
        erase(record, by=record.clinic.front_desk.user)
    assert desk.value.code == "not_allowed"
    assert Client.objects.get(pk=record.client.pk).first_name == NAME


def test_an_erased_client_is_signed_out_of_the_portal(record):
    browser = Browser()
    session = browser.session
    session[PORTAL_CLIENT_KEY] = record.client.pk
    session.save()
    portal = f"/my/{record.clinic.organisation.slug}/"
    assert browser.get(portal).status_code == 200
    erase(record)
    assert browser.get(portal).status_code == 302


@time_machine.travel(ERASED, tick=False)
def test_the_client_page_takes_the_erasure_request_and_shows_its_status(record):
    browser = signed_in(record.clinic.manager)
    page = reverse("clients:detail", args=[record.client.public_id])
    assert "Erasure request" in browser.get(page).content.decode()
    url = reverse("clients:erasure", args=[record.client.public_id])
    unconfirmed = browser.post(url, {"reason": "Asked by email"}, follow=True)
    assert "tick the box" in unconfirmed.content.decode()
    done = browser.post(url, {"reason": "Asked by email", "confirm": "on"}, follow=True)
    text = done.content.decode()
    assert "erased on 1 December 2026" in text
    assert "kept until 24 November 2034" in text
    assert "Erasure request" not in text
    assert SURNAME not in text


def test_a_client_never_treated_is_kept_the_retention_years_from_the_request(clinic):
    clinic.organisation.clinical_retention_years = 10
    clinic.organisation.save()
    client = factories.client(clinic.organisation)
    erased = erasure_request(client, by=clinic.manager.user, reason="Asked", now=ERASED)
    assert erased.purge_after == date(2036, 12, 1)


# --- purge ------------------------------------------------------------------------------------


def test_nothing_is_purged_before_the_retention_ends(record):
    erase(record)
    assert purge_due(datetime(2034, 11, 24, 23, tzinfo=UTC)) == []
    assert TreatmentSession.objects.filter(client=record.client).exists()


def test_the_purge_removes_the_clinical_record_and_photo_files_and_keeps_a_tombstone(
    record, django_capture_on_commit_callbacks
):
    files = [Path(p.image.path) for p in Photo.objects.all()]
    files += [Path(p.thumbnail.path) for p in Photo.objects.all()]
    assert all(path.exists() for path in files)
    erase(record)
    with django_capture_on_commit_callbacks(execute=True):
        (purged,) = purge_due(datetime(2034, 11, 25, 1, tzinfo=UTC))
    client = record.client
    assert purged.pk == client.pk
    for related in ("sessions", "adverse_events", "questionnaires", "screenings", "bookings"):
        assert not getattr(client, related).exists(), related
    assert not Photo.objects.exists()
    assert not SignedConsent.objects.filter(client=client).exists()
    assert not Message.objects.filter(client=client).exists()
    assert not MarketingConsent.objects.filter(client=client).exists()
    assert not any(path.exists() for path in files)
    tombstone = Client.objects.get(pk=client.pk)
    assert tombstone.public_id == client.public_id
    assert tombstone.organisation_id == record.clinic.organisation.pk
    assert tombstone.purged_at == datetime(2034, 11, 25, 1, tzinfo=UTC)
    assert tombstone.date_of_birth == ERASED_BIRTH_DATE and tombstone.fitzpatrick is None
    actions = set(AuditEvent.objects.filter(client=client).values_list("action", flat=True))
    assert {Action.ANONYMISED, Action.PURGED} <= actions
    purge = AuditEvent.objects.get(client=client, action=Action.PURGED)
    assert purge.actor == "needlepoint purge" and purge.detail["deleted"]["sessions"] == 1
    assert purge_due(datetime(2034, 11, 26, tzinfo=UTC)) == []  # once only


def test_treatment_after_the_erasure_postpones_the_purge(record):
    erase(record)
    TreatmentSession.objects.create(
        client=record.client,
        location=record.clinic.location,
        practitioner=record.clinic.practitioner,
        indication="ind.acne_scars",
        performed_on=date(2027, 2, 2),
    )
    assert purge_due(datetime(2034, 12, 1, tzinfo=UTC)) == []
    assert Client.objects.get(pk=record.client.pk).purge_after == date(2035, 2, 2)


def test_the_purge_command_prints_what_it_purged(record, capsys):
    erase(record)
    with time_machine.travel(datetime(2035, 1, 1, tzinfo=UTC), tick=False):
        call_command("purge")
    out = capsys.readouterr().out
    assert f"Purged client {record.client.public_id} (kept until 2034-11-24)." in out
    assert "1 clinical record purged." in out


@pytest.mark.postgres
def test_on_postgresql_only_the_purge_gets_past_the_triggers(record):
    signed = SignedConsent.objects.filter(client=record.client)
    with pytest.raises(DatabaseError), transaction.atomic():
        signed._raw_delete(signed.db)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM treatments_treatmentsession WHERE id = %s", [record.session.pk])
    assert signed.exists() and TreatmentSession.objects.filter(pk=record.session.pk).exists()
    erase(record)
    assert purge_due(datetime(2035, 1, 1, tzinfo=UTC))
    assert not signed.exists()
    with connection.cursor() as cursor:  # the purge's permission ends with the purge
        cursor.execute("SELECT current_setting('needlepoint.purging', true)")
        assert cursor.fetchone()[0] != "on"
