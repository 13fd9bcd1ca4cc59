"""Which language a client reads, for the texts a clinic keeps a version of per language
(consent forms, message wording): the client's own, else the clinic's default, else English.

The clinic's offered languages and default live on the organisation (set on the clinic's
settings page); until a clinic has chosen, it offers English only.
"""

from __future__ import annotations

from django.conf import settings

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation

ENGLISH = "en-gb"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_name(code: str) -> str:
    return dict(settings.LANGUAGES).get(code, code)


def clinic_language(organisation: Organisation) -> str:
    """The clinic's default language."""
    chosen = getattr(organisation, "default_language", "") or ENGLISH
    return chosen if chosen in language_codes() else ENGLISH


def clinic_languages(organisation: Organisation) -> list[str]:
    """The languages the clinic offers, English (the clinic's source text) first."""
    offered = getattr(organisation, "languages", None) or language_codes()
    codes = [code for code in language_codes() if code in offered or code == ENGLISH]
    return sorted(codes, key=lambda code: code != ENGLISH)


def client_language(client: Client) -> str:
    """The language the client reads: their own, else the clinic's default."""
    own = client.language or ""
    return own if own in language_codes() else clinic_language(client.organisation)


def reading_order(client: Client) -> list[str]:
    """The languages to look for a text in, best first: the client's, the clinic's, English."""
    order = [client_language(client), clinic_language(client.organisation), ENGLISH]
    return list(dict.fromkeys(order))
