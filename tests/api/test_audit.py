"""API reads and writes of health data are in the audit log under the token's user."""

from __future__ import annotations

import pytest

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from tests import factories
from tests.api.conftest import api_for
from tests.api.world import world

pytestmark = pytest.mark.django_db


def test_reading_a_client_writes_an_audit_event_naming_the_tokens_user(clinic, clock):
    client = factories.screened_client(clinic.organisation)
    api = api_for(clinic.front_desk)

    response = api.get(f"/clients/{client.public_id}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"  # health data: never kept by caches

    event = AuditEvent.objects.get(action=Action.VIEWED, target=Target.CLIENT)
    assert event.user_id == clinic.front_desk.user.pk
    assert event.actor == clinic.front_desk.user.email
    assert event.role == "front_desk"
    assert event.client_id == client.pk
    assert event.target_id == str(client.public_id)
    assert event.path == f"/api/v1/clients/{client.public_id}"


def test_charts_screenings_and_changes_read_through_the_api_are_logged(clinic, offered, clock):
    w = world(clinic, offered)
    api = api_for(clinic.practitioner)
    api.get(f"/sessions/{w.session.public_id}")
    api.get(f"/clients/{w.client.public_id}/screenings")
    api.patch(f"/clients/{w.client.public_id}", {"email": "new@example.test"})
    events = AuditEvent.objects.filter(user_id=clinic.practitioner.user.pk, client=w.client)
    assert {(e.action, e.target) for e in events} >= {
        (Action.VIEWED, Target.CHART),
        (Action.VIEWED, Target.SCREENING),
        (Action.CHANGED, Target.CLIENT),
    }


def test_another_organisations_client_id_is_logged_as_refused(clinic, other_clinic, clock):
    stranger = factories.client(other_clinic.organisation)
    api_for(clinic.manager).get(f"/clients/{stranger.public_id}")
    refused = AuditEvent.objects.get(action=Action.DENIED)
    assert refused.user_id == clinic.manager.user.pk and refused.detail["status"] == 404
