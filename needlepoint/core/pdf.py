"""PDF documents for the client's record (consents, treatment summaries), with fpdf2.

fpdf2 is pure Python: no system packages. Text uses a Unicode font when the system has
one (Debian's fonts-dejavu-core, or NEEDLEPOINT_PDF_FONT); otherwise the PDF core font,
which covers Western European text only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language
from fpdf import FPDF

FONT = Path(
    os.environ.get("NEEDLEPOINT_PDF_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
)
PLAIN_PUNCTUATION = str.maketrans(
    {"—": "-", "–": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "°": " deg"}
)
Write = Callable[..., None]


def document() -> tuple[FPDF, Write]:
    """A blank A4 document and a ``write(text, size=, style=, gap=)`` that flows text down it."""
    pdf = FPDF(format="A4")
    pdf.set_lang(get_language() or settings.LANGUAGE_CODE)  # the reader's, for screen readers
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    family = _font(pdf)

    def write(text: str, *, size: int, style: str = "", gap: float = 1) -> None:
        if family == "Helvetica":
            text = text.translate(PLAIN_PUNCTUATION).encode("latin-1", "replace").decode("latin-1")
        pdf.set_font(family, style=style, size=size)
        pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    return pdf, write


def _font(pdf: FPDF) -> str:
    if FONT.exists():
        pdf.add_font("Body", fname=str(FONT))
        bold = FONT.with_name(FONT.stem + "-Bold" + FONT.suffix)
        pdf.add_font("Body", style="B", fname=str(bold if bold.exists() else FONT))
        return "Body"
    return "Helvetica"
