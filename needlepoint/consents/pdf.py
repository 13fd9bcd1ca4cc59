"""A signed consent as a PDF the client and the clinic can keep.

The PDF is in the client's language (headings, dates); the text is the version they signed,
and the PDF says which language that text is in.
"""

from __future__ import annotations

import io
from datetime import UTC

from babel.dates import format_date, format_datetime
from django.utils.translation import gettext as _

from needlepoint.consents.models import SignedConsent
from needlepoint.consents.services import version_covers_text
from needlepoint.core import languages
from needlepoint.core.languages import in_language_of
from needlepoint.core.pdf import document


@in_language_of(lambda signed: signed.client.preferred_language)
@in_language_of(lambda signed: signed.client.preferred_language)
def consent_pdf(signed: SignedConsent) -> bytes:
    return _consent_pdf(signed, languages.reader_locale())


def _consent_pdf(signed: SignedConsent, locale: str) -> bytes:
    version = signed.form_version
    client = signed.client
    organisation = client.organisation
    pdf, write = document()
    write(organisation.name, size=10)
    write(
        _("%(form)s (version %(version)s)")
        % {"form": version.form.name, "version": version.version},
        size=16,
        style="B",
        gap=4,
    )
    write(version.text, size=11, gap=6)
    covers = version_covers_text(version)
    if covers:
        write(_("This consent covers: %(covers)s.") % {"covers": covers}, size=10, style="B", gap=6)
    write(_("Signed"), size=12, style="B")
    signed_at = format_datetime(signed.signed_at, "long", tzinfo=UTC, locale=locale)
    born = format_date(client.date_of_birth, "long", locale=locale)
    for line in (
        _("Name: %(name)s") % {"name": signed.typed_name},
        _("Client: %(name)s, born %(born)s") % {"name": client.full_name, "born": born},
        _("Signed at: %(when)s") % {"when": signed_at},
        _("From: %(address)s") % {"address": signed.ip_address or _("unknown address")},
        _("Signature: %(kind)s") % {"kind": signed.get_kind_display()},
        _("Text signed in: %(language)s") % {"language": languages.name(version.language)},
    ):
        write(line, size=10)
    if signed.drawing_png:
        pdf.image(io.BytesIO(bytes(signed.drawing_png)), w=70)
    write(_("Text fingerprint (SHA-256): %(hash)s") % {"hash": signed.text_sha256}, size=8, gap=2)
    write(_("Record: %(id)s") % {"id": signed.public_id}, size=8)
    return bytes(pdf.output())
