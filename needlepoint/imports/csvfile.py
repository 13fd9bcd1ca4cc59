"""Reading another system's CSV export: its encoding, its delimiter, its size."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000


class FileProblem(Exception):
    """The file as a whole can't be read; the message says what to do."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    """Data rows, each as long as ``headers``; row ``i`` is line ``i + 2`` of a spreadsheet."""

    def samples(self, column: int, count: int = 3) -> list[str]:
        values = (row[column] for row in self.rows if row[column].strip())
        return [value for value, _ in zip(values, range(count), strict=False)]


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 (older Excel)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(
            _("This file is UTF-16 text. Save it as “CSV UTF-8” and upload it again.")
        )
    if b"\x00" in data:
        raise FileProblem(_("This is not a CSV file. Export a CSV from the other system."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileProblem(
            _("The file's characters can't be read. Save it as “CSV UTF-8” and upload it again.")
        ) from error


def read_table(data: bytes) -> Table:
    """The headers and rows of a CSV file, comma or semicolon separated; blank rows dropped."""
    if len(data) > MAX_BYTES:
        raise FileProblem(
            _("The file is larger than %(size)s MB. Split it.")
            % {"size": MAX_BYTES // (1024 * 1024)}
        )
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [header.strip() for header in next(reader, [])]
        rows: list[list[str]] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) == MAX_ROWS:
                raise FileProblem(
                    _("The file has more than %(rows)s rows. Split it.")
                    % {"rows": number_format(MAX_ROWS, force_grouping=True)}
                )
            rows.append([*row, *[""] * (len(headers) - len(row))][: len(headers)])
    except csv.Error as error:
        raise FileProblem(
            _("The file is not a well-formed CSV file (%(error)s).") % {"error": error}
        ) from error
    if not any(headers):
        raise FileProblem(_("The file is empty: the first line should name the columns."))
    if not rows:
        raise FileProblem(_("The file has column names but no rows."))
    return Table(
        headers=[h or _("Column %(number)s") % {"number": i + 1} for i, h in enumerate(headers)],
        rows=rows,
    )
