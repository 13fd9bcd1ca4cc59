"""The task that wakes the worker for a booking's confirmation is queued in the booking's
own transaction: one commit writes the booking, its messages and the wake-up together."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from needlepoint.notifications.choices import MessageKind
from needlepoint.notifications.models import Message
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # Monday, 08:00 in London
WEDNESDAY_TEN = datetime(2026, 11, 25, 10, tzinfo=UTC)


class Undone(Exception):
    pass


@pytest.fixture
def queued_in_the_database(settings, clinic):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    offered = factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    someone = factories.screened_client(clinic.organisation, email="wake@example.test")
    with time_machine.travel(NOW, tick=False):
        yield offered, someone


def book(offered, someone):
    return booking_create(
        client=someone, service=offered, starts_at=WEDNESDAY_TEN, channel=Channel.STAFF
    )


def test_a_booking_queues_the_wake_up_with_its_confirmation(queued_in_the_database):
    with transaction.atomic():  # as a request's transaction: nothing after it is run here
        booking = book(*queued_in_the_database)
        confirmation = Message.objects.get(
            subject=f"booking:{booking.public_id}", kind=MessageKind.BOOKING_CONFIRMED
        )
        assert confirmation.recipient == "wake@example.test"
        assert DBTaskResult.objects.filter(task_path__endswith="deliver_due_messages").count() == 1


def test_a_booking_undone_leaves_no_wake_up_behind(queued_in_the_database):
    with pytest.raises(Undone), transaction.atomic():
        book(*queued_in_the_database)
        raise Undone
    assert not Message.objects.exists()
    assert not DBTaskResult.objects.exists()
