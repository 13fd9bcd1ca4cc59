"""Age is judged on the day of treatment, not the day the answers were given; a minor's
guardian consent is recorded as a clinical review of ``ci.minor``, with the signed form."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from PIL import Image

from needlepoint.clients.reviews import clinical_review_record
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
VISIT = datetime(2026, 11, 25, 10, tzinfo=UTC)  # Wednesday


def signed_form() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 80), (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def setup(clinic):
    offered = factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    return clinic, offered


def book(someone, offered):
    return booking_create(
        client=someone, service=offered, starts_at=VISIT, channel=Channel.STAFF, now=NOW
    )


def test_a_client_who_turns_18_before_the_visit_needs_no_guardian(setup):
    clinic, offered = setup
    # 17 when the questions were answered (20 Nov), 18 on the visit (25 Nov).
    someone = factories.screened_client(clinic.organisation, date_of_birth=date(2008, 11, 24))
    assert book(someone, offered).client == someone


def test_a_client_still_17_on_the_visit_needs_the_guardians_consent_recorded(setup):
    clinic, offered = setup
    # 18 only on 26 Nov, the day after the visit.
    someone = factories.screened_client(clinic.organisation, date_of_birth=date(2008, 11, 26))
    with pytest.raises(DomainError) as refused:
        book(someone, offered)
    assert refused.value.code == "screening_not_cleared"
    assert "needs a clinical review" in refused.value.message
    clinical_review_record(
        client=someone,
        keys=["ci.minor"],
        zones=[],
        decision="cleared",
        reason="Guardian consent signed by her mother, Ana Client, in the clinic.",
        attachment=signed_form(),
        by=clinic.practitioner.user,
        on=date(2026, 11, 23),
    )
    assert book(someone, offered).client == someone
