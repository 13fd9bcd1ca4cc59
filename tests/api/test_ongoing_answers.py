"""Through the API: "still taking it" (``"ongoing": true``) defers with no date (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest

from needlepoint.clients.models import QuestionnaireSubmission
from needlepoint.scheduling.models import Booking
from tests.api.conftest import Api, api_for
from tests.api.test_integrator import face_treatment
from tests.api.test_screening_gate import TUESDAY_NINE, book, new_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def website(clinic, offered, clock) -> Api:
    return api_for(clinic.front_desk, ("read", "book"))


def history(api: Api, **changes: dict[str, Any]) -> dict[str, Any]:
    questions = api.get("/questionnaire").json()["questions"]
    answers: dict[str, Any] = {question["key"]: {"present": False} for question in questions}
    return {"answered_on": "2027-03-01", "answers": answers | changes}


def test_the_questionnaire_says_which_questions_can_be_ongoing(website):
    questions = {q["key"]: q for q in website.get("/questionnaire").json()["questions"]}
    assert questions["ci.isotretinoin_recent"]["can_be_ongoing"] is True
    assert questions["ci.pregnancy"]["can_be_ongoing"] is False


def test_still_taking_isotretinoin_is_kept_deferred_with_no_date_and_cannot_book(website):
    client = new_client(website, "Ola")
    body = history(website, **{"ci.isotretinoin_recent": {"present": True, "ongoing": True}})

    screened = website.post(f"/clients/{client['id']}/questionnaires", body)

    assert screened.status_code == 201, screened.json()
    result = screened.json()
    assert (result["outcome"], result["deferred_until"]) == ("deferred", None)
    (reason,) = [r for r in result["reasons"] if r["key"] == "ci.isotretinoin_recent"]
    assert reason["until"] is None
    assert "still taking isotretinoin" in reason["message"]
    assert "your last dose of isotretinoin" in reason["message"]
    stored = QuestionnaireSubmission.objects.get().answers["ci.isotretinoin_recent"]
    assert stored == {"present": True, "ongoing": True}

    refused = book(website, client, face_treatment(website), TUESDAY_NINE)
    assert refused.status_code == 400
    assert refused.json()["code"] == "screening_not_cleared"
    assert "deferred" in refused.json()["message"]
    assert "until" not in refused.json().get("details", {})
    assert not Booking.objects.exists()


def test_ongoing_with_a_date_too_is_refused_with_a_clear_error(website):
    client = new_client(website, "Pia")
    answer = {"present": True, "ongoing": True, "since": "2027-02-01"}
    body = history(website, **{"ci.isotretinoin_recent": answer})

    refused = website.post(f"/clients/{client['id']}/questionnaires", body)

    assert refused.status_code in (400, 422), refused.json()
    assert refused.json()["code"] == "invalid_answers"
    assert "give one or the other" in refused.json()["message"]
    assert not QuestionnaireSubmission.objects.exists()


def test_ongoing_is_refused_where_the_question_has_no_wait(website):
    client = new_client(website, "Rae")
    body = history(website, **{"ci.pregnancy": {"present": True, "ongoing": True}})

    refused = website.post(f"/clients/{client['id']}/questionnaires", body)

    assert refused.status_code in (400, 422), refused.json()
    assert refused.json()["code"] == "invalid_answer"
    assert "still taking or using it" in refused.json()["message"]
    assert not QuestionnaireSubmission.objects.exists()
