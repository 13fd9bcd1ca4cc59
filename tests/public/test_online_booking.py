"""Online booking through the client-facing pages, without a browser: rules and bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from needlepoint.clients.models import Client, QuestionnaireSubmission
from needlepoint.clinical import default_rules
from needlepoint.scheduling.choices import BookingStatus, Channel
from needlepoint.scheduling.links import booking_link, booking_token
from needlepoint.scheduling.models import Booking, Service
from needlepoint.scheduling.services import booking_create
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # Monday, 08:00 in London
WEDNESDAY_TEN = datetime(2026, 11, 25, 10, tzinfo=UTC)
DETAILS = {
    "first_name": "Cleo",
    "last_name": "Online",
    "email": "cleo@example.test",
    "phone": "07400 123456",
    "date_of_birth": "1991-04-02",
}


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """Run what a request leaves for after its commit (the emails), as a real request would."""
    return django_capture_on_commit_callbacks


@pytest.fixture
def setup(clinic):
    offered = factories.service(clinic.location)
    factories.works_opening_hours(clinic.practitioner, clinic.location)
    base = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book"
    return clinic, offered, base


def no_to_everything(**changes: str) -> dict[str, str]:
    answers = {question.key: "no" for question in default_rules().questions()}
    return answers | changes


def emailed_code(to: str = DETAILS["email"]) -> str:
    """The newest booking code emailed to ``to``."""
    codes = [
        found.group(1)
        for m in mail.outbox
        if m.to == [to] and (found := re.search(r"\b(\d{4,8})$", m.subject))
    ]  # in whichever language the client reads
    return codes[-1]


def through_to_health(client, base: str, offered: Service, start: datetime = WEDNESDAY_TEN):
    response = client.post(f"{base}/{offered.public_id}/", {"start": start.isoformat()})
    assert response.status_code == 302, response.content
    response = client.post(f"{base}/details/", DETAILS)
    assert response["Location"] == f"{base}/verify/"
    response = client.post(f"{base}/verify/", {"code": emailed_code()})
    assert response["Location"] == f"{base}/health/"


def test_the_location_page_shows_hours_closures_services_and_prices(client, setup):
    clinic, offered, _ = setup
    from datetime import date

    clinic.location.closures.create(
        starts_on=date(2026, 12, 25), ends_on=date(2026, 12, 26), reason="Christmas"
    )
    page = client.get(f"/c/{clinic.organisation.slug}/{clinic.location.slug}/").content.decode()
    for text in (
        "Monday–Friday 9:00–18:00",
        "Saturday 11:00–15:00",
        "Sunday closed",
        "25 December – 26 December · Christmas",
        "Microneedling — face",
        "60 min · £180.00",
    ):
        assert text in page


def test_the_widget_is_a_script_that_links_to_the_booking_flow(client, setup):
    clinic, _, base = setup
    response = client.get(f"/c/{clinic.organisation.slug}/{clinic.location.slug}/widget.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert f"http://testserver{base}/" in response.content.decode()


def test_the_times_page_lists_only_free_times_in_local_time(client, setup):
    clinic, offered, base = setup
    someone = factories.screened_client(clinic.organisation)
    booking_create(client=someone, service=offered, starts_at=WEDNESDAY_TEN, channel=Channel.STAFF)
    url = f"{base}/{offered.public_id}/?from=2026-11-25&day=2026-11-25"
    page = client.get(url).content.decode()
    assert 'value="2026-11-25T11:15:00+00:00"' in page
    assert ">11:15</button>" in page
    assert 'value="2026-11-25T10:00:00+00:00"' not in page  # taken
    assert 'value="2026-11-25T09:00:00+00:00"' not in page  # would run into it
    assert "Europe/London" in page


def test_the_day_strip_counts_each_days_free_times_in_the_clients_language(client, setup):
    clinic, offered, base = setup
    someone = factories.screened_client(clinic.organisation)
    booking_create(client=someone, service=offered, starts_at=WEDNESDAY_TEN, channel=Channel.STAFF)
    clinic.organisation.languages = ["en-gb", "de"]
    clinic.organisation.save(update_fields=["languages"])
    url = f"{base}/{offered.public_id}/?from=2026-11-25&day=2026-11-26"
    page = client.get(url).content.decode()
    chosen = (
        '<li><a href="?from=2026-11-25&amp;day=2026-11-26"\n'
        '        hx-get="?from=2026-11-25&amp;day=2026-11-26" hx-target="#times"'
        ' hx-swap="outerHTML" hx-push-url="true"\n'
        '        class="day selected"\n'
        '        aria-current="date">\n'
        '        <span class="weekday">Thu</span> <span class="date">26 Nov</span>\n'
        '        <span class="count">33 times</span>\n'
        "      </a></li>"
    )
    assert chosen in page
    counts = re.findall(r'<span class="count">([^<]*)</span>', page)
    # Wednesday around the booking, Saturday's short hours, Sunday closed
    assert counts == ["24 times", *["33 times"] * 2, "13 times", "none", *["33 times"] * 2]
    sunday = page[page.index("day=2026-11-29") :]
    assert 'class="day full"\n        >' in sunday
    assert '<span class="count">none</span>' in sunday[: sunday.index("</li>")]
    assert page.count('class="time"') == 33
    german = client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<span class="weekday">Do</span> <span class="date">26. Nov</span>' in german
    assert '<span class="count">33 Termine frei</span>' in german
    assert '<span class="count">keine</span>' in german


def test_the_times_page_shows_times_on_the_locations_clock_not_the_servers(client, setup):
    clinic, offered, base = setup
    clinic.location.time_zone = "America/New_York"
    clinic.location.save(update_fields=["time_zone"])
    url = f"{base}/{offered.public_id}/?from=2026-11-25&day=2026-11-25"
    page = client.get(url).content.decode()
    # Opening at 9:00 in New York is 14:00 UTC, and the button reads 09:00.
    button = 'name="start" value="2026-11-25T14:00:00+00:00" class="time">09:00</button>'
    assert button in page


def test_the_times_page_opens_on_the_first_free_day_even_weeks_away(client, setup):
    clinic, offered, base = setup
    from datetime import date

    clinic.location.closures.create(
        starts_on=date(2026, 11, 23), ends_on=date(2026, 12, 6), reason="Refit"
    )
    page = client.get(f"{base}/{offered.public_id}/").content.decode()
    assert 'value="2026-12-07T09:00:00+00:00"' in page  # the first free time, two weeks on
    assert "2026-12-13" in page  # the strip is that day's week
    # A day asked for beyond the week shown still lists its own times.
    later = client.get(f"{base}/{offered.public_id}/?from=2026-12-07&day=2026-12-21")
    assert 'value="2026-12-21T09:00:00+00:00"' in later.content.decode()


def test_a_time_that_is_not_free_is_refused_and_nothing_is_kept(client, setup):
    _, offered, base = setup
    for tampered in ("2026-11-25T10:07:00+00:00", "2026-11-29T10:00:00+00:00", "nonsense", ""):
        response = client.post(f"{base}/{offered.public_id}/", {"start": tampered}, follow=True)
        assert "no longer free" in response.content.decode()
    assert client.get(f"{base}/details/").status_code == 302  # back to the start


def test_another_locations_service_is_not_found(client, setup, other_clinic):
    _, _, base = setup
    theirs = factories.service(other_clinic.location)
    assert client.get(f"{base}/{theirs.public_id}/").status_code == 404


def test_details_refuse_a_bad_phone_a_future_birthday_and_overlong_names(client, setup):
    _, offered, base = setup
    client.post(f"{base}/{offered.public_id}/", {"start": WEDNESDAY_TEN.isoformat()})
    bad = DETAILS | {"phone": "12", "date_of_birth": "2030-01-01", "first_name": "x" * 101}
    page = client.post(f"{base}/details/", bad).content.decode()
    assert "Please give a phone number we can text" in page
    assert "Please give your real date of birth" in page
    assert "at most 100 characters" in page
    assert not Client.objects.exists()


def test_unanswered_questions_and_a_missing_date_change_nothing(client, setup):
    _, offered, base = setup
    through_to_health(client, base, offered)
    answers = no_to_everything(**{"ci.sunburn_area": "yes"})
    del answers["ci.pregnancy"]
    page = client.post(f"{base}/health/", answers).content.decode()
    assert "Please answer yes or no." in page
    assert "Please give the date, even roughly." in page
    assert not Client.objects.exists()
    assert not QuestionnaireSubmission.objects.exists()


def test_a_cleared_client_confirms_and_is_booked_online_with_an_email(client, setup, commits):
    clinic, offered, base = setup
    through_to_health(client, base, offered)
    response = client.post(f"{base}/health/", no_to_everything())
    assert response["Location"] == f"{base}/outcome/"
    assert "all set to book" in client.get(f"{base}/outcome/").content.decode()
    with commits(execute=True):
        response = client.post(f"{base}/outcome/")
    booking = Booking.objects.get()
    assert response["Location"] == booking_link(booking)
    assert (booking.channel, booking.starts_at) == (Channel.ONLINE, WEDNESDAY_TEN)
    assert booking.client.questionnaires.get().source == "online"
    subjects = [email.subject for email in mail.outbox]
    assert "Your appointment is confirmed: Wednesday 25 November 2026 at 10:00" in subjects
    assert "Getting ready for your treatment on Wednesday 25 November 2026 at 10:00" in subjects
    assert client.get(f"{base}/outcome/").status_code == 302  # the draft is gone


def test_a_returning_client_with_the_same_email_and_birthday_is_not_duplicated(client, setup):
    clinic, offered, base = setup
    known = factories.client(
        clinic.organisation, email="cleo@example.test", date_of_birth=datetime(1991, 4, 2).date()
    )
    through_to_health(client, base, offered)
    client.post(f"{base}/health/", no_to_everything())
    assert Client.objects.get() == known
    assert known.questionnaires.count() == 1


def test_a_known_email_with_another_birthday_is_refused_and_not_booked(client, setup):
    clinic, offered, base = setup
    factories.client(clinic.organisation, email="cleo@example.test")
    through_to_health(client, base, offered)
    response = client.post(f"{base}/health/", no_to_everything(), follow=True)
    assert "match our records" in response.content.decode()
    assert Client.objects.count() == 1
    assert not QuestionnaireSubmission.objects.exists()


def test_a_declined_client_is_told_why_and_offered_a_consultation(client, setup):
    clinic, offered, base = setup
    consultation = factories.service(
        clinic.location,
        name="Consultation",
        kind="consultation",
        area="",
        indication="",
        numbing_minutes=0,
        device_kind="",
    )
    through_to_health(client, base, offered)
    client.post(f"{base}/health/", no_to_everything(**{"ci.keloid_history": "yes"}))
    page = client.get(f"{base}/outcome/").content.decode()
    assert "We can't offer this treatment" in page
    assert f"{base}/{consultation.public_id}/" in page
    assert client.post(f"{base}/outcome/").status_code == 200  # no booking button works
    assert not Booking.objects.exists()


def test_a_client_needing_review_is_held_and_the_clinic_is_told(client, setup, commits):
    clinic, offered, base = setup
    clinic.location.email = "desk@clinic.test"
    clinic.location.save()
    through_to_health(client, base, offered)
    with commits(execute=True):
        client.post(f"{base}/health/", no_to_everything(**{"ci.anticoagulant": "yes"}))
    page = client.get(f"{base}/outcome/").content.decode()
    assert "A practitioner will check your answers" in page
    client.post(f"{base}/outcome/")
    assert not Booking.objects.exists()
    (email,) = [email for email in mail.outbox if "Your code" not in email.subject]
    assert email.to == ["desk@clinic.test"]
    assert "Cleo Online" in email.subject

    from django.test import Client as Browser

    desk = Browser()
    desk.force_login(clinic.front_desk.user)
    home = desk.get("/").content.decode()
    assert "Cleo Online</a>:\n        Microneedling — face, Wed 25 Nov, 10:00" in home
    book_link = "starts_at=2026-11-25T10:00"
    assert book_link in home
    form = desk.get(f"/calendar/{clinic.location.slug}/book/?{book_link}").content.decode()
    assert 'value="2026-11-25T10:00"' in form


# --- the links in the email ---------------------------------------------------------------


@pytest.fixture
def booked(setup):
    clinic, offered, _ = setup
    someone = factories.screened_client(clinic.organisation)
    return booking_create(
        client=someone, service=offered, starts_at=WEDNESDAY_TEN, channel=Channel.ONLINE
    )


def test_the_link_shows_the_booking_and_its_calendar_file(client, booked):
    page = client.get(booking_link(booked)).content.decode()
    assert "Wednesday 25 November 2026 at 10:00" in page
    ics = client.get(f"{booking_link(booked)}appointment.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20261125T100000Z" in ics.content


def test_a_forged_link_is_refused(client, booked):
    token = booking_token(booked)
    assert client.get(f"/b/{token[:-2]}xx/").status_code == 410
    assert client.post(f"/b/{token[:-2]}xx/cancel/").status_code == 410
    assert Booking.objects.get().status == BookingStatus.BOOKED


def test_the_client_cancels_online_and_the_old_link_cannot_act_again(client, booked, commits):
    link = booking_link(booked)
    with commits(execute=True):
        client.post(f"{link}cancel/")
    booked.refresh_from_db()
    assert booked.status == BookingStatus.CANCELLED
    assert [email.subject for email in mail.outbox] == [
        "Your appointment on Wednesday 25 November 2026 at 10:00 is cancelled"
    ]
    assert client.post(f"{link}cancel/").status_code == 410  # the booking changed


def test_inside_the_late_cancellation_window_the_link_cannot_cancel(client, booked):
    link = booking_link(booked)
    with time_machine.travel(WEDNESDAY_TEN - timedelta(hours=5), tick=False):
        response = client.post(f"{link}cancel/", follow=True)
    assert "Please call us" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == BookingStatus.BOOKED


def test_the_client_moves_the_booking_and_gets_a_new_link(client, booked, commits):
    link = booking_link(booked)
    new_start = WEDNESDAY_TEN + timedelta(days=1)
    with commits(execute=True):
        response = client.post(f"{link}move/", {"start": new_start.isoformat()})
    booked.refresh_from_db()
    assert booked.starts_at == new_start
    assert response["Location"] == booking_link(booked)
    assert client.get(link).status_code == 410  # the old link is stale
    assert "Your appointment has moved: Thursday 26 November 2026 at 10:00" in [
        email.subject for email in mail.outbox
    ]


def test_a_link_expires_when_the_visit_is_over(client, booked):
    link = booking_link(booked)
    with time_machine.travel(WEDNESDAY_TEN + timedelta(hours=2), tick=False):
        assert client.get(link).status_code == 410


def test_the_public_pages_cost_the_same_queries_however_many_bookings_exist(client, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clinic, offered, base = setup
    pages = [
        f"/c/{clinic.organisation.slug}/{clinic.location.slug}/",
        f"{base}/",
        f"{base}/{offered.public_id}/?from=2026-11-24",
    ]

    def counts() -> list[int]:
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    cold = counts()  # the first search reads the set-up; later ones reuse it
    before = counts()
    for day in range(24, 28):
        for hour in (9, 11, 13, 15):
            someone = factories.screened_client(clinic.organisation)
            booking_create(
                client=someone,
                service=offered,
                starts_at=datetime(2026, 11, day, hour, tzinfo=UTC),
                channel=Channel.STAFF,
            )
    assert counts() == before
    assert max(cold) <= 15


def test_prices_show_in_the_organisations_currency_and_nothing_costs_free(client, setup):
    clinic, offered, _ = setup
    clinic.organisation.currency = "USD"
    clinic.organisation.save()
    factories.service(clinic.location, name="Patch test", kind="patch_test", price_minor=0)
    page = client.get(f"/c/{clinic.organisation.slug}/{clinic.location.slug}/").content.decode()
    assert "60 min · US$180.00" in page  # an English reader sees which dollars
    assert "free" in page


# --- still taking it (issue 17) -----------------------------------------------------------


def test_the_health_page_offers_still_taking_it_next_to_the_date(client, setup):
    _, offered, base = setup
    through_to_health(client, base, offered)
    page = client.get(f"{base}/health/").content.decode()
    assert 'name="ci.isotretinoin_recent.ongoing"' in page
    assert "I&#x27;m still taking it" in page
    assert 'name="ci.pregnancy.ongoing"' not in page  # no wait, no date: nothing to tick
    assert 'name="ci.sunburn_area.ongoing"' not in page  # a date, but nothing one keeps taking


def test_a_client_still_taking_isotretinoin_is_told_to_come_back_with_the_last_dose(client, setup):
    _, offered, base = setup
    through_to_health(client, base, offered)
    answers = no_to_everything(
        **{"ci.isotretinoin_recent": "yes", "ci.isotretinoin_recent.ongoing": "on"}
    )
    response = client.post(f"{base}/health/", answers)
    assert response["Location"] == f"{base}/outcome/"
    submission = QuestionnaireSubmission.objects.get()
    assert submission.answers["ci.isotretinoin_recent"] == {"present": True, "ongoing": True}
    screening = submission.client.screenings.latest("created_at")
    assert (screening.outcome, screening.deferred_until) == ("deferred", None)
    page = client.get(f"{base}/outcome/").content.decode()
    assert "It isn't safe to treat you on 25 November." in page
    assert "still taking isotretinoin" in page
    assert "your last dose of isotretinoin" in page
    assert "See times from" not in page
    client.post(f"{base}/outcome/")
    assert not Booking.objects.exists()

    from needlepoint.public.forms import HealthForm, health_initial

    again = HealthForm(  # a returning client sees the answer ticked, to confirm or change
        rules=default_rules(),
        area_zones=[],
        today=NOW.date(),
        initial=health_initial(submission.answers),
    )
    assert 'name="ci.isotretinoin_recent.ongoing"' in str(again["ci.isotretinoin_recent.ongoing"])
    assert "checked" in str(again["ci.isotretinoin_recent.ongoing"])


def test_still_taking_it_and_a_date_together_are_refused_on_the_page(client, setup):
    _, offered, base = setup
    through_to_health(client, base, offered)
    answers = no_to_everything(
        **{
            "ci.isotretinoin_recent": "yes",
            "ci.isotretinoin_recent.since": "2026-10-01",
            "ci.isotretinoin_recent.ongoing": "on",
        }
    )
    page = client.post(f"{base}/health/", answers).content.decode()
    assert "please clear one of them" in page
    assert not QuestionnaireSubmission.objects.exists()


def test_neither_a_date_nor_still_taking_it_asks_for_the_date(client, setup):
    _, offered, base = setup
    through_to_health(client, base, offered)
    page = client.post(
        f"{base}/health/", no_to_everything(**{"ci.isotretinoin_recent": "yes"})
    ).content.decode()
    assert "Please give the date, even roughly." in page
    assert not QuestionnaireSubmission.objects.exists()
