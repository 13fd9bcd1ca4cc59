"""The API's signed consents: which form, version and language each signature is on."""

# Annotations stay real types (no __future__ import): ninja reads these signatures.

from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from needlepoint.api.auth import acting_staff
from needlepoint.api.errors import errors
from needlepoint.api.pagination import Page
from needlepoint.audit import log as audit
from needlepoint.audit.choices import Action, Target
from needlepoint.clients.queries import clients_for
from needlepoint.consents.models import SignedConsent

router = Router(tags=["Consents"])


class SignedConsentOut(Schema):
    id: UUID
    form: str
    version: int
    language: str
    translates: int | None
    kind: str
    signed_at: datetime

    @staticmethod
    def resolve_id(signed: SignedConsent) -> UUID:
        return signed.public_id

    @staticmethod
    def resolve_form(signed: SignedConsent) -> str:
        return signed.form_version.form.name

    @staticmethod
    def resolve_version(signed: SignedConsent) -> int:
        return signed.form_version.version

    @staticmethod
    def resolve_language(signed: SignedConsent) -> str:
        return signed.form_version.language

    @staticmethod
    def resolve_translates(signed: SignedConsent) -> int | None:
        return signed.form_version.translates


@router.get(
    "/clients/{client_id}/consents",
    response={200: list[SignedConsentOut], **errors(404, 422)},
)
@paginate(Page)
def list_signed_consents(request: HttpRequest, client_id: UUID) -> QuerySet[SignedConsent]:
    """A client's signed consents, newest first: the form, the version and the language of
    the text signed (``translates``: the English version a translation is of)."""
    client = get_object_or_404(clients_for(acting_staff(request)), public_id=client_id)
    audit.record(Action.VIEWED, Target.CONSENT, client=client)
    return client.signed_consents.select_related("form_version__form").order_by("-signed_at", "-pk")
