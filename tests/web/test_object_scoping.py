"""Changing an id in a URL never reaches another clinic's records, and the attempt is logged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter

from needlepoint.accounts.permissions import ANYONE, CLIENT, access_for
from needlepoint.audit.choices import Action, Target
from needlepoint.audit.models import AuditEvent
from needlepoint.consents.choices import SignatureKind
from needlepoint.consents.models import ConsentForm
from needlepoint.consents.services import consent_form_publish, consent_sign
from needlepoint.scheduling.links import booking_link, booking_token
from needlepoint.treatments.services import photo_add
from tests import factories

VISIT = datetime(2027, 3, 2, 10, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("at_the_visit")


@pytest.fixture
def at_the_visit() -> Iterator[None]:
    """The clock at the visit, whatever the real date: its booking link is live till it ends."""
    with time_machine.travel(VISIT, tick=False):
        yield


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
        reverse("clients:edit", args=[client.public_id]),
        reverse("scheduling:booking", args=[booking.public_id]),
        reverse("treatments:chart", args=[session.public_id]),
        reverse("treatments:session_pdf", args=[session.public_id]),
        reverse("treatments:course_pdf", args=[client.public_id, session.indication]),
        reverse("treatments:compare", args=[client.public_id]),
        reverse("treatments:photo", args=[photo.public_id, "full"]),
        reverse("treatments:photo", args=[photo.public_id, "thumb"]),
        reverse("scheduling:course_new", args=[client.public_id]),
    ]


def assert_refusal_logged(url: str, member, status: int, method: str = "GET") -> None:
    denied = AuditEvent.objects.filter(
        action=Action.DENIED, path=url, actor=member.user.email
    ).get()
    assert denied.role == member.role
    assert denied.organisation_id == member.organisation_id
    assert (denied.detail["status"], denied.detail["method"]) == (status, method)


@pytest.mark.parametrize("role", ["owner", "manager", "practitioner", "front_desk", "trainee"])
def test_staff_of_another_clinic_get_not_found_and_the_attempt_is_logged(clinic, theirs, role):
    """Not found wherever the role may go; elsewhere refused by role (403) before any lookup."""
    member = getattr(clinic, role)
    browser = factories.signed_in(member)
    reachable = 0
    for url in their_urls(theirs):
        allowed = role in access_for(resolve(url).view_name).who
        reachable += allowed
        response = browser.get(url)
        assert response.status_code == (404 if allowed else 403), url
        assert theirs[0].full_name.encode() not in response.content
        assert_refusal_logged(url, member, response.status_code)
    assert reachable >= 3  # the client, their booking and a new course, for every role


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
    assert_refusal_logged(other.replace(token, "…"), clinic.front_desk, 404)  # no token kept


def test_a_booking_links_holder_reaching_for_another_clients_consent_is_logged(clinic, theirs):
    mine = treated(clinic)
    token = booking_token(mine[1])
    other = reverse("public:consent_pdf", args=[token, theirs[4].public_id])
    assert Client().get(other).status_code == 404
    logged_as = other.replace(token, "…")  # the log keeps no token that acts for its holder
    denied = AuditEvent.objects.filter(action=Action.DENIED, path=logged_as).get()
    assert (denied.actor, denied.target) == ("anonymous", Target.CONSENT)
    assert denied.target_id == str(theirs[4].public_id)
    assert denied.client_id == mine[0].pk
    assert denied.organisation_id == clinic.organisation.pk
    assert not AuditEvent.objects.filter(action=Action.PRINTED, client=theirs[0]).exists()


def public_routes() -> Iterator[tuple[str, list[object]]]:
    """(view name, converters) of every URL of the public and portal pages, and of any other
    page the permission table opens to anyone or to a portal client."""

    def walk(patterns: list[Any], namespace: str, outer: list[object]):
        for pattern in patterns:
            converters = [*outer, *getattr(pattern.pattern, "converters", {}).values()]
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner.strip(":"), converters)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}:{pattern.name}".strip(":"), converters

    for name, converters in walk(get_resolver().url_patterns, "", []):
        opened_to = access_for(name).who
        if name.split(":")[0] in {"public", "portal"} or opened_to & {ANYONE, CLIENT}:
            yield name, converters


def test_no_public_or_portal_url_takes_a_sequential_id():
    routes = dict(public_routes())
    assert {"public:times", "public:consent_sign", "public:portal", "public:booking"} <= set(routes)
    sequential = [
        name
        for name, converters in routes.items()
        if any(isinstance(converter, IntConverter) for converter in converters)
    ]
    assert sequential == []


def test_public_links_carry_no_sequential_ids(clinic):
    _, _, session, photo, _ = treated(clinic)
    booking = factories.booked_treatment(clinic, VISIT + timedelta(days=7))
    due = ConsentForm.objects.create(organisation=clinic.organisation, name="Photography")
    due.services.add(booking.service)
    consent_form_publish(form=due, text="Photos may be taken for my record.")
    place = (clinic.organisation.slug, clinic.location.slug)
    links = [
        reverse("treatments:chart", args=[session.public_id]),
        reverse("treatments:photo", args=[photo.public_id, "full"]),
    ]
    browser = Client()
    for page in (reverse("public:services", args=place), booking_link(booking)):
        shown = browser.get(page).content.decode()
        links += [page, *re.findall(r'href="(/(?:c|b)/[^"?#]+)', shown)]
    assert any("/book/" in link for link in links) and any("/consent/" in link for link in links)
    for url in links:
        numbers = [part for part in url.split("/") if part.isdigit()]
        assert numbers == [], url
