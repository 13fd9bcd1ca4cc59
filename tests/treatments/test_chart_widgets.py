"""The chart's forms draw their fields in Python (treatments/widgets.py): every field must
come out exactly as Django's widget templates draw it, blank, filled in or refused."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.renderers import DjangoTemplates

from needlepoint.clinics.models import Device, NeedleConfiguration
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.services import booking_create
from needlepoint.treatments.forms import (
    AddendumForm,
    CartridgeForm,
    DetailsForm,
    OutcomeForm,
    PhotoForm,
    ZoneForm,
)
from needlepoint.treatments.models import Cartridge
from needlepoint.treatments.services import session_start
from needlepoint.treatments.widgets import PLAIN_WIDGETS
from tests import factories

VISIT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
TRICKY = '<b>"Tom\'s" & co</b>'


@pytest.fixture
def session(clinic):
    client = factories.screened_client(clinic.organisation)
    booking = booking_create(
        client=client,
        service=factories.service(clinic.location),
        starts_at=VISIT,
        channel=Channel.STAFF,
        now=datetime(2026, 11, 23, 8, 0, tzinfo=UTC),
    )
    Device.objects.create(
        organisation=clinic.organisation, location=clinic.location, kind="pen", name=TRICKY
    )
    NeedleConfiguration.objects.create(
        organisation=clinic.organisation, device_kind="pen", name=TRICKY, needle_count=12
    )
    return session_start(booking=booking, by=clinic.practitioner.user, now=VISIT)


def chart_forms(session, data=None, files=None) -> list[forms.Form]:
    configuration = NeedleConfiguration.objects.get(name=TRICKY)
    cartridge = Cartridge(pk=7, serial=TRICKY, configuration=configuration)
    initial = {"zone": "zone.cheeks", "cartridge": 7, "notes": TRICKY}
    details = {"numbing_applied_at": time(9, 25), "speed": 100, "notes": f"\n{TRICKY}"}
    return [
        DetailsForm(data, initial=details, session=session),
        ZoneForm(data, initial=initial, cartridges=[cartridge]),
        CartridgeForm(data, session=session),
        PhotoForm(data, files),
        OutcomeForm(data),
        AddendumForm(data, initial={"text": TRICKY}),
    ]


def assert_drawn_as_django_draws(shown: list[forms.Form]) -> None:
    django = DjangoTemplates()
    for form in shown:
        assert form.renderer is PLAIN_WIDGETS
        for field in form:
            form.renderer = django
            expected = str(field)
            form.renderer = PLAIN_WIDGETS
            assert str(field) == expected, (type(form).__name__, field.name)


def test_blank_chart_forms_draw_as_django_does(session) -> None:
    assert_drawn_as_django_draws(chart_forms(session))


def test_filled_in_and_refused_chart_forms_draw_as_django_does(session) -> None:
    device = Device.objects.get(name=TRICKY)
    data = {
        "device": str(device.pk),
        "speed": "6,000",
        "speed_unit": "per_minute",
        "numbing_product": TRICKY,
        "numbing_applied_at": "not a time",
        "topicals": TRICKY,
        "reaction": "erythema",
        "notes": f"  {TRICKY}\n",
        "zone": "zone.cheeks",
        "depth_mm": "9",
        "passes": "<3>",
        "cartridge": "7",
        "technique": TRICKY,
        "serial": TRICKY,
        "lot": "",
        "expires_on": "2026-13-01",
        "view": "front",
        "scar_grade": "2",
        "count_macular": "-1",
        "improvement": "7",
        "text": TRICKY,
    }
    files = {"image": SimpleUploadedFile("face.jpg", b"not really", "image/jpeg")}
    shown = chart_forms(session, data, files)
    for form in shown:
        form.is_valid()
    assert_drawn_as_django_draws(shown)
