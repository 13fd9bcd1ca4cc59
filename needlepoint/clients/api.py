"""The API's clients: contact details, medical history (questionnaires) and screenings.

Writes go through ``clients/services.py``, as the pages and online booking do; every
read of a client's record or screenings is in the audit log under the token's user.
"""

# Annotations stay real types (no __future__ import): ninja reads these signatures,
# some through its paginate wrapper, whose module can't resolve names given as strings.

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from needlepoint.accounts.access import visible_locations
from needlepoint.api.auth import BOOK, acting_staff
from needlepoint.api.errors import ClientExists, errors
from needlepoint.api.fields import Day, Email, Key, Name, Phone, Search
from needlepoint.api.idempotency import KeyHeader, create_once
from needlepoint.api.lookup import referenced
from needlepoint.api.pagination import Page
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients import services
from needlepoint.clients.choices import ScreeningOutcome, SubmissionSource
from needlepoint.clients.models import Client, Screening
from needlepoint.clients.queries import clients_for, search_clients, with_latest_screening
from needlepoint.clinics.clinical_wording import reason_text, rule_text
from needlepoint.clinics.models import Location

router = Router(tags=["Clients"])
MessageChannel = Literal["email", "sms", "both"]
# settings.LANGUAGES' codes; "" is the clinic's default language (tests check they agree).
Language = Literal["", "en-gb", "es", "de"]
LANGUAGE_FIELD = Field(
    description="Pages and messages for the client are in it; empty: the clinic's default."
)


class ClientOut(Schema):
    id: UUID
    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: date
    fitzpatrick: int | None
    message_channel: MessageChannel
    language: Language = LANGUAGE_FIELD
    home_location: UUID | None
    latest_screening: ScreeningOutcome | None
    created_at: datetime

    @staticmethod
    def resolve_id(client: Client) -> UUID:
        return client.public_id

    @staticmethod
    def resolve_home_location(client: Client) -> UUID | None:
        return client.home_location.public_id if client.home_location else None

    @staticmethod
    def resolve_latest_screening(client: Client) -> str | None:
        return getattr(client, "latest_outcome", None)


class ClientIn(Schema):
    first_name: Name
    last_name: Name
    date_of_birth: Day
    email: Email = ""
    phone: Phone = ""
    fitzpatrick: int | None = Field(None, ge=1, le=6)
    language: Language = Field("", description=LANGUAGE_FIELD.description)
    home_location: UUID | None = None


class ClientChangeIn(Schema):
    """Only the details given change; an empty email or phone removes it."""

    first_name: Name | None = None
    last_name: Name | None = None
    date_of_birth: Day | None = None
    email: Email | None = None
    phone: Phone | None = None
    message_channel: MessageChannel | None = None
    language: Language | None = Field(None, description=LANGUAGE_FIELD.description)
    home_location: UUID | None = None


class ChoiceOut(Schema):
    key: str
    label: str


class QuestionOut(Schema):
    key: str
    text: str
    date_question: str | None
    date_required: bool
    asks_zones: bool
    variants: list[ChoiceOut]
    can_be_ongoing: bool = Field(
        description='Whether `"ongoing": true` (still taking or using it) may stand for the date.'
    )


class QuestionnaireOut(Schema):
    rules_version: str
    questions: list[QuestionOut]


class AnswerIn(Schema):
    present: bool
    since: Day | None = None
    zones: list[Key] = Field(default_factory=list, max_length=40)
    variant: Key | None = None
    ongoing: bool = Field(
        default=False,
        description="Still taking or using it, so no date yet: instead of `since`, never with it.",
    )


class QuestionnaireIn(Schema):
    answered_on: Day
    answers: dict[Key, AnswerIn] = Field(max_length=200)


class ReasonOut(Schema):
    key: str
    severity: str
    message: str
    until: date | None
    zones: list[str]

    @staticmethod
    def resolve_message(reason: dict[str, Any]) -> str:
        """Worded at read time in the caller's language (older rows keep their text)."""
        return reason_text(reason)


class ScreeningOut(Schema):
    questionnaire_version: int
    screened_on: date
    outcome: ScreeningOutcome
    deferred_until: date | None
    reasons: list[ReasonOut]
    rules_version: str
    created_at: datetime

    @staticmethod
    def resolve_questionnaire_version(screening: Screening) -> int:
        return screening.submission.version


def _clients(request: HttpRequest) -> QuerySet[Client]:
    return with_latest_screening(clients_for(acting_staff(request))).select_related("home_location")


def _client(request: HttpRequest, client_id: UUID) -> Client:
    return get_object_or_404(_clients(request), public_id=client_id)


@router.get("/clients", response={200: list[ClientOut], **errors(422)})
@paginate(Page)
def list_clients(request: HttpRequest, q: Search = "") -> QuerySet[Client]:
    """The organisation's clients by name; ``q`` searches names, email and phone."""
    return search_clients(acting_staff(request), q).select_related("home_location")


@router.post(
    "/clients",
    auth=BOOK,
    response={201: ClientOut, **errors(400, 404, 422, bodies={409: ClientExists})},
)
def create_client(
    request: HttpRequest, payload: ClientIn, idempotency_key: KeyHeader = None
) -> HttpResponse:
    """Add a client. An email already on file answers 409 ``client_exists`` with that
    client's id; send an ``Idempotency-Key`` to retry safely."""

    def create() -> ClientOut:
        staff = acting_staff(request)
        client = services.client_create(
            organisation=staff.organisation,
            first_name=payload.first_name,
            last_name=payload.last_name,
            date_of_birth=payload.date_of_birth,
            email=payload.email,
            phone=payload.phone,
            fitzpatrick=payload.fitzpatrick,
            home_location=_home_location(request, payload.home_location),
            language=payload.language,
        )
        return ClientOut.from_orm(_client(request, client.public_id))

    return create_once(request, idempotency_key, payload, 201, create)


@router.get("/clients/{client_id}", response={200: ClientOut, **errors(404, 422)})
def read_client(request: HttpRequest, client_id: UUID) -> Client:
    client = _client(request, client_id)
    audit.record(Action.VIEWED, Target.CLIENT, client.public_id, client=client)
    return client


@router.patch(
    "/clients/{client_id}",
    auth=BOOK,
    response={200: ClientOut, **errors(400, 404, 422, bodies={409: ClientExists})},
)
def update_client(request: HttpRequest, client_id: UUID, payload: ClientChangeIn) -> Client:
    """Change a client's name, date of birth, contact details, how they like to hear from
    the clinic (texts need a phone number), language or home location; what isn't given
    stays."""
    client = _client(request, client_id)
    changes = payload.model_dump(exclude={"home_location"})
    home = _home_location(request, payload.home_location)
    services.client_update(client=client, home_location=home, **changes)
    return _client(request, client_id)


def _home_location(request: HttpRequest, location_id: UUID | None) -> Location | None:
    if location_id is None:
        return None
    return referenced(visible_locations(acting_staff(request)), location_id, "home_location")


@router.get("/questionnaire", response={200: QuestionnaireOut, **errors()})
def read_questionnaire(request: HttpRequest) -> QuestionnaireOut:
    """The medical-history questions, under the clinic's rules; answer every one."""
    rules = acting_staff(request).organisation.rules()
    return QuestionnaireOut(
        rules_version=rules.version,
        questions=[
            QuestionOut(
                key=question.key,
                text=rule_text(question.text),
                date_question=question.date_question,
                date_required=question.date_required,
                asks_zones=question.asks_zones,
                variants=[ChoiceOut(key=v.key, label=v.label) for v in question.variants],
                can_be_ongoing=question.can_be_ongoing,
            )
            for question in rules.questions()
        ],
    )


@router.post(
    "/clients/{client_id}/questionnaires",
    auth=BOOK,
    response={201: ScreeningOut, **errors(400, 404, 422)},
)
def submit_questionnaire(
    request: HttpRequest, client_id: UUID, payload: QuestionnaireIn
) -> Status[Screening]:
    """Keep a new version of the client's medical history and screen it at once.

    Answer every question of ``GET /questionnaire``: ``{"present": false}``, or
    ``{"present": true, "since": "YYYY-MM-DD", "zones": [...], "variant": ...}`` as it asks.
    Where a question ``can_be_ongoing``, ``"ongoing": true`` instead of ``since`` says the
    client is still taking or using it: deferred, with no date until the last one is known.
    """
    client = _client(request, client_id)
    answers = {
        key: answer.model_dump(mode="json", exclude_none=True)
        for key, answer in payload.answers.items()
    }
    screening = services.questionnaire_submit(
        client=client,
        answers=answers,
        answered_on=payload.answered_on,
        source=SubmissionSource.STAFF,
        by=acting_staff(request).user,
    )
    return Status(201, screening)


@router.get(
    "/clients/{client_id}/screenings", response={200: list[ScreeningOut], **errors(404, 422)}
)
@paginate(Page)
def list_screenings(request: HttpRequest, client_id: UUID) -> QuerySet[Screening]:
    """A client's screenings, newest first, each with its reasons and rules version."""
    client = _client(request, client_id)
    audit.record(Action.VIEWED, Target.SCREENING, client=client)
    return client.screenings.select_related("submission").order_by("-created_at", "-pk")
