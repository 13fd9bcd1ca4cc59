"""A clinic moving in from another system: its services, its practitioner, a pinned clock."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as Browser
from django.urls import reverse

from needlepoint.clinics.models import Location
from needlepoint.scheduling.models import Service
from tests import factories

FILES = Path(__file__).parent / "files"
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=UTC)  # a Monday morning, before the clocks change


@dataclass
class MovingIn:
    clinic: factories.Clinic
    treatment: Service
    consultation: Service

    @property
    def location(self) -> Location:
        return self.clinic.location


@pytest.fixture
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def moving_in(clinic, pinned) -> MovingIn:
    user = clinic.practitioner.user
    user.full_name = "Pat Jones"
    user.save(update_fields=["full_name"])
    treatment = factories.service(clinic.location, name="Microneedling face")
    consultation = factories.service(
        clinic.location,
        name="Skin consultation",
        kind="consultation",
        area="",
        indication="",
        numbing_minutes=0,
        duration_minutes=30,
        buffer_after_minutes=0,
        device_kind="",
        needs_room=False,
    )
    return MovingIn(clinic, treatment, consultation)


def histories_recorded(clinic: factories.Clinic) -> None:
    """The clinic records the health questions of the clients it moved in, nothing declared:
    a treatment is booked (or imported) only for a client whose history screens cleared."""
    from needlepoint.clients.models import Client

    for client in Client.objects.filter(organisation=clinic.organisation, questionnaires=None):
        factories.medical_history(client, answered_on=NOW.date())


def row_counts() -> dict[str, int]:
    """How many rows each of the project's tables holds."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("needlepoint.") and model._meta.managed
    }


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {label: after[label] - before[label] for label in after if after[label] != before[label]}


def upload(
    browser: Browser, data: bytes, kind: str, location: Location, name: str = "export.csv"
) -> Any:
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return browser.post(
        reverse("imports:upload"), {"kind": kind, "location": location.pk, "file": file}
    )


def guessed(browser: Browser) -> dict[str, str]:
    """The mapping page's choices as guessed: field → column index (as posted)."""
    form = browser.get(reverse("imports:mapping")).context["form"]
    return {name: form[name].value() or "" for name in form.fields}


def checked(browser: Browser, columns: dict[str, str] | None = None) -> Any:
    """Post the mapping (the guesses, or ``columns``), then open the dry run."""
    response = browser.post(reverse("imports:mapping"), columns or guessed(browser))
    assert response.status_code == 302, response.context["form"].errors
    return browser.get(reverse("imports:check"))
