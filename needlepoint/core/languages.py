"""The languages a page or message can be in: settings.LANGUAGES, each clinic offering some.

A language is kept as its code from settings.LANGUAGES ("en-gb", "es", "de"). These helpers
read codes people and browsers send ("en", "es-MX", "de-AT;q=0.8") into one of those, and
name each language in its own words for choosers ("Español", not "Spanish").
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Literal, ParamSpec, TypeVar

from babel.dates import format_date
from babel.lists import format_list
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info, get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

P = ParamSpec("P")
R = TypeVar("R")


def codes() -> tuple[str, ...]:
    """Every language's code, in settings order."""
    return tuple(code for code, _name in settings.LANGUAGES)


def name(code: str) -> str:
    """The language as its speakers write it: "Español", "Deutsch"."""
    return dict(settings.LANGUAGES).get(code, code)


def choices(offered: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(code, name) pairs for a select: every language, or those offered, in settings order."""
    chosen = set(codes() if offered is None else offered)
    return [(code, language) for code, language in settings.LANGUAGES if code in chosen]


def supported(code: str | None, offered: Sequence[str] | None = None) -> str | None:
    """`code` as one of ours ("en" and "en-US" → "en-gb", "es-MX" → "es"), or None.

    With `offered`, only those count."""
    if not code:
        return None
    allowed = tuple(codes() if offered is None else offered)
    try:
        variant = get_supported_language_variant(str(code).strip().lower())
    except LookupError:
        return None
    return variant if variant in allowed else None


def from_accept_language(header: str, offered: Sequence[str] | None = None) -> str | None:
    """The browser's most preferred language among `offered` (default: all), or None."""
    for code, _quality in parse_accept_lang_header(header or ""):
        if code == "*":
            continue
        found = supported(code, offered)
        if found:
            return found
    return None


def reader_locale() -> str:
    """The active language as a Babel locale ("en_GB", "es", "de"), for dates, lists, money."""
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE)


def long_date(day: date) -> str:
    """14 March 2025 · 14 de marzo de 2025 · 14. März 2025."""
    return str(format_date(day, "long", locale=reader_locale()))


def word_list(words: Sequence[str], style: Literal["standard", "unit"] = "standard") -> str:
    """ "a", "a and b", "a, b and c" in the reader's language ("" for none)."""
    return str(format_list(list(words), style=style, locale=reader_locale())) if words else ""


def is_bidi(code: str) -> bool:
    """Whether the language is written right to left (Django's language info)."""
    try:
        return bool(get_language_info(code)["bidi"])
    except KeyError:
        return False


def in_language_of(
    reader: Callable[..., str | None],
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Runs a builder (a PDF, a calendar, a message) in its reader's language: `reader` gets
    the builder's arguments and names the language; None or "" leaves the active one."""

    def decorate(build: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(build)
        def in_language(*args: P.args, **kwargs: P.kwargs) -> R:
            code = reader(*args, **kwargs)
            if not code:
                return build(*args, **kwargs)
            with translation.override(code):
                return build(*args, **kwargs)

        return in_language

    return decorate
