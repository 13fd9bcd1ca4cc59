"""``needlepoint importcsv``: the import pages' dry run and import, from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.clinics.models import Location, Organisation
from needlepoint.imports.csvfile import FileProblem, read_table
from needlepoint.imports.importer import (
    DATE_FORMATS,
    FIELDS,
    KINDS,
    Plan,
    mapping_problems,
    run,
)


class Command(BaseCommand):
    help = (
        "Import clients or future appointments from another system's CSV export. "
        "Nothing is written unless every row is right; --dry-run writes nothing at all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The CSV file.")
        parser.add_argument("--organisation", required=True, help="The organisation's slug.")
        parser.add_argument("--kind", required=True, choices=sorted(KINDS))
        parser.add_argument(
            "--mapping",
            required=True,
            type=Path,
            help='JSON: {"columns": {"first_name": "First Name", ...}, "date_format": "DMY"}',
        )
        parser.add_argument(
            "--location", required=True, help="The location's slug (time zone, home location)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation has the slug {options['organisation']!r}.")
        location = Location.objects.filter(
            organisation=organisation, slug=options["location"]
        ).first()
        if location is None:
            raise CommandError(f"{organisation} has no location {options['location']!r}.")
        try:
            table = read_table(options["file"].read_bytes())
        except (OSError, FileProblem) as error:
            raise CommandError(str(error)) from error
        kind = options["kind"]
        columns, date_format = self._mapping(options["mapping"], kind, table.headers)
        plan = Plan(organisation, location, kind, columns, date_format)
        report = run(table, plan, commit=not options["dry_run"], actor="needlepoint importcsv")
        for problem in report.problems:
            where = f"row {problem.row}" if problem.row else "file"
            column = f", {problem.column}" if problem.column else ""
            self.stderr.write(f"{where}{column}: {problem.message}")
        for note in report.notes:
            self.stdout.write(f"row {note.row} (note): {note.message}")
        self.stdout.write(report.summary)
        if report.problems:
            raise CommandError(f"{len(report.problems)} problem(s): nothing was written.")
        if report.committed:
            self.stdout.write(self.style.SUCCESS("Imported."))
        else:
            self.stdout.write("Dry run: nothing was written.")

    def _mapping(self, path: Path, kind: str, headers: list[str]) -> tuple[dict[str, int], str]:
        try:
            mapping = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"The mapping file can't be read: {error}") from error
        if not isinstance(mapping, dict) or not isinstance(mapping.get("columns"), dict):
            raise CommandError('The mapping needs "columns": {field: the file\'s header}.')
        known = {field.key for field in FIELDS[kind]}
        columns = {}
        for key, header in mapping["columns"].items():
            if key not in known:
                raise CommandError(f"{key!r} is not a field of {kind}: {', '.join(sorted(known))}.")
            if header not in headers:
                raise CommandError(f"The file has no column {header!r}.")
            columns[key] = headers.index(header)
        problems = mapping_problems(kind, columns)
        if problems:
            raise CommandError(" ".join(problems))
        date_format = str(mapping.get("date_format", "DMY"))
        by_label = {label: key for key, label in DATE_FORMATS.items()}
        date_format = by_label.get(date_format, date_format)
        if date_format not in DATE_FORMATS:
            raise CommandError(f"date_format is one of {', '.join(DATE_FORMATS.values())}.")
        return columns, date_format
