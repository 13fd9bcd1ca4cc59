"""Two records of one person merged by the front desk: what moves, what never does, the
duplicate closed, the audit trail, and the page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.clients.models import Client, MarketingConsent
from needlepoint.clients.newsletter import newsletter_sign_up
from needlepoint.clients.photo_consent import photo_consent_give
from needlepoint.clients.queries import possible_duplicates, search_clients
from needlepoint.core.errors import DomainError
from needlepoint.imports.models import ExternalClientId
from needlepoint.notifications.models import Message
from needlepoint.privacy.merge import CLINICAL, MOVED, STAYS, client_merge, client_relations
from needlepoint.public.portal import portal_link_create
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking, Course, Service, WaitlistEntry
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
VISIT = datetime(2026, 11, 24, 10, tzinfo=UTC)  # a Tuesday; London is on UTC
BORN = date(1988, 4, 9)


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class Pair:
    clinic: factories.Clinic
    kept: Client
    duplicate: Client
    consultation: Service


@pytest.fixture
def pair(clinic) -> Pair:
    """Dana on file twice: screened and treated-to-be under one record, booked for a
    consultation under the other (no email on the first, no phone on the second)."""
    kept = factories.screened_client(
        clinic.organisation,
        first_name="Dana",
        last_name="Whitfield",
        email="",
        phone="+447700900123",
        date_of_birth=BORN,
        alert="Needle-phobic: numb 45 min",
    )
    duplicate = factories.client(
        clinic.organisation,
        first_name="Dana",
        last_name="Whitfield",
        email="dana@example.test",
        phone="",
        date_of_birth=BORN,
        fitzpatrick=None,
        alert="Prefers mornings",
        notes="Came by the website.",
    )
    consultation = factories.service(
        clinic.location, name="Skin consultation", kind="consultation", area="", indication=""
    )
    return Pair(clinic, kept, duplicate, consultation)


def merge(pair: Pair, **kwargs: object) -> Client:
    arguments: dict[str, object] = {
        "kept": pair.kept,
        "duplicate": pair.duplicate,
        "by": pair.clinic.front_desk.user,
        "reason": "Same person: same mobile and birthday, registered twice.",
    }
    return client_merge(**(arguments | kwargs))  # type: ignore[arg-type]


def book(pair: Pair, client: Client) -> Booking:
    return booking_create(
        client=client, service=pair.consultation, starts_at=VISIT, channel=Channel.STAFF, now=NOW
    )


def test_the_duplicates_bookings_courses_places_consents_messages_links_and_ids_move(pair):
    booking = book(pair, pair.duplicate)
    course = Course.objects.create(
        client=pair.duplicate, service=pair.consultation, planned_sessions=2, interval_days=30
    )
    place = WaitlistEntry.objects.create(
        client=pair.duplicate,
        service=pair.consultation,
        earliest_on=date(2026, 12, 1),
        latest_on=date(2026, 12, 20),
    )
    newsletter = newsletter_sign_up(
        organisation=pair.clinic.organisation, email="dana@example.test", source="website"
    )
    imported = ExternalClientId.objects.create(
        organisation=pair.clinic.organisation, external_id="OLD-17", client=pair.duplicate
    )
    assert portal_link_create(organisation=pair.clinic.organisation, email="dana@example.test")
    assert Message.objects.filter(client=pair.duplicate).exists()  # the booking's confirmation

    merge(pair)

    kept = pair.kept
    assert Booking.objects.get(pk=booking.pk).client == kept
    assert Course.objects.get(pk=course.pk).client == kept
    assert WaitlistEntry.objects.get(pk=place.pk).client == kept
    assert MarketingConsent.objects.get(pk=newsletter.pk).client == kept
    assert ExternalClientId.objects.get(pk=imported.pk).client == kept
    assert kept.portal_links.count() == 1
    assert not Message.objects.filter(client=pair.duplicate).exists()
    for relation in client_relations():
        if relation.related_model._meta.label_lower in MOVED:
            model = relation.related_model
            assert not model._base_manager.filter(**{relation.field.name: pair.duplicate}).exists()


def test_the_kept_record_takes_the_details_it_lacks_and_joins_alerts_and_notes(pair):
    Client.objects.filter(pk=pair.duplicate.pk).update(date_of_birth=date(1988, 4, 10))
    pair.duplicate.refresh_from_db()
    kept = merge(pair)

    assert kept.email == "dana@example.test"  # it had none
    assert kept.phone == "+447700900123"  # its own
    assert kept.date_of_birth == BORN  # the kept record's, always
    assert kept.fitzpatrick == 2
    assert kept.alert == "Needle-phobic: numb 45 min · Prefers mornings"
    assert kept.notes == "Came by the website."


def test_the_duplicate_is_closed_pointing_at_the_kept_record(pair):
    merge(pair)
    duplicate = Client.objects.get(pk=pair.duplicate.pk)

    assert duplicate.merged_into == pair.kept
    assert duplicate.anonymised_at == NOW
    assert (duplicate.email, duplicate.phone, duplicate.alert, duplicate.notes) == ("", "", "", "")
    assert duplicate.full_name == "Merged record"
    assert duplicate.erasure_requested_at is None  # not an erasure: nothing to purge
    desk = pair.clinic.front_desk
    assert list(search_clients(desk, "Whitfield")) == [pair.kept]
    same = {"first_name": "Dana", "last_name": "x", "phone": "", "date_of_birth": BORN}
    assert list(possible_duplicates(desk, **same)) == [pair.kept]
    with pytest.raises(DomainError) as refused:
        book(pair, duplicate)
    assert refused.value.code == "client_erased"


def test_one_audit_event_on_each_record_names_the_other_and_what_moved(pair):
    book(pair, pair.duplicate)
    merge(pair)

    on_kept = AuditEvent.objects.get(client=pair.kept, action=Action.CHANGED)
    on_duplicate = AuditEvent.objects.get(client=pair.duplicate, action=Action.CHANGED)
    assert on_kept.target == on_duplicate.target == Target.CLIENT
    assert on_kept.detail["merged_from"] == str(pair.duplicate.public_id)
    assert on_duplicate.detail["merged_into"] == str(pair.kept.public_id)
    assert on_kept.detail["moved"]["scheduling.booking"] == 1
    assert "email" in on_kept.detail["copied"]
    assert on_kept.reason.startswith("Same person")


def test_of_two_live_photo_consents_the_earlier_stays_and_it_names_the_kept_record(pair):
    first = photo_consent_give(client=pair.duplicate, source="desk", now=NOW - timedelta(days=9))
    later = photo_consent_give(client=pair.kept, source="desk", now=NOW - timedelta(days=2))

    merge(pair)

    first.refresh_from_db()
    later.refresh_from_db()
    assert first.client == later.client == pair.kept
    assert first.address == str(pair.kept.public_id) and first.withdrawn_at is None
    assert later.withdrawn_at == NOW


@pytest.mark.parametrize(
    ("who", "code"),
    [
        ("practitioner", "not_allowed"),
        ("trainee", "not_allowed"),
    ],
)
def test_only_the_desk_merges(pair, who, code):
    with pytest.raises(DomainError) as refused:
        merge(pair, by=getattr(pair.clinic, who).user)
    assert refused.value.code == code
    assert_nothing_changed(pair)


def assert_nothing_changed(pair: Pair) -> None:
    for client in (pair.kept, pair.duplicate):
        fresh = Client.objects.get(pk=client.pk)
        assert (fresh.full_name, fresh.email, fresh.alert, fresh.merged_into_id) == (
            client.full_name,
            client.email,
            client.alert,
            client.merged_into_id,
        )
    assert not AuditEvent.objects.filter(action=Action.CHANGED, target=Target.CLIENT).exists()


def test_a_record_is_never_merged_with_itself_nor_without_a_reason(pair):
    with pytest.raises(DomainError) as refused:
        merge(pair, duplicate=pair.kept)
    assert refused.value.code == "same_client"
    with pytest.raises(DomainError) as refused:
        merge(pair, reason="  ")
    assert refused.value.code == "reason_required"
    assert_nothing_changed(pair)


def test_never_across_organisations(pair, other_clinic):
    elsewhere = factories.client(other_clinic.organisation, first_name="Dana")
    with pytest.raises(DomainError) as refused:
        merge(pair, duplicate=elsewhere)
    assert refused.value.code == "wrong_organisation"
    assert Client.objects.get(pk=elsewhere.pk).merged_into is None


def test_never_an_erased_or_already_merged_record(pair):
    from needlepoint.privacy.erasure import erasure_request

    third = factories.client(pair.clinic.organisation, first_name="Dana", email="")
    merge(pair, duplicate=third)
    with pytest.raises(DomainError) as refused:
        merge(pair, duplicate=Client.objects.get(pk=third.pk))
    assert refused.value.code == "already_merged"
    erased = erasure_request(pair.duplicate, by=pair.clinic.manager.user, reason="Asked to.")
    with pytest.raises(DomainError) as refused:
        merge(pair, duplicate=erased)
    assert refused.value.code == "client_erased"


def test_a_duplicate_holding_clinical_records_is_refused_keep_it_instead(pair):
    book(pair, pair.duplicate)
    with pytest.raises(DomainError) as refused:
        merge(pair, kept=pair.duplicate, duplicate=pair.kept)
    assert refused.value.code == "keep_the_other"
    assert "Merge the other way round: keep Dana Whitfield" in refused.value.message
    assert "medical histories: 1, screenings: 1" in refused.value.message
    assert Booking.objects.get(client=pair.duplicate)  # nothing moved
    assert_nothing_changed(pair)


def test_two_records_both_holding_clinical_records_are_never_merged(pair):
    factories.medical_history(pair.duplicate)
    with pytest.raises(DomainError) as refused:
        merge(pair)
    assert refused.value.code == "both_clinical"
    assert_nothing_changed(pair)


def test_alerts_too_long_together_are_refused_not_cut(pair):
    Client.objects.filter(pk=pair.duplicate.pk).update(alert="Allergic to lidocaine. " * 8)
    pair.duplicate.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        merge(pair)
    assert refused.value.code == "alert_too_long"
    assert_nothing_changed(pair)


def test_every_relation_to_a_client_is_moved_or_listed_as_clinical_or_staying():
    """A new model pointing at Client fails here until merge.py says what a merge does with it."""
    listed = set(CLINICAL) | set(MOVED) | set(STAYS)
    related = {relation.related_model._meta.label_lower for relation in client_relations()}
    assert related - listed == set(), "add it to MOVED, CLINICAL or STAYS in privacy/merge.py"
    assert listed - related == set(), "privacy/merge.py lists a relation that no longer exists"
    assert not set(CLINICAL) & set(MOVED)


def merge_url(client: Client) -> str:
    return reverse("clients:merge", args=[client.public_id])


def test_the_desk_finds_the_duplicate_sees_both_side_by_side_and_merges(pair):
    book(pair, pair.duplicate)
    browser = factories.signed_in(pair.clinic.front_desk)
    record = browser.get(reverse("clients:detail", args=[pair.kept.public_id])).content.decode()
    assert merge_url(pair.kept) in record

    page = browser.get(merge_url(pair.kept)).content.decode()
    assert f"?other={pair.duplicate.public_id}" in page  # suggested: same name and birthday
    found = browser.get(merge_url(pair.kept), {"q": "dana@example"}).content.decode()
    assert f"?other={pair.duplicate.public_id}" in found
    side = browser.get(merge_url(pair.kept), {"other": pair.duplicate.public_id})
    text = side.content.decode()
    assert "bookings: 1" in text and "Copied here" in text and "Joined" in text
    assert "9 April 1988" in text and "Needle-phobic: numb 45 min" in text

    response = browser.post(
        merge_url(pair.kept),
        {"other": pair.duplicate.public_id, "reason": "Same mobile.", "confirm": "on"},
    )

    assert response.status_code == 302
    assert Client.objects.get(pk=pair.duplicate.pk).merged_into == pair.kept
    closed = browser.get(reverse("clients:detail", args=[pair.duplicate.public_id]))
    assert "Merged into" in closed.content.decode()
    assert reverse("clients:detail", args=[pair.kept.public_id]) in closed.content.decode()
    assert browser.get(merge_url(pair.duplicate)).status_code == 404  # closed: no merging into


def test_the_page_refuses_saying_why_and_changes_nothing(pair):
    book(pair, pair.duplicate)
    browser = factories.signed_in(pair.clinic.front_desk)
    the_other_way = {"other": pair.kept.public_id}

    side = browser.get(merge_url(pair.duplicate), the_other_way).content.decode()
    assert "Merge the other way round: keep Dana Whitfield" in side
    assert f"{merge_url(pair.kept)}?other={pair.duplicate.public_id}" in side
    response = browser.post(
        merge_url(pair.duplicate), the_other_way | {"reason": "Same.", "confirm": "on"}
    )
    assert response.status_code == 200
    assert "Merge the other way round" in response.content.decode()
    unconfirmed = browser.post(merge_url(pair.kept), {"other": pair.duplicate.public_id})
    assert unconfirmed.status_code == 200
    assert "This field is required." in unconfirmed.content.decode()
    assert_nothing_changed(pair)


def test_another_organisations_client_is_not_found(pair, other_clinic):
    elsewhere = factories.client(other_clinic.organisation, first_name="Dana")
    browser = factories.signed_in(pair.clinic.front_desk)
    assert browser.get(merge_url(elsewhere)).status_code == 404
    assert browser.get(merge_url(pair.kept), {"other": elsewhere.public_id}).status_code == 404
    assert browser.get(merge_url(pair.kept), {"other": "not-a-record"}).status_code == 404
    posted = {"other": elsewhere.public_id, "reason": "Same.", "confirm": "on"}
    assert browser.post(merge_url(pair.kept), posted).status_code == 404
    assert Client.objects.get(pk=elsewhere.pk).merged_into is None
    assert_nothing_changed(pair)


def test_clinical_roles_see_no_merge_action(pair):
    browser = factories.signed_in(pair.clinic.practitioner)
    record = browser.get(reverse("clients:detail", args=[pair.kept.public_id])).content.decode()
    assert merge_url(pair.kept) not in record
    assert browser.get(merge_url(pair.kept)).status_code == 403


TEXT = st.one_of(st.text(max_size=60), st.sampled_from(["", " ", "\x00", "on", "0"]))


@hypothesis_settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(field=st.sampled_from(["other", "reason", "confirm"]), value=TEXT)
def test_any_text_in_the_merge_form_merges_or_changes_nothing(pair, field, value):
    browser = factories.signed_in(pair.clinic.front_desk)
    posted = {"other": str(pair.duplicate.public_id), "reason": "Same.", "confirm": "on"}
    before = list(Client.objects.order_by("pk").values())
    answer = browser.post(merge_url(pair.kept), posted | {field: value})
    assert answer.status_code in (200, 302, 404)
    if answer.status_code != 302:
        assert list(Client.objects.order_by("pk").values()) == before
