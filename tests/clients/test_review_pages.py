"""A practitioner records a clinical review on the client's page; it clears what it names."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from PIL import Image

from needlepoint.audit.models import AuditEvent
from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.models import ClinicalReview
from needlepoint.clients.queries import latest_screening
from needlepoint.clients.services import questionnaire_submit
from needlepoint.clinical import default_rules
from tests import factories

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


def with_answers(clinic, **yes: dict[str, object]):
    someone = factories.client(clinic.organisation, home_location=clinic.location)
    answers = {q.key: {"present": False} for q in default_rules().questions()}
    answers |= {key: {"present": True, **extra} for key, extra in yes.items()}
    questionnaire_submit(
        client=someone,
        answers=answers,
        answered_on=date(2026, 11, 20),
        source=SubmissionSource.STAFF,
    )
    return someone


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (250, 250, 250)).save(out, format="JPEG")
    return out.getvalue()


def test_a_practitioner_clears_a_relative_contraindication_from_the_client_page(clinic):
    someone = with_answers(clinic, **{"ci.anticoagulant": {}})
    assert latest_screening(someone).outcome == "needs_review"
    browser = factories.signed_in(clinic.practitioner)
    detail = f"/clients/{someone.public_id}/"
    assert "Record a clinical review" in browser.get(detail).content.decode()
    page = browser.get(f"{detail}review/").content.decode()
    assert default_rules().contraindication("ci.anticoagulant").name in page
    letter = io.BytesIO(jpeg())
    letter.name = "letter.jpg"
    response = browser.post(
        f"{detail}review/",
        {
            "keys": ["ci.anticoagulant"],
            "decision": "cleared",
            "reason": "The prescriber's letter of 18 November allows it.",
            "attachment": letter,
        },
        follow=True,
    )
    assert "The screening is now: cleared" in response.content.decode()
    assert latest_screening(someone).outcome == "cleared"
    review = ClinicalReview.objects.get(client=someone)
    assert (review.reviewed_by, review.reviewed_on) == (
        clinic.practitioner.user,
        date(2026, 11, 23),
    )
    shown = response.content.decode()
    assert "by " + clinic.practitioner.user.full_name in shown
    assert "letter" in shown.lower()
    letter_url = f"{detail}reviews/{review.public_id}/letter"
    served = browser.get(letter_url)
    assert served["Content-Type"] == "image/jpeg"
    assert b"".join(served.streaming_content) == review.attachment.open("rb").read()
    assert AuditEvent.objects.filter(detail__letter=1, client=someone).exists()


def test_a_declined_review_declines_and_cannot_be_edited_afterwards(clinic):
    someone = with_answers(clinic, **{"ci.anticoagulant": {}})
    browser = factories.signed_in(clinic.practitioner)
    browser.post(
        f"/clients/{someone.public_id}/review/",
        {"keys": ["ci.anticoagulant"], "decision": "declined", "reason": "INR unstable."},
    )
    assert latest_screening(someone).outcome == "declined"
    assert "Declined" in browser.get(f"/clients/{someone.public_id}/").content.decode()


def test_an_absolute_contraindication_is_never_offered_and_a_posted_one_is_refused(clinic):
    someone = with_answers(clinic, **{"ci.keloid_history": {}})
    browser = factories.signed_in(clinic.practitioner)
    detail = f"/clients/{someone.public_id}/"
    assert "Record a clinical review" not in browser.get(detail).content.decode()
    page = browser.get(f"{detail}review/").content.decode()
    assert "Nothing in the latest screening waits" in page
    response = browser.post(
        f"{detail}review/",
        {"keys": ["ci.keloid_history"], "decision": "cleared", "reason": "Looks fine."},
    )
    assert response.status_code == 200
    assert not ClinicalReview.objects.exists()
    assert latest_screening(someone).outcome == "declined"


def test_conditions_are_required_to_clear_with_conditions_and_nothing_is_half_saved(clinic):
    someone = with_answers(clinic, **{"ci.anticoagulant": {}})
    browser = factories.signed_in(clinic.practitioner)
    page = browser.post(
        f"/clients/{someone.public_id}/review/",
        {"keys": ["ci.anticoagulant"], "decision": "cleared_with_conditions", "reason": "Ok."},
    ).content.decode()
    assert 'class="error"' in page
    assert not ClinicalReview.objects.exists()
    assert latest_screening(someone).outcome == "needs_review"


def test_the_front_desk_can_neither_record_a_review_nor_see_the_button(clinic):
    someone = with_answers(clinic, **{"ci.anticoagulant": {}})
    desk = factories.signed_in(clinic.front_desk)
    assert (
        "Record a clinical review"
        not in desk.get(f"/clients/{someone.public_id}/").content.decode()
    )
    response = desk.post(
        f"/clients/{someone.public_id}/review/",
        {"keys": ["ci.anticoagulant"], "decision": "cleared", "reason": "Desk says fine."},
    )
    assert response.status_code == 403
    assert not ClinicalReview.objects.exists()


def test_a_clients_reviews_are_in_their_data_export(clinic):
    from needlepoint.privacy.export import client_data

    someone = with_answers(clinic, **{"ci.anticoagulant": {}})
    browser = factories.signed_in(clinic.practitioner)
    browser.post(
        f"/clients/{someone.public_id}/review/",
        {"keys": ["ci.anticoagulant"], "decision": "cleared", "reason": "Letter seen."},
    )
    (review,) = client_data(someone)["clinical_reviews"]
    assert review["contraindications"] == ["ci.anticoagulant"]
    assert (review["decision"], review["reason"]) == ("cleared", "Letter seen.")
    assert review["reviewed_by"] == clinic.practitioner.user.full_name
    assert review["has_letter"] is False
