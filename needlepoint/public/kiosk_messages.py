"""The tablet's templates (``templates/kiosk/``) are this package's pages: their messages
belong in its catalogue, though the folder is not named after it."""

from __future__ import annotations

import io
from collections.abc import Iterator

from babel.messages.extract import extract as babel_extract

from needlepoint.core import translations


def kiosk_messages() -> Iterator[translations.Message]:
    from django.utils.translation.template import templatize

    for path in sorted((translations.TEMPLATES / "kiosk").glob("*.html")):
        text = templatize(path.read_text("utf-8"), origin=str(path))
        found = babel_extract(
            "python", io.BytesIO(text.encode("utf-8")), keywords=translations.KEYWORDS
        )
        for _lineno, message, _comments, context in found:
            yield message, context
