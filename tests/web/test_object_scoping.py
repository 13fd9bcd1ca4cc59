"""Changing an id in a URL never reaches another clinic's records, and the attempt is logged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from needlepoint.audit.choices import Action
from needlepoint.audit.models import AuditEvent
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm
from needlepoint.consents.services import consent_form_publish, consent_sign
from needlepoint.public.links import booking_token
from needlepoint.treatments.services import photo_add
from tests import factories

VISIT = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)


def treated(clinic):
    """A client of ``clinic`` with a booking, an open chart, a photo and a signed consent."""
    session = factories.open_chart(clinic, VISIT)
    user = clinic.practitioner.user
    photo = photo_add(
        session=session, view="front", timing="before", data=factories.photo_bytes(), by=user
    )
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Consent")
    version = consent_form_publish(form=form, text="I consent.")
    signed = consent_sign(
        client=session.client, form_version=version, kind=SignatureKind.TYPED, typed_name="A C"
    )
    return session.client, session.booking, session, photo, signed


@pytest.fixture
def theirs(other_clinic):
    return treated(other_clinic)


def their_urls(theirs) -> list[str]:
    client, booking, session, photo, _ = theirs
    return [
        reverse("clients:detail", args=[client.public_id]),
        reverse("scheduling:booking", args=[booking.public_id]),
        reverse("treatments:chart", args=[session.public_id]),
        reverse("treatments:session_pdf", args=[session.public_id]),
        reverse("treatments:course_pdf", args=[client.public_id, session.indication]),
        reverse("treatments:compare", args=[client.public_id]),
        reverse("treatments:photo", args=[photo.public_id, "full"]),
        reverse("treatments:photo", args=[photo.public_id, "thumb"]),
        reverse("scheduling:course_new", args=[client.public_id]),
    ]


@pytest.mark.parametrize("role", ["owner", "manager", "practitioner"])
def test_staff_of_another_clinic_get_not_found_and_the_attempt_is_logged(clinic, theirs, role):
    browser = factories.signed_in(getattr(clinic, role))
    for url in their_urls(theirs):
        response = browser.get(url)
        assert response.status_code == 404, url
        assert theirs[0].full_name.encode() not in response.content
        denied = AuditEvent.objects.filter(action=Action.DENIED, path=url).get()
        assert denied.actor == getattr(clinic, role).user.email
        assert denied.organisation_id == clinic.organisation.pk
        assert denied.detail["status"] == 404


def test_a_practitioner_sees_no_chart_or_photo_at_a_location_they_do_not_work_at(clinic):
    elsewhere = factories.location(clinic.organisation, name="Seafront")
    colleague = factories.staff_member(clinic.organisation, "practitioner", elsewhere)
    _, booking, session, photo, _ = treated(clinic)
    browser = factories.signed_in(colleague)
    for url in (
        reverse("treatments:chart", args=[session.public_id]),
        reverse("treatments:photo", args=[photo.public_id, "full"]),
        reverse("scheduling:booking", args=[booking.public_id]),
    ):
        assert browser.get(url).status_code == 404, url


def test_a_booking_link_opens_only_its_own_clients_signed_consent(clinic, theirs):
    mine = treated(clinic)
    token = booking_token(mine[1])
    own = reverse("public:consent_pdf", args=[token, mine[4].public_id])
    assert factories.signed_in(clinic.front_desk).get(own).status_code == 200
    other = reverse("public:consent_pdf", args=[token, theirs[4].public_id])
    assert factories.signed_in(clinic.front_desk).get(other).status_code == 404


def test_public_links_carry_no_sequential_ids(clinic):
    _, booking, session, photo, signed = treated(clinic)
    for url in (
        reverse("public:booking", args=[booking_token(booking)]),
        reverse("treatments:chart", args=[session.public_id]),
        reverse("treatments:photo", args=[photo.public_id, "full"]),
    ):
        numbers = [part for part in url.split("/") if part.isdigit()]
        assert numbers == [], url
