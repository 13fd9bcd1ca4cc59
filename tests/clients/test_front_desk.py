"""The front desk registers a caller, finds clients as they type, edits details, and never
finds or books an erased client."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.clients.models import Client
from needlepoint.core.errors import DomainError
from needlepoint.privacy.erasure import erasure_request
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.forms import BookingForm
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday morning
CALLER = {
    "first_name": "Priya",
    "last_name": "Shah",
    "date_of_birth": "1988-04-02",
    "phone": "07400 123456",
    "email": "Priya.Shah@Example.test",
    "message_channel": "both",
    "home_location": "",
}


@pytest.fixture(autouse=True)
def monday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk(clinic):
    return factories.signed_in(clinic.front_desk)


def test_the_front_desk_registers_a_caller_and_lands_on_the_record(clinic, desk):
    response = desk.post(reverse("clients:new"), CALLER | {"home_location": clinic.location.pk})
    client = Client.objects.get()
    assert response["Location"] == reverse("clients:detail", args=[client.public_id])
    assert (client.phone, client.email) == ("+447400123456", "priya.shah@example.test")
    assert (client.message_channel, client.home_location) == ("both", clinic.location)
    assert AuditEvent.objects.filter(action=Action.CREATED, target=Target.CLIENT).count() == 1
    page = desk.get(response["Location"]).content.decode()
    book = reverse("scheduling:book", args=[clinic.location.slug])
    assert f'href="{book}?client={client.pk}"' in page
    assert "Priya Shah is on file." in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"phone": "12"}, "is not a valid phone number"),
        ({"phone": "", "message_channel": "sms"}, "Texts need a mobile number"),
        ({"date_of_birth": "not a date"}, "Enter a valid date."),
        ({"first_name": ""}, "This field is required."),
    ],
)
def test_bad_details_are_refused_with_the_reason_and_nothing_is_saved(desk, change, message):
    response = desk.post(reverse("clients:new"), CALLER | change)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Client.objects.exists()


def test_a_caller_already_on_file_is_shown_the_existing_record(clinic, desk):
    existing = factories.client(clinic.organisation, email="priya.shah@example.test", phone="")
    page = desk.post(reverse("clients:new"), CALLER).content.decode()
    assert "is already the email of a client on file" in page
    assert reverse("clients:detail", args=[existing.public_id]) in page
    assert Client.objects.count() == 1


def test_details_are_edited_through_the_service_with_an_audit_row(clinic, desk):
    client = factories.client(clinic.organisation, phone="")
    url = reverse("clients:edit", args=[client.public_id])
    assert 'value="' + client.first_name + '"' in desk.get(url).content.decode()
    details = CALLER | {"first_name": client.first_name, "last_name": client.last_name}
    response = desk.post(url, details)
    assert response["Location"] == reverse("clients:detail", args=[client.public_id])
    client.refresh_from_db()
    assert client.phone == "+447400123456" and client.message_channel == "both"
    assert AuditEvent.objects.filter(action=Action.CHANGED, target=Target.CLIENT).exists()


@pytest.fixture
def on_file(clinic):
    kept = factories.client(
        clinic.organisation,
        first_name="Priya",
        last_name="Shah",
        phone="+447400123456",
        date_of_birth=date(1988, 4, 2),
    )
    erased = factories.client(clinic.organisation, first_name="Priya", last_name="Gone")
    erased = erasure_request(erased, by=clinic.owner.user, reason="Asked by phone")
    return kept, erased


@pytest.mark.parametrize(
    "typed", ["priya", "Shah Priya", "07400 123456", "+44 7400 123456", "02/04/1988", "1988-04-02"]
)
def test_search_finds_by_name_phone_in_any_format_or_date_of_birth(desk, on_file, typed):
    kept, _ = on_file
    page = desk.get(reverse("clients:list"), {"q": typed}).content.decode()
    assert reverse("clients:detail", args=[kept.public_id]) in page
    assert "1 client matching" in page


def test_an_erased_client_is_never_offered_nor_booked(clinic, desk, on_file):
    _, erased = on_file
    assert (
        reverse("clients:detail", args=[erased.public_id])
        not in desk.get(reverse("clients:list"), {"q": "priya"}).content.decode()
    )
    form = BookingForm(location=clinic.location)
    assert erased not in form.fields["client"].queryset  # type: ignore[attr-defined]
    assert desk.get(reverse("clients:edit", args=[erased.public_id])).status_code == 404
    offered = factories.service(clinic.location, kind="consultation", area="", indication="")
    for channel in (Channel.STAFF, Channel.ONLINE, Channel.API, Channel.IMPORT):
        with pytest.raises(DomainError) as refused:
            booking_create(
                client=erased,
                service=offered,
                starts_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
                channel=channel,
                now=NOW,
            )
        assert refused.value.code == "client_erased"
    assert not erased.bookings.exists()


def test_the_record_names_a_contraindication_instead_of_its_key(clinic, desk):
    from needlepoint.clients.choices import SubmissionSource
    from needlepoint.clients.services import questionnaire_submit, screening_run
    from needlepoint.clinical import default_rules

    client = factories.client(clinic.organisation)
    answers = {q.key: {"present": False} for q in default_rules().questions()}
    answers["ci.isotretinoin_recent"] = {"present": True, "ongoing": True}
    questionnaire_submit(
        client=client,
        answers=answers,
        answered_on=date(2026, 11, 20),
        source=SubmissionSource.STAFF,
    )
    screening_run(client=client, on_date=date(2026, 11, 23))
    page = (
        factories.signed_in(clinic.practitioner)
        .get(reverse("clients:detail", args=[client.public_id]))
        .content.decode()
    )
    assert "(Oral isotretinoin now or recently)" in page
    assert "ci.isotretinoin_recent" not in page


def test_an_alert_and_notes_are_kept_on_the_record_and_shown_where_the_client_appears(clinic, desk):
    client = factories.client(clinic.organisation, phone="")
    details = CALLER | {
        "first_name": client.first_name,
        "last_name": client.last_name,
        "alert": "  Needle-phobic: numb 45 min  ",
        "notes": "Prefers mornings.",
    }
    desk.post(reverse("clients:edit", args=[client.public_id]), details)
    client.refresh_from_db()
    assert (client.alert, client.notes) == ("Needle-phobic: numb 45 min", "Prefers mornings.")
    record = desk.get(reverse("clients:detail", args=[client.public_id])).content.decode()
    assert "Needle-phobic: numb 45 min" in record and "Prefers mornings." in record
    consultation = factories.service(clinic.location, kind="consultation", area="", indication="")
    booking = booking_create(
        client=client,
        service=consultation,
        practitioner=clinic.practitioner,
        starts_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
        channel=Channel.STAFF,
    )
    page = desk.get(reverse("scheduling:booking", args=[booking.public_id])).content.decode()
    assert "Needle-phobic: numb 45 min" in page
    erased = erasure_request(client, by=clinic.owner.user, reason="Asked by phone")
    assert (erased.alert, erased.notes) == ("", "")


@pytest.mark.parametrize(
    "lookalike",
    [
        {"first_name": "Priya", "last_name": "Patel", "date_of_birth": date(1988, 4, 2)},
        {"first_name": "Pri", "last_name": "Shah", "date_of_birth": date(1988, 4, 2)},
        {"first_name": "Anna", "last_name": "Other", "phone": "+447400123456"},
    ],
)
def test_a_possible_duplicate_is_shown_before_a_new_client_is_added(clinic, desk, lookalike):
    on_file = factories.client(clinic.organisation, **lookalike)
    first = desk.post(reverse("clients:new"), CALLER).content.decode()
    assert "Is it one of these clients on file?" in first
    assert reverse("clients:detail", args=[on_file.public_id]) in first
    assert Client.objects.count() == 1  # nothing added yet
    response = desk.post(reverse("clients:new"), CALLER | {"not_on_file": "on"})
    assert response.status_code == 302 and Client.objects.count() == 2


def test_an_erased_client_is_not_offered_as_a_duplicate(clinic, desk):
    gone = factories.client(clinic.organisation, first_name="Priya", date_of_birth=date(1988, 4, 2))
    erasure_request(gone, by=clinic.owner.user, reason="Asked by phone")
    response = desk.post(reverse("clients:new"), CALLER)
    assert response.status_code == 302
