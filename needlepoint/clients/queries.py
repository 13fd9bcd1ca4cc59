"""Reads of clients, always starting from the staff member's organisation."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery

from needlepoint.clients.choices import ScreeningOutcome
from needlepoint.clients.models import Client, QuestionnaireSubmission, Screening
from needlepoint.clinics.models import StaffMember
from needlepoint.core.errors import DomainError
from needlepoint.core.phone import normalise_phone


def clients_for(staff: StaffMember) -> QuerySet[Client]:
    return Client.objects.filter(organisation_id=staff.organisation_id)


def with_latest_screening(clients: QuerySet[Client]) -> QuerySet[Client]:
    latest = Screening.objects.filter(client=OuterRef("pk")).order_by("-created_at", "-pk")
    return clients.annotate(
        latest_outcome=Subquery(latest.values("outcome")[:1]),
        latest_deferred_until=Subquery(latest.values("deferred_until")[:1]),
    )


def search_clients(staff: StaffMember, text: str) -> QuerySet[Client]:
    """Clients on file matching every word typed: a name, an email, a phone number in any
    format (07700 900123 finds +447700900123) or a date of birth (1985-03-12, 12/03/1985).
    Erased clients are never offered."""
    clients = with_latest_screening(clients_for(staff).filter(anonymised_at__isnull=True))
    digits = re.sub(r"\D", "", text)
    if len(digits) >= 6 and not re.search(r"[^\d\s()+./-]", text) and _birth_date(text) is None:
        return clients.filter(phone__endswith=digits.lstrip("0")).order_by(*ORDER)
    for word in text.split():
        born = _birth_date(word)
        clients = clients.filter(
            Q(date_of_birth=born)
            if born
            else Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
        )
    return clients.order_by(*ORDER)


def possible_duplicates(
    staff: StaffMember, *, first_name: str, last_name: str, date_of_birth: date, phone: str
) -> QuerySet[Client]:
    """Clients on file who may be the person being registered: born the same day with the
    same first or last name, or with the same mobile number. Erased clients are not."""
    same = Q(date_of_birth=date_of_birth) & (
        Q(first_name__iexact=first_name.strip()) | Q(last_name__iexact=last_name.strip())
    )
    try:
        number = normalise_phone(phone)
    except DomainError:
        number = ""
    if number:
        same |= Q(phone=number)
    return clients_for(staff).filter(same, anonymised_at__isnull=True).order_by(*ORDER)


ORDER = ("last_name", "first_name", "pk")
BIRTH_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y")


def _birth_date(word: str) -> date | None:
    for pattern in BIRTH_DATE_FORMATS:
        try:
            return datetime.strptime(word.strip(), pattern).date()
        except ValueError:
            continue
    return None


def clients_awaiting_review(staff: StaffMember) -> QuerySet[Client]:
    """Clients whose latest screening asks for a practitioner's review."""
    return (
        with_latest_screening(clients_for(staff))
        .filter(latest_outcome=ScreeningOutcome.NEEDS_REVIEW)  # type: ignore[misc]
        .order_by("last_name", "first_name")
    )


def latest_screening(client: Client) -> Screening | None:
    return client.screenings.order_by("-created_at", "-pk").first()


def history_versions(client: Client) -> list[QuestionnaireSubmission]:
    """When the client's medical history was answered, and how: never the answers."""
    return list(
        client.questionnaires.only("client_id", "version", "answered_on", "source").order_by(
            "-version"
        )
    )
