"""Which language a client reads, for the texts a clinic keeps a version of per language
(consent forms, message wording): the client's own, else the clinic's default, else English.

The clinic's offered languages and default live on the organisation (set on the clinic's
settings page; needlepoint.core.languages reads codes).
"""

from __future__ import annotations

from needlepoint.clients.models import Client
from needlepoint.clinics.models import Organisation
from needlepoint.core import languages

ENGLISH = "en-gb"
"""The language of a clinic's source texts: its translations translate an English version."""


def clinic_languages(organisation: Organisation) -> list[str]:
    """The languages the clinic offers, English (the clinic's source text) first."""
    offered = set(organisation.languages or ()) | {ENGLISH}
    return sorted(
        (code for code in languages.codes() if code in offered), key=lambda c: c != ENGLISH
    )


def reading_order(client: Client) -> list[str]:
    """The languages to look for a text in, best first: the client's, the clinic's, English."""
    order = [client.preferred_language, client.organisation.default_language, ENGLISH]
    return list(dict.fromkeys(order))
