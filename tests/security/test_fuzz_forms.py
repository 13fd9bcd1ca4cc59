"""Hostile input, checked with Hypothesis: questionnaire, contact details, chart zones, booking.

Whatever is typed or posted, each form either gives well-typed data or field errors, each
service either does its work or raises ``DomainError``, a refusal writes nothing, and no
public page answers with a server error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import time_machine
from django.apps import apps
from django.core import mail
from django.http import QueryDict
from django.test import Client as Browser
from django.urls import reverse
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from needlepoint.clients.choices import ScreeningOutcome, SubmissionSource
from needlepoint.clients.models import Client, QuestionnaireSubmission, Screening
from needlepoint.clients.services import normalise_phone, questionnaire_submit
from needlepoint.clinical import default_rules
from needlepoint.clinical.rules import MAX_DEPTH_MM
from needlepoint.core.errors import DomainError
from needlepoint.public.flow import client_for_details
from needlepoint.public.forms import DetailsForm, HealthForm
from needlepoint.treatments.forms import ZoneForm
from needlepoint.treatments.models import ZoneTreatment
from needlepoint.treatments.services import photo_add, session_details_record
from tests import factories

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)  # Monday, 08:00 in London
TODAY = date(2026, 11, 23)
WEDNESDAY_TEN = datetime(2026, 11, 25, 10, tzinfo=UTC)
VISIT = datetime(2026, 11, 24, 10, tzinfo=UTC)  # the charted visit, a Tuesday
RULES = default_rules()
QUESTIONS = RULES.questions()
QUESTION_KEYS = [question.key for question in QUESTIONS]
ZONE_KEYS = list(RULES.zones)
PLACE_KEYS = [*RULES.zones, *RULES.areas]
FACE = [(zone, RULES.zone(zone).name) for zone in RULES.zones_of(["area.face"])]
AREA_CHOICES = [FACE, FACE[:1], []]  # a whole area, a single zone, a service with no area
ANSWER_FIELDS = {"present", "since", "zones", "variant"}
VALID_DETAILS = {
    "first_name": "Cleo",
    "last_name": "Online",
    "email": "cleo@example.test",
    "phone": "07400 123456",
    "date_of_birth": "1991-04-02",
}
PHONE_ERRORS = {
    "This field is required.",
    "Ensure this value has at most 32 characters (it has {n}).",
    "Null characters are not allowed.",
    "Please give a phone number we can text, e.g. 07400 123456.",
}

fuzz = hypothesis_settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# What a hostile client types or posts: control characters, direction marks, markup, SQL,
# numbers as text, dates that don't exist, very long strings, and plain random text.
NASTY = [
    "",
    " ",
    "\t\r\n",
    "\x00",
    "yes\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200f\u200e\u200b\ufeff",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR '1'='1' --",
    "'; DROP TABLE clients_client; --",
    "{{ 7|add:7 }}{% debug %}",
    "%s%s%n%x",
    "../../../etc/passwd",
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "-0",
    "0x1F",
    "１２",
    "١٢٣",
    "²",
    "null",
    "None",
    "true",
    "[]",
    "{}",
    "yes",
    "no",
    "YES",
    "0",
    "-1",
    "2026-11-20",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "20261120",
    "2026-W47-1",
    "99999-01-01",
    "+447400123456",
    "07400 123456",
    "++44",
    "tel:+447400123456",
    "\U0001f489\U0001f489",
    "x" * 5000,
    "9" * 5000,
]
characters = st.characters(exclude_categories=("Cs",))  # lone surrogates can't be posted
texts = st.text(alphabet=characters, max_size=40)
long_texts = st.builds(
    lambda part, times: part * times,
    st.text(alphabet=characters, min_size=1, max_size=4),
    st.integers(50, 2000),
)
hostile = st.one_of(st.sampled_from(NASTY), texts, long_texts)


def posted(valid: st.SearchStrategy[str]) -> st.SearchStrategy[list[str] | None]:
    """One form key as posted: missing, a good value, hostile text, or several values."""
    return st.one_of(
        st.none(),
        valid.map(lambda value: [value]),
        hostile.map(lambda value: [value]),
        st.lists(st.one_of(valid, hostile), min_size=2, max_size=3),
    )


def query(pairs: dict[str, list[str] | None]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in pairs.items():
        if values is not None:
            data.setlist(key, values)
    return data


def row_counts() -> dict[str, int]:
    """How many rows each of the project's tables holds: a refusal must change none."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("needlepoint.") and model._meta.managed
    }


def added(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {label: after[label] - before[label] for label in after if after[label] != before[label]}


@pytest.fixture
def monday_morning() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


# -- The health questionnaire -------------------------------------------------------------

past_dates = st.dates(min_value=TODAY - timedelta(days=1200), max_value=TODAY).map(date.isoformat)
future_dates = st.dates(min_value=TODAY + timedelta(days=1), max_value=date(2030, 1, 1)).map(
    date.isoformat
)
any_dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat)


@st.composite
def health_posts(draw: st.DrawFn) -> tuple[QueryDict, list[tuple[str, str]]]:
    """A posted questionnaire: most questions answered properly, a few keys hostile."""
    area_zones = draw(st.sampled_from(AREA_CHOICES))
    zone_keys = [zone for zone, _ in area_zones] or ZONE_KEYS
    pairs: dict[str, list[str] | None] = {}
    for question in QUESTIONS:
        answer = draw(st.sampled_from(["no", "no", "no", "yes"]))
        pairs[question.key] = [answer]
        if answer == "yes":
            pairs[f"{question.key}.since"] = [draw(past_dates)]
            zones = draw(st.lists(st.sampled_from(zone_keys), unique=True, max_size=3))
            pairs[f"{question.key}.zones"] = zones
            variants = ["", *(choice.key for choice in question.variants)]
            pairs[f"{question.key}.variant"] = [draw(st.sampled_from(variants))]
    every_key = [
        f"{key}{suffix}" for key in QUESTION_KEYS for suffix in ("", ".since", ".zones", ".variant")
    ]
    for key in draw(st.lists(st.sampled_from(every_key), max_size=4)):
        pairs[key] = draw(posted(st.sampled_from(["yes", "no", *zone_keys]) | any_dates))
    for key in draw(st.lists(hostile, max_size=2)):
        pairs[key] = draw(posted(hostile))
    return query(pairs), area_zones


def assert_well_typed(answers: dict[str, dict[str, object]], area_zones: list) -> None:
    assert list(answers) == QUESTION_KEYS
    chosen_from = {zone for zone, _ in area_zones}
    for question in QUESTIONS:
        entry = answers[question.key]
        assert set(entry) <= ANSWER_FIELDS
        assert isinstance(entry["present"], bool)
        if not entry["present"]:
            assert entry == {"present": False}
            continue
        if "since" in entry:
            assert isinstance(entry["since"], str)
            assert date.fromisoformat(entry["since"]) <= TODAY
        if "zones" in entry:
            assert question.asks_zones
            assert entry["zones"] and set(entry["zones"]) <= chosen_from  # type: ignore[arg-type]
        if "variant" in entry:
            assert entry["variant"] in {choice.key for choice in question.variants}


@fuzz
@given(post=health_posts())
def test_the_health_form_gives_well_typed_answers_or_errors(clinic, post):
    data, area_zones = post
    someone = factories.client(clinic.organisation)
    form = HealthForm(data, rules=RULES, area_zones=area_zones, today=TODAY)
    before = row_counts()
    if not form.is_valid():
        event("form errors")
        assert form.errors
        assert set(form.errors) <= {*form.fields, "__all__"}
        assert row_counts() == before
        return
    answers = form.answers()
    assert_well_typed(answers, area_zones)
    try:
        screening = questionnaire_submit(
            client=someone, answers=answers, answered_on=TODAY, source=SubmissionSource.ONLINE
        )
    except DomainError as refused:
        event(f"refused: {refused.code}")
        assert refused.message
        assert row_counts() == before
    else:
        event("screened")
        assert screening.outcome in ScreeningOutcome.values
        grew = added(before, row_counts())
        assert grew[QuestionnaireSubmission._meta.label] == 1
        assert grew[Screening._meta.label] == 1


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), hostile, any_dates, past_dates
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile, inner, max_size=3),
    max_leaves=4,
)


@st.composite
def answer_entries(draw: st.DrawFn, key: str) -> dict[str, object]:
    """An answer in the stored form, sometimes with one part of the wrong type or unknown."""
    question = next(q for q in QUESTIONS if q.key == key)
    entry: dict[str, object] = {"present": draw(st.booleans())}
    if draw(st.booleans()):
        entry["since"] = draw(st.one_of(past_dates, future_dates, any_dates))
    if draw(st.booleans()):
        entry["zones"] = draw(st.lists(st.sampled_from(PLACE_KEYS), max_size=3))
    variants = [choice.key for choice in question.variants]
    if draw(st.booleans()):
        entry["variant"] = draw(st.sampled_from(variants) if variants else hostile)
    if draw(st.integers(0, 5)) == 0:  # one part of the wrong type, or a part never asked for
        part = draw(st.sampled_from([*sorted(ANSWER_FIELDS), "extra"]))
        entry[draw(hostile) if part == "extra" else part] = draw(json_values)
    return entry


@st.composite
def answer_sets(draw: st.DrawFn) -> object:
    """Submitted answers: usually every question with a few entries tampered, else anything."""
    if draw(st.integers(0, 15)) == 0:
        return draw(json_values)
    items: dict[object, object] = {key: {"present": False} for key in QUESTION_KEYS}
    for key in draw(st.lists(st.sampled_from(QUESTION_KEYS), unique=True, max_size=4)):
        items[key] = draw(answer_entries(key) if draw(st.integers(0, 5)) else json_values)
    if draw(st.integers(0, 5)) == 0:
        del items[draw(st.sampled_from(QUESTION_KEYS))]
    if draw(st.integers(0, 5)) == 0:  # a question the rules don't ask
        items[draw(hostile)] = draw(st.one_of(st.just({"present": False}), json_values))
    return items


@fuzz
@given(answers=answer_sets(), source=st.sampled_from(SubmissionSource.values))
def test_questionnaire_submit_screens_or_refuses_and_then_writes_nothing(clinic, answers, source):
    someone = factories.client(clinic.organisation)
    by = clinic.front_desk.user if source == SubmissionSource.STAFF else None
    before = row_counts()
    try:
        screening = questionnaire_submit(
            client=someone, answers=answers, answered_on=TODAY, source=source, by=by
        )
    except DomainError as refused:
        event(f"refused: {refused.code}")
        assert refused.code and refused.message
        assert row_counts() == before
    else:
        event("screened")
        assert screening.outcome in ScreeningOutcome.values
        stored = screening.submission.answers
        assert set(stored) == set(QUESTION_KEYS)
        assert all(set(entry) <= ANSWER_FIELDS for entry in stored.values())
        assert all(isinstance(entry["present"], bool) for entry in stored.values())
        assert added(before, row_counts())[QuestionnaireSubmission._meta.label] == 1


def test_an_answer_dated_after_the_questionnaire_is_refused_as_a_domain_error(clinic):
    """Found by the property above: a future date escaped as a bare ClinicalError."""
    someone = factories.client(clinic.organisation)
    answers = {key: {"present": False} for key in QUESTION_KEYS}
    answers["ci.isotretinoin_recent"] = {"present": True, "since": "2026-12-01"}
    before = row_counts()
    with pytest.raises(DomainError) as refused:
        questionnaire_submit(
            client=someone, answers=answers, answered_on=TODAY, source=SubmissionSource.STAFF
        )
    assert "2026-12-01" in refused.value.message
    assert row_counts() == before


# -- Phone numbers and contact details ------------------------------------------------------

phones = st.one_of(
    hostile,
    st.from_regex(r"\+?[0-9 ()\-.]{0,22}", fullmatch=True),
    st.integers(0, 10**16).map(str),
    st.sampled_from(
        ["07400 123456", "+44 7400 123456", "(07400) 123-456", "+1 415 555 2671", "00447400123456"]
    ),
)


@fuzz
@given(raw=phones, region=st.sampled_from([None, "GB", "US", "DE", "IE", "ZZ", "gb", "", "001"]))
def test_normalise_phone_gives_e164_or_the_documented_error(raw, region):
    try:
        number = normalise_phone(raw, region)
    except DomainError as refused:
        assert refused.code == "invalid_phone"
        assert refused.field == "phone"
        return
    if not raw.strip():
        assert number == ""
    else:
        assert re.fullmatch(r"\+[1-9][0-9]{3,14}", number), number
        assert normalise_phone(number) == number  # already normal: unchanged


@st.composite
def details_posts(draw: st.DrawFn) -> QueryDict:
    pairs = {
        "first_name": draw(posted(st.text(alphabet=characters, min_size=1, max_size=100))),
        "last_name": draw(posted(st.text(alphabet=characters, min_size=1, max_size=100))),
        "email": draw(posted(st.emails())),
        "phone": draw(posted(phones)),
        "date_of_birth": draw(posted(any_dates)),
    }
    return query(pairs)


@fuzz
@given(data=details_posts())
def test_the_details_form_cleans_or_gives_field_errors(clinic, data):
    form = DetailsForm(data, today=TODAY)
    before = row_counts()
    if not form.is_valid():
        assert set(form.errors) <= set(form.fields)
        for message in form.errors.get("phone", []):
            assert re.sub(r"\(it has \d+\)", "(it has {n})", message) in PHONE_ERRORS
        return
    stored = form.stored()
    assert re.fullmatch(r"\+[1-9][0-9]{3,14}", stored["phone"])
    assert date.fromisoformat(stored["date_of_birth"]) < TODAY
    assert stored["email"] == stored["email"].lower()
    assert all("\x00" not in value for value in stored.values())
    try:  # the health step turns these details into the clinic's record
        someone = client_for_details(clinic.location, stored)
    except DomainError as refused:
        assert refused.message
        assert row_counts() == before
    else:
        assert someone.email == stored["email"]
        assert Client.objects.filter(pk=someone.pk, organisation=clinic.organisation).exists()


# -- The chart's zone form and the live depth check ---------------------------------------

depth_numbers = st.one_of(
    st.decimals(min_value=-10, max_value=10, places=2, allow_nan=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.floats(allow_nan=False, allow_infinity=False).map(Decimal),
)


@st.composite
def depth_texts(draw: st.DrawFn) -> tuple[str, Decimal | None]:
    """A depth as typed, and the number it means when it is one."""
    if draw(st.booleans()):
        return draw(hostile), None
    number = draw(depth_numbers)
    return str(number), number


@st.composite
def passes_texts(draw: st.DrawFn) -> tuple[str, int | None]:
    if draw(st.booleans()):
        return draw(hostile), None
    count = draw(st.one_of(st.integers(-20, 40), st.integers()))
    return str(count), count


def depth_accepted(number: Decimal) -> bool:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    return Decimal("0.05") <= number <= Decimal("3") and exponent >= -2


@fuzz
@given(
    depth=depth_texts(),
    passes=passes_texts(),
    zone=st.one_of(st.sampled_from(ZONE_KEYS), hostile),
    extra=st.dictionaries(
        st.sampled_from(["technique", "endpoint", "notes", "override_reason", "cartridge"]), hostile
    ),
)
def test_the_zone_form_gives_field_errors_for_bad_depths_and_passes(depth, passes, zone, extra):
    (depth_text, depth_number), (passes_text, passes_number) = depth, passes
    data = query({"zone": [zone], "depth_mm": [depth_text], "passes": [passes_text]})
    for key, value in extra.items():
        data[key] = value
    form = ZoneForm(data, cartridges=[])
    valid = form.is_valid()
    assert set(form.errors) <= set(form.fields)
    if depth_number is not None:
        assert ("depth_mm" in form.errors) != depth_accepted(depth_number)
    if passes_number is not None:
        assert ("passes" in form.errors) != (1 <= passes_number <= 12)
    if valid:
        assert isinstance(form.cleaned_data["depth_mm"], Decimal)
        assert Decimal("0.05") <= form.cleaned_data["depth_mm"] <= Decimal("3")
        assert isinstance(form.cleaned_data["passes"], int)
        assert 1 <= form.cleaned_data["passes"] <= 12


@pytest.fixture
def ready_chart(clinic):
    """An open chart ready to needle (before photo taken, numbing on 35 minutes), at VISIT."""
    user = clinic.practitioner.user
    session = factories.open_chart(clinic, VISIT)
    photo_add(
        session=session,
        view="front",
        timing="before",
        data=factories.photo_bytes(),
        by=user,
        now=VISIT,
    )
    session_details_record(
        session=session,
        by=user,
        device=session.booking.device,
        numbing_product="LMX4",
        numbing_applied_at=VISIT - timedelta(minutes=35),
    )
    with time_machine.travel(VISIT, tick=False):
        yield session, factories.signed_in(clinic.practitioner)


def zone_rows(session) -> list[tuple]:
    return list(
        ZoneTreatment.objects.filter(session=session)
        .order_by("zone")
        .values_list("zone", "depth_mm", "passes", "technique", "endpoint", "notes")
    )


@hypothesis_settings(fuzz, max_examples=50)
@given(depth=depth_texts(), zone=st.one_of(st.sampled_from(ZONE_KEYS), hostile))
def test_the_live_depth_check_never_fails(ready_chart, depth, zone):
    session, browser = ready_chart
    url = reverse("treatments:depth_check", args=[session.public_id])
    response = browser.get(url, {"zone": zone, "depth_mm": depth[0]})
    assert response.status_code == 200
    shown = response.content.decode()
    number = depth[1]
    if zone not in RULES.zones:
        assert shown == ""  # nothing to check against
    elif number is not None and 0 < float(number) <= MAX_DEPTH_MM:
        assert 'class="depth-check' in shown


@hypothesis_settings(fuzz, max_examples=40)
@given(
    depth=depth_texts(),
    passes=passes_texts(),
    zone=st.one_of(st.sampled_from(ZONE_KEYS), hostile),
    notes=st.one_of(st.just(""), hostile),
    cartridge=st.one_of(st.just(""), hostile),
)
def test_charting_a_zone_through_the_page_never_fails(
    ready_chart, depth, passes, zone, notes, cartridge
):
    session, browser = ready_chart
    url = reverse("treatments:action", args=[session.public_id, "zone"])
    data = {
        "zone": zone,
        "depth_mm": depth[0],
        "passes": passes[0],
        "notes": notes,
        "cartridge": cartridge,
    }
    before = zone_rows(session)
    response = browser.post(url, urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("treatments:chart", args=[session.public_id]))
    cartridges = list(session.cartridges.all())
    if not ZoneForm(query({k: [v] for k, v in data.items()}), cartridges=cartridges).is_valid():
        assert zone_rows(session) == before


# -- The public booking pages over HTTP ------------------------------------------------------


@pytest.fixture
def booking_flow(clinic, monday_morning):
    """A visitor who has picked Wednesday 10:00 for a face treatment."""
    offered = factories.service(clinic.location)
    base = f"/c/{clinic.organisation.slug}/{clinic.location.slug}/book"
    browser = Browser()
    response = browser.post(f"{base}/{offered.public_id}/", {"start": WEDNESDAY_TEN.isoformat()})
    assert response.status_code == 302
    return browser, base, offered


EDGE_DAYS = ["9999-12-31", "9999-12-25", "9999-10-01", "0001-01-01", "0001-01-07", "2026-11-23"]


@pytest.fixture
def at_health_step(booking_flow):
    """The same visitor, past the details step."""
    browser, base, offered = booking_flow
    assert browser.post(f"{base}/details/", VALID_DETAILS)["Location"] == f"{base}/verify/"
    code = mail.outbox[-1].subject.rsplit(" ", 1)[-1]
    assert browser.post(f"{base}/verify/", {"code": code})["Location"] == f"{base}/health/"
    return browser, base, offered


def form_post(browser: Browser, url: str, pairs: QueryDict):
    return browser.post(url, pairs.urlencode(), content_type="application/x-www-form-urlencoded")


@hypothesis_settings(fuzz, max_examples=50)
@given(data=details_posts(), extra=st.dictionaries(hostile, hostile, max_size=2))
def test_the_details_step_never_fails_and_writes_nothing(booking_flow, data, extra):
    browser, base, _ = booking_flow
    for key, value in extra.items():
        data.appendlist(key, value)
    before = row_counts()
    response = form_post(browser, f"{base}/details/", data)
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert response["Location"] == f"{base}/health/"
    assert row_counts() == before  # details live in the session until the health step


@hypothesis_settings(fuzz, max_examples=30)
@given(post=health_posts())
def test_the_health_step_never_fails_and_a_refusal_writes_nothing(at_health_step, post):
    browser, base, _ = at_health_step
    data, _ = post
    before = row_counts()
    response = form_post(browser, f"{base}/health/", data)
    assert response.status_code in {200, 302}
    if response.status_code == 200:
        assert row_counts() == before
    else:
        assert response["Location"] == f"{base}/outcome/"
        assert added(before, row_counts())[QuestionnaireSubmission._meta.label] == 1


@hypothesis_settings(fuzz, max_examples=40)
@given(
    step=st.sampled_from(["details", "health"]),
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "multipart/form-data",
            "application/json",
            "text/plain; charset=utf-16",
            "application/x-www-form-urlencoded; charset=nonsense",
        ]
    ),
)
def test_raw_bodies_posted_to_the_booking_steps_never_fail(
    at_health_step, step, body, content_type
):
    browser, base, _ = at_health_step
    before = row_counts()
    response = browser.generic("POST", f"{base}/{step}/", body, content_type=content_type)
    assert response.status_code < 500
    if response.status_code != 302 or step == "details":
        assert row_counts() == before


@hypothesis_settings(fuzz, max_examples=40)
@given(
    start=st.one_of(st.sampled_from(EDGE_DAYS), any_dates, hostile),
    day=st.one_of(st.sampled_from(EDGE_DAYS), any_dates, hostile),
    which=st.sampled_from(["from", "day", "both"]),
)
def test_the_times_page_takes_any_day_in_its_address(booking_flow, start, day, which):
    browser, base, offered = booking_flow
    params = {"from": start, "day": day}
    if which != "both":
        params = {which: params[which]}
    response = browser.get(f"{base}/{offered.public_id}/", params)
    assert response.status_code == 200
    assert "Europe/London" in response.content.decode()


@pytest.mark.parametrize("far", ["9999-12-31", "9999-11-15"])
def test_a_times_page_far_in_the_future_shows_no_times_instead_of_failing(booking_flow, far):
    """Found by the property above: the week's end overflowed the calendar (a 500)."""
    browser, base, offered = booking_flow
    response = browser.get(f"{base}/{offered.public_id}/", {"from": far})
    assert response.status_code == 200
    assert 'name="start"' not in response.content.decode()


def test_the_fuzzing_reaches_past_the_forms(at_health_step):
    """Sanity check of the fixtures: valid answers go all the way to the outcome page."""
    browser, base, _ = at_health_step
    answers = dict.fromkeys(QUESTION_KEYS, "no")
    assert browser.post(f"{base}/health/", answers)["Location"] == f"{base}/outcome/"
    assert QuestionnaireSubmission.objects.count() == 1
