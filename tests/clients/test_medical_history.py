"""Medical histories are kept as versions and screened with the rules in force."""

from __future__ import annotations

from datetime import date

import pytest

from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.models import QuestionnaireSubmission, Screening
from needlepoint.clients.services import client_create, questionnaire_submit, screening_run
from needlepoint.clinical import default_rules
from needlepoint.clinics.clinical_wording import reason_text
from needlepoint.core.errors import DomainError
from tests import factories

TODAY = date(2026, 11, 23)


def all_no() -> dict[str, object]:
    return {question.key: {"present": False} for question in default_rules().questions()}


def answers(**declared: dict[str, object]) -> dict[str, object]:
    items = all_no()
    for key, answer in declared.items():
        items[f"ci.{key}"] = {"present": True, **answer}
    return items


def submit(client, items, on=TODAY) -> Screening:
    return questionnaire_submit(
        client=client, answers=items, answered_on=on, source=SubmissionSource.STAFF
    )


def test_a_clear_history_is_cleared_and_names_its_rules_version(clinic):
    client = factories.client(clinic.organisation)
    screening = submit(client, all_no())
    assert screening.outcome == "cleared"
    assert screening.rules_version == default_rules().version
    assert screening.submission.version == 1


def test_a_changed_answer_is_a_new_version_and_a_new_screening(clinic):
    client = factories.client(clinic.organisation)
    submit(client, all_no())
    second = submit(client, answers(pregnancy={}))
    assert second.submission.version == 2
    assert second.outcome == "deferred"
    assert list(client.questionnaires.values_list("version", flat=True)) == [2, 1]
    assert client.questionnaires.get(version=1).answers["ci.pregnancy"] == {"present": False}


def test_a_sunburn_defers_with_the_date_and_a_readable_reason(clinic):
    client = factories.client(clinic.organisation)
    screening = submit(
        client, answers(sunburn_area={"since": "2026-11-20", "zones": ["zone.cheeks"]})
    )
    assert screening.outcome == "deferred"
    assert screening.deferred_until == date(2026, 12, 4)
    [reason] = screening.reasons
    assert reason["key"] == "ci.sunburn_area"
    assert "4 December 2026" in reason_text(reason)


def test_a_keloid_history_is_declined(clinic):
    client = factories.client(clinic.organisation)
    assert submit(client, answers(keloid_history={})).outcome == "declined"


def test_an_anticoagulant_asks_for_review_and_never_suggests_stopping_it(clinic):
    client = factories.client(clinic.organisation)
    screening = submit(client, answers(anticoagulant={}))
    assert screening.outcome == "needs_review"
    assert all("stop" not in reason_text(reason).lower() for reason in screening.reasons)


def test_the_clinics_own_wait_is_used_and_recorded(clinic):
    """Scenario 8 end to end: the clinic sets isotretinoin to P3M; the screening records it."""
    clinic.organisation.rule_overrides = {"ci.isotretinoin_recent.wait": "P3M"}
    clinic.organisation.save()
    client = factories.client(clinic.organisation)
    screening = submit(
        client, answers(isotretinoin_recent={"since": "2025-01-15"}), on=date(2025, 5, 1)
    )
    assert screening.outcome == "cleared"
    assert screening.values_in_force["ci.isotretinoin_recent.wait"] == "P3M"
    assert screening.rules_version != default_rules().version
    assert screening.rules_version.startswith(default_rules().version + "+")


def test_screening_for_body_zones_ignores_a_facial_cold_sore(clinic):
    """Scenario 10 through the service: thighs proceed while the face stays blocked."""
    client = factories.client(clinic.organisation)
    submit(client, answers(hsv_active={"since": "2026-11-20"}))
    assert screening_run(client=client, on_date=TODAY, zones=["zone.thighs"]).outcome == "cleared"
    assert screening_run(client=client, on_date=TODAY, zones=["area.face"]).outcome == "deferred"


@pytest.mark.parametrize(
    ("items", "code"),
    [
        ("not a mapping", "invalid_answers"),
        ({"ci.pregnancy": {"present": "yes"}}, "invalid_answers"),
        ({"ci.pregnancy": {"present": True, "colour": "red"}}, "invalid_answers"),
        ({"ci.sunburn_area": {"present": True, "since": "yesterday"}}, "invalid_answers"),
    ],
)
def test_malformed_answers_are_refused_and_nothing_is_written(clinic, items, code):
    client = factories.client(clinic.organisation)
    with pytest.raises(DomainError) as refused:
        submit(client, items)
    assert refused.value.code == code
    assert not QuestionnaireSubmission.objects.exists()
    assert not Screening.objects.exists()


def test_missing_answers_are_named_and_nothing_is_written(clinic):
    client = factories.client(clinic.organisation)
    items = all_no()
    del items["ci.pregnancy"]
    with pytest.raises(DomainError) as refused:
        submit(client, items)
    assert refused.value.code == "missing_answers"
    assert "ci.pregnancy" in refused.value.message
    assert not QuestionnaireSubmission.objects.exists()


def test_an_unknown_question_is_refused(clinic):
    client = factories.client(clinic.organisation)
    with pytest.raises(DomainError) as refused:
        submit(client, {**all_no(), "ci.made_up": {"present": True}})
    assert refused.value.code.startswith("unknown")


def test_screening_without_any_history_says_so(clinic):
    client = factories.client(clinic.organisation)
    with pytest.raises(DomainError) as refused:
        screening_run(client=client, on_date=TODAY)
    assert refused.value.code == "no_medical_history"


def test_phone_numbers_are_stored_in_international_form(clinic):
    client = client_create(
        organisation=clinic.organisation,
        first_name=" Ada ",
        last_name="Lovelace",
        date_of_birth=date(1985, 12, 10),
        email="Ada@Example.TEST",
        phone="07400 123456",
    )
    assert (client.first_name, client.email, client.phone) == (
        "Ada",
        "ada@example.test",
        "+447400123456",
    )


# +49 201 00000000000: valid in Germany's plan, but 16 digits, past E.164's 15 (fuzzing)
@pytest.mark.parametrize("phone", ["12", "not a number", "+44 1", "+49 201 00000000000"])
def test_a_bad_phone_number_is_refused_with_a_clear_message(clinic, phone):
    with pytest.raises(DomainError) as refused:
        client_create(
            organisation=clinic.organisation,
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth=date(1985, 12, 10),
            phone=phone,
        )
    assert refused.value.code == "invalid_phone"
    assert refused.value.field == "phone"


def test_a_client_cannot_be_filed_under_another_organisations_location(clinic, other_clinic):
    with pytest.raises(DomainError):
        client_create(
            organisation=clinic.organisation,
            first_name="Ada",
            last_name="Lovelace",
            date_of_birth=date(1985, 12, 10),
            home_location=other_clinic.location,
        )
