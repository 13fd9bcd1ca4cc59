"""A signed consent as a PDF the client and the clinic can keep."""

from __future__ import annotations

import io

from needlepoint.consents.models import SignedConsent
from needlepoint.consents.services import version_covers_text
from needlepoint.core.languages import in_language_of
from needlepoint.core.pdf import document


@in_language_of(lambda signed: signed.client.preferred_language)
def consent_pdf(signed: SignedConsent) -> bytes:
    version = signed.form_version
    client = signed.client
    organisation = client.organisation
    pdf, write = document()
    write(organisation.name, size=10)
    write(f"{version.form.name} (version {version.version})", size=16, style="B", gap=4)
    write(version.text, size=11, gap=6)
    covers = version_covers_text(version)
    if covers:
        write(f"This consent covers: {covers}.", size=10, style="B", gap=6)
    write("Signed", size=12, style="B")
    signed_at = signed.signed_at.strftime("%d %B %Y, %H:%M:%S UTC")
    for line in (
        f"Name: {signed.typed_name}",
        f"Client: {client.full_name}, born {client.date_of_birth:%d %B %Y}",
        f"Signed at: {signed_at}",
        f"From: {signed.ip_address or 'unknown address'}",
        f"Signature: {signed.get_kind_display()}",
    ):
        write(line, size=10)
    if signed.drawing_png:
        pdf.image(io.BytesIO(bytes(signed.drawing_png)), w=70)
    write(f"Text fingerprint (SHA-256): {signed.text_sha256}", size=8, gap=2)
    write(f"Record: {signed.public_id}", size=8)
    return bytes(pdf.output())
