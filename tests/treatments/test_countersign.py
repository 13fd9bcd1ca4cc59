"""A trainee charts and signs; a practitioner checks the chart and countersigns it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from needlepoint.audit.choices import Action
from needlepoint.audit.models import AuditEvent
from needlepoint.core.errors import DomainError
from needlepoint.treatments.models import Countersignature
from needlepoint.treatments.services import (
    countersign_needed,
    session_complete,
    session_countersign,
)
from tests import factories
from tests.treatments.test_charting import VISIT, chart_fully, visit  # noqa: F401  (fixture)


@pytest.fixture
def signed_by_trainee(visit):  # noqa: F811
    clinic, booking, configuration = visit
    session = chart_fully(clinic, booking, configuration)
    session_complete(session=session, by=clinic.trainee.user, now=VISIT + timedelta(minutes=45))
    session.refresh_from_db()
    return clinic, session


def test_a_trainees_signed_chart_awaits_a_practitioners_countersignature(signed_by_trainee):
    clinic, session = signed_by_trainee
    assert countersign_needed(session)
    home = factories.signed_in(clinic.practitioner).get(reverse("staff:home")).content.decode()
    assert "Trainees&#x27; charts to countersign" in home or "charts to countersign" in home
    chart_url = reverse("treatments:chart", args=[session.public_id])
    page = factories.signed_in(clinic.practitioner).get(chart_url).content.decode()
    assert "Awaits a countersignature" in page and "Countersign this chart" in page

    browser = factories.signed_in(clinic.practitioner)
    response = browser.post(reverse("treatments:action", args=[session.public_id, "countersign"]))
    assert response.status_code == 302
    signature = Countersignature.objects.get(session=session)
    assert signature.by == clinic.practitioner.user
    assert not countersign_needed(session)
    page = browser.get(chart_url).content.decode()
    assert "Countersigned by" in page and "Awaits a countersignature" not in page
    event = AuditEvent.objects.get(action=Action.COUNTERSIGNED)
    assert event.actor == clinic.practitioner.user.email


def test_only_a_practitioner_manager_or_owner_countersigns_and_only_once(signed_by_trainee):
    clinic, session = signed_by_trainee
    for member in (clinic.trainee, clinic.front_desk):
        with pytest.raises(DomainError) as refused:
            session_countersign(session=session, by=member.user)
        assert refused.value.code == "countersign_not_allowed"
    session_countersign(session=session, by=clinic.manager.user)
    with pytest.raises(DomainError) as again:
        session_countersign(session=session, by=clinic.owner.user)
    assert again.value.code == "no_countersign_needed"
    assert Countersignature.objects.count() == 1


def test_a_practitioners_own_chart_needs_no_countersignature(visit):  # noqa: F811
    clinic, booking, configuration = visit
    session = chart_fully(clinic, booking, configuration)
    session_complete(session=session, by=clinic.practitioner.user, now=VISIT + timedelta(hours=1))
    assert not countersign_needed(session)
    with pytest.raises(DomainError):
        session_countersign(session=session, by=clinic.owner.user)


def test_the_database_refuses_to_change_a_countersignature(signed_by_trainee):
    from django.db import DatabaseError, transaction

    clinic, session = signed_by_trainee
    signature = session_countersign(session=session, by=clinic.practitioner.user)
    with pytest.raises(DatabaseError), transaction.atomic():
        Countersignature.objects.filter(pk=signature.pk).update(by=clinic.owner.user)
