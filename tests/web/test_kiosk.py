"""The clinic's tablet handed to a client for a visit today: locked to that booking's
pages, screened exactly as online, consents signed as from the booking link, and taken
back with the staff member's password. And the emailed link after a move."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.template.loader import get_template
from django.test import Client as Browser
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation.template import templatize
from PIL import Image

from needlepoint.clients.models import QuestionnaireSubmission
from needlepoint.clinical import default_rules
from needlepoint.clinics.models import Location
from needlepoint.consents.models import ConsentForm, SignedConsent
from needlepoint.consents.services import consent_form_publish
from needlepoint.notifications.models import Message
from needlepoint.notifications.rendering import render
from needlepoint.public.flow import answers_submit
from needlepoint.public.forms import HealthForm
from needlepoint.public.kiosk_views import TakeBackForm
from needlepoint.scheduling.choices import Channel
from needlepoint.scheduling.models import Booking
from needlepoint.scheduling.services import booking_check_in, booking_create, booking_reschedule
from tests import factories

pytestmark = pytest.mark.django_db
VISIT = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # a Tuesday afternoon in London
NOW = VISIT - timedelta(hours=2)


@pytest.fixture(autouse=True)
def pinned() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clinic():
    return factories.clinic()


@pytest.fixture
def booking(clinic) -> Booking:
    booked = factories.booked_treatment(clinic, VISIT)
    form = ConsentForm.objects.create(
        organisation=clinic.organisation, name="Microneedling consent"
    )
    form.services.add(booked.service)
    consent_form_publish(form=form, text="I consent to microneedling.")
    return booked


def answers_form(**yes: dict[str, str]) -> dict[str, str]:
    """The questionnaire as posted: "no" to everything but ``yes`` (key -> follow-ups)."""
    data = {question.key: "no" for question in default_rules().questions()}
    for key, follow_ups in yes.items():
        data[key] = "yes"
        data.update({f"{key}.{name}": value for name, value in follow_ups.items()})
    return data


ISOTRETINOIN = {"ci.isotretinoin_recent": {"ongoing": "on"}}


def handed_over(clinic, booking: Booking, member=None):
    browser = factories.signed_in(member or clinic.front_desk)
    response = browser.post(reverse("kiosk:start", args=[booking.public_id]))
    assert response.url == reverse("kiosk:home", args=[booking.public_id])
    return browser


def kiosk(name: str, booking: Booking, *args: object) -> str:
    return reverse(f"kiosk:{name}", args=[booking.public_id, *args])


def png_data_url() -> str:
    out = io.BytesIO()
    Image.new("RGB", (300, 100), (255, 255, 255)).save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def test_the_booking_page_offers_the_tablet_for_a_visit_today_only(clinic, booking):
    browser = factories.signed_in(clinic.front_desk)
    page = browser.get(reverse("scheduling:booking", args=[booking.public_id]))
    assert "Hand the tablet to the client" in page.content.decode()
    tomorrow = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=booking.service,
        starts_at=VISIT + timedelta(days=1),
        channel=Channel.STAFF,
    )
    page = browser.get(reverse("scheduling:booking", args=[tomorrow.public_id]))
    assert "Hand the tablet to the client" not in page.content.decode()
    refused = browser.post(kiosk("start", tomorrow), follow=True)
    assert "visit today" in refused.content.decode()
    assert browser.get(reverse("staff:home")).status_code == 200  # not locked


def test_a_handed_over_browser_reaches_only_its_own_kiosk_pages(clinic, booking):
    browser = handed_over(clinic, booking)
    other = factories.booked_treatment(clinic, VISIT + timedelta(hours=2))
    home = kiosk("home", booking)
    for url in [
        reverse("staff:home"),
        reverse("clients:list"),
        reverse("clients:detail", args=[booking.client.public_id]),
        reverse("scheduling:booking", args=[booking.public_id]),
        reverse("scheduling:booking", args=[other.public_id]),
        kiosk("home", other),
        kiosk("history", other),
        reverse("public:location", args=[clinic.organisation.slug, clinic.location.slug]),
        reverse("settings:home"),
        "/admin/",
    ]:
        response = browser.get(url)
        assert (response.status_code, response.get("Location")) == (302, home), url
    for url in [reverse("accounts:logout"), kiosk("start", other)]:
        assert browser.post(url).get("Location") == home, url
    page = browser.get(kiosk("history", booking)).content.decode()
    assert "Health questions" in page
    links = set(re.findall(r'href="([^"]+)"', page))
    assert {link for link in links if not link.startswith(("/static/", "#"))} == {
        kiosk("exit", booking)
    }
    assert other.client.last_name not in page


def test_taking_the_tablet_back_needs_the_password_every_time(clinic, booking):
    browser = handed_over(clinic, booking)
    page = browser.get(kiosk("exit", booking))
    assert "Your password" in page.content.decode()  # asked though given minutes ago
    wrong = browser.post(kiosk("exit", booking), {"staff_check": "not it"})
    assert "That is not your password." in wrong.content.decode()
    assert browser.get(reverse("staff:home")).get("Location") == kiosk("home", booking)
    back = browser.post(kiosk("exit", booking), {"staff_check": factories.PASSWORD})
    assert back.url == reverse("scheduling:booking", args=[booking.public_id])
    assert browser.get(reverse("staff:home")).status_code == 200
    # The tablet pages now send staff back to the booking.
    assert browser.get(kiosk("history", booking)).url == back.url


def test_answers_on_the_tablet_are_screened_exactly_as_online(clinic, booking):
    browser = handed_over(clinic, booking)
    answered = browser.post(kiosk("history", booking), answers_form(**ISOTRETINOIN))
    assert answered.url == kiosk("outcome", booking)
    submission = QuestionnaireSubmission.objects.filter(client=booking.client).first()
    assert submission.source == "kiosk" and submission.submitted_by == clinic.front_desk.user
    on_tablet = booking.client.screenings.order_by("-created_at", "-pk").first()

    someone = factories.client(clinic.organisation, date_of_birth=booking.client.date_of_birth)
    rules = clinic.organisation.rules()
    form = HealthForm(
        answers_form(**ISOTRETINOIN),
        rules=rules,
        area_zones=[(z, rules.zone(z).name) for z in rules.zones_of([booking.service.area])],
        today=VISIT.date(),
    )
    assert form.is_valid()
    online = answers_submit(
        location=clinic.location,
        service=booking.service,
        details={
            "first_name": someone.first_name,
            "last_name": someone.last_name,
            "email": someone.email,
            "phone": someone.phone,
            "date_of_birth": someone.date_of_birth.isoformat(),
        },
        answers=form.answers(),
        visit_on=VISIT.date(),
        today=VISIT.date(),
    )
    assert on_tablet.outcome == online.outcome == "deferred"
    assert on_tablet.submission.answers == online.submission.answers
    assert (on_tablet.deferred_until, on_tablet.reasons, on_tablet.zones) == (
        online.deferred_until,
        online.reasons,
        online.zones,
    )

    page = browser.get(kiosk("outcome", booking)).content.decode()
    assert "find a later date" in page
    assert "ci.isotretinoin" not in page and "Deferred" not in page  # no clinical labels
    # A deferred treatment asks for no consent: straight to "hand the tablet back".
    assert browser.get(kiosk("home", booking)).url == kiosk("done", booking)


def test_a_consent_is_signed_on_the_tablet_by_drawing(clinic, booking):
    browser = handed_over(clinic, booking, clinic.trainee)
    assert browser.get(kiosk("home", booking)).url == kiosk("history", booking)
    browser.post(kiosk("history", booking), answers_form())
    (version,) = booking.service.consent_forms.get().versions.all()
    assert browser.get(kiosk("home", booking)).url == kiosk("consent", booking, version.public_id)
    page = browser.get(kiosk("consent", booking, version.public_id)).content.decode()
    assert 'id="signature-pad"' in page and "I consent to microneedling." in page
    signed = browser.post(
        kiosk("consent", booking, version.public_id),
        {"kind": "drawn", "typed_name": "Alex Client", "drawing": png_data_url(), "agree": "on"},
    )
    assert signed.url == kiosk("home", booking)
    consent = SignedConsent.objects.get(client=booking.client)
    assert consent.kind == "drawn" and bytes(consent.drawing_png).startswith(b"\x89PNG")
    assert Message.objects.filter(kind="consent_copy", client=booking.client).exists()
    assert browser.get(kiosk("home", booking)).url == kiosk("done", booking)
    assert "hand the tablet back" in browser.get(kiosk("done", booking)).content.decode()

    browser.post(kiosk("exit", booking), {"staff_check": factories.PASSWORD})
    page = browser.get(reverse("scheduling:booking", args=[booking.public_id])).content.decode()
    assert "Microneedling consent" in page and "signed 24 Nov 2026" in page
    assert "On the clinic&#x27;s tablet" in page and "Cleared" in page


def test_another_organisations_booking_is_not_found(clinic, booking):
    elsewhere = factories.clinic(name="Other Clinic", slug="other")
    theirs = factories.booked_treatment(elsewhere, VISIT)
    browser = factories.signed_in(clinic.owner)
    assert browser.post(kiosk("start", theirs)).status_code == 404
    # Even a browser somehow set to their booking finds nothing of it.
    session = browser.session
    session["kiosk"] = {"booking": str(theirs.public_id), "screening": None}
    session.save()
    assert browser.get(kiosk("history", theirs)).status_code == 404


def test_a_moved_booking_emails_a_fresh_link_and_the_old_one_dies(clinic, booking):
    """The client's links keep working through check-in; a move sends a new one."""
    old_link = _emailed_link(booking, "booking_confirmed")
    booking_check_in(booking=booking, by=clinic.front_desk.user)
    browser = Browser()
    assert browser.get(old_link).status_code == 200
    later = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=booking.service,
        starts_at=VISIT + timedelta(days=2),
        channel=Channel.STAFF,
    )
    first_link = _emailed_link(later, "booking_confirmed")  # as sent when it was booked
    moved = booking_reschedule(booking=later, starts_at=VISIT + timedelta(days=3))
    assert browser.get(first_link).status_code == 410
    fresh = _emailed_link(moved, "booking_moved")
    page = browser.get(fresh)
    assert page.status_code == 200 and "Microneedling consent" in page.content.decode()


def _emailed_link(booking: Booking, kind: str) -> str:
    message = Message.objects.filter(
        subject=f"booking:{booking.public_id}", kind=kind, channel="email"
    ).latest("pk")
    match = re.search(r"https?://[^/\s]+(/b/\S+/)", render(message).text)
    assert match is not None, "the email carries the booking link"
    return match.group(1)


HAND_BACK = "Please hand the tablet back to the clinic's staff"


def test_a_lapsed_session_keeps_the_tablet_locked_not_at_the_staff_sign_in(clinic, booking):
    browser = handed_over(clinic, booking)
    histories = QuestionnaireSubmission.objects.filter(client=booking.client).count()
    cookie = browser.cookies["np_tablet"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):  # the session lapses
        for response in [
            browser.get(kiosk("history", booking)),
            browser.post(kiosk("history", booking), answers_form()),
            browser.get(reverse("staff:home")),
            browser.get(reverse("accounts:login")),
            browser.get(reverse("clients:detail", args=[booking.client.public_id])),
        ]:
            page = response.content.decode()
            assert response.status_code == 200 and HAND_BACK in page
            assert "no-store" in response["Cache-Control"]
            assert 'type="password"' not in page and 'name="username"' not in page
            links = re.findall(r'href="([^"]+)"', page)
            assert all(link.startswith(("/static/", "#")) for link in links)
            assert booking.client.last_name not in page
        assert QuestionnaireSubmission.objects.filter(client=booking.client).count() == histories
        # Staff, deliberately: the button on that page clears the lock and asks them to sign in.
        out = browser.post(reverse("kiosk:release"))
        booking_page = reverse("scheduling:booking", args=[booking.public_id])
        assert out.status_code == 302 and out.url.startswith(reverse("accounts:login"))
        assert "next=" in out.url and str(booking.public_id) in out.url
        assert out.cookies["np_tablet"]["max-age"] == 0
        sign_in = browser.get(out.url)
        assert sign_in.status_code == 200 and 'name="password"' in sign_in.content.decode()
        assert browser.get(booking_page).url.startswith(reverse("accounts:login"))


def test_the_lock_cookie_is_signed(clinic, booking):
    browser = handed_over(clinic, booking)
    browser.cookies["np_tablet"] = str(booking.public_id)  # forged, unsigned
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        assert browser.get(reverse("staff:home")).url.startswith(reverse("accounts:login"))


def test_taking_the_tablet_back_clears_the_lock(clinic, booking):
    browser = handed_over(clinic, booking)
    back = browser.post(kiosk("exit", booking), {"staff_check": factories.PASSWORD})
    assert back.cookies["np_tablet"]["max-age"] == 0
    with time_machine.travel(NOW + timedelta(minutes=16), tick=False):
        # An ordinary lapsed staff session again: to the sign-in page.
        assert browser.get(reverse("staff:home")).url.startswith(reverse("accounts:login"))


def test_the_session_lives_while_the_client_works_on_the_tablet(clinic, booking):
    """The idle limit runs from the last request, not from handing over."""
    browser = handed_over(clinic, booking)
    for minutes in (10, 20, 30):
        with time_machine.travel(NOW + timedelta(minutes=minutes), tick=False):
            page = browser.get(kiosk("history", booking))
            assert page.status_code == 200 and "Health questions" in page.content.decode()


def test_the_exit_password_is_typed_never_filled_in_by_the_browser(clinic, booking):
    browser = handed_over(clinic, booking)
    page = browser.get(kiosk("exit", booking)).content.decode()
    assert 'autocomplete="new-password"' in page
    assert "current-password" not in page and 'name="password"' not in page
    assert 'id="id_password"' not in page
    wrong = browser.post(kiosk("exit", booking), {"staff_check": "not it"})
    assert "That is not your password." in wrong.content.decode()


def test_the_tablet_is_taken_back_though_the_booking_went_out_of_view(clinic, booking):
    browser = handed_over(clinic, booking)
    elsewhere = factories.location(clinic.organisation, name="Quay Road")
    Booking.objects.filter(pk=booking.pk).update(location=elsewhere)  # moved by a manager
    assert browser.get(kiosk("exit", booking)).status_code == 200
    back = browser.post(kiosk("exit", booking), {"staff_check": factories.PASSWORD})
    assert back.status_code == 302
    assert browser.get(reverse("staff:home")).status_code == 200


def test_the_outcome_on_the_tablet_reads_the_visits_own_date(clinic):
    Location.objects.filter(pk=clinic.location.pk).update(time_zone="Australia/Sydney")
    clinic.location.refresh_from_db()
    visit = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)  # 9:00 on Wednesday 25 November there
    with time_machine.travel(visit - timedelta(hours=1), tick=False):
        booked = factories.booked_treatment(clinic, visit)
        browser = handed_over(clinic, booked)
        browser.post(kiosk("history", booked), answers_form(**ISOTRETINOIN))
        page = browser.get(kiosk("outcome", booked)).content.decode()
    assert "find a later date" in page
    assert "25 November" in page and "24 November" not in page


def test_a_service_that_needs_no_clearance_reads_as_online(clinic):
    """Online, a consultation is booked whatever the answers, with no reasons shown: the
    tablet says the same, and goes on to its consents."""
    consultation = factories.service(
        clinic.location, name="Skin consultation", kind="consultation", area="", indication=""
    )
    booked = booking_create(
        client=factories.screened_client(clinic.organisation),
        service=consultation,
        starts_at=VISIT,
        channel=Channel.STAFF,
    )
    form = ConsentForm.objects.create(organisation=clinic.organisation, name="Consultation")
    form.services.add(consultation)
    consent_form_publish(form=form, text="I agree to be examined.")
    browser = handed_over(clinic, booked)
    browser.post(kiosk("history", booked), answers_form(**ISOTRETINOIN))
    page = browser.get(kiosk("outcome", booked)).content.decode()
    assert "find a later date" not in page and 'class="reasons"' not in page
    assert "Your answers are with the clinic's practitioners." in page
    assert "Continue to the consent form" in page


@pytest.mark.parametrize(
    ("template", "strings"),
    [
        (
            "public/_sign_form.html",
            [
                "Draw your signature below with your finger or mouse",
                'If you can\'t draw, choose "Typed full name" above.',
                "Clear",
                "Sign",
                "The consent form",
            ],
        ),
        ("kiosk/hand_back.html", ["Please hand the tablet back to the clinic's staff"]),
    ],
)
def test_the_tablets_words_are_marked_for_translation(template, strings):
    source = Path(get_template(template).origin.name).read_text(encoding="utf-8")
    marked = templatize(source)
    for text in strings:
        assert f"gettext(u{text!r})" in marked, text


def test_the_exit_forms_label_is_marked_for_translation():
    assert isinstance(TakeBackForm().fields["staff_check"].label, Promise)
