"""Every write about clients: contact details, medical history, screening."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from needlepoint.accounts.models import User
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients import signals
from needlepoint.clients.answers import answers_from_json, answers_to_json
from needlepoint.clients.choices import SubmissionSource
from needlepoint.clients.models import Client, QuestionnaireSubmission, Screening
from needlepoint.clients.reviews import clinical_reviews_in_force
from needlepoint.clinical import ClinicalError, reason_to_json, screen
from needlepoint.clinics.models import Location, Organisation
from needlepoint.core import languages
from needlepoint.core.errors import DomainError
from needlepoint.core.phone import normalise_phone as normalise_phone  # its callers import it here


@transaction.atomic
def client_create(
    *,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    email: str = "",
    phone: str = "",
    fitzpatrick: int | None = None,
    home_location: Location | None = None,
    message_channel: str = "email",
    alert: str = "",
    notes: str = "",
    language: str = "",
) -> Client:
    """A new client; an email already on file for the organisation is ``client_exists``."""
    _check_location(organisation, home_location)
    language = client_language(language)
    client = Client(
        organisation=organisation,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        email=email.strip().lower(),
        phone=normalise_phone(phone),
        fitzpatrick=fitzpatrick,
        home_location=home_location,
        message_channel=message_channel,
        alert=alert.strip(),
        notes=notes.strip(),
        language=language,
    )
    _check_texts_have_a_number(client, "message_channel")
    _save(client)
    audit.record(Action.CREATED, Target.CLIENT, client.public_id, client=client)
    return client


@transaction.atomic
def client_update(
    *,
    client: Client,
    first_name: str | None = None,
    last_name: str | None = None,
    date_of_birth: date | None = None,
    email: str | None = None,
    phone: str | None = None,
    message_channel: str | None = None,
    home_location: Location | None = None,
    alert: str | None = None,
    notes: str | None = None,
    language: str | None = None,
) -> Client:
    """Change a client's details; ``None`` leaves a detail as it is (``language=""``: the
    clinic's default from now on).

    Texts need a mobile number: ``sms`` or ``both`` is refused for a client without one,
    and so is removing the number while texts are chosen.
    """
    if client.anonymised_at is not None:
        raise DomainError("erased", _("This client's data was erased: their details stay empty."))
    if home_location is not None:
        _check_location(client.organisation, home_location)
    changes: dict[str, object] = {
        "first_name": None if first_name is None else first_name.strip(),
        "last_name": None if last_name is None else last_name.strip(),
        "date_of_birth": date_of_birth,
        "email": None if email is None else email.strip().lower(),
        "phone": None if phone is None else normalise_phone(phone),
        "message_channel": message_channel,
        "home_location": home_location,
        "alert": None if alert is None else alert.strip(),
        "notes": None if notes is None else notes.strip(),
        "language": None if language is None else client_language(language),
    }
    changed = [name for name, value in changes.items() if value is not None]
    for name in changed:
        setattr(client, name, changes[name])
    if message_channel is not None or phone is not None:
        _check_texts_have_a_number(client, "message_channel" if message_channel else "phone")
    _save(client, update_fields=changed)
    audit.record(
        Action.CHANGED, Target.CLIENT, client.public_id, client=client, detail={"fields": changed}
    )
    return client


def client_language(code: str) -> str:
    """A language code as kept on a client: one of ours ("es-MX" → "es"), or "" for the
    clinic's default; anything else is refused with the codes that may be given."""
    if not str(code or "").strip():
        return ""
    found = languages.supported(str(code))
    if found is None:
        message = _("%(code)s is not a language we offer; give one of: %(codes)s.") % {
            "code": repr(str(code)[:20]),
            "codes": ", ".join(languages.codes()),
        }
        raise DomainError("invalid_language", message, field="language")
    return found


def _check_location(organisation: Organisation, location: Location | None) -> None:
    if location is not None and location.organisation_id != organisation.pk:
        raise DomainError("wrong_location", _("That location belongs to another organisation."))


def _check_texts_have_a_number(client: Client, field: str) -> None:
    if client.message_channel in {"sms", "both"} and not client.phone:
        raise DomainError(
            "phone_required",
            _("Texts need a mobile number: add one first, or choose email."),
            field=field,
        )


def _save(client: Client, update_fields: list[str] | None = None) -> None:
    """Checked, then saved; an email another client of the organisation has is refused."""
    _check_email_is_free(client)
    try:
        client.full_clean()
    except ValidationError as error:
        raise DomainError("invalid_client", " ".join(error.messages)) from error
    try:
        with transaction.atomic():  # a concurrent save of the same email loses here
            client.save(update_fields=update_fields)
    except IntegrityError:
        _check_email_is_free(client)
        raise


def _check_email_is_free(client: Client) -> None:
    if not client.email:
        return
    holder = (
        Client.objects.filter(organisation_id=client.organisation_id, email=client.email)
        .exclude(pk=client.pk)
        .first()
    )
    if holder is not None:
        raise DomainError(
            "client_exists",
            _("%(email)s is already the email of a client on file.") % {"email": client.email},
            field="email",
            details={"existing_client": str(holder.public_id)},
        )


@transaction.atomic
def questionnaire_submit(
    *,
    client: Client,
    answers: Mapping[str, object],
    answered_on: date,
    source: SubmissionSource,
    by: User | None = None,
) -> Screening:
    """Keep a new version of the client's medical history and screen it at once."""
    Client.objects.select_for_update().filter(pk=client.pk).get()
    rules = client.organisation.rules()
    try:  # the answers themselves can be out of order, e.g. a date after answered_on
        parsed = answers_from_json(
            answers,
            answered_on=answered_on,
            date_of_birth=client.date_of_birth,
            fitzpatrick=client.fitzpatrick,
        )
        screen(parsed, answered_on, rules=rules)
    except ClinicalError as error:
        raise DomainError(error.code, error.message) from error
    latest = client.questionnaires.aggregate(latest=Max("version"))["latest"] or 0
    submission = QuestionnaireSubmission.objects.create(
        client=client,
        version=latest + 1,
        answered_on=answered_on,
        answers=answers_to_json(parsed),
        rules_version=rules.version,
        source=source,
        submitted_by=by,
    )
    audit.record(
        Action.CREATED,
        Target.HEALTH,
        f"version {submission.version}",
        client=client,
        detail={"source": source},
    )
    return screening_run(client=client, on_date=answered_on, submission=submission, by=by)


@transaction.atomic
def screening_run(
    *,
    client: Client,
    on_date: date,
    zones: Iterable[str] = (),
    submission: QuestionnaireSubmission | None = None,
    by: User | None = None,
) -> Screening:
    """Screen the client's latest medical history for treatment on ``on_date``.

    ``zones`` are the zones or areas to be treated; none means every zone. The clinical
    reviews in force on ``on_date`` count (``clients/reviews.py``).
    """
    submission = submission or client.questionnaires.order_by("-version").first()
    if submission is None:
        raise DomainError(
            "no_medical_history",
            _("%(client)s has no medical history to screen yet.") % {"client": client},
        )
    rules = client.organisation.rules()
    answers = answers_from_json(
        submission.answers,
        answered_on=submission.answered_on,
        date_of_birth=client.date_of_birth,
        fitzpatrick=client.fitzpatrick,
    )
    zones = tuple(zones)
    try:
        result = screen(
            answers,
            on_date,
            zones=zones or None,
            reviews=clinical_reviews_in_force(client, on_date),
            rules=rules,
        )
    except ClinicalError as error:
        raise DomainError(error.code, error.message) from error
    screening = Screening.objects.create(
        client=client,
        submission=submission,
        screened_on=on_date,
        zones=list(zones),
        outcome=result.outcome.value,
        deferred_until=result.until,
        reasons=[reason_to_json(reason) for reason in result.reasons],
        rules_version=result.rules_version,
        values_in_force=dict(result.values_in_force),
        screened_by=by,
    )
    audit.record(
        Action.CREATED,
        Target.SCREENING,
        screening.pk,
        client=client,
        detail={"outcome": screening.outcome},
    )
    signals.client_screened.send(Screening, screening=screening)
    return screening
