"""``needlepoint restore PATH --yes``: verify a backup, then put its database and photos back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from needlepoint.operations.backup import describe, fetched_backup, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and the clients' photos with a backup's, after checking "
        "every file in it against its manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", type=Path, nargs="?", help="An archive written by `needlepoint backup`."
        )
        parser.add_argument(
            "--from-bucket",
            metavar="NAME",
            help="An archive in NEEDLEPOINT_BACKUP_BUCKET, by name, or `latest`.",
        )
        parser.add_argument(
            "--yes", action="store_true", help="Confirm replacing the database and the photos."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(
                "Restoring replaces the whole current database and every client photo with "
                "the backup's; anything recorded since the backup is lost. Stop the web app "
                "and the worker, then run again with --yes."
            )
        if (options["path"] is None) == (options["from_bucket"] is None):
            raise CommandError("Give an archive's path, or --from-bucket NAME, but not both.")
        if options["path"] is not None:
            manifest = restore_backup(options["path"])
        else:
            with fetched_backup(options["from_bucket"]) as path:
                manifest = restore_backup(path)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup made at {manifest['created_at']}: {describe(manifest)}."
            )
        )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write("The backup predates this version: run `needlepoint migrate`.")
