"""``needlepoint exportcsv``: the export page's CSV files, from the command line."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.clinics.models import Organisation
from needlepoint.imports.exporter import EXPORTS, csv_lines, record_export


class Command(BaseCommand):
    help = "Write an organisation's clients, bookings, sessions or outcomes as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(EXPORTS))
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--from", dest="since", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="until", type=date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--output", type=Path, help="The file to write (default: stdout).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        kind, since, until, output = (options[k] for k in ("kind", "since", "until", "output"))
        if output is not None and output.exists():
            raise CommandError(f"{output} exists already; choose another name.")
        record_export(kind, organisation, since, until, actor="needlepoint exportcsv")
        lines = csv_lines(kind, organisation, since, until)
        if output is None:
            for line in lines:
                self.stdout.write(line, ending="")
            return
        try:
            with output.open("x", encoding="utf-8", newline="") as out:
                out.writelines(lines)
        except BaseException:
            output.unlink(missing_ok=True)
            raise
        self.stderr.write(f"Wrote {output}.")
