from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.clinics.services import organisation_create_with_owner
from needlepoint.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Create an organisation and its owner account "
        "(password from NEEDLEPOINT_OWNER_PASSWORD, or asked for)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", required=True, help="The clinic's business name.")
        parser.add_argument("--email", required=True, help="The owner's email, used to sign in.")
        parser.add_argument("--name", required=True, help="The owner's full name.")
        parser.add_argument("--location", help="Name of the first location.")
        parser.add_argument(
            "--time-zone", default="Europe/London", help="The first location's time zone."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("NEEDLEPOINT_OWNER_PASSWORD") or self._prompt_password()
        try:
            owner = organisation_create_with_owner(
                organisation_name=options["organisation"],
                owner_email=options["email"],
                owner_name=options["name"],
                password=password,
                location_name=options["location"],
                time_zone=options["time_zone"],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            self.style.SUCCESS(f"Created {owner.organisation} with owner {owner.user.email}.")
        )
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(
            "Next:\n"
            f"  1. Sign in at {site}/accounts/login/ and set up your authenticator app.\n"
            f"  2. Fill in the one set-up form at {site}/settings/start/: where, who treats "
            "and what clients can book.\n"
            "  3. Share the booking page it gives you; change anything later in Settings.\n"
        )

    def _prompt_password(self) -> str:
        if not sys.stdin.isatty():
            raise CommandError(
                "No terminal to ask for the owner's password: set NEEDLEPOINT_OWNER_PASSWORD."
            )
        first = getpass.getpass("Owner's password (12+ characters): ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ.")
        return first
