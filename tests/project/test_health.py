"""The health endpoint tells a load balancer whether this server can serve."""

from __future__ import annotations

from unittest import mock

from django.db import DatabaseError
from django.test import Client as Browser
from django.urls import reverse


def test_health_answers_ok_while_the_database_answers(db):
    response = Browser().get(reverse("operations:health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_health_answers_503_when_the_database_does_not(db):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError):
        response = Browser().get(reverse("operations:health"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"
