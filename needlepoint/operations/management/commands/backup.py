"""``needlepoint backup``: one archive of the database, the clients' photos and a manifest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from needlepoint.operations.backup import create_backup, describe


class Command(BaseCommand):
    help = (
        "Write one .tar.gz holding the database, every client photo and a manifest of "
        "checksums: needlepoint-backup-<UTC time>.tar.gz in NEEDLEPOINT_BACKUP_DIR "
        "(default: DATA_DIR/backups)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, help="The archive to write, or a folder to write it in."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path, manifest = create_backup(options["output"])
        megabytes = path.stat().st_size / 1_000_000
        self.stdout.write(str(path))
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {megabytes:.1f} MB: {describe(manifest)}.")
        )
