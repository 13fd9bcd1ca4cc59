"""Online booking, step by step: time → details → health questions → outcome → confirm.

What the client has chosen so far lives in their session, one draft per location, so
the pages hold no hidden fields to tamper with. Health answers are never kept in the
session: they are saved as the client's medical history as soon as they are sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils.translation import gettext as _

from needlepoint.clients.choices import ScreeningOutcome, SubmissionSource
from needlepoint.clients.models import Client, Screening
from needlepoint.clients.services import (
    client_create,
    client_update,
    questionnaire_submit,
    screening_run,
)
from needlepoint.clinics.models import Location
from needlepoint.core.errors import DomainError
from needlepoint.scheduling.models import Service


@dataclass
class Draft:
    """One client's booking in progress at one location."""

    service_id: int | None = None
    starts_at: datetime | None = None
    details: dict[str, str] | None = None
    client_id: int | None = None
    screening_id: int | None = None
    verified_email: str | None = None  # proved in this browser by the emailed code
    accepted_at: datetime | None = None  # the policy ticked on the confirm step
    wording: str = ""  # the policy as the client read it then
    card: dict[str, str] = field(default_factory=dict)  # the card step's Stripe ids
    package_offer: str = ""  # a course bought online: its offer's public id

    @property
    def verified(self) -> bool:
        return self.details is not None and self.details["email"] == self.verified_email

    @classmethod
    def load(cls, session: SessionBase, location: Location) -> Draft:
        stored: dict[str, Any] = session.get(_key(location), {})
        starts, accepted = stored.get("starts_at"), stored.get("accepted_at")
        return cls(
            service_id=stored.get("service_id"),
            starts_at=datetime.fromisoformat(starts) if starts else None,
            details=stored.get("details"),
            client_id=stored.get("client_id"),
            screening_id=stored.get("screening_id"),
            verified_email=stored.get("verified_email"),
            accepted_at=datetime.fromisoformat(accepted) if accepted else None,
            wording=stored.get("wording", ""),
            card=stored.get("card", {}),
            package_offer=stored.get("package_offer", ""),
        )

    def save(self, session: SessionBase, location: Location) -> None:
        session[_key(location)] = {
            "service_id": self.service_id,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "details": self.details,
            "client_id": self.client_id,
            "screening_id": self.screening_id,
            "verified_email": self.verified_email,
            "accepted_at": self.accepted_at.isoformat() if self.accepted_at else None,
            "wording": self.wording,
            "card": self.card,
            "package_offer": self.package_offer,
        }

    def money_forget(self) -> None:
        """A new time or client: the policy is accepted again, the card step starts over."""
        self.accepted_at, self.wording, self.card = None, "", {}
        self.package_offer = ""

    def card_again(self) -> None:
        """The card was refused: the next one gets a new SetupIntent (and charge)."""
        tries = int(self.card.get("tries", "0")) + 1
        kept = {name: self.card[name] for name in ("ref", "customer") if name in self.card}
        self.card = kept | {"tries": str(tries)}

    @staticmethod
    def clear(session: SessionBase, location: Location) -> None:
        session.pop(_key(location), None)


def _key(location: Location) -> str:
    return f"booking-draft-{location.pk}"


def client_for_details(location: Location, details: dict[str, str]) -> Client:
    """The clinic's record for these details, made when the email is new.

    Call only once the person booking has proved the email is theirs (``verification``).
    ``details["language"]``, the language the pages were in, becomes the client's.
    An email already on file must still come with the same date of birth: one address may
    be shared by a family, and each person keeps their own record.
    """
    email = details["email"].strip().lower()
    born = date.fromisoformat(details["date_of_birth"])
    existing = Client.objects.filter(organisation_id=location.organisation_id, email=email).first()
    if existing is not None:
        if existing.date_of_birth != born:
            raise DomainError(
                "details_mismatch",
                _(
                    "These details don't match our records. Please check your date of birth, "
                    "or call the clinic."
                ),
                field="date_of_birth",
            )
        chosen = details.get("language", "")
        if chosen and chosen != existing.language:  # the language they booked in this time
            client_update(client=existing, language=chosen)
        return existing
    return client_create(
        organisation=location.organisation,
        first_name=details["first_name"],
        last_name=details["last_name"],
        date_of_birth=born,
        email=email,
        phone=details["phone"],
        home_location=location,
        language=details.get("language", ""),
    )


@transaction.atomic
def answers_submit(
    *,
    location: Location,
    service: Service,
    details: dict[str, str],
    answers: dict[str, Any],
    visit_on: date,
    today: date,
) -> Screening:
    """Save the medical history and screen it for the chosen visit; all or nothing."""
    client = client_for_details(location, details)
    # Answers confirmed unchanged are kept as a new version too: its date says when the
    # client last told us their history was true.
    questionnaire_submit(
        client=client, answers=answers, answered_on=today, source=SubmissionSource.ONLINE
    )
    return screen_for_visit(client, service, visit_on)


def screen_for_visit(client: Client, service: Service, visit_on: date) -> Screening:
    """The client's latest history screened for this service's area on the visit's day."""
    zones = [service.area] if service.area else []
    return screening_run(client=client, on_date=visit_on, zones=zones)


def may_book(service: Service, screening: Screening) -> bool:
    return not service.needs_clearance or screening.outcome == ScreeningOutcome.CLEARED
