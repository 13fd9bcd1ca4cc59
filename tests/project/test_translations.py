"""Every word a user reads is marked for translation, and every shipped language has it.

Both checks read what the running app reads: the message ids extracted from the sources,
looked up in the compiled catalogues (`make` compiles them; docs/translating.md).
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from needlepoint.core import translations

pytestmark = pytest.mark.once  # files and catalogues, no database

TEMPLATES = sorted(
    path for path in translations.TEMPLATES.rglob("*") if path.suffix in {".html", ".txt"}
)


@pytest.mark.parametrize(
    "path", TEMPLATES, ids=lambda p: str(p.relative_to(translations.TEMPLATES))
)
def test_every_template_marks_its_text(path: Path) -> None:
    found = translations.unmarked_text(path)
    assert not found, "Unmarked text (wrap it in {% translate %}):\n" + "\n".join(
        f"  {item.path}:{item.line}: {item.text}" for item in found
    )


def _lookups(message: translations.Message, plurals: int) -> list[str | tuple[str, int]]:
    msgid, context = message
    singular = msgid[0] if isinstance(msgid, tuple) else msgid
    key = f"{context}\x04{singular}" if context else singular
    if isinstance(msgid, tuple):
        return [(key, form) for form in range(plurals)]
    return [key]


@pytest.mark.parametrize("language", translations.SHIPPED)
@pytest.mark.parametrize("package", translations.packages())
def test_every_message_is_translated(package: str, language: str) -> None:
    template = translations.extract(package)
    if not len(template):
        return
    po = translations.po_path(package, language)
    mo = po.with_suffix(".mo")
    assert po.exists(), f"No catalogue: run `needlepoint translations {package}`."
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, (
        f"{mo} is missing or older than its .po: run `needlepoint translations --compile`."
    )
    with mo.open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    table = compiled._catalog  # type: ignore[attr-defined]
    with po.open("rb") as file:
        plurals = read_po(file).num_plurals
    missing = [
        message.id
        for message in template
        if message.id
        and any(not table.get(key) for key in _lookups((message.id, message.context), plurals))
    ]
    assert not missing, (
        f"{len(missing)} message(s) of {package} not translated in {language}:\n"
        + "\n".join(f"  {msgid!r}" for msgid in missing[:40])
    )


@pytest.mark.parametrize(
    "po", sorted(translations.ROOT.glob("*/locale/*/LC_MESSAGES/django.po")), ids=str
)
def test_translations_keep_their_placeholders(po: Path) -> None:
    with po.open("rb") as file:
        catalog = read_po(file)
    problems = [
        f"  {message.id!r}: {'; '.join(map(str, errors))}" for message, errors in catalog.check()
    ]
    assert not problems, "\n".join(problems)
