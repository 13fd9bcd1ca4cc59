"""The staff pages: sign-in, the home page and the client record, scoped to the organisation."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.services import questionnaire_submit
from needlepoint.clinical import default_rules
from needlepoint.treatments.models import AdverseEvent, TreatmentSession, ZoneTreatment
from tests import factories


def signed_in(member) -> Browser:
    return factories.signed_in(member)


def screened(client, **declared) -> None:
    items: dict[str, object] = {q.key: {"present": False} for q in default_rules().questions()}
    for key, answer in declared.items():
        items[f"ci.{key}"] = {"present": True, **answer}
    questionnaire_submit(
        client=client, answers=items, answered_on=date(2026, 11, 1), source=SubmissionSource.STAFF
    )


def treated(
    clinic, client, on: date, zones: dict[str, float], indication: str = "ind.acne_scars"
) -> None:
    session = TreatmentSession.objects.create(
        client=client,
        location=clinic.location,
        practitioner=clinic.practitioner,
        indication=indication,
        performed_on=on,
    )
    for zone, depth in zones.items():
        ZoneTreatment.objects.create(session=session, zone=zone, depth_mm=depth)


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Browser().get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_sign_in_with_email_and_password_and_see_their_clinic(clinic):
    browser = Browser()
    response = browser.post(
        reverse("accounts:login"),
        {"username": clinic.front_desk.user.email, "password": factories.PASSWORD},
        follow=True,
    )
    assert response.status_code == 200
    assert clinic.organisation.name in response.content.decode()
    assert "Monday–Friday 9:00–18:00" in response.content.decode()
    assert "Sunday closed" in response.content.decode()


def test_a_wrong_password_is_refused_with_a_message(clinic):
    response = Browser().post(
        reverse("accounts:login"), {"username": clinic.owner.user.email, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "correct email and password" in response.content.decode()


def test_a_signed_in_user_without_a_staff_role_is_refused(db):
    from needlepoint.accounts.models import User

    user = User.objects.create_user(
        "someone@example.test", factories.PASSWORD, full_name="Some One"
    )
    browser = Browser()
    browser.force_login(user)
    assert browser.get(reverse("staff:home")).status_code == 403


def test_the_home_page_lists_clients_waiting_for_review(clinic):
    waiting = factories.client(clinic.organisation, first_name="Wanda", last_name="Waiting")
    screened(waiting, anticoagulant={})
    cleared = factories.client(clinic.organisation, first_name="Clara", last_name="Clear")
    screened(cleared)
    page = signed_in(clinic.front_desk).get(reverse("staff:home")).content.decode()
    assert "Wanda Waiting" in page
    assert "Clara Clear" not in page


def test_health_data_pages_are_not_cached(clinic):
    client = factories.client(clinic.organisation)
    response = signed_in(clinic.practitioner).get(
        reverse("clients:detail", args=[client.public_id])
    )
    assert response["Cache-Control"] == "no-store"


@time_machine.travel(datetime(2026, 11, 23, 12, tzinfo=UTC), tick=False)
def test_the_client_page_shows_screening_reasons_and_the_next_eligible_date(clinic):
    client = factories.client(clinic.organisation, first_name="Ida", last_name="Interval")
    screened(client, hsv_history={})
    treated(clinic, client, date(2026, 11, 1), {"zone.cheeks": 1.5})
    page = (
        signed_in(clinic.practitioner)
        .get(reverse("clients:detail", args=[client.public_id]))
        .content.decode()
    )
    assert "Ida Interval" in page
    assert "(Past facial herpes)" in page  # the rule's name, never its key
    assert "ci.hsv_history" not in page
    assert "Sunday 29 November 2026" in page  # 1 Nov + 28 days at a dermal depth
    assert "Cheeks 1.50 mm" in page


def test_an_open_adverse_event_blocks_the_next_session_on_the_client_page(clinic):
    client = factories.client(clinic.organisation)
    screened(client)
    treated(clinic, client, date(2026, 9, 1), {"zone.cheeks": 1.5})
    AdverseEvent.objects.create(
        client=client, kind="ae.pih", zones=["zone.cheeks"], grade=2, onset_on=date(2026, 9, 20)
    )
    page = (
        signed_in(clinic.practitioner)
        .get(reverse("clients:detail", args=[client.public_id]))
        .content.decode()
    )
    assert "Not bookable yet" in page
    assert "Open" in page


def test_another_organisations_client_is_not_found(clinic, other_clinic):
    stranger = factories.client(other_clinic.organisation)
    response = signed_in(clinic.owner).get(reverse("clients:detail", args=[stranger.public_id]))
    assert response.status_code == 404


def test_the_client_list_shows_only_the_organisations_clients_and_searches(clinic, other_clinic):
    factories.client(clinic.organisation, first_name="Nora", last_name="Ours")
    factories.client(clinic.organisation, first_name="Otto", last_name="Ours")
    factories.client(other_clinic.organisation, first_name="Theo", last_name="Theirs")
    browser = signed_in(clinic.front_desk)
    page = browser.get(reverse("clients:list")).content.decode()
    assert "Ours, Nora" in page and "Ours, Otto" in page
    assert "Theirs" not in page
    found = browser.get(reverse("clients:list"), {"q": "nora ours"}).content.decode()
    assert "Ours, Nora" in found and "Ours, Otto" not in found


def count_queries(browser: Browser, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def test_the_client_list_costs_the_same_queries_for_ten_or_fifty_clients(clinic):
    browser = signed_in(clinic.front_desk)
    for _ in range(10):
        screened(factories.client(clinic.organisation))
    few = count_queries(browser, reverse("clients:list"))
    for _ in range(40):
        screened(factories.client(clinic.organisation))
    assert count_queries(browser, reverse("clients:list")) == few


def test_the_client_page_costs_the_same_queries_for_one_or_many_sessions(clinic):
    client = factories.client(clinic.organisation)
    screened(client)
    browser = signed_in(clinic.practitioner)
    url = reverse("clients:detail", args=[client.public_id])
    treated(clinic, client, date(2026, 1, 1), {"zone.cheeks": 1.5})
    one = count_queries(browser, url)
    for month in range(2, 9):
        treated(clinic, client, date(2026, month, 1), {"zone.cheeks": 1.5, "zone.chin": 1.0})
    assert count_queries(browser, url) == one


def test_the_home_page_costs_the_same_queries_however_many_clients_wait(clinic):
    browser = signed_in(clinic.owner)
    few = count_queries(browser, reverse("staff:home"))
    for _ in range(8):
        screened(factories.client(clinic.organisation), anticoagulant={})
    assert count_queries(browser, reverse("staff:home")) == few


@pytest.mark.parametrize("role", ["owner", "manager", "practitioner", "front_desk", "trainee"])
def test_every_staff_role_can_open_the_home_page_and_client_list(clinic, role):
    browser = signed_in(getattr(clinic, role))
    assert browser.get(reverse("staff:home")).status_code == 200
    assert browser.get(reverse("clients:list")).status_code == 200


@time_machine.travel(datetime(2026, 11, 24, 8, tzinfo=UTC), tick=False)
def test_the_home_page_lists_todays_visits_in_local_time_at_a_fixed_query_cost(clinic):
    from needlepoint.scheduling.choices import Channel
    from needlepoint.scheduling.services import booking_create

    offered = factories.service(clinic.location)
    browser = signed_in(clinic.front_desk)

    def book(hour, day=24):
        start = datetime(2026, 11, day, hour, tzinfo=clinic.location.zone)
        client = factories.screened_client(clinic.organisation)
        booking_create(client=client, service=offered, starts_at=start, channel=Channel.STAFF)
        return client

    first = book(10)
    tomorrow = book(10, day=25)
    page = browser.get(reverse("staff:home")).content.decode()
    assert f"10:00 {first.full_name}" in page
    assert tomorrow.full_name not in page
    few = count_queries(browser, reverse("staff:home"))
    for hour in (12, 14, 16):
        book(hour)
    assert count_queries(browser, reverse("staff:home")) == few
