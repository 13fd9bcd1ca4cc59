"""``needlepoint translations [PKG ...]``: update the packages' .po files from their sources;
``--compile`` writes the .mo files the running app reads (docs/translating.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.core import translations


class Command(BaseCommand):
    help = (
        "Extract the marked strings of the named packages (all when none is named) into "
        "their Spanish and German .po files, or compile every .po with --compile."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("packages", nargs="*", help="Packages, e.g. public scheduling.")
        parser.add_argument("--compile", action="store_true", help="Write the .mo files.")
        parser.add_argument(
            "--language",
            action="append",
            help="Also keep a catalogue for this language (a translator's new language).",
        )

    def handle(self, *args: Any, packages: list[str], compile: bool, **options: Any) -> None:
        if compile:
            written = translations.compile_all()
            self.stdout.write(f"Compiled {len(written)} catalogue(s).")
            return
        known = translations.packages()
        unknown = sorted(set(packages) - set(known))
        if unknown:
            raise CommandError(f"No such package: {', '.join(unknown)}. Known: {', '.join(known)}.")
        languages = [*translations.SHIPPED, *(options["language"] or [])]
        for package in packages or known:
            for path in translations.update(package, languages):
                self.stdout.write(f"Updated {path.relative_to(translations.ROOT.parent)}")
