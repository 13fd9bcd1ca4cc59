"""What must never break is refused by the database itself, not only by Python."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.db import IntegrityError, transaction

from needlepoint.clients.models import Screening
from needlepoint.clinics.choices import DeviceKind
from needlepoint.clinics.models import Closure, Device, OpeningHours
from needlepoint.core.models import ImmutableRecordError
from needlepoint.treatments.models import AdverseEvent, Cartridge, TreatmentSession, ZoneTreatment
from tests import factories


def refused_by_database(create: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()  # type: ignore[operator]


def test_opening_hours_must_open_before_they_close(clinic):
    refused_by_database(
        lambda: OpeningHours.objects.create(
            location=clinic.location, weekday=6, opens=time(15), closes=time(9)
        )
    )


def test_a_closure_cannot_end_before_it_starts(clinic):
    refused_by_database(
        lambda: Closure.objects.create(
            location=clinic.location,
            starts_on=date(2026, 12, 26),
            ends_on=date(2026, 12, 24),
            reason="Oops",
        )
    )


def test_two_clients_of_one_organisation_cannot_share_an_email(clinic):
    factories.client(clinic.organisation, email="same@example.test")
    refused_by_database(lambda: factories.client(clinic.organisation, email="same@example.test"))


def test_clients_of_different_organisations_may_share_an_email(clinic, other_clinic):
    factories.client(clinic.organisation, email="same@example.test")
    factories.client(other_clinic.organisation, email="same@example.test")


def test_clients_without_email_do_not_collide(clinic):
    factories.client(clinic.organisation, email="")
    factories.client(clinic.organisation, email="")


def session(clinic, client=None) -> TreatmentSession:
    return TreatmentSession.objects.create(
        client=client or factories.client(clinic.organisation),
        location=clinic.location,
        practitioner=clinic.practitioner,
        indication="ind.acne_scars",
        performed_on=date(2026, 10, 1),
    )


def test_a_zone_depth_above_three_millimetres_is_refused(clinic):
    treatment = session(clinic)
    refused_by_database(
        lambda: ZoneTreatment.objects.create(session=treatment, zone="zone.cheeks", depth_mm=3.5)
    )


def test_a_cartridge_serial_is_recorded_once_so_it_serves_one_session(clinic):
    """Scenario 18: a cartridge already linked to a session cannot be used for another client."""
    from needlepoint.clinics.models import NeedleConfiguration

    config = NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name="12-pin", needle_count=12
    )
    first = session(clinic)
    Cartridge.objects.create(
        organisation=clinic.organisation,
        configuration=config,
        serial="C-1",
        lot="L-1",
        expires_on=date(2027, 1, 1),
        session=first,
    )
    second = session(clinic)
    refused_by_database(
        lambda: Cartridge.objects.create(
            organisation=clinic.organisation,
            configuration=config,
            serial="C-1",
            lot="L-1",
            expires_on=date(2027, 1, 1),
            session=second,
        )
    )


def test_an_adverse_event_cannot_resolve_before_its_onset(clinic):
    client = factories.client(clinic.organisation)
    refused_by_database(
        lambda: AdverseEvent.objects.create(
            client=client,
            kind="ae.pih",
            grade=1,
            onset_on=date(2026, 10, 10),
            resolved_on=date(2026, 10, 1),
        )
    )


def test_a_screening_without_a_rules_version_is_refused(clinic):
    from needlepoint.clients.models import QuestionnaireSubmission

    client = factories.client(clinic.organisation)
    submission = QuestionnaireSubmission.objects.create(
        client=client,
        version=1,
        answered_on=date(2026, 11, 1),
        answers={},
        rules_version="x",
        source="staff",
    )
    refused_by_database(
        lambda: Screening.objects.create(
            client=client,
            submission=submission,
            screened_on=date(2026, 11, 1),
            outcome="cleared",
            rules_version="",
        )
    )


def test_questionnaire_submissions_and_screenings_are_never_changed_or_deleted(clinic):
    from needlepoint.clients.models import QuestionnaireSubmission

    client = factories.client(clinic.organisation)
    submission = QuestionnaireSubmission.objects.create(
        client=client,
        version=1,
        answered_on=date(2026, 11, 1),
        answers={},
        rules_version="x",
        source="staff",
    )
    submission.answers = {"ci.pregnancy": {"present": True}}
    with pytest.raises(ImmutableRecordError):
        submission.save()
    with pytest.raises(ImmutableRecordError):
        submission.delete()


def test_a_service_cannot_keep_a_client_more_than_twelve_hours(clinic):
    refused_by_database(
        lambda: factories.service(
            clinic.location, numbing_minutes=60, duration_minutes=11 * 60, buffer_after_minutes=1
        )
    )


def test_a_device_cannot_need_more_than_ten_hours_of_reprocessing(clinic):
    refused_by_database(
        lambda: Device.objects.create(
            location=clinic.location,
            kind=DeviceKind.PEN,
            name="Pen",
            serial_number="LONG-1",
            reprocessing_minutes=10 * 60 + 1,
        )
    )
