"""Clinical reviews: who records one, what it clears and never clears, expiry, immutability.

Runs on SQLite and, with DATABASE_URL naming PostgreSQL, on PostgreSQL too.
"""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from PIL import Image

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.clients import reviews as reviews_module
from needlepoint.clients.choices import ReviewDecision, SubmissionSource
from needlepoint.clients.history import client_history
from needlepoint.clients.models import ClinicalReview
from needlepoint.clients.reviews import clinical_review_record, clinical_reviews_in_force
from needlepoint.clients.services import questionnaire_submit, screening_run
from needlepoint.clinical import Review, default_rules
from needlepoint.clinics.clinical_wording import reason_text
from needlepoint.core.errors import DomainError
from needlepoint.core.models import ImmutableRecordError
from needlepoint.privacy.erasure import erasure_request, purge_due
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday
TODAY = date(2026, 11, 23)
ANSWERED = date(2026, 11, 20)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


def declared(**yes: dict[str, object]) -> dict[str, object]:
    items: dict[str, object] = {q.key: {"present": False} for q in default_rules().questions()}
    for key, answer in yes.items():
        items[f"ci.{key}"] = {"present": True, **answer}
    return items


def client_declaring(clinic, **yes: dict[str, object]):
    someone = factories.client(clinic.organisation)
    questionnaire_submit(
        client=someone, answers=declared(**yes), answered_on=ANSWERED, source=SubmissionSource.STAFF
    )
    return someone


@pytest.fixture
def anticoagulated(clinic):
    return client_declaring(clinic, anticoagulant={})


def record(client, by, **fields):
    values: dict[str, object] = {
        "keys": ["ci.anticoagulant"],
        "zones": [],
        "decision": ReviewDecision.CLEARED,
        "reason": "Stable INR for a year; prescriber aware.",
        "on": TODAY,
    }
    values.update(fields)
    return clinical_review_record(client=client, by=by, **values)


def refused(code: str, client, by, **fields) -> DomainError:
    with pytest.raises(DomainError) as error:
        record(client, by, **fields)
    assert error.value.code == code, error.value.message
    return error.value


def nothing_written() -> None:
    assert not ClinicalReview.objects.exists()
    assert not AuditEvent.objects.filter(detail__has_key="clinical_review").exists()
    root = Path(settings.PHOTO_ROOT)
    assert not root.exists() or not any(path.is_file() for path in root.rglob("*"))


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, format="PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, format="JPEG")
    return out.getvalue()


# --- who may record one ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["practitioner", "manager", "owner"])
def test_a_practitioner_manager_or_owner_records_a_review_and_it_is_audited(
    clinic, anticoagulated, role
):
    member = getattr(clinic, role)

    review = record(anticoagulated, member.user, zones=["area.face"])

    assert review.keys == ["ci.anticoagulant"] and review.zones == ["area.face"]
    assert review.decision == "cleared" and review.get_decision_display() == "Cleared"
    assert review.reviewed_on == TODAY and review.expires_on is None
    assert review.reviewed_by == member.user
    assert review.rules_version == default_rules().version
    assert review.public_id and review.created_at and not review.attachment
    event = AuditEvent.objects.get(target=Target.HEALTH, target_id=str(review.public_id))
    assert event.action == Action.CREATED and event.client_id == anticoagulated.pk
    assert event.detail["clinical_review"] == "cleared"
    assert event.detail["keys"] == ["ci.anticoagulant"]


@pytest.mark.parametrize("role", ["front_desk", "trainee"])
def test_the_front_desk_and_trainees_may_not(clinic, anticoagulated, role):
    error = refused("review_not_allowed", anticoagulated, getattr(clinic, role).user)

    assert "practitioner, manager or owner" in error.message
    nothing_written()


def test_another_clinics_practitioner_or_an_inactive_one_may_not(
    clinic, other_clinic, anticoagulated
):
    refused("review_not_allowed", anticoagulated, other_clinic.practitioner.user)
    clinic.practitioner.is_active = False
    clinic.practitioner.save()
    refused("review_not_allowed", anticoagulated, clinic.practitioner.user)
    nothing_written()


# --- what is refused ------------------------------------------------------------------------


def test_an_absolute_contraindication_cannot_be_reviewed(clinic):
    keloid = client_declaring(clinic, keloid_history={})

    error = refused(
        "review_absolute", keloid, clinic.owner.user, keys=["ci.keloid_history", "ci.anticoagulant"]
    )

    assert "can't be cleared by a review" in error.message
    assert "medical history" in error.message
    assert screening_run(client=keloid, on_date=TODAY).outcome == "declined"
    nothing_written()


def test_a_clinics_own_class_decides_what_is_absolute(clinic):
    clinic.organisation.rule_overrides = {"ci.keloid_history.class": "relative"}
    clinic.organisation.save()
    keloid = client_declaring(clinic, keloid_history={})
    assert screening_run(client=keloid, on_date=TODAY).outcome == "needs_review"

    record(keloid, clinic.practitioner.user, keys=["ci.keloid_history"])

    assert screening_run(client=keloid, on_date=TODAY).outcome == "cleared"


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"keys": []}, "keys_required", "keys"),
        ({"keys": ["ci.unheard_of"]}, "unknown_contraindication", "keys"),
        ({"keys": ["ci.fitzpatrick_iv_vi"]}, "review_not_needed", "keys"),
        ({"zones": ["zone.tail"]}, "unknown_zone", "zones"),
        ({"decision": "maybe"}, "unknown_decision", "decision"),
        ({"reason": "   "}, "reason_required", "reason"),
        ({"decision": "cleared_with_conditions"}, "conditions_required", "conditions"),
        ({"conditions": "Titanium needles only."}, "conditions_not_allowed", "conditions"),
        ({"expires_on": TODAY}, "expiry_before_review", "expires_on"),
        ({"expires_on": date(2026, 11, 1)}, "expiry_before_review", "expires_on"),
        ({"on": date(2026, 11, 25)}, "review_in_future", "on"),
        ({"attachment": b""}, "attachment_empty", "attachment"),
        ({"attachment": b"Dear colleague, all fine."}, "attachment_type", "attachment"),
        ({"attachment": b"\x89PNG\r\n\x1a\nnot really"}, "attachment_type", "attachment"),
        ({"attachment": b"%PDF-1.4 cut short"}, "attachment_type", "attachment"),
    ],
)
def test_each_rule_refuses_and_nothing_is_written(clinic, anticoagulated, fields, code, field):
    error = refused(code, anticoagulated, clinic.practitioner.user, **fields)

    assert error.field == field
    nothing_written()


def test_a_letter_over_the_size_cap_is_refused(clinic, anticoagulated, monkeypatch):
    monkeypatch.setattr(reviews_module, "ATTACHMENT_MAX_BYTES", len(PDF) - 1)

    refused("attachment_too_large", anticoagulated, clinic.practitioner.user, attachment=PDF)
    nothing_written()


def test_an_erased_client_gets_no_new_review(clinic, anticoagulated):
    erasure_request(anticoagulated, by=clinic.owner.user, reason="Asked by the client.")

    refused("erased", anticoagulated, clinic.practitioner.user)
    assert not ClinicalReview.objects.exists()


def test_a_failure_after_the_letter_is_stored_leaves_neither_row_nor_file(
    clinic, anticoagulated, monkeypatch
):
    def broken(*args, **kwargs):
        raise DatabaseError("the audit log is unavailable")

    monkeypatch.setattr(reviews_module.audit, "record", broken)

    with pytest.raises(DatabaseError):
        record(anticoagulated, clinic.practitioner.user, attachment=PDF)
    nothing_written()


# --- the letter -----------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "extension"), [(PDF, "pdf"), (png(), "png"), (jpeg(), "jpg")])
def test_a_letter_is_kept_privately_under_a_name_chosen_here(
    clinic, anticoagulated, data, extension
):
    review = record(anticoagulated, clinic.practitioner.user, attachment=data)

    name = review.attachment.name
    assert name.startswith(f"reviews/{clinic.organisation.pk}/{anticoagulated.public_id}/")
    assert name.endswith(f".{extension}")
    stored = Path(review.attachment.path)
    assert stored.is_relative_to(Path(settings.PHOTO_ROOT).resolve())
    assert stored.read_bytes() == data
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())


# --- what a review clears -------------------------------------------------------------------


def test_a_needs_review_client_is_cleared_declined_then_needs_review_again(clinic, anticoagulated):
    assert screening_run(client=anticoagulated, on_date=TODAY).outcome == "needs_review"

    record(anticoagulated, clinic.practitioner.user, expires_on=date(2027, 5, 23))
    cleared = screening_run(client=anticoagulated, on_date=TODAY)
    assert cleared.outcome == "cleared"
    assert "Stable INR" in reason_text(cleared.reasons[0])

    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=UTC), tick=False):
        record(
            anticoagulated,
            clinic.manager.user,
            decision=ReviewDecision.DECLINED,
            reason="INR 4.2 this week.",
            on=date(2026, 12, 1),
            expires_on=date(2027, 1, 1),
        )
    declined = screening_run(client=anticoagulated, on_date=date(2026, 12, 1))
    assert declined.outcome == "declined"
    assert reason_text(declined.reasons[0]).startswith("Declined by ")
    assert "INR 4.2 this week." in reason_text(declined.reasons[0])

    # The declined review expires on 1 January; the cleared one is older than it but
    # still in force until 23 May, so it counts again; after that, a review is needed.
    assert screening_run(client=anticoagulated, on_date=date(2027, 1, 1)).outcome == "cleared"
    assert screening_run(client=anticoagulated, on_date=date(2027, 5, 22)).outcome == "cleared"
    assert screening_run(client=anticoagulated, on_date=date(2027, 5, 23)).outcome == (
        "needs_review"
    )


def test_clearing_with_conditions_names_the_conditions(clinic):
    nickel = client_declaring(clinic, nickel_allergy={})

    record(
        nickel,
        clinic.practitioner.user,
        keys=["ci.nickel_allergy"],
        decision=ReviewDecision.CLEARED_WITH_CONDITIONS,
        conditions="Titanium needles only.",
    )

    screening = screening_run(client=nickel, on_date=TODAY)
    assert screening.outcome == "cleared"
    [reason] = screening.reasons
    assert reason["severity"] == "precaution" and "Titanium needles only." in reason_text(reason)


def test_a_review_limited_to_the_face_does_not_clear_the_neck(clinic, anticoagulated):
    record(anticoagulated, clinic.practitioner.user, zones=["area.face"])

    assert screening_run(client=anticoagulated, on_date=TODAY, zones=["area.face"]).outcome == (
        "cleared"
    )
    neck = screening_run(client=anticoagulated, on_date=TODAY, zones=["area.neck_decolletage"])
    assert neck.outcome == "needs_review"


def test_a_sign_off_never_shortens_the_wait_after_radiotherapy(clinic):
    radiotherapy = {"since": "2026-06-01", "zones": ["zone.decolletage"]}
    signed_off = client_declaring(clinic, radiation_area=radiotherapy)
    waiting = client_declaring(clinic, radiation_area=radiotherapy)
    record(
        signed_off,
        clinic.practitioner.user,
        keys=["ci.radiation_area"],
        zones=["area.neck_decolletage"],
        reason="Oncologist's letter: fit for treatment from June.",
        attachment=PDF,
    )
    neck = ["area.neck_decolletage"]

    before = screening_run(client=signed_off, on_date=TODAY, zones=neck)
    after_with = screening_run(client=signed_off, on_date=date(2027, 6, 1), zones=neck)
    after_without = screening_run(client=waiting, on_date=date(2027, 6, 1), zones=neck)

    assert (before.outcome, before.deferred_until) == ("deferred", date(2027, 6, 1))
    assert after_with.outcome == "cleared"
    assert after_without.outcome == "needs_review"


def test_chemotherapy_lasts_until_the_oncologist_clears_it(clinic):
    chemo = client_declaring(clinic, chemotherapy_active={"since": "2026-10-01"})
    assert screening_run(client=chemo, on_date=TODAY).outcome == "deferred"

    record(
        chemo,
        clinic.practitioner.user,
        keys=["ci.chemotherapy_active"],
        reason="Oncologist: course finished, bloods normal.",
    )

    assert screening_run(client=chemo, on_date=TODAY).outcome == "cleared"


# --- in force, and on the booking path ------------------------------------------------------


def test_reviews_in_force_are_read_in_one_statement_per_key_oldest_first(
    clinic, anticoagulated, django_assert_num_queries
):
    with time_machine.travel(datetime(2026, 11, 1, 10, tzinfo=UTC), tick=False):
        record(anticoagulated, clinic.practitioner.user, on=date(2026, 11, 1))
        record(
            anticoagulated,
            clinic.practitioner.user,
            keys=["ci.anticoagulant", "ci.hsv_history"],
            zones=["zone.cheeks"],
            on=date(2026, 11, 1),
            expires_on=date(2026, 11, 20),
        )
    record(
        anticoagulated,
        clinic.owner.user,
        decision=ReviewDecision.CLEARED_WITH_CONDITIONS,
        conditions="Light pressure only.",
    )

    with django_assert_num_queries(1):
        found = clinical_reviews_in_force(anticoagulated, TODAY)
    earlier = clinical_reviews_in_force(anticoagulated, date(2026, 11, 10))

    name = clinic.owner.user.full_name
    assert [(r.key, r.decision) for r in found] == [
        ("ci.anticoagulant", "cleared"),
        ("ci.anticoagulant", "cleared_with_conditions"),
    ]
    assert found[1] == Review(
        "ci.anticoagulant",
        name,
        TODAY,
        "Light pressure only.",
        decision="cleared_with_conditions",
    )
    assert [(r.key, r.zones, r.expires_on) for r in earlier[1:]] == [
        ("ci.anticoagulant", frozenset({"zone.cheeks"}), date(2026, 11, 20)),
        ("ci.hsv_history", frozenset({"zone.cheeks"}), date(2026, 11, 20)),
    ]
    assert clinical_reviews_in_force(anticoagulated, date(2026, 10, 31)) == []


def test_the_booking_history_carries_the_reviews_in_its_one_statement(
    clinic, anticoagulated, django_assert_num_queries
):
    record(anticoagulated, clinic.practitioner.user)

    with django_assert_num_queries(1):  # sessions, adverse events, answers and reviews
        history = client_history(anticoagulated)

    assert [review.key for review in history.reviews] == ["ci.anticoagulant"]


def test_a_declined_review_stops_a_staff_booking(clinic, anticoagulated):
    offered = factories.service(clinic.location)
    record(
        anticoagulated,
        clinic.practitioner.user,
        decision=ReviewDecision.DECLINED,
        reason="Bleeding risk too high on the current dose.",
    )

    with pytest.raises(DomainError) as error:
        booking_create(
            client=anticoagulated,
            service=offered,
            starts_at=datetime(2026, 11, 25, 10, tzinfo=UTC),
            channel=Channel.STAFF,
            now=NOW,
        )

    assert error.value.code == "screening_not_cleared"  # the clinical gate, not the interval
    assert error.value.details["outcome"] == "declined"
    assert "Bleeding risk too high" in error.value.message


# --- never changed --------------------------------------------------------------------------


def test_the_model_refuses_to_change_or_delete_a_review(clinic, anticoagulated):
    review = record(anticoagulated, clinic.practitioner.user)

    review.reason = "Something else."
    with pytest.raises(ImmutableRecordError):
        review.save()
    with pytest.raises(ImmutableRecordError):
        review.delete()


def test_the_database_refuses_an_update_through_the_orm_or_raw_sql(clinic, anticoagulated):
    review = record(anticoagulated, clinic.practitioner.user)

    with pytest.raises(DatabaseError), transaction.atomic():
        ClinicalReview.objects.filter(pk=review.pk).update(decision=ReviewDecision.DECLINED)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE clients_clinicalreview SET expires_on = NULL WHERE id = %s", [review.pk]
        )

    review.refresh_from_db()
    assert review.decision == "cleared"


@pytest.mark.postgres
def test_on_postgresql_the_database_refuses_a_delete_too(clinic, anticoagulated):
    review = record(anticoagulated, clinic.practitioner.user)
    rows = ClinicalReview.objects.filter(pk=review.pk)

    with pytest.raises(DatabaseError), transaction.atomic():
        rows._raw_delete(rows.db)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM clients_clinicalreview WHERE id = %s", [review.pk])

    assert rows.exists()


def test_the_retention_purge_removes_reviews_and_their_letters(
    clinic, anticoagulated, django_capture_on_commit_callbacks
):
    review = record(anticoagulated, clinic.practitioner.user, attachment=PDF)
    letter = Path(review.attachment.path)
    erasure_request(anticoagulated, by=clinic.owner.user, reason="Asked by the client.")

    with django_capture_on_commit_callbacks(execute=True):
        (purged,) = purge_due(datetime(2037, 1, 1, tzinfo=UTC))

    assert purged.pk == anticoagulated.pk
    assert not ClinicalReview.objects.filter(client=anticoagulated).exists()
    assert not letter.exists()
