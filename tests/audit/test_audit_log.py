"""The audit log: what is recorded, that nothing can change it, and the owner's search."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.log import record
from needlepoint.audit.models import AuditEvent
from needlepoint.core.models import ImmutableRecordError
from tests import factories

VISIT = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)


def events(**filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


def test_opening_a_client_record_is_logged_with_who_when_and_from_where(clinic):
    client = factories.client(clinic.organisation)
    url = reverse("clients:detail", args=[client.public_id])
    factories.signed_in(clinic.front_desk).get(url, REMOTE_ADDR="198.51.100.7")
    (event,) = events(action=Action.VIEWED, target=Target.CLIENT)
    assert event.actor == clinic.front_desk.user.email
    assert event.role == "front_desk"
    assert event.user_id == clinic.front_desk.user.pk
    assert event.organisation_id == clinic.organisation.pk
    assert event.client_id == client.pk
    assert event.target_id == str(client.public_id)
    assert event.ip == "198.51.100.7"
    assert event.path == url


def test_creating_a_client_and_screening_them_is_logged(clinic):
    client = factories.screened_client(clinic.organisation)
    kinds = [(e.action, e.target) for e in events(client=client)]
    assert (Action.CREATED, Target.HEALTH) in kinds
    assert (Action.CREATED, Target.SCREENING) in kinds


def test_a_chart_viewed_printed_and_charted_past_a_limit_is_logged_with_the_reason(clinic):
    from needlepoint.treatments.services import zone_record

    session = factories.open_chart(clinic, VISIT)
    browser = factories.signed_in(clinic.practitioner)
    browser.get(reverse("treatments:chart", args=[session.public_id]))
    browser.get(reverse("treatments:session_pdf", args=[session.public_id]))
    assert [e.action for e in events(target=Target.CHART)] == [
        Action.CREATED,
        Action.VIEWED,
        Action.PRINTED,
    ]
    session.client.organisation.checklist_blocking = []
    session.client.organisation.save()
    zone_record(
        session=session,
        zone="zone.forehead",
        depth_mm=Decimal("2.5"),
        by=clinic.practitioner.user,
        override_reason="Deep rolling scars, agreed plan",
        now=VISIT,
    )
    (override,) = events(action=Action.OVERRIDDEN)
    assert override.reason == "Deep rolling scars, agreed plan"
    assert override.target_id == str(session.public_id)


def test_an_event_is_never_changed_or_deleted_by_code(clinic):
    event = record(Action.VIEWED, Target.CLIENT, "x", organisation_id=clinic.organisation.pk)
    event.reason = "tidying up"
    with pytest.raises(ImmutableRecordError):
        event.save()
    with pytest.raises(ImmutableRecordError):
        event.delete()


def test_the_database_refuses_to_change_an_event(clinic):
    event = record(Action.VIEWED, Target.CLIENT, "x", organisation_id=clinic.organisation.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor="someone else")
    assert AuditEvent.objects.get(pk=event.pk).actor == "system"


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_an_event(clinic):
    event = record(Action.VIEWED, Target.CLIENT, "x", organisation_id=clinic.organisation.pk)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_owner_searches_the_log_by_client_and_exports_it(clinic, other_clinic):
    ours = factories.client(clinic.organisation, first_name="Orla")
    theirs = factories.client(other_clinic.organisation, first_name="Tess")
    factories.signed_in(clinic.front_desk).get(reverse("clients:detail", args=[ours.public_id]))
    factories.signed_in(other_clinic.owner).get(reverse("clients:detail", args=[theirs.public_id]))

    owner = factories.signed_in(clinic.owner)
    page = owner.get(reverse("audit:log"), {"client": ours.public_id, "action": "viewed"})
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert clinic.front_desk.user.email in text and ours.full_name in text
    assert "Tess" not in text

    export = owner.get(reverse("audit:export"), {"client": ours.public_id})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))
    assert rows[0][:4] == ["at", "actor", "role", "action"]
    assert {row[1] for row in rows[1:]} == {clinic.front_desk.user.email}
    assert {row[6] for row in rows[1:]} == {str(ours.public_id)}
    exported = events(action=Action.EXPORTED, target=Target.AUDIT_LOG)
    assert len(exported) == 1 and exported[0].actor == clinic.owner.user.email


def test_only_the_owner_opens_the_log(clinic):
    for member in (clinic.manager, clinic.practitioner, clinic.front_desk, clinic.trainee):
        assert factories.signed_in(member).get(reverse("audit:log")).status_code == 403


# --- security events: attempts against staff accounts, for their owner to see ------------------

SIGN_IN = reverse("accounts:login")


def owners_log(clinic, **search) -> str:
    page = factories.signed_in(clinic.owner).get(reverse("audit:log"), search)
    assert page.status_code == 200
    return page.content.decode()


def test_failed_sign_ins_against_staff_show_on_their_owners_audit_page(clinic, other_clinic):
    browser = Client()
    ours = clinic.front_desk.user.email
    for username in (ours.upper(), other_clinic.front_desk.user.email, "nobody@example.test"):
        browser.post(SIGN_IN, {"username": username, "password": "not the password"})

    shown = owners_log(clinic, action=Action.SIGN_IN_FAILED)
    assert ours.upper() in shown and "Sign-in failed" in shown
    assert other_clinic.front_desk.user.email not in shown
    assert "nobody@example.test" not in shown
    (theirs,) = events(action=Action.SIGN_IN_FAILED, organisation=other_clinic.organisation)
    assert theirs.actor == other_clinic.front_desk.user.email and theirs.ip == "127.0.0.1"
    (stranger,) = events(action=Action.SIGN_IN_FAILED, actor="nobody@example.test")
    assert stranger.organisation_id is None


def test_a_lockout_is_logged_for_the_owner_to_find(clinic):
    browser = Client()
    email = clinic.practitioner.user.email
    for _ in range(5):
        browser.post(SIGN_IN, {"username": email, "password": "not the password"})
    paused = browser.post(SIGN_IN, {"username": email, "password": factories.PASSWORD})
    assert paused.status_code == 429

    locked = events(action=Action.LOCKED_OUT, actor=email)
    assert len(locked) == 2  # at the fifth wrong password, and the try while paused
    assert {event.organisation_id for event in locked} == {clinic.organisation.pk}
    shown = owners_log(clinic, action=Action.LOCKED_OUT)
    assert email in shown and "Sign-in locked out" in shown and "2 events" in shown


def test_a_wrong_sign_in_code_is_logged_for_the_owner_to_find(clinic):
    device = factories.authenticator(clinic.practitioner.user)
    browser = Client()
    browser.post(
        SIGN_IN, {"username": clinic.practitioner.user.email, "password": factories.PASSWORD}
    )
    wrong = "000000" if factories.current_code(device) != "000000" else "111111"
    answer = browser.post(reverse("accounts:two_factor"), {"code": wrong})
    assert "That code is not right" in answer.content.decode()

    (refused,) = events(action=Action.CODE_REFUSED)
    assert refused.actor == clinic.practitioner.user.email
    assert refused.organisation_id == clinic.organisation.pk
    assert refused.target == Target.ACCOUNT
    shown = owners_log(clinic, action=Action.CODE_REFUSED)
    assert clinic.practitioner.user.email in shown and "Sign-in code refused" in shown
