"""One clinical gate on every channel: a treatment is booked only when it screens cleared.

The matrix is generated from the rules file: every contraindication, in its category and
scope, declared by a client, then booked (or moved) on every channel. A rule added to the
file is covered with no new code. Absolute: declined, never overridden. Relative: held
for a clinician's review. Temporary: deferred (to its date, and its sign-off where the
rule asks). Precaution: booked. A condition scoped to an area blocks only its zones.
Refused means refused with the reason and nothing written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client as Browser
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needlepoint.api.tokens import token_create
from needlepoint.clients.models import Client, QuestionnaireSubmission
from needlepoint.clients.reviews import clinical_review_record
from needlepoint.clinical import Contraindication, add_duration, default_rules
from needlepoint.clinics.clinical_wording import long_date
from needlepoint.core.errors import DomainError
from needlepoint.imports.csvfile import read_table
from needlepoint.imports.importer import APPOINTMENTS, Plan, guess_columns, run
from needlepoint.imports.models import ImportedBooking
from needlepoint.scheduling.choices import BookingStatus, Channel, OfferStatus, WaitlistStatus
from needlepoint.scheduling.courses import course_book
from needlepoint.scheduling.models import (
    Booking,
    BookingEvent,
    Course,
    Hold,
    Service,
    WaitlistEntry,
    WaitlistOffer,
)
from needlepoint.scheduling.services import booking_create, booking_reschedule
from needlepoint.scheduling.waitlist import offer_accept
from needlepoint.treatments.models import TreatmentSession, ZoneTreatment
from tests import factories

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # Monday, 08:00 in London
ANSWERED_ON = date(2026, 11, 23)  # the history declaring the condition: today
VISIT_DAY = date(2026, 11, 25)  # Wednesday: every wait (3 days or more) still runs
VISIT = datetime(2026, 11, 25, 10, tzinfo=LONDON)
BOOKED_FIRST = datetime(2026, 11, 26, 10, tzinfo=LONDON)  # what a move starts from
OVERRIDE = "Seen in clinic today; happy to go ahead."
RULES = default_rules()
OUTCOME_OF = {"absolute": "declined", "relative": "needs_review", "temporary": "deferred"}
"""What a condition in scope makes of the visit; a precaution (absent) books."""


# --- the cases: every contraindication of the rules file, in and out of its scope --------


@dataclass(frozen=True)
class Case:
    ci: Contraindication
    elsewhere: bool  # treated away from the condition's zones: its scope lets it through

    @property
    def id(self) -> str:
        return f"{self.ci.key}-{self.ci.category}-{self.ci.scope}" + (
            "-elsewhere" if self.elsewhere else ""
        )

    @property
    def outcome(self) -> str | None:
        """The screening's outcome the gate refuses with; None when the visit is booked."""
        return None if self.elsewhere else OUTCOME_OF.get(self.ci.category)

    def answer(self) -> dict[str, object]:
        """The stored answer declaring it: since today, on the cheeks, its first kind."""
        answer: dict[str, object] = {"present": True}
        if self.ci.date_question is not None:
            answer["since"] = ANSWERED_ON.isoformat()
        if self.ci.scope == "area":
            answer["zones"] = ["zone.cheeks"]
        if self.ci.variants:
            answer["variant"] = next(iter(self.ci.variants))
        return answer

    def client_fields(self) -> dict[str, object]:
        """Conditions computed from the client's record rather than asked."""
        if self.ci.computed_from == "date_of_birth":  # a birthday ago, a year too young
            return {"date_of_birth": date(VISIT_DAY.year - (self.ci.under_age or 0) + 1, 1, 1)}
        if self.ci.computed_from == "fitzpatrick":
            return {"fitzpatrick": self.ci.phototype_at_least}
        return {}

    def until(self) -> date | None:
        """The date a deferral with a computable date ends."""
        variant = self.answer().get("variant")
        wait = self.ci.wait_for(variant if isinstance(variant, str) else None)
        if self.ci.category != "temporary" or wait is None:
            return None
        return add_duration(ANSWERED_ON, wait[1])


CASES = [
    Case(ci, elsewhere)
    for ci in RULES.contraindications.values()
    for elsewhere in ((False, True) if ci.scope in ("area", "face") else (False,))
]


def test_the_matrix_covers_every_rule_and_category():
    assert {case.ci.key for case in CASES} == set(RULES.contraindications)
    assert {case.ci.category for case in CASES} >= {"absolute", "relative", "temporary"}
    assert {case.ci.scope for case in CASES if case.elsewhere} == {"area", "face"}


# --- the clinic, and what each channel does -----------------------------------------------


@dataclass
class Place:
    clinic: factories.Clinic
    face: Service
    abdomen: Service

    def service_for(self, case: Case) -> Service:
        return self.abdomen if case.elsewhere else self.face


@pytest.fixture
def place(clinic) -> Iterator[Place]:
    with time_machine.travel(NOW, tick=False):
        abdomen = factories.service(
            clinic.location,
            name="Microneedling — abdomen",
            area="area.abdomen",
            indication="ind.stretch_marks",
        )
        yield Place(clinic, factories.service(clinic.location), abdomen)


@dataclass
class Attempt:
    """What a channel answered: the booking made, or the refusal's code and message."""

    booking: Booking | None = None
    code: str = ""
    message: str = ""
    outcome: str = ""


def refused(error: DomainError) -> Attempt:
    return Attempt(code=error.code, message=error.message, outcome=error.details.get("outcome", ""))


def service_call(action: Callable[[], Booking]) -> Attempt:
    try:
        return Attempt(booking=action())
    except DomainError as error:
        return refused(error)


def by_staff(place: Place, client: Client, service: Service) -> Attempt:
    """The staff form's service call, by a practitioner giving an override reason."""
    return service_call(
        lambda: booking_create(
            client=client,
            service=service,
            starts_at=VISIT,
            channel=Channel.STAFF,
            by=place.clinic.practitioner.user,
            override_reason=OVERRIDE,
            now=NOW,
        )
    )


def by_online_service(place: Place, client: Client, service: Service) -> Attempt:
    """What the online flow's last step calls once the page lets the client book."""
    return service_call(
        lambda: booking_create(
            client=client, service=service, starts_at=VISIT, channel=Channel.ONLINE
        )
    )


def api_call(member: Any, client: Client, service: Service, **extra: str) -> Attempt:
    _, token = token_create(user=member.user, name="Program", scopes=["read", "book"])
    body = {
        "client": str(client.public_id),
        "service": str(service.public_id),
        "starts_at": VISIT.isoformat(),
        **extra,
    }
    answer = Browser().post(
        "/api/v1/bookings",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    if answer.status_code == 201:
        return Attempt(booking=Booking.objects.get(public_id=answer.json()["id"]))
    assert answer.status_code == 400, answer.content
    data = answer.json()
    return Attempt(code=data["code"], message=data["message"], outcome=data.get("outcome", ""))


def by_staff_api(place: Place, client: Client, service: Service) -> Attempt:
    """The front desk's program, with a practitioner's token and an override reason."""
    return api_call(place.clinic.practitioner, client, service, override_reason=OVERRIDE)


def by_client_api(place: Place, client: Client, service: Service) -> Attempt:
    """A clinic's website booking for the client with the front desk's token."""
    return api_call(place.clinic.front_desk, client, service)


def by_online_page(place: Place, client: Client, service: Service) -> Attempt:
    """The online flow's last step: the client, verified, presses "book" on the outcome page."""
    location = place.clinic.location
    browser = Browser()
    session = browser.session
    session[f"booking-draft-{location.pk}"] = {
        "service_id": service.pk,
        "starts_at": VISIT.isoformat(),
        "details": {"email": client.email},
        "client_id": client.pk,
        "screening_id": None,
        "verified_email": client.email,
    }
    session.save()
    page = browser.post(f"/c/{place.clinic.organisation.slug}/{location.slug}/book/outcome/")
    made = Booking.objects.filter(client=client).first()
    if made is not None:
        assert page.status_code == 302
        return Attempt(booking=made)
    assert page.status_code == 200, page
    assert not page.context["may_book"]
    return Attempt(code="not_offered", outcome=page.context["screening"].outcome)


def by_import(place: Place, client: Client, service: Service) -> Attempt:
    """A CSV of future appointments from the clinic's old system."""
    csv = f"Client email,Service,Date,Time\n{client.email},{service.name},2026-11-25,10:00\n"
    table = read_table(csv.encode())
    plan = Plan(
        organisation=place.clinic.organisation,
        location=place.clinic.location,
        kind=APPOINTMENTS,
        columns=guess_columns(table.headers, APPOINTMENTS),
        date_format="YMD",
    )
    report = run(table, plan, commit=True, by=place.clinic.practitioner.user, now=NOW)
    if report.committed:
        return Attempt(booking=ImportedBooking.objects.get().booking)
    [problem] = report.problems
    return Attempt(code="row_refused", message=problem.message)


def by_course(place: Place, client: Client, service: Service) -> Attempt:
    """A course of one session planned from the visit's day by a practitioner."""
    try:
        course = course_book(
            client=client,
            service=service,
            sessions=1,
            start_on=VISIT_DAY,
            by=place.clinic.practitioner.user,
            now=NOW,
        )
    except DomainError as error:
        return refused(error)
    return Attempt(booking=course.bookings.get())


def by_waitlist(place: Place, client: Client, service: Service) -> Attempt:
    """The client accepts a freed time offered to them from the waitlist."""
    entry = WaitlistEntry.objects.create(
        client=client,
        service=service,
        earliest_on=VISIT_DAY,
        latest_on=VISIT_DAY,
        status=WaitlistStatus.OFFERED,
    )
    offer = WaitlistOffer.objects.create(
        entry=entry,
        starts_at=VISIT,
        practitioner=place.clinic.practitioner,
        expires_at=NOW + timedelta(hours=2),
    )
    attempt = service_call(lambda: offer_accept(offer=offer, now=NOW))
    offer.refresh_from_db()
    assert offer.status == (OfferStatus.ACCEPTED if attempt.booking else OfferStatus.OPEN)
    return attempt


def by_reschedule(place: Place, client: Client, service: Service) -> Attempt:
    """A booking made while the client was cleared, moved by a practitioner with a reason."""
    booking = Booking.objects.get(client=client)
    attempt = service_call(
        lambda: booking_reschedule(
            booking=booking,
            starts_at=VISIT,
            by=place.clinic.practitioner.user,
            override_reason=OVERRIDE,
            now=NOW,
        )
    )
    if attempt.booking is not None:
        assert attempt.booking.starts_at == VISIT
    return attempt


CHANNELS: dict[str, Callable[[Place, Client, Service], Attempt]] = {
    "staff": by_staff,
    "staff_api": by_staff_api,
    "client_api": by_client_api,
    "online": by_online_service,
    "online_page": by_online_page,
    "import": by_import,
    "course": by_course,
    "waitlist": by_waitlist,
    "reschedule": by_reschedule,
}
CODE = {"online_page": "not_offered", "import": "row_refused"}
"""The pages and the import report a refusal in their own way; the rest give the gate's code."""


def client_declaring(place: Place, case: Case, channel: str) -> Client:
    """A client whose latest medical history declares the case's condition.

    For a move, they were booked first, while their history was clear.
    """
    organisation = place.clinic.organisation
    if channel != "reschedule":
        someone = factories.client(organisation, **case.client_fields())
    else:
        someone = factories.screened_client(organisation)
        booking_create(
            client=someone,
            service=place.service_for(case),
            starts_at=BOOKED_FIRST,
            channel=Channel.STAFF,
            now=NOW,
        )
        if case.client_fields():
            Client.objects.filter(pk=someone.pk).update(**case.client_fields())
            someone.refresh_from_db()
    declared = {} if case.ci.computed_from else {case.ci.key: case.answer()}
    factories.medical_history(someone, declared, answered_on=ANSWERED_ON)
    return someone


def calendar() -> dict[str, object]:
    """Everything a booking or a move writes."""
    return {
        "bookings": sorted(
            Booking.objects.values_list("pk", "starts_at", "version", "status", "course_id")
        ),
        "events": BookingEvent.objects.count(),
        "holds": sorted(Hold.objects.values_list("booking_id", "kind", "starts_at", "active")),
        "courses": Course.objects.count(),
        "imported": ImportedBooking.objects.count(),
    }


@pytest.mark.parametrize("channel", list(CHANNELS))
@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_every_channel_applies_the_clinical_gate(place, case, channel):
    with time_machine.travel(NOW, tick=False):
        someone = client_declaring(place, case, channel)
        before = calendar()

        attempt = CHANNELS[channel](place, someone, place.service_for(case))

    if case.outcome is None:  # a precaution, or a condition elsewhere: booked
        assert attempt.booking is not None, attempt
        assert attempt.booking.client == someone and attempt.booking.status == BookingStatus.BOOKED
        return
    assert attempt.booking is None
    assert calendar() == before, "nothing is written when the gate refuses"
    assert attempt.code == CODE.get(channel, "screening_not_cleared")
    if channel == "online_page":  # the page shows the outcome and offers no booking
        assert attempt.outcome == case.outcome
        return
    if channel != "import":
        assert attempt.outcome == case.outcome
    assert_reads_clinically(attempt.message, case, overriding=channel in OVERRIDING)


OVERRIDING = {"staff", "staff_api", "reschedule"}
"""The channels where a practitioner sends an override reason with the booking."""


def assert_reads_clinically(message: str, case: Case, *, overriding: bool) -> None:
    """The refusal names the condition as the rules file does, never by its key, with the
    way forward: never (absolute), a clinician's review, or a date (and a review)."""
    assert case.ci.name in message
    assert "ci." not in message
    assert f"The screening for {long_date(VISIT_DAY)} is not cleared" in message
    if case.ci.category == "absolute":
        assert "An absolute contraindication can't be overridden" in message
        assert message.startswith("An absolute") == overriding
        return
    review_first = "A practitioner must record a clinical review before this treatment is booked."
    if case.ci.category == "relative":
        assert f"{case.ci.name}: needs a clinical review" in message
        assert review_first in message
    else:
        until = case.until()
        if until is None:
            assert f"{case.ci.name}: until a clinician clears it" in message
            assert review_first in message
        else:
            assert f"{case.ci.name}: not before {long_date(until)}" in message
            booked_from = f"It can be booked from {long_date(until)}"
            if case.ci.clinician_signoff:
                assert f"{booked_from}, once a practitioner has recorded a clinical review" in (
                    message
                )
            else:
                assert f"{booked_from}." in message
    overridden = "An override reason covers the treatment interval only, never the screening."
    assert (overridden in message) == overriding


# --- reviews, overrides and scope on the staff channel --------------------------------------


def staff_booking(place: Place, client: Client, *, by=None, reason: str = "", start=VISIT):
    with time_machine.travel(NOW, tick=False):
        return booking_create(
            client=client,
            service=place.face,
            starts_at=start,
            channel=Channel.STAFF,
            by=(by or place.clinic.practitioner).user,
            override_reason=reason,
            now=NOW,
        )


def declaring(place: Place, **declared: dict[str, object]) -> Client:
    someone = factories.client(place.clinic.organisation)
    with time_machine.travel(NOW, tick=False):
        factories.medical_history(
            someone,
            {f"ci.{key}": {"present": True, **value} for key, value in declared.items()},
            answered_on=ANSWERED_ON,
        )
    return someone


def review(place: Place, someone: Client, key: str, **fields: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        clinical_review_record(
            client=someone,
            keys=[key],
            zones=fields.pop("zones", []),
            decision="cleared",
            reason=fields.pop("reason", "Discussed with the client and their GP."),
            by=place.clinic.practitioner.user,
            on=ANSWERED_ON,
            **fields,
        )


def test_a_relative_contraindication_books_once_a_clinician_has_cleared_it(place):
    someone = declaring(place, anticoagulant={})
    with pytest.raises(DomainError) as held:
        staff_booking(place, someone, reason=OVERRIDE)
    assert held.value.code == "screening_not_cleared"
    assert "Anticoagulant (warfarin, DOACs, heparin)" in held.value.message
    assert "needs a clinical review" in held.value.message
    assert "A practitioner must record a clinical review" in held.value.message

    review(place, someone, "ci.anticoagulant")

    booking = staff_booking(place, someone)
    assert booking.events.filter(kind="interval_overridden").count() == 0


def test_an_absolute_contraindication_is_never_booked_whoever_overrides(place):
    someone = declaring(place, keloid_history={})
    for member in (place.clinic.owner, place.clinic.practitioner, place.clinic.front_desk):
        with pytest.raises(DomainError) as refused_:
            staff_booking(place, someone, by=member, reason="The client insists; I take it on me.")
        assert refused_.value.code == "screening_not_cleared"
        assert refused_.value.message.startswith(
            "An absolute contraindication can't be overridden."
        )
        assert "Keloid / hypertrophic scar history" in refused_.value.message
    assert not Booking.objects.exists()


def test_the_staff_form_shows_why_an_absolute_contraindication_cant_be_booked(place):
    someone = declaring(place, bleeding_disorder={})
    browser = factories.signed_in(place.clinic.practitioner)
    with time_machine.travel(NOW, tick=False):
        page = browser.post(
            reverse("scheduling:book", args=[place.clinic.location.slug]),
            {
                "client": someone.pk,
                "service": place.face.pk,
                "starts_at": "2026-11-25T10:00",
                "override_reason": "Haematologist happy, letter to follow.",
            },
        )
    text = page.content.decode()
    assert page.status_code == 200
    assert "absolute contraindication can&#x27;t be overridden" in text
    assert "Bleeding disorder (haemophilia, von Willebrand, low platelets)" in text
    assert not Booking.objects.exists()


def test_a_condition_on_one_area_lets_the_other_zones_through(place):
    someone = declaring(place, sunburn_area={"since": "2026-11-22", "zones": ["zone.cheeks"]})
    with pytest.raises(DomainError) as deferred:
        staff_booking(place, someone)
    assert deferred.value.details == {"outcome": "deferred", "until": "2026-12-06"}
    assert "Sunburn: not before 6 December 2026" in deferred.value.message

    with time_machine.travel(NOW, tick=False):
        body = booking_create(
            client=someone, service=place.abdomen, starts_at=VISIT, channel=Channel.STAFF, now=NOW
        )
    assert body.service == place.abdomen


def test_a_temporary_contraindication_with_a_sign_off_needs_the_date_and_the_review(place):
    someone = declaring(
        place, surgery_recent_area={"since": "2026-11-01", "zones": ["zone.cheeks"]}
    )
    with pytest.raises(DomainError) as waiting:
        staff_booking(place, someone)
    message = waiting.value.message
    assert "Other surgery in zone: not before 1 February 2027 and needs a clinical review" in (
        message
    )
    assert "booked from 1 February 2027, once a practitioner has recorded a clinical review" in (
        message
    )

    review(place, someone, "ci.surgery_recent_area", zones=["area.face"])
    with pytest.raises(DomainError) as still_waiting:  # a review never shortens the wait
        staff_booking(place, someone)
    assert still_waiting.value.details["outcome"] == "deferred"

    later = datetime(2027, 2, 2, 10, tzinfo=LONDON)
    assert staff_booking(place, someone, start=later).starts_at == later


def test_no_history_a_history_after_the_visit_or_a_broken_one_is_never_no_history(place):
    nobody = factories.client(place.clinic.organisation)
    with pytest.raises(DomainError) as missing:
        staff_booking(place, nobody)
    assert missing.value.code == "screening_needed"
    assert "there is none on file" in missing.value.message

    late = factories.client(place.clinic.organisation)
    factories.medical_history(late, answered_on=date(2026, 11, 23))
    with pytest.raises(DomainError) as after:
        staff_booking(place, late, start=datetime(2026, 11, 20, 10, tzinfo=LONDON))
    assert after.value.code == "screening_needed"
    assert "dated 23 November 2026, after the visit on 20 November 2026" in after.value.message

    broken = factories.screened_client(place.clinic.organisation)
    stored = QuestionnaireSubmission.objects.get(client=broken)
    answers = dict(stored.answers)
    del answers["ci.pregnancy"]  # as if the rules had gained a question since
    QuestionnaireSubmission.objects.create(
        client=broken,
        version=2,
        answered_on=stored.answered_on,
        answers=answers,
        rules_version=stored.rules_version,
        source=stored.source,
    )
    with pytest.raises(DomainError) as invalid:
        staff_booking(place, broken, reason=OVERRIDE)
    assert invalid.value.code == "screening_needed"
    assert "doesn't pass validation" in invalid.value.message
    assert not Booking.objects.exists()


def test_the_override_still_covers_the_interval_for_a_cleared_client(place):
    someone = factories.screened_client(place.clinic.organisation)
    session = TreatmentSession.objects.create(
        client=someone,
        location=place.clinic.location,
        practitioner=place.clinic.practitioner,
        indication="ind.acne_scars",
        performed_on=date(2026, 11, 4),
    )
    ZoneTreatment.objects.create(session=session, zone="zone.cheeks", depth_mm=1.5)
    with pytest.raises(DomainError) as too_early:
        staff_booking(place, someone)
    assert too_early.value.code == "too_early"

    booking = staff_booking(place, someone, reason="Spot test only")

    assert booking.events.get(kind="interval_overridden").reason == "Spot test only"


def test_the_gate_reads_the_history_once_per_booking(place):
    someone = declaring(place, anticoagulant={})
    review(place, someone, "ci.anticoagulant")
    with CaptureQueriesContext(connection) as queries:
        staff_booking(place, someone)
    read = [query["sql"] for query in queries.captured_queries]
    assert sum("clients_questionnairesubmission" in sql for sql in read) == 1
    assert sum("clients_clinicalreview" in sql for sql in read) == 1
    assert sum("clinics_organisation" in sql and "rule_overrides" in sql for sql in read) <= 1
