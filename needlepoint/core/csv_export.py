"""CSV files that people open in spreadsheets: every export goes through here.

A cell that begins like a formula is quoted, so a client named ``=HYPERLINK(…)`` stays
text; the download is named with its kind and time, and never cached.
"""

from __future__ import annotations

from typing import TypeVar

from django.http import HttpResponseBase
from django.utils import timezone

from needlepoint.core.http import no_store

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
R = TypeVar("R", bound=HttpResponseBase)


def safe(value: object) -> str:
    """A cell's text, with a quote before a character that would start a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class Echo:
    """A file for ``csv.writer`` that hands each line back, so rows can be streamed."""

    def write(self, value: str) -> str:
        return value


def attachment(response: R, stem: str) -> R:
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.csv"'
    return no_store(response)
