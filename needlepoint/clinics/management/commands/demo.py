"""Load the demo clinic: safe to run again (it only loads once)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from needlepoint.clinics import demo


class Command(BaseCommand):
    help = "Create the demo clinic with staff, rooms, devices and forty clients (only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--code",
            action="store_true",
            help="Print the demo authenticator's current 6-digit code and stop.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Allow loading into a production (DEBUG off) database.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["code"]:
            self.stdout.write(demo.current_code())
            return
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "The demo has well-known passwords: it loads only with DEBUG on (or --force)."
            )
        created = demo.load()
        verb = "Loaded" if created else "Already loaded:"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo clinic “{demo.ORGANISATION_NAME}”."))
        self.stdout.write(
            f"Sign in at http://127.0.0.1:8000/ as {demo.OWNER_EMAIL} / {demo.PASSWORD}"
        )
        self.stdout.write(
            f"Other demo staff use the same password: {', '.join(demo.OTHER_STAFF_EMAILS)}"
        )
        self.stdout.write(
            "Owners and practitioners then give a code from an authenticator app set to the"
            f" demo key {demo.AUTHENTICATOR_KEY} (or run `needlepoint demo --code`)."
        )
