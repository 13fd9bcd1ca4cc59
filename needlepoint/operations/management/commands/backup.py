"""``needlepoint backup``: one archive of the database, the clients' photos and a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from needlepoint.operations.backup import describe, store_backup


class Command(BaseCommand):
    help = (
        "Write one .tar.gz holding the database, every client photo and a manifest of "
        "checksums: needlepoint-backup-<UTC time>.tar.gz in NEEDLEPOINT_BACKUP_BUCKET when "
        "it is set, else in NEEDLEPOINT_BACKUP_DIR (default: DATA_DIR/backups)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="The archive to write, or a folder to write it in (even with a backup bucket).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        where, size, manifest = store_backup(options["output"])
        megabytes = size / 1_000_000
        self.stdout.write(where)
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {megabytes:.1f} MB: {describe(manifest)}.")
        )
