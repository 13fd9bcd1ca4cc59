"""Message catalogues: what each package marks for translation, its .po files, their .mo.

Each package keeps its own catalogue, `needlepoint/<pkg>/locale/<lang>/LC_MESSAGES/django.po`,
holding the strings of its Python and of its templates (`needlepoint/templates/<pkg>/`; the
top-level templates and any folder no package owns belong to `core`). Extraction is pure
Python (Babel reading Python, Django's own `templatize` reading templates), so a translator
and `make` need no GNU gettext. docs/translating.md tells a translator how to use it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract as babel_extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
SHIPPED = ("es", "de")
"""The languages Needlepoint ships complete: `make test` fails on any message they miss."""

KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "pgettext_noop": ((1, "c"), 2),  # words with a context translated where they are shown
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

Message = tuple[str | tuple[str, ...], str | None]
"""A message id (a tuple of singular and plural for counted messages) and its context."""

TEMPLATE_OWNERS = {"kiosk": "public"}
"""Template folders named after no package, and the package whose catalogue holds them."""

EXTRA_SOURCES: dict[str, Callable[[], Iterable[Message]]] = {}
"""Messages a package marks outside Python and templates (e.g. the clinical rules file)."""


def packages() -> list[str]:
    """Every package of Needlepoint that can hold messages."""
    return sorted(p.parent.name for p in ROOT.glob("*/__init__.py"))


def locale_dirs() -> list[Path]:
    """The `locale` folders of every package that has one (settings.LOCALE_PATHS)."""
    return sorted(path for path in ROOT.glob("*/locale") if path.is_dir())


def sources(package: str) -> Iterator[Path]:
    """The Python files and templates whose marked strings belong to `package`."""
    base = ROOT / package
    for path in sorted(base.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path
    yield from _templates(TEMPLATES / package)
    yield from _templates(base / "templates")
    for name, owner in TEMPLATE_OWNERS.items():
        if owner == package:
            yield from _templates(TEMPLATES / name)
    if package == "core":
        owned = set(packages()) | set(TEMPLATE_OWNERS)
        yield from sorted(p for p in TEMPLATES.glob("*") if p.is_file())
        for folder in sorted(p for p in TEMPLATES.glob("*") if p.is_dir()):
            if folder.name not in owned:
                yield from _templates(folder)
        yield from sorted(ROOT.glob("*.py"))


def _templates(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        yield from sorted(p for p in folder.rglob("*") if p.suffix in {".html", ".txt"})


def extract(package: str) -> Catalog:
    """A template catalogue of every message `package` marks, with where each is used."""
    from django.utils.translation.template import templatize

    catalog = Catalog(fuzzy=False)
    for path in sources(package):
        where = str(path.relative_to(ROOT.parent))
        text = path.read_text("utf-8")
        if path.suffix != ".py":
            # Babel reads templatize's output as Python: unindented, as it has no blocks.
            lines = templatize(text, origin=str(path)).splitlines()
            text = "\n".join(line.lstrip() for line in lines)
        found = babel_extract("python", io.BytesIO(text.encode("utf-8")), keywords=KEYWORDS)
        for lineno, message, _comments, context in found:
            catalog.add(message, locations=[(where, lineno)], context=context)
    for message, context in EXTRA_SOURCES.get(package, lambda: ())():
        catalog.add(message, context=context)
    return catalog


PLURALS = {"es": (2, "(n != 1)")}
"""Plural rules simpler than CLDR's where gettext's classic ones read the same."""
HEADER = """\
# {language} translation of Needlepoint.
# Written by Needlepoint's contributors; docs/translating.md says how to update it."""


def po_path(package: str, language: str) -> Path:
    return ROOT / package / "locale" / language / "LC_MESSAGES" / "django.po"


def update(package: str, languages: Iterable[str] = SHIPPED) -> list[Path]:
    """Bring `package`'s .po files in line with its sources: new messages are added
    untranslated, messages no longer used are dropped, translations kept. A package with
    no messages gets no catalogue."""
    template = extract(package)
    written = []
    for language in languages:
        path = po_path(package, language)
        if not len(template) and not path.exists():
            continue
        if path.exists():
            with path.open("rb") as file:
                catalog = read_po(file, locale=language)
        else:
            catalog = _new_catalog(language)
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            write_po(file, catalog, width=100, sort_output=True, include_lineno=False)
        written.append(path)
    return written


def _new_catalog(language: str) -> Catalog:
    catalog = Catalog(
        locale=language,
        project="Needlepoint",
        version="1",
        header_comment=HEADER.format(language=language),
        language_team="",
        last_translator="",
        fuzzy=False,
    )
    if language in PLURALS:
        catalog._num_plurals, catalog._plural_expr = PLURALS[language]  # type: ignore[assignment]
    return catalog


def compile_all() -> list[Path]:
    """Write the .mo next to every .po that is newer than it; return those written."""
    written = []
    for po in sorted(ROOT.glob("*/locale/*/LC_MESSAGES/django.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as file:
            catalog = read_po(file)
        with mo.open("wb") as file:
            write_mo(file, catalog, use_fuzzy=False)
        written.append(mo)
    return written


# --- Unmarked text in templates -------------------------------------------------------

SHOWN_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "label",
    "data-confirm",
}
NOT_WORDS = {"Needlepoint"}
"""Text shown as it is in every language."""
_LETTER = re.compile(r"[^\W\d_]")
_PLACEHOLDER = " "


@dataclass(frozen=True)
class Unmarked:
    path: str
    line: int
    text: str


def unmarked_text(path: Path) -> list[Unmarked]:
    """Text a reader sees in a template that is not marked for translation: words between
    tags and in shown attributes, outside `{% translate %}` and `{% blocktranslate %}`."""
    from django.template.base import Lexer, TokenType

    source = path.read_text("utf-8")
    pieces: list[tuple[str, int | None]] = []
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if skip_until and name == skip_until:
                skip_until = None
            elif name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                skip_until = "end" + name
            pieces.append((_PLACEHOLDER, token.lineno))
        elif token.token_type == TokenType.TEXT and not skip_until:
            pieces.append((token.contents, token.lineno))
        elif token.token_type == TokenType.VAR:
            pieces.append((_PLACEHOLDER, token.lineno))
    where = str(path.relative_to(ROOT.parent))
    if path.suffix == ".txt":
        return [
            Unmarked(where, line or 1, text.strip())
            for text, line in pieces
            if _is_words(text.replace(_PLACEHOLDER, ""))
        ]
    parser = _TextFinder(where, pieces)
    return parser.found


def _is_words(text: str) -> bool:
    for word in NOT_WORDS:
        text = text.replace(word, "")
    return bool(_LETTER.search(text))


class _TextFinder(HTMLParser):
    def __init__(self, where: str, pieces: list[tuple[str, int | None]]) -> None:
        super().__init__(convert_charrefs=True)
        self.where = where
        self.found: list[Unmarked] = []
        self.hidden = 0
        # The source line of each piece, to report where unmarked text starts.
        self.lines: list[tuple[int, int]] = []
        offset_line = 1
        for text, line in pieces:
            self.lines.append((offset_line, line or 1))
            offset_line += text.count("\n")
        self.feed("".join(text for text, _ in pieces))
        self.close()

    def _line(self) -> int:
        line, _column = self.getpos()
        source = 1
        for start, original in self.lines:
            if start > line:
                break
            source = original + (line - start)
        return source

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.hidden += 1
        shown = dict(attrs)
        names = SHOWN_ATTRIBUTES | (
            {"value"}
            if tag == "input" and shown.get("type") in {"submit", "button", "reset"}
            else set()
        )
        for name, value in attrs:
            if name in names and value and _is_words(value.replace(_PLACEHOLDER, "")):
                self.found.append(Unmarked(self.where, self._line(), f"{name}={value!r}"))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        text = data.replace(_PLACEHOLDER, " ").strip()
        if not self.hidden and _is_words(text):
            self.found.append(Unmarked(self.where, self._line(), " ".join(text.split())[:80]))
