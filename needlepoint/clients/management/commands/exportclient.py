"""``needlepoint exportclient <record id> --output file.zip``: a client's whole record."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.clients.models import Client
from needlepoint.core.errors import DomainError
from needlepoint.privacy.export import client_export_write


class Command(BaseCommand):
    help = (
        "Write a client's whole record (client.json, photos, consent and session PDFs) "
        "to a zip, for a subject access request."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("public_id", type=UUID, help="The client's record id.")
        parser.add_argument("--output", required=True, type=Path, help="The zip file to write.")

    def handle(self, *args: Any, public_id: UUID, output: Path, **options: Any) -> None:
        client = Client.objects.filter(public_id=public_id).first()
        if client is None:
            raise CommandError(f"No client has the record id {public_id}.")
        if output.exists():
            raise CommandError(f"{output} exists already; choose another name.")
        try:
            with output.open("xb") as out:
                client_export_write(client, out, actor="needlepoint exportclient")
        except BaseException as error:
            output.unlink(missing_ok=True)  # never leave half a record behind
            if isinstance(error, DomainError):
                raise CommandError(f"{error.message} Nothing was written.") from error
            raise
        self.stdout.write(
            self.style.SUCCESS(f"Wrote the record of client {public_id} to {output}.")
        )
