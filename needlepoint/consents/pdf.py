"""A signed consent as a PDF the client and the clinic can keep."""

from __future__ import annotations

import io
import os
from pathlib import Path

from fpdf import FPDF

from needlepoint.consents.models import SignedConsent

# A Unicode font when the system has one (Debian's fonts-dejavu-core); otherwise the PDF
# core font, which covers Western European text only.
FONT = Path(
    os.environ.get("NEEDLEPOINT_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
)
PLAIN_PUNCTUATION = str.maketrans(
    {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."}
)


def consent_pdf(signed: SignedConsent) -> bytes:
    version = signed.form_version
    client = signed.client
    organisation = client.organisation
    pdf = FPDF(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    family = _font(pdf)
    write = _writer(pdf, family)
    write(organisation.name, size=10)
    write(f"{version.form.name} (version {version.version})", size=16, style="B", gap=4)
    write(version.text, size=11, gap=6)
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


def _font(pdf: FPDF) -> str:
    if FONT.exists():
        pdf.add_font("Body", fname=str(FONT))
        bold = FONT.with_name(FONT.stem + "-Bold" + FONT.suffix)
        pdf.add_font("Body", style="B", fname=str(bold if bold.exists() else FONT))
        return "Body"
    return "Helvetica"


def _writer(pdf: FPDF, family: str):  # type: ignore[no-untyped-def]
    def write(text: str, *, size: int, style: str = "", gap: float = 1) -> None:
        if family == "Helvetica":
            text = text.translate(PLAIN_PUNCTUATION).encode("latin-1", "replace").decode("latin-1")
        pdf.set_font(family, style=style, size=size)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    return write
